# Helpers for the CLI test scripts (sourced; cwd is a fresh temp dir).
# A failed assertion prints its reason on stderr and exits 1.

samples="$top_srcdir/samples"
shared_data="$top_srcdir/../shared/data"

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

# expect_exit N cmd...: runs cmd, its stdout to ./out, its stderr to ./err.
expect_exit() {
	want=$1
	shift
	"$@" >out 2>err
	got=$?
	[ "$got" -eq "$want" ] || fail "$* exited $got, expected $want; stderr: $(head -c 500 err)"
}

# expect_grep PATTERN FILE: FILE holds a line matching the extended regex.
expect_grep() {
	grep -Eq -- "$1" "$2" || fail "no line matching '$1' in $2: $(head -c 500 "$2")"
}

expect_no_grep() {
	! grep -Eq -- "$1" "$2" || fail "unexpected line matching '$1' in $2"
}

# expect_jq FILTER FILE: the jq filter, run over all records slurped, is true.
expect_jq() {
	jq -es "$1" "$2" >/dev/null || fail "jq '$1' is not true for $2: $(head -c 800 "$2")"
}

# expect_records FILE: every line is a JSON object with a type, the first a
# header and the last a summary.
expect_records() {
	jq -e 'type == "object" and has("type")' "$1" >/dev/null ||
	    fail "$1 holds a line that is not a record"
	jq -es '.[0].type == "header" and .[-1].type == "summary" and
	    ([.[] | select(.type == "header")] | length) == 1' "$1" >/dev/null ||
	    fail "$1 does not start with one header and end with a summary"
}

# expect_one_line FILE: exactly one line (a one-line diagnostic).
expect_lines() {
	n=$(wc -l <"$2")
	[ "$n" -eq "$1" ] || fail "$2 has $n lines, expected $1: $(head -c 500 "$2")"
}

# image_record RECORDS NAME: the image record, from the stream in file
# RECORDS, of the input called NAME (its path or its last component).
image_record() {
	jq -c --arg n "$2" 'select(.type == "image" and
	    (.path | endswith("/" + $n) or . == $n))' "$1"
}

# expect_region_iou FILE CHECK X Y W H MIN: in the image record of FILE,
# the region of the first CHECK finding overlaps the box X,Y WxH with an
# intersection over union of MIN or more.
expect_region_iou() {
	iou=$(jq -r --arg c "$2" --argjson b "[$3, $4, $5, $6]" '
	    [.findings[] | select(.check == $c)][0].region as [$x, $y, $w, $h] |
	    (([($x + $w), ($b[0] + $b[2])] | min) - ([$x, $b[0]] | max)) as $iw |
	    (([($y + $h), ($b[1] + $b[3])] | min) - ([$y, $b[1]] | max)) as $ih |
	    (if $iw > 0 and $ih > 0 then $iw * $ih else 0 end) as $i |
	    $i / ($w * $h + $b[2] * $b[3] - $i)' "$1")
	awk -v i="$iou" -v m="$7" 'BEGIN { exit !(i + 0 >= m + 0) }' ||
	    fail "$2 region IoU $iou < $7 in $1"
}

# skip_unless_data PATH: the shared data set is optional; without it the
# test is reported as skipped (exit 77), not passed.
skip_unless_data() {
	[ -e "$shared_data/$1" ] || { echo "no $shared_data/$1"; exit 77; }
}

# snapshot: a listing of everything under . but ./out and ./err, with
# modes, sizes, times and content hashes, to prove inputs were not touched.
snapshot() {
	find . -path ./out -prune -o -path ./err -prune -o -print | LC_ALL=C sort |
	while IFS= read -r f; do
		if [ -f "$f" ] && [ ! -L "$f" ]; then
			printf '%s %s\n' "$(stat -c '%n %a %s %Y' "$f")" \
			    "$(sha256sum <"$f" | cut -c1-64)"
		else
			stat -c '%n %a %F' "$f"
		fi
	done
}
