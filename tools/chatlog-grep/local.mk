# chatlog-grep: built from tools/chatlog-grep/, documented in man/chatlog-grep.1, tested in tests/chatlog-grep/.
bin_PROGRAMS += chatlog-grep
chatlog_grep_SOURCES = tools/chatlog-grep/main.c
chatlog_grep_LDADD = $(COMMON_LIBS) $(HS_LIBS) $(OPENCC_LIBS)
dist_man_MANS += man/chatlog-grep.1
