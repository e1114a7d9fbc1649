# The test suite: TAP throughout.  C unit tests for common/, and CLI
# tests per tool run through tests/cli-run.sh, which compares a script's
# stdout and exit status with its sidecar files.
TEST_EXTENSIONS = .sh
LOG_DRIVER = env AM_TAP_AWK='$(AWK)' $(SHELL) $(top_srcdir)/build-aux/tap-driver.sh
SH_LOG_DRIVER = $(LOG_DRIVER)
SH_LOG_COMPILER = $(SHELL) $(top_srcdir)/tests/cli-run.sh
# A sanitizer report exits 99, so that it can never pass for a tool's own
# exit status 1 ("evidence found", "no match").
AM_TESTS_ENVIRONMENT = \
	ASAN_OPTIONS="$${ASAN_OPTIONS:-exitcode=99:detect_leaks=1}"; \
	UBSAN_OPTIONS="$${UBSAN_OPTIONS:-exitcode=99:print_stacktrace=1}"; \
	export ASAN_OPTIONS UBSAN_OPTIONS; \
	top_srcdir='$(abs_top_srcdir)'; top_builddir='$(abs_top_builddir)'; \
	PATH='$(abs_top_builddir)':'$(abs_top_builddir)/tests/common':"$$PATH"; \
	export top_srcdir top_builddir PATH;

UNIT_TESTS = tests/unit/test-rec tests/unit/test-hash tests/unit/test-u8 \
	tests/unit/test-input tests/unit/test-pool tests/unit/test-csv
check_PROGRAMS += $(UNIT_TESTS)
TESTS += $(UNIT_TESTS)
UNIT_LDADD = $(COMMON_LIBS)
tests_unit_test_rec_SOURCES = tests/unit/test-rec.c tests/unit/tap.h
tests_unit_test_rec_LDADD = $(UNIT_LDADD)
tests_unit_test_hash_SOURCES = tests/unit/test-hash.c tests/unit/tap.h
tests_unit_test_hash_LDADD = $(UNIT_LDADD)
tests_unit_test_u8_SOURCES = tests/unit/test-u8.c tests/unit/tap.h
tests_unit_test_u8_LDADD = $(UNIT_LDADD)
tests_unit_test_input_SOURCES = tests/unit/test-input.c tests/unit/tap.h
tests_unit_test_input_LDADD = $(UNIT_LDADD)
tests_unit_test_pool_SOURCES = tests/unit/test-pool.c tests/unit/tap.h
tests_unit_test_pool_LDADD = $(UNIT_LDADD)
tests_unit_test_csv_SOURCES = tests/unit/test-csv.c tests/unit/tap.h
tests_unit_test_csv_LDADD = $(UNIT_LDADD)

EXTRA_DIST += tests/cli-run.sh tests/lib.sh tests/fuzz

# fk-walk: the common input handling as a tool uses it, for tests/common/.
check_PROGRAMS += tests/common/fk-walk
tests_common_fk_walk_SOURCES = tests/common/fk-walk.c
tests_common_fk_walk_LDADD = $(COMMON_LIBS)

COMMON_CLI_TESTS = tests/common/01-walk.sh tests/common/02-records.sh \
	tests/common/03-bad-input.sh tests/common/10-options-documented.sh \
	tests/common/11-man-examples.sh tests/common/12-man-lint.sh
TESTS += $(COMMON_CLI_TESTS)
EXTRA_DIST += $(COMMON_CLI_TESTS) tests/common/01-walk.sh.stdout.exact \
	tests/common/03-bad-input.sh.stdout.exact
