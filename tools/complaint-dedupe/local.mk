# complaint-dedupe: built from tools/complaint-dedupe/, documented in man/complaint-dedupe.1, tested in tests/complaint-dedupe/.
bin_PROGRAMS += complaint-dedupe
complaint_dedupe_SOURCES = tools/complaint-dedupe/main.c
complaint_dedupe_LDADD = $(COMMON_LIBS)
dist_man_MANS += man/complaint-dedupe.1
