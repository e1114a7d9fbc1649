"""Well-formed fake identifiers: resident ID numbers, bank cards, mobiles, order numbers."""

ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
ID_CHECK = "10X98765432"


def id_check_digit(first17):
    """ISO 7064 MOD 11-2 check character of a GB 11643 resident ID number."""
    s = sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS))
    return ID_CHECK[s % 11]


def resident_id(region, birth, seq, female):
    """18-character ID: 6-digit region, YYYYMMDD birth date, 3-digit sequence whose last
    digit is odd for men and even for women, then the check character."""
    seq = seq - seq % 2 + (0 if female else 1)
    first17 = "%s%s%03d" % (region, birth, seq % 1000)
    return first17 + id_check_digit(first17)


def id_valid(s):
    return len(s) == 18 and s[:17].isdigit() and id_check_digit(s[:17]) == s[17]


def luhn_digit(body):
    """Luhn check digit for a card number body (all digits but the last)."""
    total = 0
    for i, c in enumerate(reversed(body)):
        d = int(c)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


def bank_card(bin6, r, length=19):
    body = bin6 + "".join(str(r.randrange(10)) for _ in range(length - 7))
    return body + luhn_digit(body)


def luhn_valid(s):
    return s.isdigit() and luhn_digit(s[:-1]) == s[-1]


def mobile(r, prefix=None):
    """1[3-9] followed by nine digits."""
    p = prefix or r.choice(["135", "138", "139", "150", "152", "158", "177", "186", "188", "199"])
    return p + "".join(str(r.randrange(10)) for _ in range(11 - len(p)))
