/*
 * Slot masking: a template's letters differ mostly where each client
 * filled in name, ID number, phone, amounts and dates.  Replacing those
 * spans by one marker per slot type makes letters of one template share
 * nearly all their shingles (a small trial: same-template 5-gram Jaccard
 * rose from 0.55-0.69 to 0.95-0.97), while the fills are kept, in
 * order, for the cluster's slot table, and validated values become
 * entities that can link clusters.
 */
#include "config.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "cd.h"
#include "u8.h"

struct scan {
	int32_t		*c;
	uint8_t		*anc;		/* ANC_* per code point (org_at) */
	size_t		 n;
	struct letter	*l;
	struct buf	*out;
};

static const char *const slot_names[SLOT_NTYPES] = {
	"num", "date", "time", "amount", "phone", "id", "card", "name", "qq",
	"wechat", "email", "url", "org", "ref"
};

const char *
slot_name(enum slot s)
{
	return s < SLOT_NTYPES ? slot_names[s] : "?";
}

static bool
dig(int32_t c)
{
	return c >= '0' && c <= '9';
}

static bool
alnum(int32_t c)
{
	return dig(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool
cjk(int32_t c)
{
	return (c >= 0x3400 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF);
}

/* Does the text at i spell the ASCII/UTF-8 word w? */
static size_t
at(const struct scan *s, size_t i, const char *w)
{
	size_t	 k = 0, j = i, wl = strlen(w);

	while (k < wl) {
		if (j >= s->n || s->c[j] != cd_next(w, wl, &k))
			return 0;
		j++;
	}
	return j - i;
}

static size_t
digits(const struct scan *s, size_t i)
{
	size_t	 j = i;

	while (j < s->n && dig(s->c[j]))
		j++;
	return j - i;
}

static void
utf8_of(const struct scan *s, size_t i, size_t j, struct buf *b)
{
	for (; i < j; i++)
		buf_addcp(b, s->c[i]);
}

/* Replaces code points [i, j) by the slot marker and keeps the fill. */
static size_t
fill(struct scan *s, enum slot t, size_t i, size_t j)
{
	struct buf v = { 0 };

	utf8_of(s, i, j, &v);
	buf_add(&s->l->fills, slot_name(t), strlen(slot_name(t)));
	buf_addc(&s->l->fills, '\x1f');
	if (v.len)
		buf_add(&s->l->fills, v.s, v.len);
	buf_addc(&s->l->fills, '\x1e');
	buf_addcp(s->out, SLOT_CP(t));
	buf_free(&v);
	return j;
}

static void
entity(struct scan *s, enum ent e, size_t i, size_t j)
{
	struct buf v = { 0 };

	utf8_of(s, i, j, &v);
	ent_add(&s->l->ents, e, v.s, v.len);
	buf_free(&v);
}

/* Dates: 2023年5月6日, 2023-05-06, 2023/5/6, 2023.5.6, 5月6日, 2023年5月. */
static size_t
date_len(const struct scan *s, size_t i)
{
	size_t	 d = digits(s, i), j, e;

	if (d == 4 && i + 4 < s->n && (s->c[i + 4] == '-' || s->c[i + 4] == '/' ||
	    s->c[i + 4] == '.')) {
		j = i + 5;
		if ((e = digits(s, j)) < 1 || e > 2 || j + e >= s->n ||
		    s->c[j + e] != s->c[i + 4])
			return 0;
		j += e + 1;
		if ((e = digits(s, j)) < 1 || e > 2)
			return 0;
		return j + e - i;
	}
	j = i;
	if (d == 4 && i + 4 < s->n && s->c[i + 4] == 0x5E74) {	/* 年 */
		j = i + 5;
		d = digits(s, j);
		if (d < 1 || d > 2 || j + d >= s->n || s->c[j + d] != 0x6708)
			return 5;	/* just a year */
	} else if (d < 1 || d > 2 || i + d >= s->n || s->c[i + d] != 0x6708)
		return 0;
	/* j at the month digits */
	j += digits(s, j) + 1;
	if ((e = digits(s, j)) >= 1 && e <= 2 && j + e < s->n &&
	    (s->c[j + e] == 0x65E5 || s->c[j + e] == 0x53F7))	/* 日 号 */
		j += e + 1;
	return j - i;
}

/* Times of day: 14：30, 14：30：05 (':' is folded to '：'), 14点30分. */
static size_t
time_len(const struct scan *s, size_t i)
{
	size_t	 d = digits(s, i), j = i + d, e;

	if (d < 1 || d > 2 || j >= s->n)
		return 0;
	if (s->c[j] == 0xFF1A && (e = digits(s, j + 1)) == 2) {
		j += 3;
		if (j < s->n && s->c[j] == 0xFF1A && digits(s, j + 1) == 2)
			j += 3;
		return j - i;
	}
	if (s->c[j] == 0x70B9) {	/* 点 */
		j++;
		if ((e = digits(s, j)) >= 1 && e <= 2 && j + e < s->n &&
		    s->c[j + e] == 0x5206)
			j += e + 1;
		return j - i;
	}
	return 0;
}

/* Amounts: 12,000.50元, 3万元, ¥500, 5000块. */
static size_t
amount_len(const struct scan *s, size_t i, bool yen)
{
	size_t	 j = i;
	int32_t	 c;

	while (j < s->n && (dig(s->c[j]) || ((s->c[j] == ',' || s->c[j] == '.') &&
	    j + 1 < s->n && dig(s->c[j + 1]))))
		j++;
	if (j == i)
		return 0;
	if (j < s->n) {
		c = s->c[j];
		if (c == 0x4E07 || c == 0x5343 || c == 0x767E || c == 'w' ||
		    c == 'k') {					/* 万 千 百 */
			j++;
			if (j < s->n && (s->c[j] == 0x5143 || s->c[j] == 0x5757))
				j++;
			return j - i;
		}
		if (c == 0x5143 || c == 0x5757 || c == 0x5706)	/* 元 块 圆 */
			return j + 1 - i;
	}
	return yen ? j - i : 0;
}

/* A run of digits that is none of the above: ID, mobile, card or number. */
static size_t
number(struct scan *s, size_t i)
{
	size_t	 d = digits(s, i), j = i + d;
	struct buf v = { 0 };
	enum slot t = SLOT_NUM;

	if (d == 17 && j < s->n && (s->c[j] == 'x' || s->c[j] == 'X')) {
		s->c[j] = 'X';	/* GB 11643 writes the check character upper case */
		j++, d++;
	}
	utf8_of(s, i, j, &v);
	if (d == 18) {
		t = SLOT_ID;
		if (ent_id_valid(v.s, v.len))
			ent_add(&s->l->ents, ENT_ID, v.s, v.len);
	} else if (d == 11 && ent_mobile(v.s, v.len)) {
		t = SLOT_PHONE;
		ent_add(&s->l->ents, ENT_PHONE, v.s, v.len);
	} else if (d >= 15 && d <= 19) {
		t = d == 15 ? SLOT_ID : SLOT_CARD;
		if (d >= 16 && ent_luhn(v.s, v.len))
			ent_add(&s->l->ents, ENT_CARD, v.s, v.len);
	}
	buf_free(&v);
	return fill(s, t, i, j);
}

/* Names follow 本人 / 我叫 / 姓名： / 投诉人： and the like: 2 or 3 CJK characters. */
static const char *const name_cues[] = {
	"本人", "我叫", "名叫", "姓名", "投诉人", "借款人", "申请人", "委托人",
	"当事人", "客户", NULL
};
static const char name_stop[] =
    "的在于因从向是已曾自为和与及身男女现住家通过使用借申被年月日名等均也都就"
    "对将把让请特今于经由系本我你他她它们之号码证件性";

/* Common surnames: a name must begin with one, which keeps 本人并非恶意 literal. */
static const char surnames[] =
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
    "于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江"
    "尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐"
    "易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕"
    "单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆"
    "农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟"
    "邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝";

static bool
in_set(const char *set, size_t n, int32_t c)
{
	size_t	 k = 0;

	while (k < n)
		if (cd_next(set, n, &k) == c)
			return true;
	return false;
}

/* What may follow a name: punctuation, a digit, a slot, or these words. */
static bool
name_end(const struct scan *s, size_t k)
{
	static const char after[] = "身男女性现住家的是在于因向从已曾为和与及今自";

	if (k >= s->n)
		return true;
	if (!cjk(s->c[k]))
		return true;
	return in_set(after, sizeof(after) - 1, s->c[k]);
}

static bool
name_stopc(int32_t c)
{
	size_t	 k = 0, n = sizeof(name_stop) - 1;

	while (k < n)
		if (cd_next(name_stop, n, &k) == c)
			return true;
	return false;
}

/* First characters of the name cues. */
static bool
name_first(int32_t c)
{
	return c == 0x672C || c == 0x6211 || c == 0x540D || c == 0x59D3 ||
	    c == 0x6295 || c == 0x501F || c == 0x7533 || c == 0x59D4 ||
	    c == 0x5F53 || c == 0x5BA2;	/* 本我名姓投借申委当客 */
}

static size_t
name_at(struct scan *s, size_t i)
{
	size_t	 j, k, cue;
	const char *const *w;

	for (w = name_cues; *w != NULL; w++)
		if ((cue = at(s, i, *w)) != 0)
			break;
	if (*w == NULL)
		return 0;
	j = i + cue;
	if (j < s->n && (s->c[j] == 0xFF1A || s->c[j] == 0x4E3A))	/* ： 为 */
		j++;
	for (k = j; k < s->n && k < j + 3 && cjk(s->c[k]) && !name_stopc(s->c[k]);
	    k++)
		;
	if (k - j == 3 && !name_end(s, k))
		k--;	/* a two-character name followed by a word */
	if (k - j < 2 || !name_end(s, k) ||
	    !in_set(surnames, sizeof(surnames) - 1, s->c[j]))
		return 0;
	/* the cue itself stays literal */
	for (size_t x = i; x < j; x++)
		buf_addcp(s->out, s->c[x]);
	return fill(s, SLOT_NAME, j, k);
}

/* qq 12345678, qq号：..., 微信：wxid_abc / 微信号 abc123. */
static size_t
account_at(struct scan *s, size_t i)
{
	size_t	 j, k, cue;
	bool	 qq;

	if ((cue = at(s, i, "qq")) != 0 || (cue = at(s, i, "vx")) != 0 ||
	    (cue = at(s, i, "wx")) != 0) {
		if (i > 0 && alnum(s->c[i - 1]))
			return 0;	/* inside a word */
		qq = s->c[i] == 'q';
	} else if ((cue = at(s, i, "微信")) != 0)
		qq = false;
	else
		return 0;
	j = i + cue;
	while (j < s->n && j < i + cue + 4 && (s->c[j] == 0x53F7 ||
	    s->c[j] == 0x7801 || s->c[j] == 0xFF1A || s->c[j] == ' ' ||
	    s->c[j] == 0x662F || s->c[j] == 0x4E3A))	/* 号 码 ： 是 为 */
		j++;
	if (qq) {
		k = digits(s, j);
		if (k < 5 || k > 11 || s->c[j] == '0')
			return 0;
		for (size_t x = i; x < j; x++)
			buf_addcp(s->out, s->c[x]);
		entity(s, ENT_QQ, j, j + k);
		return fill(s, SLOT_QQ, j, j + k);
	}
	if (j >= s->n || !((s->c[j] >= 'a' && s->c[j] <= 'z') || dig(s->c[j])))
		return 0;
	for (k = j; k < s->n && (alnum(s->c[k]) || s->c[k] == '_' ||
	    s->c[k] == '-'); k++)
		;
	if (k - j < 6 || k - j > 20)
		return 0;
	for (size_t x = i; x < j; x++)
		buf_addcp(s->out, s->c[x]);
	entity(s, ENT_WECHAT, j, k);
	return fill(s, SLOT_WECHAT, j, k);
}

static bool
mailc(int32_t c)
{
	return alnum(c) || c == '.' || c == '_' || c == '%' || c == '+' ||
	    c == '-';
}

/* name@host.tld, or http(s)://... / www.... */
static size_t
email_url_at(struct scan *s, size_t i)
{
	size_t	 j, k, dot = 0;

	if (at(s, i, "http://") || at(s, i, "https://") || at(s, i, "www.")) {
		for (j = i; j < s->n && s->c[j] > ' ' && s->c[j] < 0x7F &&
		    s->c[j] != '"'; j++)
			;
		while (j > i && (s->c[j - 1] == '.' || s->c[j - 1] == ','))
			j--;
		entity(s, ENT_URL, i, j);
		return fill(s, SLOT_URL, i, j);
	}
	if (!alnum(s->c[i]) || (i > 0 && mailc(s->c[i - 1])))
		return 0;
	for (j = i; j < s->n && mailc(s->c[j]); j++)
		;
	if (j >= s->n || s->c[j] != '@')
		return 0;
	for (k = j + 1; k < s->n && (alnum(s->c[k]) || s->c[k] == '-' ||
	    s->c[k] == '.'); k++)
		if (s->c[k] == '.')
			dot = k;
	while (k > j + 1 && s->c[k - 1] == '.')
		k--;
	if (dot == 0 || dot + 2 >= k || dot < j + 2)
		return 0;
	entity(s, ENT_EMAIL, i, k);
	return fill(s, SLOT_EMAIL, i, k);
}

/* Contract and policy numbers: a few letters, then 4 or more digits. */
static size_t
ref_at(struct scan *s, size_t i)
{
	size_t	 j = i, d;

	if (!((s->c[i] >= 'a' && s->c[i] <= 'z')) || (i > 0 && alnum(s->c[i - 1])))
		return 0;
	while (j < s->n && j - i < 6 && s->c[j] >= 'a' && s->c[j] <= 'z')
		j++;
	if ((d = digits(s, j)) < 4)
		return 0;
	j += d;
	while (j < s->n && alnum(s->c[j]))
		j++;
	return fill(s, SLOT_REF, i, j);
}

static size_t org_at(struct scan *, size_t);

static size_t
step(struct scan *s, size_t i)
{
	size_t	 n;
	int32_t	 c = s->c[i];

	if ((c >= 0x4E00 || (c < 0x80 && alnum(c))) && (n = org_at(s, i)) != 0)
		return n;

	/* cheap first-character gates keep the per-character cost low */
	if (c < 0x80 && alnum(c) && ((n = email_url_at(s, i)) != 0 ||
	    (n = account_at(s, i)) != 0 || (n = ref_at(s, i)) != 0))
		return n;
	if (c == 0x5FAE && (n = account_at(s, i)) != 0)		/* 微 */
		return n;
	if (c >= 0x4E00 && name_first(c) && (n = name_at(s, i)) != 0)
		return n;
	if ((c == 0xA5 || c == 0xFFE5) && i + 1 < s->n && dig(s->c[i + 1])) {
		buf_addcp(s->out, c);
		return fill(s, SLOT_AMOUNT, i + 1, i + 1 + amount_len(s, i + 1, true));
	}
	if (!dig(c) || (i > 0 && (alnum(s->c[i - 1]) || s->c[i - 1] == '_')))
		goto literal;
	if ((n = date_len(s, i)) != 0)
		return fill(s, SLOT_DATE, i, i + n);
	if ((n = time_len(s, i)) != 0)
		return fill(s, SLOT_TIME, i, i + n);
	if ((n = amount_len(s, i, false)) != 0)
		return fill(s, SLOT_AMOUNT, i, i + n);
	return number(s, i);
literal:
	buf_addcp(s->out, c);
	return i + 1;
}

/*
 * The word lists of orgs.c as code points, with a bitmap of their first
 * characters, built once: org_at runs at the start of every word.
 */
struct wlist {
	const int32_t	*const *w;	/* each word: length, then code points */
	uint8_t		 one[8192];	/* bit c & 0xFFFF: c is a word */
	uint8_t		 two[8192];	/* bit PAIR(c0, c1): a word starts so */
};
#define PAIR(a, b)	((((uint32_t)(a) * 40503u) ^ (uint32_t)(b)) & 0xFFFF)
#define BIT(m, x)	((m)[(x) >> 3] & (1u << ((x) & 7)))
#define SETBIT(m, x)	((m)[(x) >> 3] |= (uint8_t)(1u << ((x) & 7)))
static struct wlist wl_suffix, wl_rcue, wl_lcue, wl_weak, wl_generic, wl_known;
static uint8_t stop_bits[8192];
/* Unions of the lists' bitmaps: where an org word may start (org_mark). */
static uint8_t end_two[8192], lead_one[8192], lead_two[8192];
#define ANC_END		1	/* a suffix, addressee or clause word may start */
#define ANC_PUNCT	2	/* ： or ， */
#define ANC_LEAD	4	/* a known name or a left cue may start */
#define ANC_NAME	8	/* org_namec() */
#define ANC_INNER	16	/* Han, not in org_hard: may be inside a name */
static uint8_t hard_bits[8192];
static pthread_once_t org_once = PTHREAD_ONCE_INIT;

static void
wl_build(struct wlist *l, const char *const *words)
{
	int32_t **v;
	size_t	 n, k, i, len, m;

	for (n = 0; words[n]; n++)
		;
	if ((v = calloc(n + 1, sizeof(*v))) == NULL)
		abort();
	for (k = 0; k < n; k++) {
		len = strlen(words[k]);
		if ((v[k] = malloc((len + 1) * sizeof(**v))) == NULL)
			abort();
		for (i = 0, m = 1; i < len; m++)
			v[k][m] = cd_next(words[k], len, &i);
		v[k][0] = (int32_t)(m - 1);
		if (v[k][0] == 1)
			SETBIT(l->one, (uint32_t)v[k][1] & 0xFFFF);
		else
			SETBIT(l->two, PAIR(v[k][1], v[k][2]));
	}
	l->w = (const int32_t *const *)v;
}

static void
org_init(void)
{
	size_t	 i = 0, n = strlen(org_stop);
	int32_t	 c;

	wl_build(&wl_suffix, org_suffix);
	wl_build(&wl_rcue, org_rcue);
	wl_build(&wl_lcue, org_lcue);
	wl_build(&wl_weak, org_weak);
	wl_build(&wl_generic, org_generic);
	wl_build(&wl_known, org_known);
	for (i = 0; i < sizeof(end_two); i++) {
		end_two[i] = wl_suffix.two[i] | wl_rcue.two[i] | wl_weak.two[i];
		lead_two[i] = wl_known.two[i] | wl_lcue.two[i];
		lead_one[i] = wl_known.one[i] | wl_lcue.one[i];
	}
	i = 0;
	while (i < n) {
		c = cd_next(org_stop, n, &i);
		stop_bits[(c & 0xFFFF) >> 3] |= (uint8_t)(1u << (c & 7));
	}
	for (i = 0, n = strlen(org_hard); i < n;) {
		c = cd_next(org_hard, n, &i);
		SETBIT(hard_bits, (uint32_t)c & 0xFFFF);
	}
}

/* The longest word of the list at i, in code points (0: none). */
static size_t
word_at(const struct scan *s, size_t i, const struct wlist *l)
{
	const int32_t *const *w;
	size_t	 best = 0, k, n;
	int32_t	 c = s->c[i];

	/* most places start no word: two bitmaps say so without a loop */
	if (i + 1 < s->n && BIT(l->two, PAIR(c, s->c[i + 1])))
		;
	else
		return c >= 0 && c < 0x10000 && BIT(l->one, (uint32_t)c) ? 1 : 0;
	for (w = l->w; *w; w++) {
		n = (size_t)(*w)[0];
		if (n <= best || i + n > s->n)
			continue;
		for (k = 0; k < n && s->c[i + k] == (*w)[k + 1]; k++)
			;
		if (k == n)
			best = n;
	}
	return best;
}

/* A character that can be part of an institution's own name. */
static bool
org_namec(int32_t c)
{
	if (c < 0x80)
		return alnum(c);
	return cjk(c) && !(c < 0x10000 && (stop_bits[c >> 3] & (1u << (c & 7))));
}

/* Is [i, j) exactly a generic word? */
static bool
generic_name(const struct scan *s, size_t i, size_t j)
{
	const int32_t *const *w;
	size_t	 k;

	for (w = wl_generic.w; *w; w++) {
		if ((size_t)(*w)[0] != j - i)
			continue;
		for (k = 0; k < j - i && s->c[i + k] == (*w)[k + 1]; k++)
			;
		if (k == j - i)
			return true;
	}
	return false;
}

/*
 * Institution and platform names (SLOT_ORG), by shape, so that letters
 * sent to different lenders stay one template:
 *  - a known name from the lexicon in orgs.h (products without a suffix:
 *    借呗, 微粒贷...);
 *  - 2 to 6 name characters ending in an institution word (银行, 农商银行,
 *    人寿, 消费金融, 小贷, 公司...), the name and the word together;
 *  - 2 to 6 name characters before an addressee word (客户服务中心,
 *    客服, 平台, app), or after 通过/使用/致/尊敬的/投诉 and before
 *    办理/借款/申请 or a colon or comma, or at the head of the letter
 *    before a colon (the addressee): the name alone.
 * A name begins where a word does: after a stop character (的, 在, 向,
 * 贵, 该...), a left cue or a non-Han character, so 贵银行, 该平台 and
 * 借款平台 (a generic word, orgs.c) stay literal.  The lists are only
 * searched where org_mark's bitmaps say a word of them may start.
 */
static size_t
org_at(struct scan *s, size_t i)
{
	size_t	 j, k, n, start = i, lead = 0, best = 0, cue = 0;
	bool	 lcue = false, weakonly = false, head = false;

	if (!(s->anc[i] & ANC_LEAD) && i > 0 && (s->anc[i - 1] & ANC_NAME))
		return 0;	/* inside a word, and no cue here */
	if ((s->anc[i] & ANC_LEAD) && (n = word_at(s, i, &wl_known)) != 0)
		return fill(s, SLOT_ORG, i, i + n);
	if ((s->anc[i] & ANC_LEAD) && (lead = word_at(s, i, &wl_lcue)) != 0 &&
	    !(s->c[i] == 0x81F4 && i > 0 && s->c[i - 1] == 0x6B64)) {	/* 此致 */
		lcue = true;
		/* 在 向 从: org_lcue */
		weakonly = lead == 1 && (s->c[i] == 0x5728 || s->c[i] == 0x5411 ||
		    s->c[i] == 0x4ECE);
		start = i + lead;
	} else if (i == 0)
		lcue = head = true;	/* the first words: "X：" addresses the letter */
	else if (s->anc[i - 1] & ANC_NAME)
		return 0;	/* not the start of a word */
	if (start >= s->n || !(s->anc[start] & ANC_NAME))
		return 0;
	/* a soft stop (和, 与...) may be a name's second character: 泰和, 佳和 */
	for (j = start + 1; j < s->n && j < start + 6 && ((s->anc[j] & ANC_NAME) ||
	    (j == start + 1 && (s->anc[j] & ANC_INNER))); j++)
		;
	/* the first place after 2+ name characters where a suffix or cue stands */
	for (k = start + 2; k <= j && k <= start + 6; k++) {
		if (k < s->n && !(s->anc[k] & (ANC_END | ANC_PUNCT)))
			continue;
		if (k < s->n && (s->anc[k] & ANC_END) &&
		    (n = word_at(s, k, &wl_suffix)) != 0) {
			best = k + n;	/* the institution word is part of the name */
			break;
		}
		if (k < s->n && (s->anc[k] & ANC_END) &&
		    (cue = word_at(s, k, &wl_rcue)) != 0) {
			best = k;
			break;
		}
		if (lcue && ((!weakonly && (k == s->n || (s->anc[k] & ANC_PUNCT))) ||
		    ((s->anc[k] & ANC_END) && word_at(s, k, &wl_weak)))) {
			best = k;
			break;
		}
	}
	for (j = start; head && j < best; j++)
		if (!cjk(s->c[j]))
			return 0;
	if (best == 0 || generic_name(s, start, best) ||
	    (cue == 0 && generic_name(s, start, k)))
		return 0;
	for (j = i; j < start; j++)	/* the left cue stays literal */
		buf_addcp(s->out, s->c[j]);
	return fill(s, SLOT_ORG, start, best);
}

/* Marks where words of the org lists may start: one probe a code point. */
static void
org_mark(struct scan *s)
{
	size_t	 i;
	int32_t	 c;

	for (i = 0; i < s->n; i++) {
		c = s->c[i];
		s->anc[i] = org_namec(c) ? ANC_NAME | ANC_INNER : 0;
		if (cjk(c) && c < 0x10000 && !BIT(hard_bits, (uint32_t)c))
			s->anc[i] |= ANC_INNER;
		if (c == 0xFF1A || c == 0xFF0C)
			s->anc[i] |= ANC_PUNCT;
		if (c >= 0 && c < 0x10000 && BIT(lead_one, (uint32_t)c))
			s->anc[i] |= ANC_LEAD;
		if (i + 1 == s->n)
			continue;
		if (BIT(end_two, PAIR(c, s->c[i + 1])))
			s->anc[i] |= ANC_END;
		if (BIT(lead_two, PAIR(c, s->c[i + 1])))
			s->anc[i] |= ANC_LEAD;
	}
}

void
cd_mask(const char *norm, size_t len, struct letter *l)
{
	struct buf out = { 0 };
	struct scan s;
	int32_t	*cp;
	size_t	 n = 0, i = 0;

	if ((cp = malloc((len + 1) * sizeof(*cp))) == NULL ||
	    (s.anc = malloc(len + 1)) == NULL)
		abort();
	while (i < len)
		cp[n++] = cd_next(norm, len, &i);
	pthread_once(&org_once, org_init);
	s.c = cp;
	s.n = n;
	org_mark(&s);
	s.l = l;
	s.out = &out;
	/* room for the usual letter; buf_add grows it if markers outgrow digits */
	if ((out.s = malloc(len + 16)) == NULL)
		abort();
	out.cap = len + 16;
	buf_add(&out, "", 0);
	for (i = 0; i < n;)
		i = step(&s, i);
	free(cp);
	free(s.anc);
	l->masked = out.s;
	l->maskedlen = out.len;
}
