# chatlog-grep: built from tools/chatlog-grep/, documented in man/chatlog-grep.1, tested in tests/chatlog-grep/.
bin_PROGRAMS += chatlog-grep
# The export readers form a library, so that the binary and the readers'
# unit test share them without compiling a file twice.
noinst_LIBRARIES += tools/chatlog-grep/libchatread.a
tools_chatlog_grep_libchatread_a_SOURCES = tools/chatlog-grep/chat.h \
	tools/chatlog-grep/read_priv.h tools/chatlog-grep/read_detect.c \
	tools/chatlog-grep/read_line.c \
	tools/chatlog-grep/read_lines.c tools/chatlog-grep/read_qq.c \
	tools/chatlog-grep/read_reader.c tools/chatlog-grep/read_telegram.c \
	tools/chatlog-grep/read_util.c tools/chatlog-grep/read_wechat.c \
	tools/chatlog-grep/read_whatsapp.c
chatlog_grep_SOURCES = tools/chatlog-grep/main.c tools/chatlog-grep/grep.h \
	tools/chatlog-grep/chat.h tools/chatlog-grep/lexicon.c \
	tools/chatlog-grep/evasion.c tools/chatlog-grep/tables.c \
	tools/chatlog-grep/match.c tools/chatlog-grep/decode.c tools/chatlog-grep/feed.c \
	tools/chatlog-grep/scan.c tools/chatlog-grep/output.c \
	tools/chatlog-grep/pending.c
chatlog_grep_CPPFLAGS = $(AM_CPPFLAGS) \
	-DCHATLOG_LEXICON='"$(pkgdatadir)/lexicon.tsv"' \
	-DCHATLOG_SRC_LEXICON='"$(abs_top_srcdir)/tools/chatlog-grep/lexicon.tsv"'
chatlog_grep_CFLAGS = $(AM_CFLAGS) $(HS_CFLAGS) $(OPENCC_CFLAGS)
chatlog_grep_LDADD = tools/chatlog-grep/libchatread.a $(COMMON_LIBS) \
	$(HS_LIBS) $(OPENCC_LIBS)
chatloglexdir = $(pkgdatadir)
dist_chatloglex_DATA = tools/chatlog-grep/lexicon.tsv
dist_man_MANS += man/chatlog-grep.1
EXTRA_DIST += tools/chatlog-grep/gen-tables.py bench/chatlog-grep.sh \
	bench/chatlog-grep-gen.py
CHATLOG_TESTS = tests/chatlog-grep/01-exit-status.sh \
	tests/chatlog-grep/02-json-record.sh tests/chatlog-grep/03-variants.sh \
	tests/chatlog-grep/04-lexicon.sh tests/chatlog-grep/05-samples.sh \
	tests/chatlog-grep/06-output.sh tests/chatlog-grep/07-bad-input.sh \
	tests/chatlog-grep/08-man-examples.sh tests/chatlog-grep/09-parallel.sh \
	tests/chatlog-grep/10-many-hits.sh
TESTS += $(CHATLOG_TESTS)
EXTRA_DIST += $(CHATLOG_TESTS)

check_PROGRAMS += tests/chatlog-grep/test-readers
TESTS += tests/chatlog-grep/test-readers
tests_chatlog_grep_test_readers_SOURCES = tests/chatlog-grep/test-readers.c \
	tests/unit/tap.h
tests_chatlog_grep_test_readers_CPPFLAGS = $(AM_CPPFLAGS) \
	-I$(top_srcdir)/tools/chatlog-grep
tests_chatlog_grep_test_readers_LDADD = tools/chatlog-grep/libchatread.a \
	$(COMMON_LIBS)
