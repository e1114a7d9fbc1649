# The sample case: every forged picture is flagged (forged or suspicious,
# exit 1); its mask is of the picture's size.  Whether the region found
# matches the truth (IoU) is tested with the pixel detectors.
. "$top_srcdir/tests/lib.sh"
img="$samples/images"
[ -f "$samples/truth/images.json" ] || { echo "skip: no samples"; exit 0; }
jq -r '.[] | select(.forged == true) | .file' "$samples/truth/images.json" >forged
[ -s forged ] || fail "truth.json lists no forged picture"
while read -r f; do
	imgforge-check --json --maps maps "$img/$f" >"$f.json" 2>"$f.err"
	st=$?
	[ $st -eq 1 ] || fail "$f: exit $st, expected 1: $(cat "$f.err")"
	jq -es '.[1] | .verdict == "forged" or .verdict == "suspicious"' "$f.json" >/dev/null ||
	    fail "$f: $(sed -n 2p "$f.json")"
	w=$(jq -s '.[1].width' "$f.json"); h=$(jq -s '.[1].height' "$f.json")
	mask=$(jq -rs '.[1].mask' "$f.json")
	[ "$(identify -format '%w %h' "$mask")" = "$w $h" ] || fail "$f: mask $mask is not ${w}x$h"
	echo "$f flagged"
done <forged
