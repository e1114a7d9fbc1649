/*
 * The verdict.  A pixel check is a detection when its NFA is below
 * epsilon; strong container evidence (severity 3) counts the same.
 * Weaker container evidence makes a picture suspicious.  No evidence is
 * never called authentic: the checks can only fail to find editing.
 */
#include "config.h"

#include <string.h>

#include "imgforge.h"

bool
px_detects(const struct px_finding *f, double log10_eps)
{
	return strncmp(f->check, "info.", 5) != 0 && f->log10_nfa < log10_eps;
}

enum ifc_verdict
verdict(const struct ifc_job *j)
{
	enum ifc_verdict v = V_NONE;

	for (size_t i = 0; j->px_ok && i < j->px.n; i++)
		if (px_detects(&j->px.v[i], j->conf->log10_eps))
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
