/*
 * The verification steps over what verify.c collected: each one judges a
 * single aspect and says so on its own, so a receiving unit sees exactly
 * which guarantee failed (RFC 8493 §3 for the BagIt ones).
 */
#include "config.h"

#include <ctype.h>
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cb.h"
#include "u8.h"

static const char *const step_name[S_NSTEPS] = {
	"archive", "structure", "completeness", "payload", "tag-manifests",
	"custody", "signature", "timestamp", "profile"
};
static const char *const res_name[] = { "ok", "warn", "skip", "FAIL" };

static json_t *taglisted;	/* names listed by tagmanifest-sha256.txt */
static struct bag_fetch fetch;	/* fetch.txt, when the bag has one */
static json_t *fetchidx;	/* its paths -> index in fetch */
static bool *fetch_seen;	/* listed by the manifest being checked */

static void
note(struct vstate *vs, enum vstep s, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
note(struct vstate *vs, enum vstep s, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(vs->note[s], sizeof(vs->note[s]), fmt, ap);
	va_end(ap);
}

static bool
manifest_name(const char *name, const char *prefix, char *alg, size_t alglen)
{
	size_t	 pl = strlen(prefix), l = strlen(name);

	if (strncmp(name, prefix, pl) != 0 || l < pl + 5 ||
	    strcmp(name + l - 4, ".txt") != 0 || strchr(name, '/') != NULL)
		return false;
	snprintf(alg, alglen, "%.*s", (int)(l - pl - 4), name + pl);
	return true;
}

static const char *
info1(struct vstate *vs, const char *label)
{
	return json_string_value(json_array_get(json_object_get(vs->info,
	    label), 0));
}

static void
step_structure(struct vstate *vs, int *nman)
{
	struct vfile *f = vs_get(vs, "bagit.txt");
	char	 ver[32], msg[256], alg[32];
	size_t	 i;

	if (f == NULL || f->buf == NULL)
		vs_problem(vs, S_STRUCTURE, "no bagit.txt");
	else if (bag_parse_bagit((char *)f->buf, f->size, ver, sizeof(ver), msg,
	    sizeof(msg)) == -1)
		vs_problem(vs, S_STRUCTURE, "%s", msg);
	else if (strcmp(ver, "1.0") != 0)
		vs_warn(vs, S_STRUCTURE, "BagIt version %s, not 1.0", ver);
	if (!vs->have_data)
		vs_problem(vs, S_STRUCTURE, "no data/ payload directory");
	if ((f = vs_get(vs, "bag-info.txt")) != NULL && f->buf != NULL &&
	    (vs->info = bag_parse_info((char *)f->buf, f->size, msg,
	    sizeof(msg))) == NULL)
		vs_problem(vs, S_STRUCTURE, "%s", msg);
	*nman = 0;
	for (i = 0; i < vs->n; i++)
		if (manifest_name(vs->f[i].name, "manifest-", alg, sizeof(alg))) {
			if (vs_alg_index(alg) == -1)
				vs_warn(vs, S_STRUCTURE, "manifest-%s.txt: "
				    "algorithm not supported, not checked", alg);
			else
				(*nman)++;
		}
	if (*nman == 0)
		vs_problem(vs, S_STRUCTURE, "no payload manifest");
	note(vs, S_STRUCTURE, "bag '%s', %d payload manifest(s)",
	    vs->top ? vs->top : "", *nman);
}

static void
check_oxum(struct vstate *vs)
{
	const char *ox = info1(vs, "Payload-Oxum");
	unsigned long long bytes = 0, count = 0, b = 0, c = 0;
	size_t	 i;

	for (i = 0; i < vs->n; i++)
		if (vs->f[i].payload) {
			b += vs->f[i].size;
			c++;
		}
	if (ox == NULL)
		return;
	if (sscanf(ox, "%llu.%llu", &bytes, &count) != 2)
		vs_problem(vs, S_COMPLETE, "Payload-Oxum '%s' is malformed", ox);
	else if (bytes != b || count != c)
		vs_problem(vs, S_COMPLETE, "Payload-Oxum %s, but the payload "
		    "holds %llu.%llu", ox, b, c);
}

/*
 * fetch.txt (RFC 8493 §2.2.3) lists payload files to be fetched from
 * elsewhere: one that is not here makes the bag incomplete, and is said so
 * (not fetched), not called missing; one that is here is checked like any
 * other payload file.  Its lines must name payload files, each once, each
 * in every payload manifest; a LENGTH given must match a file present.
 */
static void
load_fetch(struct vstate *vs)
{
	struct vfile *f = vs_get(vs, "fetch.txt"), *pf;
	char	 msg[256];
	const char *p;
	size_t	 i;

	fetchidx = json_object();
	memset(&fetch, 0, sizeof(fetch));
	if (f == NULL)
		return;
	if (f->buf == NULL || bag_parse_fetch((char *)f->buf, f->size, &fetch,
	    msg, sizeof(msg)) == -1) {
		vs_problem(vs, S_COMPLETE, "fetch.txt: %s", f->buf == NULL ?
		    "could not be read" : msg);
		return;
	}
	fetch_seen = cb_xmalloc(fetch.n + 1);
	for (i = 0; i < fetch.n; i++) {
		p = fetch.l[i].path;
		if (!bag_path_ok(p) || strncmp(p, "data/", 5) != 0) {
			vs_problem(vs, S_COMPLETE, "fetch.txt lists '%s', which "
			    "is not a payload file", p);
			continue;
		}
		if (json_object_get(fetchidx, p) != NULL) {
			vs_problem(vs, S_COMPLETE, "fetch.txt lists '%s' twice", p);
			continue;
		}
		json_object_set_new(fetchidx, p, json_integer((json_int_t)i));
		if ((pf = vs_get(vs, p)) == NULL || !pf->payload) {
			vs->unfetched++;
			vs_problem(vs, S_COMPLETE, "'%s' is not fetched yet "
			    "(fetch.txt: %s)", p, fetch.l[i].url);
		} else if (fetch.l[i].length >= 0 &&
		    (uint64_t)fetch.l[i].length != pf->size)
			vs_problem(vs, S_COMPLETE, "'%s' has %llu bytes, fetch.txt "
			    "says %lld", p, (unsigned long long)pf->size,
			    fetch.l[i].length);
	}
}

/* Marks a manifest's line as one fetch.txt lists; true if it does. */
static bool
fetch_mark(const char *path)
{
	json_t	*j = json_object_get(fetchidx, path);

	if (j == NULL)
		return false;
	fetch_seen[json_integer_value(j)] = true;
	return true;
}

static void
fetch_unlisted(struct vstate *vs, const char *mname)
{
	const char *p;
	json_t	*j;

	json_object_foreach(fetchidx, p, j)
		if (!fetch_seen[json_integer_value(j)])
			vs_problem(vs, S_COMPLETE, "fetch.txt lists '%s', which "
			    "%s does not list", p, mname);
}

/* One payload manifest: every file listed once, every listed file there. */
static void
check_manifest(struct vstate *vs, struct vfile *mf, const char *alg)
{
	struct bag_manifest m;
	char	 msg[256];
	int	 a = vs_alg_index(alg);
	size_t	 i;

	if (bag_parse_manifest((char *)mf->buf, mf->size, &m, msg,
	    sizeof(msg)) == -1) {
		vs_problem(vs, S_COMPLETE, "%s: %s", mf->name, msg);
		return;
	}
	for (i = 0; i < vs->n; i++)
		vs->f[i].listed = false;
	if (fetch_seen != NULL)
		memset(fetch_seen, 0, fetch.n);
	for (i = 0; i < m.n; i++) {
		struct vfile *f = vs_get(vs, m.l[i].path);
		bool	 fetched = fetch_mark(m.l[i].path);

		if (!bag_path_ok(m.l[i].path) ||
		    strncmp(m.l[i].path, "data/", 5) != 0)
			vs_problem(vs, S_COMPLETE, "%s lists '%s', outside data/",
			    mf->name, m.l[i].path);
		else if ((f == NULL || !f->payload) && fetched)
			;	/* not fetched yet: said once, by load_fetch() */
		else if (f == NULL || !f->payload)
			vs_problem(vs, S_COMPLETE, "%s lists '%s', which is "
			    "missing", mf->name, m.l[i].path);
		else if (f->listed)
			vs_problem(vs, S_COMPLETE, "%s lists '%s' twice",
			    mf->name, m.l[i].path);
		else {
			f->listed = true;
			if (f->hex[a] == NULL)
				vs_problem(vs, S_PAYLOAD, "'%s' could not be read",
				    f->name);
			else if (strcmp(f->hex[a], m.l[i].hex) != 0)
				vs_problem(vs, S_PAYLOAD, "'%s': %s differs from "
				    "%s", f->name, alg, mf->name);
		}
	}
	for (i = 0; i < vs->n; i++)
		if (vs->f[i].payload && !vs->f[i].listed)
			vs_problem(vs, S_COMPLETE, "'%s' is not in %s",
			    vs->f[i].name, mf->name);
	fetch_unlisted(vs, mf->name);
	bag_manifest_free(&m);
}

static void
step_payload(struct vstate *vs)
{
	char	 alg[32];
	size_t	 i, nfiles = 0;
	int	 nm = 0;

	load_fetch(vs);
	for (i = 0; i < vs->n; i++) {
		if (vs->f[i].payload)
			nfiles++;
		if (manifest_name(vs->f[i].name, "manifest-", alg, sizeof(alg)) &&
		    vs_alg_index(alg) != -1 && vs->f[i].buf != NULL) {
			check_manifest(vs, &vs->f[i], alg);
			nm++;
		}
	}
	if (vs->unfetched == 0)
		check_oxum(vs);	/* Payload-Oxum counts the fetched files too */
	if (vs->unfetched > 0)
		note(vs, S_COMPLETE, "incomplete: %zu file(s) listed in fetch.txt "
		    "not fetched; %zu payload file(s) here, in %d manifest(s)",
		    vs->unfetched, nfiles, nm);
	else
		note(vs, S_COMPLETE, "%zu payload file(s) in %d manifest(s)%s",
		    nfiles, nm, fetch.n > 0 ? "; fetch.txt: all fetched" : "");
	note(vs, S_PAYLOAD, "%zu file(s) x %d algorithm(s) compared", nfiles, nm);
}

static void
check_tagmanifest(struct vstate *vs, struct vfile *mf, const char *alg)
{
	struct bag_manifest m;
	char	 msg[256], a2[32];
	int	 a = vs_alg_index(alg);
	size_t	 i;

	if (bag_parse_manifest((char *)mf->buf, mf->size, &m, msg,
	    sizeof(msg)) == -1) {
		vs_problem(vs, S_TAGS, "%s: %s", mf->name, msg);
		return;
	}
	for (i = 0; i < m.n; i++) {
		struct vfile *f = vs_get(vs, m.l[i].path);

		if (strcmp(alg, "sha256") == 0)
			json_object_set_new_nocheck(taglisted, m.l[i].path, json_true());
		if (manifest_name(m.l[i].path, "tagmanifest-", a2, sizeof(a2)))
			vs_problem(vs, S_TAGS, "%s lists a tag manifest", mf->name);
		else if (f == NULL || f->payload)
			vs_problem(vs, S_TAGS, "%s lists '%s', which is missing",
			    mf->name, m.l[i].path);
		else if (f->hex[a] == NULL || strcmp(f->hex[a], m.l[i].hex) != 0)
			vs_problem(vs, S_TAGS, "'%s': %s differs from %s",
			    f->name, alg, mf->name);
	}
	for (i = 0; i < vs->n; i++)
		if (manifest_name(vs->f[i].name, "manifest-", a2, sizeof(a2)) &&
		    json_object_get(taglisted, vs->f[i].name) == NULL &&
		    strcmp(alg, "sha256") == 0)
			vs_warn(vs, S_TAGS, "%s does not list %s", mf->name,
			    vs->f[i].name);
	bag_manifest_free(&m);
}

static void
step_tags(struct vstate *vs)
{
	char	 alg[32];
	size_t	 i;
	int	 n = 0;

	for (i = 0; i < vs->n; i++)
		if (manifest_name(vs->f[i].name, "tagmanifest-", alg, sizeof(alg)) &&
		    vs_alg_index(alg) != -1 && vs->f[i].buf != NULL) {
			check_tagmanifest(vs, &vs->f[i], alg);
			n++;
		}
	if (n == 0) {
		vs->res[S_TAGS] = R_SKIP;
		note(vs, S_TAGS, "no tag manifest");
	} else
		note(vs, S_TAGS, "%d tag manifest(s)", n);
}

static void
step_custody(struct vstate *vs)
{
	struct vfile *f = vs_get(vs, CB_CUSTODY), *m;
	char	 head[HASH_HEXMAX], msg[256];
	const char *p, *want;
	long	 n;

	if (f == NULL || f->buf == NULL) {
		vs->res[S_CUSTODY] = R_SKIP;
		note(vs, S_CUSTODY, "no custody log");
		return;
	}
	if ((n = custody_check((char *)f->buf, f->size, head, msg,
	    sizeof(msg))) == -1) {
		vs_problem(vs, S_CUSTODY, "%s", msg);
		return;
	}
	/* the seal entry names the payload manifest it closed */
	m = vs_get(vs, "manifest-sha256.txt");
	p = strstr((char *)f->buf, "\"manifest_sha256\":\"");
	for (const char *q = p; q != NULL; q = strstr(q + 1, "\"manifest_sha256\":\""))
		p = q;
	want = m && m->hex[0] ? m->hex[0] : NULL;
	if (p == NULL || want == NULL || strncmp(p + 19, want, 64) != 0)
		vs_problem(vs, S_CUSTODY, "the last seal entry does not name "
		    "this manifest-sha256.txt");
	note(vs, S_CUSTODY, "%ld entries, chain intact, head %.16s", n, head);
}

static char *
read_small(const char *path, size_t *len)
{
	FILE	*fp = fopen(path, "rb");
	char	*b;

	if (fp == NULL)
		return NULL;
	b = cb_xmalloc(8193);
	*len = fread(b, 1, 8192, fp);
	fclose(fp);
	b[*len] = '\0';
	return b;
}

static void
step_signature(struct vstate *vs)
{
	struct vfile *sig = vs_get(vs, CB_SIG), *msg = vs_get(vs, CB_SIGNED);
	struct vfile *emb = vs_get(vs, CB_PUBKEY);
	char	*pub = NULL, err[256];
	size_t	 publen = 0;
	int	 r;

	if (sig == NULL || sig->buf == NULL) {
		if (emb != NULL)
			vs_problem(vs, S_SIGNATURE, "%s is here but %s is not: "
			    "the signature was removed", CB_PUBKEY, CB_SIG);
		else if (vs->o->pubkey != NULL)
			vs_problem(vs, S_SIGNATURE, "a key was given but the "
			    "bundle is not signed");
		else {
			vs->res[S_SIGNATURE] = R_SKIP;
			note(vs, S_SIGNATURE, "not signed");
		}
		return;
	}
	if (msg == NULL || msg->buf == NULL) {
		vs_problem(vs, S_SIGNATURE, "signature without %s", CB_SIGNED);
		return;
	}
	if (vs->o->pubkey != NULL) {
		if ((pub = read_small(vs->o->pubkey, &publen)) == NULL) {
			vs_problem(vs, S_SIGNATURE, "cannot read '%s'",
			    vs->o->pubkey);
			return;
		}
	} else if (emb != NULL && emb->buf != NULL) {
		pub = cb_xstrdup((char *)emb->buf);
		publen = emb->size;
	} else {
		vs_problem(vs, S_SIGNATURE, "signed, but no public key (-k)");
		return;
	}
	r = sign_check((char *)sig->buf, sig->size, pub, publen, msg->buf,
	    msg->size, err, sizeof(err));
	free(pub);
	if (r != 1)
		vs_problem(vs, S_SIGNATURE, "%s", err);
	else if (vs->o->pubkey == NULL) {
		vs_warn(vs, S_SIGNATURE, "checked with the key inside the bundle: "
		    "give -k to check who signed");
		note(vs, S_SIGNATURE, "Ed25519 signature over %s valid", CB_SIGNED);
	} else
		note(vs, S_SIGNATURE, "Ed25519 signature over %s valid for '%s'",
		    CB_SIGNED, vs->o->pubkey);
}

static void
step_timestamp(struct vstate *vs)
{
	struct vfile *tsq = vs_get(vs, CB_TSQ), *tsr = vs_get(vs, CB_TSR);
	struct vfile *msg = vs_get(vs, CB_SIGNED);
	unsigned char *der;
	size_t	 len;
	char	 info[256] = "";

	if ((tsq == NULL || tsq->buf == NULL) && (tsr == NULL || tsr->buf == NULL)) {
		vs->res[S_TIMESTAMP] = R_SKIP;
		note(vs, S_TIMESTAMP, "no timestamp request or reply");
		return;
	}
	if (msg == NULL || msg->buf == NULL) {
		vs_problem(vs, S_TIMESTAMP, "no %s to stamp", CB_SIGNED);
		return;
	}
	if (tsq != NULL && tsq->buf != NULL) {
		if (sign_tsq(msg->buf, msg->size, &der, &len) == -1 ||
		    len != tsq->size || memcmp(der, tsq->buf, len) != 0)
			vs_problem(vs, S_TIMESTAMP, "%s does not request a stamp "
			    "of %s", CB_TSQ, CB_SIGNED);
		else
			note(vs, S_TIMESTAMP, "request matches %s; no reply yet",
			    CB_SIGNED);
		free(der);
	}
	if (tsr != NULL && tsr->buf != NULL) {
		int	 r = sign_tsr_check(tsr->buf, tsr->size, msg->buf,
		    msg->size, vs->o->tsa_ca, info, sizeof(info));

		if (r != 1)
			vs_problem(vs, S_TIMESTAMP, "%s", info);
		else {
			note(vs, S_TIMESTAMP, "reply stamps %s, %s", CB_SIGNED, info);
			if (vs->o->tsa_ca == NULL)
				vs_warn(vs, S_TIMESTAMP, "the authority's signature "
				    "was not checked: give --tsa-ca");
		}
	}
}

static bool
unsigned_tag(const char *name)
{
	char	 alg[32];

	return manifest_name(name, "tagmanifest-", alg, sizeof(alg)) ||
	    strcmp(name, CB_SIG) == 0 || strcmp(name, CB_TSQ) == 0 ||
	    strcmp(name, CB_TSR) == 0;
}

static void
profile_list(struct vstate *vs)
{
	struct vfile *f = vs_get(vs, "case/evidence-list.json"), *p;
	json_t	*j, *it;
	size_t	 i, n = 0;
	char	 name[4096];

	if (f == NULL || f->buf == NULL ||
	    (j = json_loadb((char *)f->buf, f->size, 0, NULL)) == NULL) {
		vs_problem(vs, S_PROFILE, "no readable case/evidence-list.json");
		return;
	}
	json_array_foreach(json_object_get(j, "items"), i, it) {
		snprintf(name, sizeof(name), "data/%s",
		    json_string_value(json_object_get(it, "name")) ?: "");
		p = vs_get(vs, name);
		if (p == NULL || p->hex[0] == NULL || !json_is_string(
		    json_object_get(it, "sha256")) || strcmp(p->hex[0],
		    json_string_value(json_object_get(it, "sha256"))) != 0)
			vs_problem(vs, S_PROFILE, "evidence list item %zu ('%s') "
			    "does not match the payload", i + 1, name + 5);
		n++;
	}
	for (i = 0; i < vs->n; i++)
		if (vs->f[i].payload)
			n--;
	if (n != 0)
		vs_problem(vs, S_PROFILE, "the evidence list and the payload "
		    "differ in number");
	json_decref(j);
}

static void
step_profile(struct vstate *vs)
{
	static const char *const need[] = {
		"manifest-sha256.txt", "manifest-sha512.txt", "manifest-sm3.txt",
		"tagmanifest-sha256.txt", "tagmanifest-sha512.txt",
		"tagmanifest-sm3.txt", "bag-info.txt", CB_CUSTODY,
	};
	const char *id = info1(vs, "BagIt-Profile-Identifier");
	size_t	 i;

	if (id == NULL || strcmp(id, CB_PROFILE) != 0) {
		vs->res[S_PROFILE] = R_SKIP;
		note(vs, S_PROFILE, "not a case-bundle bag: BagIt checks only");
		return;
	}
	for (i = 0; i < sizeof(need) / sizeof(need[0]); i++)
		if (vs_get(vs, need[i]) == NULL)
			vs_problem(vs, S_PROFILE, "%s is required", need[i]);
	if (vs_get(vs, "fetch.txt") != NULL)
		vs_problem(vs, S_PROFILE, "fetch.txt: a case bundle carries its "
		    "whole payload (the profile allows no fetch.txt)");
	if (info1(vs, "Payload-Oxum") == NULL || info1(vs, "Bagging-Date") == NULL)
		vs_problem(vs, S_PROFILE, "bag-info.txt lacks Payload-Oxum or "
		    "Bagging-Date");
	/* every tag file but the seals is under the tag manifest */
	for (i = 0; i < vs->n; i++)
		if (!vs->f[i].payload && !unsigned_tag(vs->f[i].name) &&
		    json_object_get(taglisted, vs->f[i].name) == NULL)
			vs_problem(vs, S_PROFILE, "tag file '%s' is not covered "
			    "by tagmanifest-sha256.txt", vs->f[i].name);
		else if (vs->f[i].payload &&
		    (strcmp(cb_base_name(vs->f[i].name), "Thumbs.db") == 0 ||
		    strcmp(cb_base_name(vs->f[i].name), ".DS_Store") == 0))
			vs_warn(vs, S_PROFILE, "'%s' is an operating-system file",
			    vs->f[i].name);
	profile_list(vs);
	note(vs, S_PROFILE, "%s", CB_PROFILE);
}

void
vfy_steps(struct vstate *vs)
{
	int	 nman;

	taglisted = json_object();
	if (!vs->is_dir)
		note(vs, S_ARCHIVE, "%llu member(s) under '%s'%s",
		    (unsigned long long)vs->members, vs->top ? vs->top : "",
		    vs->raw_checked ? "; archive SHA-256 matches its .sha256" : "");
	else
		note(vs, S_ARCHIVE, "a directory: nothing to unpack");
	step_structure(vs, &nman);
	step_payload(vs);
	step_tags(vs);
	step_custody(vs);
	step_signature(vs);
	step_timestamp(vs);
	step_profile(vs);
	json_decref(taglisted);
	taglisted = NULL;
	json_decref(fetchidx);
	fetchidx = NULL;
	bag_fetch_free(&fetch);
	free(fetch_seen);
	fetch_seen = NULL;
}

/* The only failure is files fetch.txt lists that are not here yet. */
static bool
incomplete_only(const struct vstate *vs)
{
	int	 s;

	if (vs->unfetched == 0 ||
	    json_array_size(vs->prob[S_COMPLETE]) != vs->unfetched)
		return false;
	for (s = 0; s < S_NSTEPS; s++)
		if (s != S_COMPLETE && vs->res[s] == R_FAIL)
			return false;
	return true;
}

void
vfy_report(struct vstate *vs, const char *path, int status)
{
	json_t	*r, *p;
	size_t	 i, max;
	int	 s;

	for (s = 0; s < S_NSTEPS; s++) {
		if (rec_json(vs->ro)) {
			r = rec_new("check");
			rec_set_str(r, "path", path);
			rec_set_str(r, "step", step_name[s]);
			rec_set_str(r, "result", res_name[vs->res[s]]);
			rec_set_str(r, "detail", vs->note[s]);
			if (vs->prob[s] != NULL)
				json_object_set(r, "problems", vs->prob[s]);
			rec_emit(vs->ro, r);
			continue;
		}
		if (vs->o->c.quiet && vs->res[s] != R_FAIL)
			continue;
		printf("%-4s  %-13s %s\n", res_name[vs->res[s]], step_name[s],
		    vs->note[s]);
		max = vs->o->c.verbose ? (size_t)-1 : 10;
		json_array_foreach(vs->prob[s], i, p) {
			if (i == max) {
				printf("      ... %zu more (-v shows all)\n",
				    json_array_size(vs->prob[s]) - max);
				break;
			}
			printf("      - %s\n", json_string_value(p));
		}
	}
	if (!rec_json(vs->ro))
		printf("%s: %s\n", path, !status ? "intact" :
		    incomplete_only(vs) ? "incomplete (files listed in fetch.txt "
		    "are not fetched)" : "NOT INTACT");
}
