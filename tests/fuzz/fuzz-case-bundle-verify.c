/*
 * libFuzzer target for the parsers case-bundle verify runs on tag files it
 * reads from an untrusted bundle: bagit.txt, bag-info.txt, manifests and
 * fetch.txt, the custody log, case fields, signify keys and signatures,
 * RFC 3161 replies.
 * The first byte picks the parser; the rest is the file.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cb.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
manifest(const char *s, size_t n)
{
	struct bag_manifest m;
	char	 err[256];
	size_t	 i;

	if (bag_parse_manifest(s, n, &m, err, sizeof(err)) == 0) {
		for (i = 0; i < m.n; i++)
			(void)bag_path_ok(m.l[i].path);
		bag_manifest_free(&m);
	}
}

/* fetch.txt: lines like a manifest's, so it shares the manifest inputs */
static void
fetch(const char *s, size_t n)
{
	struct bag_fetch f;
	char	 err[256];
	size_t	 i;

	if (bag_parse_fetch(s, n, &f, err, sizeof(err)) == 0) {
		for (i = 0; i < f.n; i++)
			(void)(strlen(f.l[i].url) + bag_path_ok(f.l[i].path));
		bag_fetch_free(&f);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	 err[256], ver[32], head[HASH_HEXMAX], *safe;
	const char *s;
	char	*buf;
	size_t	 n;
	json_t	*j;
	struct cb_fieldvals f;

	if (size < 1)
		return 0;
	n = size - 1;
	/* a copy without a terminator: parsers must respect the length */
	buf = malloc(n ? n : 1);
	memcpy(buf, data + 1, n);
	s = buf;
	switch (data[0] % 8) {
	case 0:
		(void)bag_parse_bagit(s, n, ver, sizeof(ver), err, sizeof(err));
		break;
	case 1:
		j = bag_parse_info(s, n, err, sizeof(err));
		json_decref(j);
		break;
	case 2:
		manifest(s, n);
		fetch(s, n);
		break;
	case 3:
		(void)custody_check(s, n, head, err, sizeof(err));
		break;
	case 4:
		memset(&f, 0, sizeof(f));
		(void)fields_parse(&f, s, n, err, sizeof(err));
		fields_free(&f);
		break;
	case 5:
		/* signature text, then a fixed public key: the signify parser */
		(void)sign_check(s, n, "untrusted comment: k\n"
		    "RWTypftL78H5mF7gGX9VzfTROpk3Ij/So9HYfMr+Yn53q7sZaK5tKr/c\n",
		    78, "msg", 3, err, sizeof(err));
		(void)sign_check("untrusted comment: s\nRWQ=\n", 25, s, n, "m",
		    1, err, sizeof(err));
		break;
	case 6:
		(void)sign_tsr_check((const unsigned char *)s, n, "m", 1, NULL,
		    err, sizeof(err));
		break;
	case 7: {
		char	*z = malloc(n + 1);

		memcpy(z, s, n);
		z[n] = '\0';
		(void)bag_safe_name(z, &safe);
		free(safe);
		(void)bag_path_ok(z);
		free(z);
		break;
	}
	}
	free(buf);
	return 0;
}
