#!/bin/sh
# imgforge-check against what a user would otherwise run, side by side in
# one run (hyperfine):
#  1. a full default check of a 12-megapixel camera JPEG against djpeg
#     decoding the same file (the target: 10x decode time or less), wall
#     and CPU time, then each check family alone;
#  2. pictures per second over the sample case with -j 1 and -j 2.
#
#   bench/imgforge-check.sh [BUILDDIR] [JPEG]
# BUILDDIR holds the imgforge-check binary (default: the current
# directory); JPEG defaults to the shared data's 12 MP phone photo.
set -u
srcdir=$(cd "$(dirname "$0")/.." && pwd)
bin=$(cd "${1:-.}" && pwd)/imgforge-check
img=${2:-$srcdir/../shared/data/images/exif-samples/jpg/tests/42_IndexError.jpg}
[ -x "$bin" ] || { echo "bench: no imgforge-check in ${1:-.}" >&2; exit 2; }
[ -r "$img" ] || { echo "bench: cannot read '$img'" >&2; exit 2; }
for t in hyperfine djpeg jq; do
	command -v $t >/dev/null || { echo "bench: $t is not installed" >&2; exit 2; }
done
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT

median() {	# median FILE INDEX: seconds
	jq ".results[$2].median" "$1"
}

echo "== one picture: $(basename "$img") ($(identify -format '%wx%h' "$img" 2>/dev/null))"
# imgforge-check exits 1 when it finds evidence: not a failure here.
hyperfine -N -i --warmup 1 --runs 5 --export-json "$tmp/one.json" \
    "djpeg -outfile /dev/null $img" \
    "$bin -q $img" || exit 2
d=$(median "$tmp/one.json" 0)
c=$(median "$tmp/one.json" 1)
cpu() {	# cpu FILE INDEX: mean user + system seconds
	jq ".results[$2].user + .results[$2].system" "$1"
}
dc=$(cpu "$tmp/one.json" 0)
cc=$(cpu "$tmp/one.json" 1)
echo "ratio: imgforge-check / djpeg = $(echo "$c / $d" | bc -l | cut -c1-5)x wall (median $c s vs $d s)"
# On a shared machine wall time includes waiting for a core: CPU time too.
echo "       $(echo "$cc / $dc" | bc -l | cut -c1-5)x CPU, user + system (mean $cc s vs $dc s)"

# Each check family alone (decoding and the container checks included:
# --checks meta alone is that floor).
echo "== per check family, same picture"
hyperfine -N -i --warmup 1 --runs 3 --export-json "$tmp/fam.json" \
    "$bin -q --checks meta $img" "$bin -q --checks zero $img" \
    "$bin -q --checks dq $img" "$bin -q --checks copymove $img" \
    "$bin -q --checks noise $img" >/dev/null || exit 2
k=0
for f in meta zero dq copymove noise; do
	echo "$f: median $(median "$tmp/fam.json" $k) s wall, $(cpu "$tmp/fam.json" $k) s CPU"
	k=$((k + 1))
done

set -- "$srcdir"/samples/images/*.jpg "$srcdir"/samples/images/*.png
n=$#
echo "== the sample case: $n pictures"
hyperfine -N -i --warmup 1 --runs 3 --export-json "$tmp/case.json" \
    "$bin -q -j 1 $*" "$bin -q -j 2 $*" >/dev/null || exit 2
for k in 0 1; do
	s=$(median "$tmp/case.json" $k)
	echo "-j $((k + 1)): $(echo "$n / $s" | bc -l | cut -c1-5) pictures/s (median $s s)"
done
