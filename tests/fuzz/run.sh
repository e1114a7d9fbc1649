#!/bin/sh
# Runs every fuzz target built in OUTDIR for SECONDS each.
#
#   tests/fuzz/run.sh OUTDIR SECONDS [TARGET...]
#
# Each target starts from its seeds in tests/fuzz/corpus/<target>/ (read
# only: new inputs go to OUTDIR/corpus/<target>/, which later runs reuse).
# A crash, a leak, a timeout or an out-of-memory is saved as
# OUTDIR/crashes/<target>-crash-<sha1> (or -leak-, -timeout-, -oom-),
# its report is shown, and the exit status is 1.  Reproduce with
#   OUTDIR/<target> OUTDIR/crashes/<file>
set -u

[ $# -ge 2 ] || { echo "usage: tests/fuzz/run.sh OUTDIR SECONDS [TARGET...]" >&2; exit 2; }
srcdir=$(cd "$(dirname "$0")/../.." && pwd)
out=$(cd "$1" && pwd) || exit 2
secs=$2
shift 2
if [ $# -eq 0 ]; then
	set --
	for b in "$out"/fuzz-*; do
		[ -f "$b" ] && [ -x "$b" ] && set -- "$@" "${b##*/}"
	done
fi
[ $# -gt 0 ] || { echo "run.sh: no fuzz target in $out (run tests/fuzz/build.sh first)" >&2; exit 2; }

mkdir -p "$out/crashes"
failed=0
passed=0
for t in "$@"; do
	t=${t##*/}
	t=${t%.c}
	bin="$out/$t"
	seeds="$srcdir/tests/fuzz/corpus/$t"
	work="$out/corpus/$t"
	log="$out/$t.log"
	mkdir -p "$work"
	[ -d "$seeds" ] || seeds=
	# FUZZ_SEED and FUZZ_RUNS make a run repeatable (CI): a fixed seed and
	# a fixed number of runs instead of a time budget.
	budget="-max_total_time=$secs" spent="in ${secs}s"
	[ -n "${FUZZ_RUNS:-}" ] && budget="-runs=$FUZZ_RUNS" spent="(fixed count)"
	# ASan's leak check runs at exit; UBSan reports are fatal (built so).
	ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1} \
	UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1} \
	"$bin" "$budget" ${FUZZ_SEED:+-seed=$FUZZ_SEED} -timeout=30 -rss_limit_mb=2048 \
	    -max_len=262144 -print_final_stats=1 \
	    -artifact_prefix="$out/crashes/$t-" "$work" $seeds >"$log" 2>&1
	rc=$?
	stats=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" |
	    grep -o '[0-9]*$')
	if [ $rc -eq 0 ]; then
		echo "ok: $t: ${stats:-?} runs $spent, corpus $(ls "$work" | wc -l) files"
		passed=$((passed + 1))
	else
		echo "FAIL: $t (exit $rc), log $log"
		grep -E -A40 '^==[0-9]+==ERROR|runtime error:|^property failed|Test unit written' \
		    "$log" | head -80
		failed=$((failed + 1))
	fi
done
echo "fuzz: $passed passed, $failed failed"
[ $failed -eq 0 ]
