# --maps DIR: a mask and an overlay per image, named after the input and
# its hash, inside DIR only; the overlay of a picture without detections
# is the picture itself (which also checks the decoders).
. "$top_srcdir/tests/lib.sh"
convert -size 90x70 gradient:white-navy -depth 8 -strip shot.png
convert -size 90x70 gradient:white-navy -strip ppm:- | cjpeg -quality 88 >photo.jpg
mkdir sub && cp shot.png sub/inner.png && tar -cf case.tar sub && rm -r sub
before=$(cat shot.png photo.jpg case.tar | sha256sum)
expect_exit 0 imgforge-check --checks meta --maps maps shot.png photo.jpg case.tar
png_sha=$(sha256sum shot.png | cut -c1-8)
jpg_sha=$(sha256sum photo.jpg | cut -c1-8)
expect_grep "^  mask: maps/shot.png.$png_sha.mask.png$" out
expect_grep "^  overlay: maps/photo.jpg.$jpg_sha.overlay.png$" out
expect_grep "^  overlay: maps/case.tar_sub_inner.png.$png_sha.overlay.png$" out
[ "$(ls maps | wc -l)" -eq 6 ] || fail "expected 6 maps: $(ls maps)"
[ "$(cat shot.png photo.jpg case.tar | sha256sum)" = "$before" ] || fail "an input changed"
# The mask: image size, one 8-bit grey channel, all zero here.
[ "$(identify -format '%w %h %[channels] %[fx:maxima]' "maps/shot.png.$png_sha.mask.png")" = "90 70 gray 0" ] ||
    fail "mask: $(identify -verbose "maps/shot.png.$png_sha.mask.png" | head -20)"
# The overlay without detections is the decoded picture, pixel for pixel.
[ "$(compare -metric AE shot.png "maps/shot.png.$png_sha.overlay.png" null: 2>&1)" = 0 ] ||
    fail "PNG overlay differs from the picture"
djpeg photo.jpg >photo.ppm
[ "$(compare -metric AE photo.ppm "maps/photo.jpg.$jpg_sha.overlay.png" null: 2>&1)" = 0 ] ||
    fail "JPEG overlay differs from djpeg's decoding"
# JSON names them too.
expect_exit 0 imgforge-check --json --checks meta --maps maps shot.png
expect_jq ".[1].mask == \"maps/shot.png.$png_sha.mask.png\" and .[1].overlay == \"maps/shot.png.$png_sha.overlay.png\"" out
# A symbolic link planted where a map goes is not followed.
: >victim
rm "maps/shot.png.$png_sha.mask.png"
ln -s ../victim "maps/shot.png.$png_sha.mask.png"
expect_exit 2 imgforge-check --checks meta --maps maps shot.png
expect_grep "cannot write 'maps/shot.png.$png_sha.mask.png'" err
[ ! -s victim ] || fail "wrote through a symbolic link"
# ELA, when selected, is one more picture for a person, never a finding.
expect_exit 0 imgforge-check --json --checks ela --maps maps2 photo.jpg
expect_jq ".[1].ela == \"maps2/photo.jpg.$jpg_sha.ela.png\" and .[1].findings == [] and .[1].verdict == \"no-evidence\"" out
[ "$(identify -format '%w %h' "maps2/photo.jpg.$jpg_sha.ela.png")" = "90 70" ] || fail "ELA map size"
