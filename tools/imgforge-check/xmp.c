/*
 * The few XMP properties that tell of editing: xmp:CreatorTool, the
 * xmpMM:History events (stEvt:action, stEvt:softwareAgent), and a
 * DocumentID that differs from the OriginalDocumentID (a file saved as a
 * new document from another).  RDF allows a property as an attribute
 * (name="v") or an element (<name>v</name>); both are read, without an
 * XML parser, from a bounded packet.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "imgforge.h"
#include "rec.h"

#define MAX_EVENTS	32

static const char *
find(const char *s, size_t len, const char *needle)
{
	size_t n = strlen(needle);

	for (size_t i = 0; i + n <= len; i++)
		if (s[i] == needle[0] && memcmp(s + i, needle, n) == 0)
			return s + i;
	return NULL;
}

/*
 * The value of property name at or after *at: attribute or element
 * form.  Returns its length (0 if absent), *v its start, and moves *at past it.
 */
static size_t
prop(const char *s, size_t len, const char **at, const char *name,
    const char **v)
{
	const char *end = s + len, *p = find(*at, (size_t)(end - *at), name);
	const char *q;
	char close;

	for (; p != NULL; p = find(p + 1, (size_t)(end - p - 1), name)) {
		const char *after = p + strlen(name);

		if (p > s && (p[-1] == ':' || p[-1] == '/'))
			continue;	/* a longer name ending in this one */
		if (after < end && (*after == '=' || *after == '>'))
			break;
	}
	if (p == NULL)
		return 0;
	q = p + strlen(name);
	if (*q == '=') {
		if (q + 1 >= end || (q[1] != '"' && q[1] != '\''))
			return 0;
		close = q[1];
		q += 2;
	} else {
		close = '<';
		q++;
	}
	*v = q;
	while (q < end && *q != close)
		q++;
	*at = q < end ? q : end;
	return (size_t)(q - *v);
}

static json_t *
str(const char *v, size_t n)
{
	bool lossy;

	return rec_string(v, n > 200 ? 200 : n, &lossy);
}

static void
creator_tool(const char *x, size_t len, struct meta_findings *mf)
{
	const char *at = x, *v, *name;
	size_t n = prop(x, len, &at, "xmp:CreatorTool", &v);
	int kind;

	if (n == 0)
		return;
	kind = software_kind(v, n, &name);
	if (kind == 0) {
		mf_fact(mf, "xmp_creator_tool", str(v, n));
		return;
	}
	mf_add(mf, "xmp.creatortool", kind, json_pack("{s:o,s:s}",
	    "creator_tool", str(v, n), "software", name),
	    "XMP CreatorTool names %s %s", kind == 2 ? "the image editor" :
	    "the converter", name);
}

/* Actions that change or re-save content; "created" alone does not. */
static bool
edit_action(const char *v, size_t n)
{
	static const char *const acts[] = { "saved", "edited", "converted",
	    "derived", "cropped", "filtered", "resized", "produced",
	    "pasted", "copied" };

	for (size_t i = 0; i < sizeof acts / sizeof acts[0]; i++)
		if (n == strlen(acts[i]) && memcmp(v, acts[i], n) == 0)
			return true;
	return false;
}

static void
history(const char *x, size_t len, struct meta_findings *mf)
{
	const char *h = find(x, len, "xmpMM:History"), *at, *v, *name = NULL;
	json_t *ev = json_array();
	int edits = 0, kind = 0;
	size_t n;

	if (h == NULL) {
		json_decref(ev);
		return;
	}
	at = h;
	while (json_array_size(ev) < MAX_EVENTS &&
	    (n = prop(x, len, &at, "stEvt:action", &v)) > 0) {
		const char *a = at, *sv = NULL, *nm;
		size_t sn = prop(x, len, &a, "stEvt:softwareAgent", &sv);
		int k = sn ? software_kind(sv, sn, &nm) : 0;

		edits += edit_action(v, n);
		if (k > kind) {
			kind = k;
			name = nm;
		}
		json_array_append_new(ev, json_pack("{s:o,s:o}", "action",
		    str(v, n), "agent", sn ? str(sv, sn) : json_null()));
	}
	if (edits == 0) {
		mf_fact(mf, "xmp_history", ev);
		return;
	}
	mf_add(mf, "xmp.history", 2, json_pack("{s:o,s:s?}", "events", ev,
	    "software", name), "XMP edit history records %d edit or save "
	    "event(s)%s%s", edits, name ? ", by " : "", name ? name : "");
}

static void
document_ids(const char *x, size_t len, struct meta_findings *mf)
{
	const char *a = x, *b = x, *dv, *ov;
	size_t dn = prop(x, len, &a, "xmpMM:DocumentID", &dv);
	size_t on = prop(x, len, &b, "xmpMM:OriginalDocumentID", &ov);
	bool derived = find(x, len, "xmpMM:DerivedFrom") != NULL;

	if (dn == 0 || on == 0 || (dn == on && memcmp(dv, ov, dn) == 0))
		return;
	mf_add(mf, "xmp.derived", 1, json_pack("{s:o,s:o,s:b}", "document_id",
	    str(dv, dn), "original_document_id", str(ov, on), "derived_from",
	    derived), "XMP DocumentID differs from OriginalDocumentID: this "
	    "file was saved as a new document from another");
}

void
xmp_check(const char *x, size_t len, struct meta_findings *mf)
{
	mf_fact(mf, "xmp_bytes", json_integer((json_int_t)len));
	creator_tool(x, len, mf);
	history(x, len, mf);
	document_ids(x, len, mf);
}
