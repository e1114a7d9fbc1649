# The sample case (samples/images, samples/truth/images.json): every authentic picture,
# with every check at the default epsilon, is no-evidence; maps are
# written for each, of the picture's size.
. "$top_srcdir/tests/lib.sh"
img="$samples/images"
[ -f "$samples/truth/images.json" ] || { echo "skip: no samples"; exit 0; }
jq -r '.[] | select(.forged == false) | .file' "$samples/truth/images.json" >authentic
[ -s authentic ] || fail "truth.json lists no authentic picture"
while read -r f; do
	imgforge-check --json --maps maps "$img/$f" >"$f.json" 2>"$f.err"
	st=$?
	[ $st -eq 0 ] || fail "$f: exit $st, expected 0: $(jq -c 'select(.type == "image") | .findings' "$f.json") $(cat "$f.err")"
	jq -es '.[1] | .verdict == "no-evidence" and (.mask | startswith("maps/")) and (.overlay | startswith("maps/"))' "$f.json" >/dev/null ||
	    fail "$f: $(sed -n 2p "$f.json")"
	w=$(jq -s '.[1].width' "$f.json"); h=$(jq -s '.[1].height' "$f.json")
	mask=$(jq -rs '.[1].mask' "$f.json")
	[ "$(identify -format '%w %h %[fx:maxima]' "$mask")" = "$w $h 0" ] || fail "$f: mask $mask is not an empty ${w}x$h map"
	echo "$f no-evidence"
done <authentic
