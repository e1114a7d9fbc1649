# complaint-dedupe: built from tools/complaint-dedupe/, documented in man/complaint-dedupe.1, tested in tests/complaint-dedupe/.
bin_PROGRAMS += complaint-dedupe
complaint_dedupe_SOURCES = tools/complaint-dedupe/main.c \
	tools/complaint-dedupe/cd.h tools/complaint-dedupe/fmt.h \
	tools/complaint-dedupe/rd.h tools/complaint-dedupe/analyse.c \
	tools/complaint-dedupe/cluster.c tools/complaint-dedupe/entities.c \
	tools/complaint-dedupe/formats.c tools/complaint-dedupe/index.c \
	tools/complaint-dedupe/links.c tools/complaint-dedupe/mapreduce.c \
	tools/complaint-dedupe/mask.c tools/complaint-dedupe/minhash.c \
	tools/complaint-dedupe/normalize.c tools/complaint-dedupe/readers.c \
	tools/complaint-dedupe/report.c tools/complaint-dedupe/run.c \
	tools/complaint-dedupe/shingle.c tools/complaint-dedupe/store.c \
	tools/complaint-dedupe/template.c tools/complaint-dedupe/verify.c
complaint_dedupe_LDADD = $(COMMON_LIBS) -lm
dist_man_MANS += man/complaint-dedupe.1
CD_TESTS = tests/complaint-dedupe/01-exit.sh tests/complaint-dedupe/02-records.sh \
	tests/complaint-dedupe/03-samples.sh tests/complaint-dedupe/04-bad-input.sh \
	tests/complaint-dedupe/05-determinism.sh tests/complaint-dedupe/06-mapreduce.sh tests/complaint-dedupe/07-index.sh tests/complaint-dedupe/08-formats.sh
TESTS += $(CD_TESTS)
EXTRA_DIST += $(CD_TESTS)
