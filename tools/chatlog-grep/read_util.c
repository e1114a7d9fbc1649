/*
 * Small parsing helpers the export readers share: dates and times in the
 * spellings exporters use, 12-hour markers, direction marks, HTML
 * character references, and "name(id)" splitting.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "read_priv.h"
#include "u8.h"

static bool
leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static void
put2(char *p, int v)
{
	p[0] = (char)('0' + v / 10);
	p[1] = (char)('0' + v % 10);
}

bool
rd_iso(char out[20], int y, int mo, int d, int h, int mi, int s)
{
	static const int mdays[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30,
	    31, 30, 31 };

	if (y < 1970 || y > 2199 || mo < 1 || mo > 12 || d < 1 ||
	    d > mdays[mo - 1] || (mo == 2 && d == 29 && !leap(y)) ||
	    h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 60)
		return false;
	put2(out, y / 100);
	put2(out + 2, y % 100);
	out[4] = '-';
	put2(out + 5, mo);
	out[7] = '-';
	put2(out + 8, d);
	out[10] = 'T';
	put2(out + 11, h);
	out[13] = ':';
	put2(out + 14, mi);
	out[16] = ':';
	put2(out + 17, s > 59 ? 59 : s);
	out[19] = '\0';
	return true;
}

bool
rd_epoch(char out[20], long long t)
{
	struct tm	 tm;
	time_t		 tt;

	if (t > 100000000000LL)		/* milliseconds */
		t /= 1000;
	if (t < 0 || t > 7258118400LL)	/* 2200-01-01 */
		return false;
	tt = (time_t)(t + 8 * 3600);	/* China Standard Time, no DST */
	if (gmtime_r(&tt, &tm) == NULL)
		return false;
	return rd_iso(out, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
	    tm.tm_hour, tm.tm_min, tm.tm_sec);
}

int
rd_num(const char *s, size_t len, size_t *i, int maxd)
{
	int	 v = 0, nd = 0;

	while (*i < len && nd < maxd && s[*i] >= '0' && s[*i] <= '9') {
		v = v * 10 + (s[*i] - '0');
		(*i)++;
		nd++;
	}
	return nd ? v : -1;
}

bool
rd_prefix(const char *s, size_t len, const char *lit)
{
	size_t	 n = strlen(lit);

	return len >= n && memcmp(s, lit, n) == 0;
}

/* Spaces, NBSP and the narrow NBSP that newer phones put before AM/PM. */
static size_t
skip_blank(const char *s, size_t len, size_t i)
{
	for (;;) {
		if (i < len && s[i] == ' ')
			i++;
		else if (rd_prefix(s + i, len - i, "\xc2\xa0"))
			i += 2;
		else if (rd_prefix(s + i, len - i, "\xe2\x80\xaf"))
			i += 3;
		else
			return i;
	}
}

/* Latin markers, after the time: AM, PM, am, pm, a.m., p.m., a. m., p. m. */
static int
ampm_latin(const char *s, size_t len, size_t *i, size_t j)
{
	int	 pm;

	if (j + 1 >= len)
		return 0;
	switch (s[j]) {
	case 'A': case 'a':
		pm = 1;
		break;
	case 'P': case 'p':
		pm = 2;
		break;
	default:
		return 0;
	}
	if (s[j + 1] == 'M' || s[j + 1] == 'm') {
		*i = j + 2;
		return pm;
	}
	if (rd_prefix(s + j + 1, len - j - 1, ".m.")) {
		*i = j + 4;
		return pm;
	}
	if (rd_prefix(s + j + 1, len - j - 1, ". m.")) {
		*i = j + 5;
		return pm;
	}
	return 0;
}

int
rd_ampm(const char *s, size_t len, size_t *i)
{
	static const struct {
		const char	*lit;
		int		 pm;
	} cjk[] = {
		{ "上午", 1 }, { "凌晨", 1 }, { "早上", 1 }, { "오전", 1 },
		{ "午前", 1 }, { "下午", 2 }, { "晚上", 2 }, { "中午", 2 },
		{ "오후", 2 }, { "午後", 2 },
	};
	size_t	 j = skip_blank(s, len, *i), k;
	unsigned char c;

	if (j >= len)
		return 0;
	c = (unsigned char)s[j];
	if (c < 0x80)
		return ampm_latin(s, len, i, j);
	/* Each CJK marker is two 3-byte characters. */
	if (len - j < 6 || (c != 0xe4 && c != 0xe5 && c != 0xe6 && c != 0xec))
		return 0;
	for (k = 0; k < sizeof(cjk) / sizeof(cjk[0]); k++)
		if (memcmp(s + j, cjk[k].lit, 6) == 0) {
			*i = j + 6;
			return cjk[k].pm;
		}
	return 0;
}

/* After a time only the Latin markers occur ("下午" precedes it). */
static int
ampm_after(const char *s, size_t len, size_t *i)
{
	return ampm_latin(s, len, i, skip_blank(s, len, *i));
}

int
rd_hour12(int h, int ampm)
{
	if (ampm == 0)
		return h;
	if (h < 1 || h > 12)
		return h == 0 ? 0 : h;
	if (ampm == 1)
		return h == 12 ? 0 : h;
	return h == 12 ? 12 : h + 12;
}

/* "HH:MM[:SS]" with optional 12-hour markers before or after. */
static size_t
parse_time(const char *s, size_t len, size_t i, int *h, int *mi, int *sec)
{
	int	 pre, post;
	size_t	 j;

	pre = rd_ampm(s, len, &i);
	if ((*h = rd_num(s, len, &i, 2)) < 0 || i >= len || s[i] != ':')
		return 0;
	i++;
	if ((*mi = rd_num(s, len, &i, 2)) < 0)
		return 0;
	*sec = 0;
	if (i + 1 < len && s[i] == ':' && s[i + 1] >= '0' && s[i + 1] <= '9') {
		i++;
		*sec = rd_num(s, len, &i, 2);
	}
	j = i;
	if (!pre && (post = ampm_after(s, len, &j)) != 0) {
		/* "10:15 amount" is not a marker: require a word end. */
		if (j >= len || !((s[j] | 0x20) >= 'a' && (s[j] | 0x20) <= 'z')) {
			pre = post;
			i = j;
		}
	}
	if (pre)
		*h = rd_hour12(*h, pre);
	return i;
}

#define ISD(c)	((unsigned)((c) - '0') <= 9)

#define D2(p)	(((p)[0] - '0') * 10 + (p)[1] - '0')

#ifdef RD_SWAR
/* The same test eight bytes at a time (rd_digits8 in read_priv.h). */
static bool
stamp19(const char *s)
{
	/*
	 * Little-endian: byte k of the string is bits 8k..8k+7.  The words
	 * are "YYYY-MM-", "DD HH:MM" and "HH:MM:SS" (bytes 11..18).
	 */
	return rd_digits8(rd_ld8(s), 0x2d00002d00000000ULL,
	    0x0001010001010101ULL) &
	    rd_digits8(rd_ld8(s + 8), 0x00003a0000200000ULL,
	    0x0101000101000101ULL) &
	    rd_digits8(rd_ld8(s + 11), 0x00003a00003a0000ULL,
	    0x0101000101000101ULL);
}
#else
static bool
stamp19(const char *s)
{
	return ISD(s[0]) & ISD(s[1]) & ISD(s[2]) & ISD(s[3]) & (s[4] == '-') &
	    ISD(s[5]) & ISD(s[6]) & (s[7] == '-') & ISD(s[8]) & ISD(s[9]) &
	    (s[10] == ' ') & ISD(s[11]) & ISD(s[12]) & (s[13] == ':') &
	    ISD(s[14]) & ISD(s[15]) & (s[16] == ':') & ISD(s[17]) & ISD(s[18]);
}
#endif

/* "2026-03-01 10:15:32", the layout of most exports, without detours. */
static inline size_t
datetime_fast(const char *s, size_t len, char out[20])
{
	static const int mdays[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30,
	    31, 30, 31 };
	int	 y, mo, d;

	if (len < 19 || !stamp19(s) ||
	    (len > 20 && s[19] == ' ' && ((s[20] | 0x20) == 'a' ||
	    (s[20] | 0x20) == 'p')))
		return 0;
	y = D2(s) * 100 + D2(s + 2);
	mo = D2(s + 5);
	d = D2(s + 8);
	if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] ||
	    (mo == 2 && d == 29 && !leap(y)) || D2(s + 11) > 23 ||
	    D2(s + 14) > 59 || D2(s + 17) > 59)
		return 0;
	memcpy(out, s, 19);
	out[10] = 'T';
	out[19] = '\0';
	return 19;
}

size_t
rd_datetime(const char *s, size_t len, char out[20])
{
	size_t	 i = 0;
	int	 y, mo, d, h, mi, sec;
	char	 sep;

	if ((i = datetime_fast(s, len, out)) != 0)
		return i;

	if ((y = rd_num(s, len, &i, 4)) < 0 || i != 4 || i >= len)
		return 0;
	sep = s[i];
	if (sep != '-' && sep != '/' && sep != '.')
		return 0;
	i++;
	if ((mo = rd_num(s, len, &i, 2)) < 0 || i >= len || s[i] != sep)
		return 0;
	i++;
	if ((d = rd_num(s, len, &i, 2)) < 0 || i >= len ||
	    (s[i] != ' ' && s[i] != 'T'))
		return 0;
	while (i < len && (s[i] == ' ' || s[i] == 'T'))
		i++;
	if ((i = parse_time(s, len, i, &h, &mi, &sec)) == 0)
		return 0;
	if (!rd_iso(out, y, mo, d, h, mi, sec))
		return 0;
	return i;
}

void
rd_skip_marks(const char *s, size_t len, size_t *i)
{
	const unsigned char *u = (const unsigned char *)s;

	while (*i + 2 < len) {
		if (u[*i] == 0xe2 && u[*i + 1] == 0x80 &&
		    (u[*i + 2] == 0x8e || u[*i + 2] == 0x8f ||
		    (u[*i + 2] >= 0xaa && u[*i + 2] <= 0xae)))
			*i += 3;
		else if (u[*i] == 0xe2 && u[*i + 1] == 0x81 &&
		    u[*i + 2] >= 0xa6 && u[*i + 2] <= 0xa9)
			*i += 3;
		else if (u[*i] == 0xef && u[*i + 1] == 0xbb && u[*i + 2] == 0xbf)
			*i += 3;
		else
			break;
	}
}

static long
charref(const char *s, size_t len, size_t *used)
{
	static const struct {
		const char	*name;
		long		 cp;
	} named[] = {
		{ "amp;", '&' }, { "lt;", '<' }, { "gt;", '>' },
		{ "quot;", '"' }, { "apos;", '\'' }, { "nbsp;", 0xa0 },
	};
	size_t	 i, k;
	long	 cp = 0;
	int	 base = 10, nd = 0;

	for (k = 0; k < sizeof(named) / sizeof(named[0]); k++)
		if (rd_prefix(s, len, named[k].name)) {
			*used = strlen(named[k].name);
			return named[k].cp;
		}
	if (len < 3 || s[0] != '#')
		return -1;
	i = 1;
	if (s[i] == 'x' || s[i] == 'X') {
		base = 16;
		i++;
	}
	for (; i < len && nd < 8; i++, nd++) {
		int c = (unsigned char)s[i], v;

		if (c >= '0' && c <= '9')
			v = c - '0';
		else if (base == 16 && (c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			v = (c | 0x20) - 'a' + 10;
		else
			break;
		cp = cp * base + v;
	}
	if (nd == 0 || i >= len || s[i] != ';')
		return -1;
	*used = i + 1;
	if (cp == 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		cp = 0xfffd;
	return cp;
}

size_t
rd_html_unescape(char *s, size_t len)
{
	size_t	 i = 0, o = 0, used;
	long	 cp;

	while (i < len) {
		if (s[i] == '&' &&
		    (cp = charref(s + i + 1, len - i - 1, &used)) >= 0) {
			o += u8_put(s + o, (int32_t)cp);
			i += used + 1;
		} else
			s[o++] = s[i++];
	}
	return o;
}

void
rd_split_id(const char *s, size_t len, size_t *namelen, const char **id,
    size_t *idlen)
{
	size_t	 j;
	char	 close, open;

	*namelen = len;
	*id = NULL;
	*idlen = 0;
	while (len > 0 && s[len - 1] == ' ')
		len--;
	*namelen = len;
	if (len < 3 || (s[len - 1] != ')' && s[len - 1] != '>'))
		return;
	close = s[len - 1];
	open = close == ')' ? '(' : '<';
	for (j = len - 1; j > 0; j--)
		if (s[j - 1] == open || s[j - 1] == close)
			break;
	if (j == 0 || s[j - 1] != open || j + 1 > len - 1)
		return;
	j--;
	*id = s + j + 1;
	*idlen = len - 1 - (j + 1);
	*namelen = j;
	while (*namelen > 0 && s[*namelen - 1] == ' ')
		(*namelen)--;
}
