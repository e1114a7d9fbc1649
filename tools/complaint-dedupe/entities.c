/*
 * Entities: values that identify a person or an agent and are checked
 * before they are trusted: mobile numbers 1[3-9] plus nine digits,
 * 18-digit resident ID numbers with their ISO 7064 MOD 11-2 check digit
 * (GB 11643), bank cards with their Luhn digit; QQ and WeChat accounts,
 * e-mail addresses and URLs as written.  The same value in letters of
 * several clusters links those clusters (one agent behind several
 * templates).
 */
#include "config.h"

#include <string.h>

#include "cd.h"

static const char *const ent_names[ENT_NTYPES] = {
	"phone", "id", "card", "qq", "wechat", "email", "url", "meta"
};

const char *
ent_name(enum ent e)
{
	return e < ENT_NTYPES ? ent_names[e] : "?";
}

bool
ent_id_valid(const char *s, size_t len)
{
	static const int w[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5,
	    8, 4, 2 };
	static const char check[] = "10X98765432";
	int	 sum = 0, i;
	char	 last;

	if (len != 18)
		return false;
	for (i = 0; i < 17; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		sum += (s[i] - '0') * w[i];
	}
	last = s[17] == 'x' ? 'X' : s[17];
	/* birth month 01-12 rules out most random 18-digit runs as well */
	if (s[10] > '1' || (s[10] == '1' && s[11] > '2') ||
	    (s[10] == '0' && s[11] == '0'))
		return false;
	return check[sum % 11] == last;
}

bool
ent_luhn(const char *s, size_t len)
{
	int	 sum = 0, d;
	size_t	 i;
	bool	 dbl = false;

	if (len < 12)
		return false;
	for (i = len; i-- > 0;) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		d = s[i] - '0';
		if (dbl && (d *= 2) > 9)
			d -= 9;
		sum += d;
		dbl = !dbl;
	}
	return sum % 10 == 0;
}

bool
ent_mobile(const char *s, size_t len)
{
	size_t	 i;

	if (len != 11 || s[0] != '1' || s[1] < '3' || s[1] > '9')
		return false;
	for (i = 2; i < 11; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

void
ent_add(struct buf *b, enum ent e, const char *s, size_t len)
{
	buf_add(b, ent_name(e), strlen(ent_name(e)));
	buf_addc(b, '\x1f');
	buf_add(b, s, len);
	buf_addc(b, '\x1e');
}
