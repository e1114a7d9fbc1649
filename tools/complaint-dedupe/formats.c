/*
 * Letter bodies inside containers, each callable on a memory buffer (so
 * a fuzzer reaches them): the text of a .docx (word/document.xml read
 * with libarchive from memory, never from disk), the text/plain body of
 * an e-mail (quoted-printable and base64 undone).  CSV is common/csv.c.
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <archive.h>
#include <archive_entry.h>

#include "cd.h"
#include "fmt.h"

#define DOCX_XMLMAX	(64u << 20)

/* XML character references and the five named entities. */
static size_t
xml_entity(const char *s, size_t n, struct buf *out)
{
	static const struct { const char *n; char c; } named[] = {
		{ "&amp;", '&' }, { "&lt;", '<' }, { "&gt;", '>' },
		{ "&quot;", '"' }, { "&apos;", '\'' }
	};
	size_t	 i;
	long	 cp;
	char	*end;

	for (i = 0; i < sizeof(named) / sizeof(named[0]); i++)
		if (n >= strlen(named[i].n) &&
		    memcmp(s, named[i].n, strlen(named[i].n)) == 0) {
			buf_addc(out, named[i].c);
			return strlen(named[i].n);
		}
	if (n > 3 && s[1] == '#') {
		char	 tmp[16];
		size_t	 k = n < 15 ? n : 15;

		memcpy(tmp, s, k);
		tmp[k] = '\0';
		cp = tmp[2] == 'x' ? strtol(tmp + 3, &end, 16) :
		    strtol(tmp + 2, &end, 10);
		if (*end == ';' && cp > 0 && cp < 0x110000 &&
		    !(cp >= 0xD800 && cp < 0xE000)) {
			buf_addcp(out, (int32_t)cp);
			return (size_t)(end - tmp) + 1;
		}
	}
	buf_addc(out, '&');
	return 1;
}

/* Text of WordprocessingML: paragraphs and breaks become newlines. */
void
fmt_docx_xml(const char *x, size_t n, struct buf *out)
{
	size_t	 i = 0, j;

	buf_add(out, "", 0);
	while (i < n) {
		if (x[i] == '&') {
			i += xml_entity(x + i, n - i, out);
			continue;
		}
		if (x[i] != '<') {
			buf_addc(out, x[i++]);
			continue;
		}
		for (j = i; j < n && x[j] != '>'; j++)
			;
		/* x[j] is the tag's '>' or the end: read x[i + 5] only before it. */
		if ((j - i >= 5 && memcmp(x + i, "</w:p", 5) == 0 &&
		    (i + 5 == j || x[i + 5] == ' ')) ||
		    (j - i >= 5 && memcmp(x + i, "<w:br", 5) == 0))
			buf_addc(out, '\n');
		else if (j - i >= 6 && memcmp(x + i, "<w:tab", 6) == 0)
			buf_addc(out, '\t');
		i = j + 1;
	}
}

int
fmt_docx(const void *data, size_t len, struct buf *out, char *err,
    size_t errlen)
{
	struct archive *a;
	struct archive_entry *e;
	struct buf xml = { 0 };
	char	 chunk[65536];
	la_ssize_t r;
	int	 rc = -1, found = 0;

	if ((a = archive_read_new()) == NULL)
		return -1;
	archive_read_support_format_zip(a);
	if (archive_read_open_memory(a, data, len) != ARCHIVE_OK) {
		snprintf(err, errlen, "not a readable .docx: %s",
		    archive_error_string(a));
		goto done;
	}
	while ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK) {
		if (strcmp(archive_entry_pathname(e), "word/document.xml") != 0)
			continue;
		found = 1;
		while ((r = archive_read_data(a, chunk, sizeof(chunk))) > 0) {
			if (xml.len + (size_t)r > DOCX_XMLMAX) {
				snprintf(err, errlen, "word/document.xml is over %u bytes",
				    DOCX_XMLMAX);
				goto done;
			}
			buf_add(&xml, chunk, (size_t)r);
		}
		if (r < 0) {
			snprintf(err, errlen, "corrupt .docx: %s",
			    archive_error_string(a));
			goto done;
		}
		break;
	}
	if (!found) {
		snprintf(err, errlen, "no word/document.xml: not a .docx letter");
		goto done;
	}
	fmt_docx_xml(xml.s ? xml.s : "", xml.len, out);
	rc = 0;
done:
	buf_free(&xml);
	archive_read_free(a);
	return rc;
}

/* --- e-mail --- */

static int
hexv(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static void
qp_decode(const char *s, size_t n, struct buf *out)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (s[i] != '=') {
			buf_addc(out, s[i]);
			continue;
		}
		if (i + 1 < n && s[i + 1] == '\n') {
			i += 1;
		} else if (i + 2 < n && s[i + 1] == '\r' && s[i + 2] == '\n') {
			i += 2;
		} else if (i + 2 < n && hexv(s[i + 1]) >= 0 && hexv(s[i + 2]) >= 0) {
			buf_addc(out, (char)(hexv(s[i + 1]) * 16 + hexv(s[i + 2])));
			i += 2;
		} else
			buf_addc(out, '=');
	}
}

static void
b64_decode(const char *s, size_t n, struct buf *out)
{
	static const char a[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	unsigned v = 0;
	int	 bits = 0;
	const char *p;
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (s[i] == '=' || (p = memchr(a, s[i], 64)) == NULL || s[i] == 0)
			continue;
		v = (v << 6) | (unsigned)(p - a);
		if ((bits += 6) >= 8) {
			bits -= 8;
			buf_addc(out, (char)((v >> bits) & 0xFF));
		}
	}
}

/* The value of header name (case-insensitive) in hdr, unfolded; malloc'd. */
static char *
header(const char *h, size_t n, const char *name)
{
	size_t	 nl = strlen(name), i = 0, j;
	struct buf v = { 0 };

	while (i < n) {
		if ((i == 0 || h[i - 1] == '\n') && n - i > nl &&
		    strncasecmp(h + i, name, nl) == 0 && h[i + nl] == ':') {
			for (j = i + nl + 1; j < n; j++) {
				if (h[j] == '\n' && !(j + 1 < n && (h[j + 1] == ' ' ||
				    h[j + 1] == '\t')))
					break;
				if (h[j] != '\r' && h[j] != '\n')
					buf_addc(&v, h[j]);
			}
			buf_add(&v, "", 0);
			return v.s;
		}
		i++;
	}
	return NULL;
}

static char *
param(const char *v, const char *name)
{
	const char *p = v;
	size_t	 nl = strlen(name), k;

	while (v && (p = strcasestr(p, name)) != NULL) {
		if (p[nl] == '=' && (p == v || p[-1] == ';' || p[-1] == ' ' ||
		    p[-1] == '\t')) {
			p += nl + 1;
			if (*p == '"') {
				p++;
				k = strcspn(p, "\"");
			} else
				k = strcspn(p, "; \t");
			return strndup(p, k);
		}
		p += nl;
	}
	return NULL;
}

static size_t
body_start(const char *m, size_t n)
{
	size_t	 i;

	for (i = 0; i + 1 < n; i++) {
		if (m[i] == '\n' && m[i + 1] == '\n')
			return i + 2;
		if (m[i] == '\n' && m[i + 1] == '\r' && i + 2 < n && m[i + 2] == '\n')
			return i + 3;
	}
	return n;
}

static void part(const char *, size_t, struct buf *, int);

static void
multipart(const char *b, size_t n, const char *boundary, struct buf *out,
    int depth)
{
	char	 delim[256];
	const char *p, *next, *end = b + n;
	size_t	 dl;

	dl = (size_t)snprintf(delim, sizeof(delim), "--%s", boundary);
	if (dl >= sizeof(delim))
		return;
	p = memmem(b, n, delim, dl);
	while (p != NULL) {
		p += dl;
		if (p + 2 <= end && p[0] == '-' && p[1] == '-')
			break;
		while (p < end && *p != '\n')
			p++;
		if (p < end)
			p++;
		next = memmem(p, (size_t)(end - p), delim, dl);
		part(p, (size_t)((next ? next : end) - p), out, depth + 1);
		p = next;
	}
}

/* One MIME entity: text/plain bodies are kept, multiparts walked. */
static void
part(const char *m, size_t n, struct buf *out, int depth)
{
	size_t	 hb = body_start(m, n);
	char	*ct = header(m, hb, "Content-Type"), *cte, *bd;
	struct buf raw = { 0 };

	if (depth > 8) {
		free(ct);
		return;
	}
	cte = header(m, hb, "Content-Transfer-Encoding");
	if (ct && strncasecmp(ct + strspn(ct, " \t"), "multipart/", 10) == 0) {
		if ((bd = param(ct, "boundary")) != NULL)
			multipart(m + hb, n - hb, bd, out, depth);
		free(bd);
	} else if (ct == NULL || strcasestr(ct, "text/plain") != NULL) {
		if (cte && strcasestr(cte, "quoted-printable"))
			qp_decode(m + hb, n - hb, &raw);
		else if (cte && strcasestr(cte, "base64"))
			b64_decode(m + hb, n - hb, &raw);
		else
			buf_add(&raw, m + hb, n - hb);
		if (out->len)
			buf_addc(out, '\n');
		if (raw.len)
			buf_add(out, raw.s, raw.len);
	}
	buf_free(&raw);
	free(ct);
	free(cte);
}

/* The text/plain body of a message, still in its own charset. */
void
fmt_eml(const char *m, size_t n, struct buf *out)
{
	buf_add(out, "", 0);
	part(m, n, out, 0);
}
