/*
 * The verdict.  A pixel check is a detection when its NFA is below
 * epsilon; strong container evidence (severity 3) counts the same.
 * Weaker container evidence makes a picture suspicious.  No evidence is
 * never called authentic: the checks can only fail to find editing.
 */
#include "config.h"

#include "imgforge.h"

enum ifc_verdict
verdict(const struct ifc_job *j)
{
	enum ifc_verdict v = V_NONE;

	for (size_t i = 0; j->px_ok && i < j->px.n; i++)
		if (j->px.v[i].log10_nfa < j->conf->log10_eps)
			return V_FORGED;
	for (size_t i = 0; i < j->meta.n; i++) {
		if (j->meta.v[i].severity >= 3)
			return V_FORGED;
		if (j->meta.v[i].severity >= 1)
			v = V_SUSPICIOUS;
	}
	return v;
}

const char *
verdict_name(enum ifc_verdict v)
{
	return v == V_FORGED ? "forged" : v == V_SUSPICIOUS ? "suspicious" :
	    "no-evidence";
}
