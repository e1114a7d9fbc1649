#!/bin/sh
# chatlog-grep against ripgrep and ugrep, side by side in one hyperfine run:
# a ~234 MB QQ export (the shared base_qq.txt twelve times) searched for
# 1,000 and 10,000 terms.  Prints the median wall times, the mean CPU
# times (user + system: the machine may be shared), the ratios of both,
# and the peak memory of one more run of each.
#   bench/chatlog-grep.sh [BUILD_DIR]     (RUNS=3 by default; keep it short)
# The lexicons are the shared pattern lists with a category column added.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top}
bin="$build/chatlog-grep"
data="$top/../shared/data/chat"
work=${TMPDIR:-/tmp}/chatlog-grep-bench
runs=${RUNS:-3}
for t in hyperfine rg ugrep jq; do
	command -v $t >/dev/null || { echo "bench: $t is not installed" >&2; exit 2; }
done
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time is not installed" >&2; exit 2; }
[ -x "$bin" ] || { echo "bench: no $bin (build first)" >&2; exit 2; }
[ -f "$data/base_qq.txt" ] || { echo "bench: no $data/base_qq.txt" >&2; exit 2; }
mkdir -p "$work"
big="$work/big_qq.txt"
if [ ! -f "$big" ]; then
	i=0
	while [ $i -lt 12 ]; do cat "$data/base_qq.txt"; i=$((i + 1)); done >"$big"
fi
echo "input: $(du -m "$big" | cut -f1) MB, $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"
for n in 1000 10000; do
	pat="$data/pat_$n.txt"
	lex="$work/lex_$n.tsv"
	awk '{ print $0 "\tbench" }' "$pat" >"$lex"
	# Same hits for the same question: the exact terms, one line a message.
	hyperfine -N --output=pipe --style basic --warmup 1 --runs "$runs" \
	    --export-json "$work/result_$n.json" \
	    -n "chatlog-grep --evasion off" "$bin --evasion off -f $lex $big" \
	    -n "chatlog-grep --evasion normal" "$bin --evasion normal -f $lex $big" \
	    -n "rg -F -f" "rg -F -f $pat $big" \
	    -n "ugrep -F -f" "ugrep -F -f $pat $big" >/dev/null 2>&1 || true
	jq -r --arg n "$n" '
	    def r2: . * 100 | floor / 100;
	    (.results | map({(.command): .median}) | add) as $m |
	    (.results | map({(.command): (.user + .system)}) | add) as $c |
	    "\($n) terms, median wall (mean CPU):",
	    (.results[] | "  \(.command): \(.median * 1000 | floor) ms (\((.user + .system) * 1000 | floor) ms)"),
	    (("rg", "ugrep") as $t | ("off", "normal") as $e |
	    ($t + " -F -f") as $o | ("chatlog-grep --evasion " + $e) as $us |
	    "  \($t) / chatlog-grep \($e): wall \(($m[$o] / $m[$us]) | r2)x, CPU \(($c[$o] / $c[$us]) | r2)x")' \
	    "$work/result_$n.json"
	for c in "$bin --evasion off -f $lex" "$bin --evasion normal -f $lex" \
	    "rg -F -f $pat" "ugrep -F -f $pat"; do
		/usr/bin/time -f "%M" -o "$work/rss" $c "$big" >/dev/null 2>&1 || true
		echo "  peak RSS $(($(tail -1 "$work/rss") / 1024)) MB: ${c%% -f*}" |
		    sed "s|$build/||"
	done
done
