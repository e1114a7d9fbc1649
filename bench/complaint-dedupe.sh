#!/bin/sh
# complaint-dedupe beside what a user would otherwise try, on the same
# letters: Debian's simhash(1) (shingleprinting, all pairs with -m) and an
# exact all-pairs Jaccard of raw character 5-grams, on a subset small
# enough for them; then the threshold curve on the whole labelled set,
# the CAIL2019 court facts as hard negatives, and the scale figures: 100k
# and 1M letters (wall, CPU = user + sys, peak RSS, and the ratio of the
# largest to the smallest size, 10 for linear time).
#
#   bench/complaint-dedupe.sh [BUILDDIR]     (default: .)
#
# Environment: WORK (scratch dir, default a mktemp; generated letter sets
# are kept there and reused), N (subset size, 1000), SCALE (the letter
# counts of the scale part, default "100000 1000000"; SCALE=0 skips it),
# JOBS (-j, default 2).  Other processes on the machine inflate wall
# time: compare CPU time when it is not idle.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-.}/complaint-dedupe
[ -x "$bin" ] || { echo "no $bin: give the build directory" >&2; exit 2; }
gen="/usr/bin/python3 $top/bench/complaint-dedupe-gen.py"
data=$top/../shared/data
W=${WORK:-$(mktemp -d /tmp/cd-bench.XXXXXX)}
N=${N:-1000}
J=${JOBS:-2}
cail=
[ -f "$data/text/cail2019_scm_sample.jsonl" ] && cail="--cail $data/text/cail2019_scm_sample.jsonl"

now() { date +%s.%N; }
el() { echo "$2 - $1" | bc; }

echo "== labelled set: 40 template families x 40 letters (edits none/light/medium/strong), 800 genuine letters"
$gen gen --seed 11 $cail >"$W/set.jsonl"
$gen subset "$W/set.jsonl" --n "$N" --seed 3 --out "$W/sub.jsonl" --dir "$W/sub"

echo "== side by side on $N letters (random subset)"
t0=$(now); "$bin" -q -j "$J" --csv "$W/sub.jsonl" >"$W/cd.csv"; t1=$(now)
printf '%-34s %7.2f s  ' "complaint-dedupe -t 0.5" "$(el "$t0" "$t1")"; $gen score "$W/sub.jsonl" "$W/cd.csv"
if command -v simhash >/dev/null; then
	t0=$(now); (cd "$W/sub" && simhash -m r*.txt >"$W/sim.matrix"); t1=$(now)
	for cut in 0.3 0.5 0.7; do
		$gen simhash-csv "$W/sim.matrix" --cut $cut >"$W/sim.csv"
		printf '%-34s %7.2f s  ' "simhash -m (cut $cut)" "$(el "$t0" "$t1")"; $gen score "$W/sub.jsonl" "$W/sim.csv"
	done
else
	echo "simhash: not installed (apt-get install simhash)"
fi
t0=$(now); $gen allpairs "$W/sub.jsonl" --t 0.5 >"$W/ap.csv"; t1=$(now)
printf '%-34s %7.2f s  ' "exact all-pairs Jaccard 5-grams" "$(el "$t0" "$t1")"; $gen score "$W/sub.jsonl" "$W/ap.csv"

echo "== threshold curve on all $(wc -l <"$W/set.jsonl") letters"
for t in 0.3 0.4 0.45 0.5 0.55 0.6 0.7 0.8; do
	"$bin" -q -j "$J" -t $t --csv "$W/set.jsonl" >"$W/t.csv"
	printf 't %-5s ' $t; $gen score "$W/set.jsonl" "$W/t.csv"
done

if [ -n "$cail" ]; then
	echo "== CAIL2019 court facts (distinct texts, hard negatives): clusters at -t 0.5 and 0.3"
	/usr/bin/python3 -c '
import json, sys
seen = set()
for l in open(sys.argv[1], encoding="utf-8"):
    o = json.loads(l)
    for k in "ABC":
        if o[k] not in seen:
            seen.add(o[k]); print(json.dumps({"text": o[k]}, ensure_ascii=False))
' "$data/text/cail2019_scm_sample.jsonl" >"$W/cail.jsonl"
	for t in 0.5 0.3; do
		printf 't %s: ' $t
		"$bin" -q --json -t $t "$W/cail.jsonl" | tail -1
	done
fi

SCALE=${SCALE:-100000 1000000}
if [ "$SCALE" != 0 ]; then
	echo "== scale: letters of ~600 characters, half from templates, half unique (chat text); -j $J --json"
	echo "   (load average before: $(cut -d' ' -f1-3 /proc/loadavg))"
	chat=
	[ -f "$data/chat/base_qq.txt" ] && chat="--chat $data/chat/base_qq.txt"
	first= last=
	for n in $SCALE; do
		f=$W/big$n.jsonl
		[ -f "$f" ] || $gen big --n "$n" --seed 7 $chat >"$f"
		# exit 1 (clusters found) makes time(1) write a line before its own
		/usr/bin/time -f "%e %U %S %M" -o "$W/time$n.raw" "$bin" -q -j "$J" --json "$f" >"$W/big$n.out"
		tail -n 1 "$W/time$n.raw" >"$W/time$n"
		read -r wall user sys rss <"$W/time$n"
		printf '%8d letters: %7.1f s wall, %7.1f s CPU, %6.0f MB max RSS; %s\n' "$n" "$wall" \
		    "$(echo "$user + $sys" | bc)" "$(echo "$rss / 1024" | bc)" \
		    "$(tail -1 "$W/big$n.out" | jq -r '"\(.clusters) clusters, \(.clustered) letters in them, \(.verified) pairs verified"')"
		[ -n "$first" ] || first=$n
		last=$n
	done
	if [ "$first" != "$last" ]; then
		w1=$(cut -d' ' -f1 "$W/time$first"); w2=$(cut -d' ' -f1 "$W/time$last")
		c1=$(cut -d' ' -f2,3 "$W/time$first" | tr ' ' +); c2=$(cut -d' ' -f2,3 "$W/time$last" | tr ' ' +)
		echo "$last/$first letters = $(echo "scale=1; $last / $first" | bc): time ratio wall $(echo "scale=2; $w2 / $w1" | bc), CPU $(echo "scale=2; ($c2) / ($c1)" | bc)"
	fi
fi
[ -n "${WORK:-}" ] || rm -rf "$W"
