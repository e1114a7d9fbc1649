# imgforge-check: built from tools/imgforge-check/, documented in man/imgforge-check.1, tested in tests/imgforge-check/.
bin_PROGRAMS += imgforge-check
imgforge_check_SOURCES = tools/imgforge-check/main.c tools/imgforge-check/imgforge.h \
	tools/imgforge-check/analyse.c tools/imgforge-check/decode.c \
	tools/imgforge-check/dqt.c tools/imgforge-check/exif.c \
	tools/imgforge-check/font.c tools/imgforge-check/maps.c \
	tools/imgforge-check/markers.c tools/imgforge-check/meta.c \
	tools/imgforge-check/names.c tools/imgforge-check/pixel_run.c \
	tools/imgforge-check/pngmeta.c tools/imgforge-check/report.c \
	tools/imgforge-check/run.c tools/imgforge-check/verdict.c \
	tools/imgforge-check/xmp.c
nodist_imgforge_check_SOURCES = tools/imgforge-check/qtables.h
# The pixel detectors are a library, so that their unit tests link the
# same objects as the tool.
noinst_LIBRARIES += tools/imgforge-check/libpixel.a
tools_imgforge_check_libpixel_a_SOURCES = tools/imgforge-check/pixel.h \
	tools/imgforge-check/pixel_int.h tools/imgforge-check/pixel_common.c \
	tools/imgforge-check/zero.c tools/imgforge-check/zero_int.h \
	tools/imgforge-check/zero_place.c tools/imgforge-check/flatgrid.c \
	tools/imgforge-check/dq.c \
	tools/imgforge-check/copymove.c tools/imgforge-check/cm_int.h tools/imgforge-check/cross.c \
	tools/imgforge-check/noise.c \
	tools/imgforge-check/ela.c
tools_imgforge_check_libpixel_a_CFLAGS = $(AM_CFLAGS) $(JPEG_CFLAGS)
imgforge_check_CPPFLAGS = $(AM_CPPFLAGS) -Itools/imgforge-check
imgforge_check_CFLAGS = $(AM_CFLAGS) $(JPEG_CFLAGS) $(PNG_CFLAGS) $(EXIF_CFLAGS)
IMGFORGE_LIBS = tools/imgforge-check/libpixel.a $(COMMON_LIBS) $(JPEG_LIBS) -lm
imgforge_check_LDADD = $(IMGFORGE_LIBS) $(PNG_LIBS) $(EXIF_LIBS)
dist_man_MANS += man/imgforge-check.1
EXTRA_DIST += tools/imgforge-check/qtables.tsv tools/imgforge-check/gen-qtables.sh \
	bench/imgforge-check.sh bench/imgforge-check-place.py \
	bench/imgforge-check-screens.py

# The encoder signatures (qtables.tsv, data in the tree) compiled in as a
# sorted C table; digests listed twice keep all their labels.
tools/imgforge-check/qtables.h: $(top_srcdir)/tools/imgforge-check/qtables.tsv
	@$(MKDIR_P) tools/imgforge-check
	$(AWK) -F '\t' '/^#/ { next } { if ($$1 in l) l[$$1] = l[$$1] " / " $$2; else l[$$1] = $$2 } \
	    END { for (k in l) printf "\t{ \"%s\", \"%s\" },\n", k, l[k] }' $< | \
	    LC_ALL=C sort > $@.tmp && mv $@.tmp $@
$(imgforge_check_OBJECTS): tools/imgforge-check/qtables.h
CLEANFILES += tools/imgforge-check/qtables.h

# The pixel detectors' own unit and validation tests (TAP).
check_PROGRAMS += tests/imgforge-check/test-px-pixel
tests_imgforge_check_test_px_pixel_SOURCES = tests/imgforge-check/test-px-pixel.c tests/unit/tap.h
tests_imgforge_check_test_px_pixel_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tools/imgforge-check
tests_imgforge_check_test_px_pixel_CFLAGS = $(AM_CFLAGS) $(JPEG_CFLAGS)
tests_imgforge_check_test_px_pixel_LDADD = $(IMGFORGE_LIBS)
TESTS += tests/imgforge-check/test-px-pixel
# ZERO's grid family in a picture that is not a JPEG, and the luminance.
check_PROGRAMS += tests/imgforge-check/test-px-grid
tests_imgforge_check_test_px_grid_SOURCES = tests/imgforge-check/test-px-grid.c tests/unit/tap.h
tests_imgforge_check_test_px_grid_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tools/imgforge-check
tests_imgforge_check_test_px_grid_CFLAGS = $(AM_CFLAGS) $(JPEG_CFLAGS)
tests_imgforge_check_test_px_grid_LDADD = $(IMGFORGE_LIBS)
TESTS += tests/imgforge-check/test-px-grid
# px-driver runs the detectors alone on one image, to validate and time them.
check_PROGRAMS += tests/imgforge-check/px-driver
tests_imgforge_check_px_driver_SOURCES = tests/imgforge-check/px-driver.c
tests_imgforge_check_px_driver_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tools/imgforge-check
tests_imgforge_check_px_driver_CFLAGS = $(AM_CFLAGS) $(JPEG_CFLAGS) $(PNG_CFLAGS)
tests_imgforge_check_px_driver_LDADD = $(IMGFORGE_LIBS) $(PNG_LIBS)

IMGFORGE_TESTS = tests/imgforge-check/01-usage.sh tests/imgforge-check/02-exit.sh \
	tests/imgforge-check/03-records.sh tests/imgforge-check/04-meta.sh \
	tests/imgforge-check/05-bad-input.sh tests/imgforge-check/06-maps.sh \
	tests/imgforge-check/07-exif-samples.sh tests/imgforge-check/08-samples-authentic.sh \
	tests/imgforge-check/09-samples-forged.sh tests/imgforge-check/10-examples.sh tests/imgforge-check/11-jobs.sh \
	tests/imgforge-check/12-inputs.sh
# The JPEG-grid family on drawn pictures: a grid in a PNG, a second grid
# placed, screenshots saved whole as JPEG, a JPEG's flat borders in a PNG, a
# dithered page.
IMGFORGE_TESTS += tests/imgforge-check/13-png-grid.sh tests/imgforge-check/14-second-grid.sh \
	tests/imgforge-check/17-screens-as-jpeg.sh tests/imgforge-check/18-flat-grid.sh \
	tests/imgforge-check/19-dithered-page.sh
TESTS += $(IMGFORGE_TESTS)
EXTRA_DIST += $(IMGFORGE_TESTS) tests/imgforge-check/09-samples-forged.sh.stdout.exact \
	tests/imgforge-check/05-bad-input.sh.stdout.exact \
	tests/imgforge-check/07-exif-samples.sh.stdout.exact \
	tests/imgforge-check/08-samples-authentic.sh.stdout.exact \
	tests/imgforge-check/11-jobs.sh.stdout.exact \
	tests/imgforge-check/12-inputs.sh.stdout.exact
# Copy-move across the pictures of a run (--cross) and inside one, on
# drawn pictures.
IMGFORGE_CM_TESTS = tests/imgforge-check/15-cross.sh tests/imgforge-check/16-copymove.sh
TESTS += $(IMGFORGE_CM_TESTS)
EXTRA_DIST += $(IMGFORGE_CM_TESTS) tests/imgforge-check/15-cross-gen.py \
	tests/imgforge-check/15-cross.sh.stdout.exact tests/imgforge-check/16-copymove.sh.stdout.exact
