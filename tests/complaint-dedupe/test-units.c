/*
 * Unit tests of complaint-dedupe's validators and text steps: ID check
 * characters, Luhn, mobile numbers, normalisation, slot masking and its
 * fills, shingle-set Jaccard, MinHash banding, and the streaming CSV
 * reader fed byte by byte.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cd.h"
#include "csv.h"
#include "../unit/tap.h"

static int
count_rec(const struct csv_row *c, void *arg)
{
	struct buf *b = arg;
	size_t	 i;

	buf_add(b, c->err != CSV_OK ? "!" : "[", 1);
	for (i = 0; i < c->nf; i++) {
		buf_add(b, c->f[i].s, c->f[i].len);
		buf_add(b, i + 1 < c->nf ? "|" : "]", 1);
	}
	return 0;
}

/* The reader's parser settings (common/csv.c, strict), fed byte by byte. */
static char *
csv_bytewise(const char *s)
{
	struct csv *c;
	struct buf b = { 0 };
	size_t	 i, n = strlen(s);

	if ((c = csv_new(2 * (size_t)CD_MAXLETTER, 0, count_rec, &b)) == NULL)
		abort();
	buf_add(&b, "", 0);
	for (i = 0; i < n; i++)
		csv_feed(c, s + i, 1);
	csv_end(c);
	csv_free(c);
	return b.s;
}

static char *
masked(const char *text, char **fills)
{
	struct letter l;
	struct buf out = { 0 };
	char	*norm;
	size_t	 n, i = 0;
	int32_t	 c;

	memset(&l, 0, sizeof(l));
	norm = cd_normalize(text, strlen(text), &n);
	cd_mask(norm, n, &l);
	free(norm);
	buf_add(&out, "", 0);
	while (i < l.maskedlen) {	/* slots as {type} for the comparison */
		c = cd_next(l.masked, l.maskedlen, &i);
		if (IS_SLOT_CP(c)) {
			buf_add(&out, "{", 1);
			buf_add(&out, slot_name(c - SLOT_BASE), strlen(slot_name(c - SLOT_BASE)));
			buf_add(&out, "}", 1);
		} else
			buf_addcp(&out, c);
	}
	for (i = 0; i < l.fills.len; i++)
		if (l.fills.s[i] == '\x1f')
			l.fills.s[i] = '=';
		else if (l.fills.s[i] == '\x1e')
			l.fills.s[i] = ';';
	*fills = l.fills.s ? strdup(l.fills.s) : strdup("");
	cd_letter_free(&l);
	return out.s;
}

int
main(void)
{
	char	*s, *f;
	size_t	 n;
	uint32_t a[] = { 1, 2, 3, 4, 5, 6 }, b[] = { 4, 5, 6, 7 };
	struct sim sim;
	struct cd_params p = { .t = 0.5, .ngram = 5 };

	ok(ent_id_valid("11010519491231002X", 18), "GB 11643 example ID with X");
	ok(ent_id_valid("11010519491231002x", 18), "lower-case x accepted");
	ok(!ent_id_valid("110105194912310021", 18), "wrong check character");
	ok(!ent_id_valid("110105194913310029", 18), "month 13 refused");
	ok(ent_luhn("4111111111111111", 16), "Luhn: a valid test card");
	ok(!ent_luhn("4111111111111112", 16), "Luhn: last digit off");
	ok(ent_mobile("13826417359", 11), "mobile 138");
	ok(!ent_mobile("12826417359", 11), "no mobile starts 12");

	f = "ＡＢＣ１２３，你好！  世界 hello  world";
	s = cd_normalize(f, strlen(f), &n);
	ok(s && strcmp(s, "abc123，你好。世界hello world") == 0, "normalise: %s", s);
	free(s);

	s = masked("本人张三，身份证号11010519491231002x，手机13826417359，于2023年5月6日借款12,000.50元。", &f);
	ok(strcmp(s, "本人{name}，身份证号{id}，手机{phone}，于{date}借款{amount}。") == 0,
	    "mask: %s", s);
	ok(strcmp(f, "name=张三;id=11010519491231002X;phone=13826417359;"
	    "date=2023年5月6日;amount=12,000.50元;") == 0, "fills: %s", f);
	free(s), free(f);
	s = masked("本人并非恶意拖欠，客户服务中心已知悉。", &f);
	ok(strcmp(s, "本人并非恶意拖欠，客户服务中心已知悉。") == 0,
	    "no name slot without a surname and a boundary: %s", s);
	free(s), free(f);
	s = masked("联系QQ：2854316790 微信：anan-fawu88 邮箱anan_fawu@163.com 合同编号JK202320359350", &f);
	ok(strcmp(s, "联系qq：{qq}微信：{wechat}邮箱{email}合同编号{ref}") == 0,
	    "accounts: %s", s);
	free(s), free(f);

	/* institution and platform names: by their institution word, by a
	   cue around them, from the lexicon; generic words stay literal */
	s = masked("尊敬的泰丰农商银行客户服务中心：本人于去年通过佳和贷办理借款，又在微粒贷借款。", &f);
	ok(strcmp(s, "尊敬的{org}客户服务中心：本人于去年通过{org}办理借款，又在{org}借款。") == 0,
	    "orgs: %s", s);
	ok(strcmp(f, "org=泰丰农商银行;org=佳和贷;org=微粒贷;") == 0, "org fills: %s", f);
	free(s), free(f);
	s = masked("致华瑞人寿保险股份有限公司：贵公司与该银行和借款平台在特殊情况下，此致敬礼。", &f);
	ok(strcmp(s, "致{org}股份有限公司：贵公司与该银行和借款平台在特殊情况下，此致敬礼。") == 0,
	    "org names need a name: %s", s);
	free(s), free(f);
	s = masked("青禾金融：本人在网上借款，本人名下银行卡被冻结。", &f);
	ok(strcmp(s, "{org}：本人在网上借款，本人名下银行卡被冻结。") == 0,
	    "addressee at the head; not 网上, 人名下银行: %s", s);
	free(s), free(f);

	cd_similarity(a, 6, b, 4, &sim);
	ok(sim.jaccard == 3.0 / 7 && sim.containment == 3.0 / 4,
	    "Jaccard 3/7, containment 3/4");
	cd_params_from_t(&p);
	ok(p.bands * p.rows <= CD_NPERM && p.bands == 32 && p.rows == 4,
	    "-t 0.5 bands: %d x %d", p.bands, p.rows);

	s = csv_bytewise("a,b\r\n\"x,\"\"y\"\"\",2\n\n3,\"multi\nline\"\n4,bad\"q\n5,\"open");
	ok(strcmp(s, "[a|b][x,\"y\"|2][3|multi\nline]!4|bad\"q]!5|open]") == 0,
	    "CSV byte by byte: %s", s);
	free(s);
	return tap_done();
}
