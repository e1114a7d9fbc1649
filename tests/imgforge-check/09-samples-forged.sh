# The sample case's forgeries: the verdict on each, and how well the mask
# of the suspected pixels overlaps the truth (IoU, the intersection over
# the union of the two masks).  The sidecar pins what is found today;
# samples/README.md says how each forgery was made, and the man page's
# LIMITS which of them no check here can see.
. "$top_srcdir/tests/lib.sh"
img="$samples/images"
truth="$samples/truth"
[ -f "$truth/images.json" ] || { echo "no samples"; exit 77; }
command -v convert >/dev/null || { echo "no ImageMagick"; exit 77; }

# white MASK...: the number of white pixels after composing the masks.
white() {
	op=$1
	shift
	convert "$@" -compose "$op" -composite -format '%[fx:round(mean*w*h)]' info:
}

jq -r '.[] | select(.forged == true) | .file + " " + .mask' "$truth/images.json" |
while read -r f truthmask; do
	imgforge-check --json --maps maps "$img/$f" >"$f.json" 2>"$f.err"
	st=$?
	[ $st -le 1 ] || fail "$f: exit $st: $(cat "$f.err")"
	verdict=$(jq -rs '.[1].verdict' "$f.json")
	mask=$(jq -rs '.[1].mask' "$f.json")
	inter=$(white multiply "$mask" "$truth/$truthmask")
	union=$(white lighten "$mask" "$truth/$truthmask")
	iou=$(awk -v i="$inter" -v u="$union" 'BEGIN { printf "%.1f", u ? i / u : 0 }')
	checks=$(jq -rs '[.[1].findings[] | select(.log10_nfa != null and .log10_nfa < 0
	    and (.check | startswith("info.") | not)) | .check] | unique | join(",")' "$f.json")
	echo "$f: $verdict, IoU $iou, pixel checks: ${checks:-none}"
done
