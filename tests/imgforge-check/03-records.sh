# The record stream: header, one image record per picture with its
# fields, an error record per unusable input, and the summary.
. "$top_srcdir/tests/lib.sh"
convert -size 80x60 gradient:white-gray -strip a.jpg
convert -size 80x60 gradient:white-gray -strip ppm:- | cjpeg -quality 85 >q85.jpg
printf 'GIF89a' >x.gif
expect_exit 2 imgforge-check --json --checks meta,dqt a.jpg q85.jpg x.gif
expect_records out
expect_jq '[.[] | .type] == ["header", "image", "image", "error", "summary"]' out
expect_jq '.[0].tool == "imgforge-check"' out
sha=$(sha256sum q85.jpg | cut -d' ' -f1)
size=$(wc -c <q85.jpg)
expect_jq ".[2] | .path == \"q85.jpg\" and .sha256 == \"$sha\" and .size == $size and
    .mime == \"image/jpeg\" and .format == \"jpeg\" and .width == 80 and .height == 60 and
    .verdict == \"no-evidence\" and .findings == [] and
    .facts.quantisation == \"ijg q=85 exact\" and .facts.quality == 85" out
expect_jq '.[3] | .path == "x.gif" and (.message | test("unsupported file type image/gif"))' out
expect_jq '.[4] | .images == 2 and .no_evidence == 2 and .forged == 0 and .suspicious == 0 and .unsupported == 1 and .errors == 1' out
# A finding carries its check, severity and the evidence.
exiftool -q -overwrite_original -Software='GIMP 2.10.34' a.jpg
expect_exit 1 imgforge-check --json --checks meta a.jpg
expect_jq '.[1].verdict == "suspicious" and .[1].findings == [{"check": "exif.software",
    "severity": 2, "detail": {"tag": "Software", "value": "GIMP 2.10.34", "software": "GIMP",
    "why": "EXIF Software names the image editor GIMP"}}]' out
