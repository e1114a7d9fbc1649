/*
 * The custody log: one JSON object a line, each carrying the SHA-256 of
 * the line before it, so that an entry changed, removed or reordered
 * breaks the chain; the tag manifests and the signature cover the last
 * one.  Also exported as CASE/UCO 1.4 JSON-LD for case-management tools.
 */
#include "config.h"

#include <err.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cb.h"

#define ZERO64 "0000000000000000000000000000000000000000000000000000000000000000"

void
cb_iso8601(time_t t, char *buf, size_t len)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

const char *
cb_actor(const char *given)
{
	const struct passwd *pw;
	const char *s;

	if (given != NULL)
		return given;
	if ((pw = getpwuid(getuid())) != NULL)
		return pw->pw_name;
	if ((s = getenv("USER")) != NULL)
		return s;
	return "unknown";
}

const char *
cb_host(void)
{
	static char host[256];

	if (host[0] == '\0' && gethostname(host, sizeof(host) - 1) == -1)
		strcpy(host, "unknown");
	return host;
}

json_t *
custody_entry(const char *action, const char *actor, time_t when,
    json_t *detail)
{
	char	 t[32];
	json_t	*e = json_object();

	cb_iso8601(when, t, sizeof(t));
	json_object_set_new(e, "action", json_string(action));
	json_object_set_new(e, "time", json_string(t));
	json_object_set_new(e, "actor", json_string(actor));
	json_object_set_new(e, "host", json_string(cb_host()));
	json_object_set_new(e, "tool", json_string(TOOL));
	json_object_set_new(e, "version", json_string(PACKAGE_VERSION));
	if (detail != NULL)
		json_object_update(e, detail);
	json_decref(detail);
	return e;
}

static void
line_hash(const char *s, size_t len, char out[HASH_HEXMAX])
{
	struct hash_hex h;

	hash_buffer(s, len, HASH_BIT(HASH_SHA256), &h);
	memcpy(out, h.hex[HASH_SHA256], HASH_HEXMAX);
}

/* The chain head and entry count of an existing log (assumed checked). */
static long
log_head(const char *buf, size_t len, char head[HASH_HEXMAX])
{
	size_t	 i = 0, e;
	long	 n = 0;

	strcpy(head, ZERO64);
	while (i < len) {
		for (e = i; e < len && buf[e] != '\n'; e++)
			;
		if (e > i) {
			line_hash(buf + i, e - i, head);
			n++;
		}
		i = e + 1;
	}
	return n;
}

char *
custody_chain(const char *old, size_t oldlen, json_t *entries, size_t *outlen,
    char head[HASH_HEXMAX])
{
	size_t	 cap = oldlen + 4096, n = oldlen, i, ll;
	char	*out = cb_xmalloc(cap), *line;
	long	 seq = log_head(old, oldlen, head);
	json_t	*e, *o;

	memcpy(out, old, oldlen);
	json_array_foreach(entries, i, e) {
		o = json_object();
		json_object_set_new(o, "seq", json_integer(++seq));
		json_object_set_new(o, "prev", json_string(head));
		json_object_update(o, e);
		line = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
		json_decref(o);
		if (line == NULL)
			errx(EXIT_TROUBLE, "cannot encode a custody entry");
		ll = strlen(line);
		if (n + ll + 2 > cap) {
			cap = 2 * (n + ll + 2);
			if ((out = realloc(out, cap)) == NULL)
				err(EXIT_TROUBLE, NULL);
		}
		memcpy(out + n, line, ll);
		out[n + ll] = '\n';
		line_hash(out + n, ll, head);
		n += ll + 1;
		free(line);
	}
	*outlen = n;
	return out;
}

long
custody_check(const char *buf, size_t len, char head[HASH_HEXMAX], char *err,
    size_t errlen)
{
	size_t	 i = 0, e;
	long	 n = 0;
	json_t	*o, *prev, *seq;
	json_error_t je;

	strcpy(head, ZERO64);
	while (i < len) {
		for (e = i; e < len && buf[e] != '\n'; e++)
			;
		if (e == len) {
			snprintf(err, errlen, "entry %ld: no final newline", n + 1);
			return -1;
		}
		n++;
		if ((o = json_loadb(buf + i, e - i, 0, &je)) == NULL ||
		    !json_is_object(o)) {
			snprintf(err, errlen, "entry %ld: not a JSON object", n);
			json_decref(o);
			return -1;
		}
		prev = json_object_get(o, "prev");
		seq = json_object_get(o, "seq");
		if (!json_is_integer(seq) || json_integer_value(seq) != n) {
			snprintf(err, errlen, "entry %ld: sequence number broken", n);
			json_decref(o);
			return -1;
		}
		if (!json_is_string(prev) || strcmp(json_string_value(prev),
		    head) != 0) {
			snprintf(err, errlen, "entry %ld: previous-entry hash "
			    "does not match: the log was changed", n);
			json_decref(o);
			return -1;
		}
		json_decref(o);
		line_hash(buf + i, e - i, head);
		i = e + 1;
	}
	if (n == 0) {
		snprintf(err, errlen, "the custody log is empty");
		return -1;
	}
	return n;
}

/* ---- CASE/UCO 1.4 JSON-LD */

static json_t *
uco_hash(const char *method, const char *hex)
{
	return json_pack("{s:s, s:{s:s, s:s}, s:{s:s, s:s}}",
	    "@type", "uco-types:Hash",
	    "uco-types:hashMethod", "@type", "uco-vocabulary:HashNameVocab",
	    "@value", method,
	    "uco-types:hashValue", "@type", "xsd:hexBinary", "@value", hex);
}

static json_t *
uco_file(const struct cb_item *it, size_t n)
{
	json_t	*hashes = json_array();
	char	 id[96];

	snprintf(id, sizeof(id), "kb:file-%zu", n);
	json_array_append_new(hashes, uco_hash("SHA256", it->hex[HASH_SHA256]));
	json_array_append_new(hashes, uco_hash("SHA512", it->hex[HASH_SHA512]));
	json_array_append_new(hashes, uco_hash("SM3", it->hex[HASH_SM3]));
	return json_pack("{s:s, s:s, s:[{s:s, s:s, s:I}, {s:s, s:o}]}",
	    "@id", id, "@type", "uco-observable:File",
	    "uco-core:hasFacet",
	    "@type", "uco-observable:FileFacet",
	    "uco-observable:fileName", it->name,
	    "uco-observable:sizeInBytes", (json_int_t)it->size,
	    "@type", "uco-observable:ContentDataFacet",
	    "uco-observable:hash", hashes);
}

static json_t *
uco_action(json_t *e, long n, json_t *objects)
{
	char	 id[64];
	const char *tool = json_string_value(json_object_get(e, "tool"));
	const char *ver = json_string_value(json_object_get(e, "version"));
	json_t	*a;

	snprintf(id, sizeof(id), "kb:action-%ld", n);
	a = json_pack("{s:s, s:s, s:O, s:{s:s, s:O}, s:{s:s, s:O}, s:{s:s, s:s}, "
	    "s:{s:s, s:O}}",
	    "@id", id, "@type", "case-investigation:InvestigativeAction",
	    "uco-core:name", json_object_get(e, "action"),
	    "uco-action:startTime", "@type", "xsd:dateTime",
	    "@value", json_object_get(e, "time"),
	    "uco-action:performer", "@type", "uco-identity:Identity",
	    "uco-core:name", json_object_get(e, "actor"),
	    "uco-action:instrument", "@type", "uco-tool:Tool",
	    "uco-core:name", tool ? tool : "",
	    "uco-action:location", "@type", "uco-location:Location",
	    "uco-core:name", json_object_get(e, "host"));
	if (a == NULL)
		return NULL;
	if (ver != NULL)
		json_object_set_new(json_object_get(a, "uco-action:instrument"),
		    "uco-tool:version", json_string(ver));
	if (json_object_get(e, "action") != NULL &&
	    strcmp(json_string_value(json_object_get(e, "action")), "seal") == 0)
		json_object_set(a, "uco-action:result", objects);
	return a;
}

char *
custody_uco(const struct cb_case *c, const char *log, size_t len,
    size_t *outlen)
{
	json_t	*doc, *graph = json_array(), *files = json_array(), *e, *a;
	size_t	 i = 0, end;
	long	 n = 0;
	char	*s;

	for (size_t k = 0; k < c->pay.n; k++) {
		char id[96];

		json_array_append_new(graph, uco_file(&c->pay.v[k], k + 1));
		snprintf(id, sizeof(id), "kb:file-%zu", k + 1);
		json_array_append_new(files, json_pack("{s:s}", "@id", id));
	}
	json_array_append_new(graph, json_pack("{s:s, s:s, s:s, s:O}",
	    "@id", "kb:provenance-record-1",
	    "@type", "case-investigation:ProvenanceRecord",
	    "case-investigation:exhibitNumber",
	    c->f.v[F_CASE_ID] ? c->f.v[F_CASE_ID] : "",
	    "uco-core:object", files));
	while (i < len) {
		for (end = i; end < len && log[end] != '\n'; end++)
			;
		if ((e = json_loadb(log + i, end - i, 0, NULL)) != NULL) {
			if ((a = uco_action(e, ++n, files)) != NULL)
				json_array_append_new(graph, a);
			json_decref(e);
		}
		i = end + 1;
	}
	json_decref(files);
	doc = json_pack("{s:{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}, s:o}",
	    "@context",
	    "kb", "urn:x-forgekit:case:",
	    "case-investigation", "https://ontology.caseontology.org/case/investigation/",
	    "uco-action", "https://ontology.unifiedcyberontology.org/uco/action/",
	    "uco-core", "https://ontology.unifiedcyberontology.org/uco/core/",
	    "uco-identity", "https://ontology.unifiedcyberontology.org/uco/identity/",
	    "uco-location", "https://ontology.unifiedcyberontology.org/uco/location/",
	    "uco-observable", "https://ontology.unifiedcyberontology.org/uco/observable/",
	    "uco-tool", "https://ontology.unifiedcyberontology.org/uco/tool/",
	    "uco-types", "https://ontology.unifiedcyberontology.org/uco/types/",
	    "uco-vocabulary", "https://ontology.unifiedcyberontology.org/uco/vocabulary/",
	    "@graph", graph);
	json_object_set_new(json_object_get(doc, "@context"), "xsd",
	    json_string("http://www.w3.org/2001/XMLSchema#"));
	s = json_dumps(doc, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	json_decref(doc);
	if (s == NULL)
		errx(EXIT_TROUBLE, "cannot encode the UCO export");
	*outlen = strlen(s);
	return s;
}
