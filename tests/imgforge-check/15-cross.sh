# --cross: copy-move across the pictures of one run.  One scanned seal
# pasted as pixels into two different certificates is found in both,
# each naming the other; one printed form with its seal scanned twice
# (the null hypothesis: same content, two draws of the noise) is not.
# The pictures come from 15-cross-gen.py (seal rectangles 220x220 at
# 480,700 in a.jpg and 131,637 in b.jpg).
. "$top_srcdir/tests/lib.sh"
/usr/bin/python3 -c 'import PIL' 2>/dev/null || { echo "no PIL" >&2; exit 77; }
/usr/bin/python3 "$top_srcdir/tests/imgforge-check/15-cross-gen.py" paste a.jpg b.jpg &&
    /usr/bin/python3 "$top_srcdir/tests/imgforge-check/15-cross-gen.py" scan s1.jpg s2.jpg ||
    fail "generator failed"

# iou X Y W H X Y W H: intersection over union of two rectangles.
iou() {
	awk -v a="$1" -v b="$2" -v c="$3" -v d="$4" -v e="$5" -v f="$6" -v g="$7" -v h="$8" 'BEGIN {
		x0 = a > e ? a : e; y0 = b > f ? b : f
		x1 = a + c < e + g ? a + c : e + g; y1 = b + d < f + h ? b + d : f + h
		i = (x1 > x0 && y1 > y0) ? (x1 - x0) * (y1 - y0) : 0
		printf "%.1f", i / (c * d + g * h - i) }'
}

expect_exit 1 imgforge-check --cross --json --checks copymove a.jpg b.jpg s1.jpg s2.jpg
mv out all.json
for p in "a.jpg b.jpg 480 700" "b.jpg a.jpg 131 637"; do
	set -- $p
	f=$(jq -c --arg p "$1" 'select(.type == "image" and .path == $p) | [.findings[] |
	    select(.check == "copymove.cross" and .log10_nfa < 0)]' all.json)
	[ "$(echo "$f" | jq length)" = 1 ] || fail "$1: not one cross detection: $f"
	[ "$(echo "$f" | jq -r '.[0].detail.other_path')" = "$2" ] || fail "$1: other is not $2: $f"
	r=$(echo "$f" | jq -r '.[0].region | map(tostring) | join(" ")')
	o=$(echo "$f" | jq -r '.[0].detail.other_region | map(tostring) | join(" ")')
	echo "$1: shares a region with $(echo "$f" | jq -r '.[0].detail.other_path'), IoU with its seal $(iou $r $3 $4 220 220), shift $(echo "$f" | jq -c '.[0].detail.shift')"
	[ "$(iou $r $3 $4 220 220)" != "0.0" ] || fail "$1: region $r is not the seal"
done
# --maps: the cross detections come once the whole run is analysed, after
# each picture's maps were first written; the mask must still be white
# over the shared region and the overlay tint it (green halved), under
# the names the image record gives.
expect_exit 1 imgforge-check --cross --json --checks copymove --maps maps a.jpg b.jpg
for p in a.jpg b.jpg; do
	rec=$(jq -c --arg p "$p" 'select(.type == "image" and .path == $p)' out)
	set -- $(echo "$rec" | jq -r '[.findings[] | select(.check == "copymove.cross")][0].region |
	    map(tostring) | join(" ")')
	[ $# = 4 ] || fail "$p: no cross region with --maps: $rec"
	m=$(echo "$rec" | jq -r .mask)
	o=$(echo "$rec" | jq -r .overlay)
	[ "$m" = "maps/$p.$(sha256sum $p | cut -c1-8).mask.png" ] || fail "$p: mask path $m"
	[ "$(identify -format '%w %h %[channels]' "$m")" = "800 1000 gray" ] || fail "$p: mask $m"
	[ "$(identify -format '%w %h' "$o")" = "800 1000" ] || fail "$p: overlay $o"
	[ "$(convert "$m" -crop "$3x$4+$1+$2" -format '%[fx:minima]' info:)" = 1 ] ||
	    fail "$p: mask not white over $*"
	g0=$(convert "$p" -crop "$3x$4+$1+$2" -format '%[fx:mean.g]' info:)
	g1=$(convert "$o" -crop "$3x$4+$1+$2" -format '%[fx:mean.g]' info:)
	awk -v a="$g0" -v b="$g1" 'BEGIN { exit !(b < 0.6 * a) }' ||
	    fail "$p: overlay not tinted over $* (green $g0 -> $g1)"
	echo "$p: mask white over the cross region, overlay tinted"
done
expect_jq '[.[] | select(.type == "image" and (.path == "s1.jpg" or .path == "s2.jpg"))] |
    length == 2 and all(.verdict == "no-evidence")' all.json
echo "s1.jpg s2.jpg: no-evidence"

# Without --cross there is no cross finding (the exit status is not the
# point here: a.jpg's drawn strokes repeat and in-image copy-move gives them
# a weak log10 NFA of -0.2, a known weakness); the same run with -j 2
# reports the same records.
imgforge-check --json --checks copymove a.jpg b.jpg >out 2>err
[ $? -le 1 ] || fail "trouble without --cross: $(head -c 300 err)"
expect_jq '[.[] | select(.type == "image") | .findings[] | select(.check == "copymove.cross")] | length == 0' out
expect_exit 1 imgforge-check -j 2 --cross --json --checks copymove a.jpg b.jpg s1.jpg s2.jpg
jq -c 'select(.type == "image")' all.json >one
jq -c 'select(.type == "image")' out >two
cmp -s one two || fail "-j 2 differs from -j 1"
# The scanned form alone is no evidence (exit 0).
expect_exit 0 imgforge-check --cross --checks copymove s1.jpg s2.jpg
# The option is in --help and in the man page.
expect_exit 0 imgforge-check --help
grep -q -- '--cross' out || fail "--help does not mention --cross"
grep -qF -- 'Fl \-cross' "$top_srcdir/man/imgforge-check.1" || fail "the man page does not document --cross"
