# Bad input: each file is analysed or gets a one-line error and an error
# record; the run goes on; nothing crashes or allocates without bound.
. "$top_srcdir/tests/lib.sh"
# png W H [COLOURTYPE] [RAW]: a PNG with correct CRCs (perl's core zlib).
png() {
	perl -MCompress::Zlib -e '
	sub chunk { my ($t, $d) = @_; pack("N", length $d) . $t . $d . pack("N", crc32($t . $d)) }
	my ($w, $h, $raw) = @ARGV; binmode STDOUT;
	print "\x89PNG\r\n\x1a\n", chunk("IHDR", pack("NNCCCCC", $w, $h, 8, 2, 0, 0, 0)),
	    chunk("IDAT", compress("\0" x $raw)), chunk("IEND", "");' "$@"
}
convert -size 200x150 gradient:white-navy -strip ppm:- >base.ppm
cjpeg -quality 90 base.ppm >ok.jpg
head -c 700 ok.jpg >truncated.jpg
cp ok.jpg huffman.jpg
printf '\377\001\377\002\377\003\377\377\377\377\377\333' |
    dd of=huffman.jpg bs=1 seek=800 conv=notrunc 2>/dev/null
splice() {	# splice OUT BYTES: a segment inserted after SOI
	out=$1; shift
	{ head -c 2 ok.jpg; printf "$@"; tail -c +3 ok.jpg; } >"$out"
}
# IFD0 Make with a count and offset far outside the file; an IFD that
# points at itself (both as ExifIFD and as the next IFD).
splice exif-outside.jpg '\377\341\000\042Exif\000\000MM\000*\000\000\000\010\000\001\001\017\000\002\177\377\377\377\177\377\377\360\000\000\000\000'
splice exif-loop.jpg '\377\341\000\042Exif\000\000MM\000*\000\000\000\010\000\001\207\151\000\004\000\000\000\001\000\000\000\010\000\000\000\010'
png 100000 100000 64 >huge.png
png 5000 5000 64 >bomb.png
png 65535 1 196606 >wide.png
convert -size 40x30 gradient:red-blue -strip crc.png
printf 'X' | dd of=crc.png bs=1 seek=20 conv=notrunc 2>/dev/null
head -c 100 ok.jpg >header-only.jpg
convert -size 1x1 xc:red -strip one.jpg
convert -size 1x1 xc:red -strip one.png
convert -size 64x48 gradient:red-blue -colorspace CMYK -strip cmyk.jpg
cjpeg -progressive base.ppm >progressive.jpg
convert -size 64x48 gradient:white-black -colorspace gray -strip gray.jpg
convert -size 64x48 gradient:red-blue -depth 16 -strip deep.png
convert -size 64x48 gradient:red-blue -strip PNG8:palette.png
convert -size 64x48 gradient:red-blue -alpha set -channel A -evaluate set 50% -strip alpha.png
: >empty.jpg

imgforge-check -j 1 --json truncated.jpg huffman.jpg exif-outside.jpg exif-loop.jpg huge.png \
    bomb.png wide.png crc.png header-only.jpg one.jpg one.png cmyk.jpg progressive.jpg \
    gray.jpg deep.png palette.png alpha.png empty.jpg >out 2>err
[ $? -eq 2 ] || fail "exit status $?"
expect_records out
jq -r 'select(.type == "image" or .type == "error") | "\(.type) \(.path) \(.width // "") \(.height // "") \(.message // "")"' out
# One diagnostic line per error record, each naming its file.
[ "$(wc -l <err)" -eq "$(jq -s '[.[] | select(.type == "error")] | length' out)" ] ||
    fail "stderr lines do not match error records: $(cat err)"
# A clue repeated 200 times (COM markers naming an editor) is kept 64 times.
{ head -c 2 ok.jpg; i=0; while [ $i -lt 200 ]; do printf '\377\376\000\010GIMP!!'; i=$((i + 1)); done
  tail -c +3 ok.jpg; } >manycom.jpg
imgforge-check --json --checks meta manycom.jpg >many 2>&1
jq -es '.[1] | (.findings | length) == 64 and .facts.findings_dropped == 136' many >/dev/null ||
    fail "findings not capped: $(head -c 300 many)"
