# case-bundle: built from tools/case-bundle/, documented in man/case-bundle.1, tested in tests/case-bundle/.
bin_PROGRAMS += case-bundle
case_bundle_SOURCES = tools/case-bundle/main.c
case_bundle_LDADD = $(COMMON_LIBS)
dist_man_MANS += man/case-bundle.1
