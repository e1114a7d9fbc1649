# complaint-dedupe: built from tools/complaint-dedupe/, documented in man/complaint-dedupe.1, tested in tests/complaint-dedupe/.
bin_PROGRAMS += complaint-dedupe
# Everything but main.c is a library, so that the binary and the unit
# test share it without compiling a file twice.
noinst_LIBRARIES += tools/complaint-dedupe/libcd.a
tools_complaint_dedupe_libcd_a_SOURCES = tools/complaint-dedupe/cd.h \
	tools/complaint-dedupe/fmt.h tools/complaint-dedupe/rd.h \
	tools/complaint-dedupe/analyse.c tools/complaint-dedupe/cluster.c \
	tools/complaint-dedupe/entities.c tools/complaint-dedupe/formats.c \
	tools/complaint-dedupe/index.c tools/complaint-dedupe/jsonl.c \
	tools/complaint-dedupe/links.c tools/complaint-dedupe/lsh.c \
	tools/complaint-dedupe/mapreduce.c tools/complaint-dedupe/mask.c \
	tools/complaint-dedupe/minhash.c \
	tools/complaint-dedupe/orgs.c tools/complaint-dedupe/normalize.c \
	tools/complaint-dedupe/readers.c tools/complaint-dedupe/report.c \
	tools/complaint-dedupe/run.c tools/complaint-dedupe/shingle.c \
	tools/complaint-dedupe/store.c tools/complaint-dedupe/template.c \
	tools/complaint-dedupe/verify.c
complaint_dedupe_SOURCES = tools/complaint-dedupe/main.c
complaint_dedupe_LDADD = tools/complaint-dedupe/libcd.a $(COMMON_LIBS) -lm
dist_man_MANS += man/complaint-dedupe.1
EXTRA_DIST += bench/complaint-dedupe.sh bench/complaint-dedupe-gen.py
CD_TESTS = tests/complaint-dedupe/01-exit.sh tests/complaint-dedupe/02-records.sh \
	tests/complaint-dedupe/03-samples.sh tests/complaint-dedupe/04-bad-input.sh \
	tests/complaint-dedupe/05-determinism.sh tests/complaint-dedupe/06-mapreduce.sh \
	tests/complaint-dedupe/07-index.sh tests/complaint-dedupe/08-formats.sh \
	tests/complaint-dedupe/09-hashes.sh
TESTS += $(CD_TESTS)
EXTRA_DIST += $(CD_TESTS)

check_PROGRAMS += tests/complaint-dedupe/test-units
TESTS += tests/complaint-dedupe/test-units
tests_complaint_dedupe_test_units_SOURCES = tests/complaint-dedupe/test-units.c \
	tests/unit/tap.h
tests_complaint_dedupe_test_units_CPPFLAGS = $(AM_CPPFLAGS) \
	-I$(top_srcdir)/tools/complaint-dedupe
tests_complaint_dedupe_test_units_LDADD = tools/complaint-dedupe/libcd.a \
	$(COMMON_LIBS) -lm
