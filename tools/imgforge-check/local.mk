# imgforge-check: built from tools/imgforge-check/, documented in man/imgforge-check.1, tested in tests/imgforge-check/.
bin_PROGRAMS += imgforge-check
imgforge_check_SOURCES = tools/imgforge-check/main.c
imgforge_check_LDADD = $(COMMON_LIBS) $(JPEG_LIBS) $(PNG_LIBS) $(EXIF_LIBS)
dist_man_MANS += man/imgforge-check.1
