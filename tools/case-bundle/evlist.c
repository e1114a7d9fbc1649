/*
 * The evidence list (电子数据清单): one row per payload file with the
 * columns the rules name (序号, 名称, 类别, 格式, 大小, SHA-256, SM3, 来源,
 * 备注), as CSV, JSON and a printable HTML page carrying the 笔录 fields,
 * the statement of the integrity method and the signature lines.
 */
#include "config.h"

#include <err.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cb.h"

struct sbuf {
	char	*s;
	size_t	 n, cap;
};

static void
sb_add(struct sbuf *b, const char *s, size_t len)
{
	if (b->n + len + 1 > b->cap) {
		b->cap = 2 * (b->n + len + 1) + 1024;
		if ((b->s = realloc(b->s, b->cap)) == NULL)
			err(EXIT_TROUBLE, NULL);
	}
	memcpy(b->s + b->n, s, len);
	b->n += len;
	b->s[b->n] = '\0';
}

static void
sb_printf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
sb_printf(struct sbuf *b, const char *fmt, ...)
{
	va_list	 ap;
	char	*s;
	int	 n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		err(EXIT_TROUBLE, NULL);
	sb_add(b, s, n);
	free(s);
}

/* RFC 4180: quoted when it holds a comma, quote or line break. */
static void
csv_field(struct sbuf *b, const char *s)
{
	if (s == NULL)
		s = "";
	if (strpbrk(s, ",\"\r\n") == NULL) {
		sb_add(b, s, strlen(s));
		return;
	}
	sb_add(b, "\"", 1);
	for (; *s; s++)
		sb_add(b, *s == '"' ? "\"\"" : s, *s == '"' ? 2 : 1);
	sb_add(b, "\"", 1);
}

static const char *
source_of(const struct cb_case *c, const struct cb_item *it)
{
	if (strncmp(it->name, "data/findings/", 14) == 0)
		return "分析工具输出";
	return c->f.v[F_SOURCE] ? c->f.v[F_SOURCE] : "";
}

static char *
remark_of(const struct cb_item *it)
{
	char	*s;

	if (it->orig != NULL) {
		if (asprintf(&s, "原文件名：%s%s%s", it->orig,
		    it->remark ? "；" : "", it->remark ? it->remark : "") == -1)
			err(EXIT_TROUBLE, NULL);
		return s;
	}
	return cb_xstrdup(it->remark ? it->remark : "");
}

char *
evlist_csv(const struct cb_case *c, size_t *len)
{
	struct sbuf b = { NULL, 0, 0 };
	char	*rm;
	size_t	 i;

	sb_printf(&b, "序号,名称,类别,格式,大小,SHA-256,SM3,来源,备注\r\n");
	for (i = 0; i < c->pay.n; i++) {
		const struct cb_item *it = &c->pay.v[i];

		sb_printf(&b, "%zu,", i + 1);
		csv_field(&b, it->name + 5);
		sb_add(&b, ",", 1);
		csv_field(&b, it->category);
		sb_add(&b, ",", 1);
		csv_field(&b, it->mime);
		sb_printf(&b, ",%llu,%s,%s,", (unsigned long long)it->size,
		    it->hex[HASH_SHA256], it->hex[HASH_SM3]);
		csv_field(&b, source_of(c, it));
		sb_add(&b, ",", 1);
		csv_field(&b, rm = remark_of(it));
		free(rm);
		sb_add(&b, "\r\n", 2);
	}
	*len = b.n;
	return b.s;
}

static json_t *
list_json(const struct cb_case *c)
{
	json_t	*rows = json_array(), *r, *f = json_object();
	char	*rm;
	size_t	 i;
	int	 k;

	for (i = 0; i < c->pay.n; i++) {
		const struct cb_item *it = &c->pay.v[i];

		r = json_pack("{s:I, s:s, s:s, s:s, s:I, s:s, s:s, s:s, s:s}",
		    "index", (json_int_t)(i + 1), "name", it->name + 5,
		    "category", it->category ? it->category : "",
		    "format", it->mime, "size", (json_int_t)it->size,
		    "sha256", it->hex[HASH_SHA256], "sha512", it->hex[HASH_SHA512],
		    "sm3", it->hex[HASH_SM3], "source", source_of(c, it));
		if (r == NULL)
			errx(EXIT_TROUBLE, "cannot encode the evidence list");
		if (it->orig != NULL)
			rec_set_str(r, "original_name", it->orig);
		rm = remark_of(it);
		json_object_set_new(r, "remarks", json_string(rm));
		free(rm);
		json_array_append_new(rows, r);
	}
	for (k = 0; k < F_NFIELDS; k++)
		if (c->f.v[k] != NULL)
			json_object_set_new(f, cb_fields[k].label,
			    json_string(c->f.v[k]));
	return json_pack("{s:s, s:o, s:o}", "bag", c->bagname, "fields", f,
	    "items", rows);
}

char *
evlist_json(const struct cb_case *c, size_t *len)
{
	json_t	*j = list_json(c);
	char	*s = json_dumps(j, JSON_INDENT(1) | JSON_PRESERVE_ORDER);

	json_decref(j);
	if (s == NULL)
		errx(EXIT_TROUBLE, "cannot encode the evidence list");
	*len = strlen(s);
	s = realloc(s, *len + 2);
	s[(*len)++] = '\n';
	s[*len] = '\0';
	return s;
}

static void
html_esc(struct sbuf *b, const char *s)
{
	for (; s != NULL && *s; s++) {
		switch (*s) {
		case '&': sb_add(b, "&amp;", 5); break;
		case '<': sb_add(b, "&lt;", 4); break;
		case '>': sb_add(b, "&gt;", 4); break;
		case '"': sb_add(b, "&quot;", 6); break;
		default: sb_add(b, s, 1);
		}
	}
}

#define THUMBREAD	(64u << 20)	/* larger images are listed, not shown */
#define THUMBTOTAL	(16u << 20)	/* thumbnail bytes in one page */
#define GIFMAX		(64u << 10)	/* no GIF decoder: small ones as they are */

/*
 * An image shown in its row, embedded so the page stands alone: a JPEG
 * or PNG as a thumbnail of at most THUMB_W pixels wide (thumb.c), a small
 * GIF as it is.  The bytes are read again and must hash as packed: the
 * page never shows anything but the evidence sealed.
 */
static void
thumbnail(struct sbuf *b, const struct cb_item *it, size_t *budget)
{
	struct hash_hex h;
	unsigned char *raw, *img = NULL;
	const char *mime = "image/jpeg";
	char	*b64, why[128];
	FILE	*fp;
	size_t	 n, ilen = 0;
	bool	 gif = strcmp(it->mime, "image/gif") == 0;

	if (strcmp(it->mime, "image/jpeg") != 0 && strcmp(it->mime,
	    "image/png") != 0 && !gif)
		return;
	if (it->size > (gif ? GIFMAX : THUMBREAD) || it->src == NULL ||
	    (fp = fopen(it->src, "rb")) == NULL)
		return;
	raw = cb_xmalloc(it->size + 1);
	n = fread(raw, 1, it->size + 1, fp);
	fclose(fp);
	if (n == it->size && hash_buffer(raw, n, HASH_BIT(HASH_SHA256), &h) == 0 &&
	    strcmp(h.hex[HASH_SHA256], it->hex[HASH_SHA256]) == 0) {
		if (gif) {
			img = raw;
			ilen = n;
			raw = NULL;
			mime = it->mime;
		} else
			img = thumb_make(raw, n, &ilen, why, sizeof(why));
	}
	free(raw);
	if (img == NULL || ilen > *budget) {
		free(img);
		return;
	}
	b64 = cb_xmalloc(4 * ((ilen + 2) / 3) + 1);
	EVP_EncodeBlock((unsigned char *)b64, img, (int)ilen);
	sb_printf(b, "<br><img class=\"t\" alt=\"\" src=\"data:%s;base64,", mime);
	sb_add(b, b64, strlen(b64));
	sb_add(b, "\">", 2);
	free(b64);
	free(img);
	*budget -= ilen;
}

static const char css[] =
"body{font-family:\"Noto Serif CJK SC\",\"SimSun\",serif;margin:2em;}"
"h1{text-align:center;font-size:20pt}table{border-collapse:collapse;width:100%;"
"font-size:9pt}td,th{border:1px solid #000;padding:3px;vertical-align:top}"
".h{word-break:break-all;font-family:monospace;font-size:7.5pt}"
"dl{display:grid;grid-template-columns:12em auto}dt{font-weight:bold}"
".sig{margin-top:3em;display:grid;grid-template-columns:1fr 1fr 1fr;gap:2em}"
".sig div{border-top:1px solid #000;padding-top:4px}"
".t{max-width:120px;max-height:160px;margin-top:3px}"
"@media print{body{margin:1cm}}";

static void
html_fields(struct sbuf *b, const struct cb_case *c)
{
	char	 t[32];
	int	 k;

	sb_printf(b, "<h2>笔录事项</h2>\n<dl>\n");
	for (k = 0; k < F_NFIELDS; k++) {
		sb_printf(b, "<dt>%s</dt><dd>", cb_fields[k].zh);
		html_esc(b, c->f.v[k] ? c->f.v[k] : "（未填写）");
		sb_printf(b, "</dd>\n");
	}
	cb_iso8601(c->epoch, t, sizeof(t));
	sb_printf(b, "<dt>封存时间</dt><dd>%s</dd>\n<dt>封存包名称</dt><dd>", t);
	html_esc(b, c->bagname);
	sb_printf(b, "</dd>\n</dl>\n");
}

char *
evlist_html(const struct cb_case *c, size_t *len)
{
	struct sbuf b = { NULL, 0, 0 };
	char	*rm;
	size_t	 i, budget = THUMBTOTAL;

	sb_printf(&b, "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n<title>电子数据清单</title>\n"
	    "<style>%s</style>\n</head>\n<body>\n<h1>电子数据清单</h1>\n", css);
	html_fields(&b, c);
	sb_printf(&b, "<h2>清单</h2>\n<table>\n<tr><th>序号</th><th>名称</th>"
	    "<th>类别</th><th>格式</th><th>大小（字节）</th><th>SHA-256</th>"
	    "<th>SM3</th><th>来源</th><th>备注</th></tr>\n");
	for (i = 0; i < c->pay.n; i++) {
		const struct cb_item *it = &c->pay.v[i];

		sb_printf(&b, "<tr><td>%zu</td><td>", i + 1);
		html_esc(&b, it->name + 5);
		if (c->thumbs)
			thumbnail(&b, it, &budget);
		sb_printf(&b, "</td><td>");
		html_esc(&b, it->category);
		sb_printf(&b, "</td><td>");
		html_esc(&b, it->mime);
		sb_printf(&b, "</td><td>%llu</td><td class=\"h\">%s</td>"
		    "<td class=\"h\">%s</td><td>", (unsigned long long)it->size,
		    it->hex[HASH_SHA256], it->hex[HASH_SM3]);
		html_esc(&b, source_of(c, it));
		sb_printf(&b, "</td><td>");
		html_esc(&b, rm = remark_of(it));
		free(rm);
		sb_printf(&b, "</td></tr>\n");
	}
	sb_printf(&b, "</table>\n<h2>完整性校验方法说明</h2>\n<p>"
	    "本清单所列 %zu 项电子数据按 BagIt 1.0（RFC 8493）格式封装于同一"
	    "压缩文件（pax tar）中，逐一计算 SHA-256、SHA-512 及 SM3"
	    "（GB/T 32905-2016）完整性校验值，分别记入 manifest-sha256.txt、"
	    "manifest-sha512.txt、manifest-sm3.txt；上述清单文件的校验值记入"
	    "tagmanifest-*.txt，并可附 Ed25519 电子签名（signify 格式）及 RFC 3161 "
	    "可信时间戳。压缩文件自身的 SHA-256 与 SM3 校验值另行记录于同名 "
	    ".sha256、.sm3 文件。接收方可使用 case-bundle verify 或 sha256sum、"
	    "openssl dgst -sm3 等通用工具独立核验。保管链记录见 "
	    CB_CUSTODY "。</p>\n", c->pay.n);
	sb_printf(&b, "<div class=\"sig\"><div>取证人（经办人）签名：</div>"
	    "<div>电子数据持有人（提供人）签名或盖章：</div><div>见证人签名：</div>"
	    "<div>日期：</div><div>日期：</div><div>日期：</div></div>\n"
	    "</body>\n</html>\n");
	*len = b.n;
	return b.s;
}
