# case-bundle: built from tools/case-bundle/, documented in man/case-bundle.1, tested in tests/case-bundle/.
bin_PROGRAMS += case-bundle
case_bundle_SOURCES = tools/case-bundle/main.c tools/case-bundle/cb.h \
	tools/case-bundle/bag.c tools/case-bundle/checks.c \
	tools/case-bundle/create.c tools/case-bundle/custody.c \
	tools/case-bundle/evlist.c tools/case-bundle/fields.c \
	tools/case-bundle/findings.c tools/case-bundle/list.c \
	tools/case-bundle/phash.c tools/case-bundle/seal.c \
	tools/case-bundle/sign.c \
	tools/case-bundle/stage.c tools/case-bundle/tar.c \
	tools/case-bundle/thumb.c tools/case-bundle/verify.c
case_bundle_CFLAGS = $(AM_CFLAGS) $(JPEG_CFLAGS) $(PNG_CFLAGS) $(GCRYPT_CFLAGS)
case_bundle_LDADD = $(COMMON_LIBS) $(JPEG_LIBS) $(PNG_LIBS) $(GCRYPT_LIBS)
dist_man_MANS += man/case-bundle.1

CB_TESTS = tests/case-bundle/01-create-verify.sh \
	tests/case-bundle/02-bagit-interop.sh \
	tests/case-bundle/03-mutation.sh \
	tests/case-bundle/04-reproducible.sh \
	tests/case-bundle/05-findings.sh \
	tests/case-bundle/06-staged.sh \
	tests/case-bundle/07-sign-timestamp.sh \
	tests/case-bundle/08-bad-input.sh \
	tests/case-bundle/09-list-report.sh \
	tests/case-bundle/10-names.sh \
	tests/case-bundle/11-nul-paths.sh \
	tests/case-bundle/12-thumbnails.sh \
	tests/case-bundle/13-signify-keys.sh \
	tests/case-bundle/14-fetch.sh \
	tests/case-bundle/15-streaming.sh
TESTS += $(CB_TESTS)
EXTRA_DIST += $(CB_TESTS) tests/case-bundle/bagit-check.sh \
	tests/case-bundle/02-bagit-interop.sh.stdout.exact \
	tests/case-bundle/03-mutation.sh.stdout.exact \
	tests/case-bundle/04-reproducible.sh.stdout.exact \
	tests/case-bundle/07-sign-timestamp.sh.stdout.exact \
	tests/case-bundle/08-bad-input.sh.stdout.exact \
	tests/case-bundle/09-list-report.sh.stdout.exact \
	tests/case-bundle/10-names.sh.stdout.exact \
	tests/case-bundle/13-signify-keys.sh.stdout.exact \
	tests/case-bundle/14-fetch.sh.stdout.exact \
	tests/case-bundle/15-streaming.sh.stdout.exact
