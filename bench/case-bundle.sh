#!/bin/sh
# case-bundle create against what an investigator would run by hand, side by
# side in one run: sha256sum, sha512sum, openssl dgst -sm3 and tar, one after
# another over the same files.  Then verify against the slowest single hash
# (openssl dgst -sm3) over the payload.  Target: create <= 0.6 of the
# by-hand wall time (one read; the payload's three digests and the
# archive's own SHA-256 and SM3 on threads, each SM3 alone), verify ~ 1.0.
#   bench/case-bundle.sh [BUILD_DIR]      (MB=1024 by default; RUNS=1;
#                                          PERF=1: free-core estimate)
# Wall and CPU (user + system) seconds are printed for both sides: on a
# machine other work shares, wall time cannot show the threads' gain and
# follows CPU time instead.
# The payload (16 files of random data plus 200 small ones) is made in
# $TMPDIR and removed afterwards; the page cache is warmed first so that
# every command reads from memory.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top}
bin="$build/case-bundle"
mb=${MB:-1024}
runs=${RUNS:-1}
work=${TMPDIR:-/tmp}/case-bundle-bench
[ -x "$bin" ] || { echo "bench: no $bin (build first)" >&2; exit 2; }
for t in sha256sum sha512sum openssl tar bc /usr/bin/time; do
	command -v $t >/dev/null || { echo "bench: $t is not installed" >&2; exit 2; }
done
rm -rf "$work"
mkdir -p "$work/ev/small"
trap 'rm -rf "$work"' EXIT
per=$((mb / 16))
i=0
while [ $i -lt 16 ]; do
	head -c $((per * 1048576)) /dev/urandom >"$work/ev/big$i.bin"
	i=$((i + 1))
done
i=0
while [ $i -lt 200 ]; do
	head -c $((i * 97 + 1)) /dev/urandom >"$work/ev/small/s$i.dat"
	i=$((i + 1))
done
cd "$work"
cat ev/*.bin ev/small/* >/dev/null
echo "payload: $(du -sm ev | cut -f1) MiB in $(find ev -type f | wc -l) files, $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"

# wall and CPU (user + system) seconds of a command and its children
measure() {	# out-file command...
	out=$1
	shift
	/usr/bin/time -f '%e %U %S' -o "$out" "$@" >/dev/null
}
wall() { cut -d' ' -f1 "$1"; }
cpu() { awk '{ print $2 + $3 }' "$1"; }
ratio() { echo "scale=2; $1 / $2" | bc; }

r=0
while [ $r -lt "$runs" ]; do
	measure hand.t sh -c 'find ev -type f -print0 | sort -z | xargs -0 sha256sum &&
	    find ev -type f -print0 | sort -z | xargs -0 sha512sum &&
	    find ev -type f -print0 | sort -z | xargs -0 openssl dgst -sm3 &&
	    tar cf hand.tar ev'
	# like for like: the rules also want the archive's own hashes
	measure handarc.t sh -c 'sha256sum hand.tar && openssl dgst -sm3 hand.tar'
	measure create.t "$bin" create -q -o case.tar --case-id BENCH \
	    --source-date-epoch 1767225600 ev
	measure verify.t "$bin" verify -q case.tar
	measure sm3.t sh -c 'find ev -type f -print0 | sort -z | xargs -0 openssl dgst -sm3'
	echo "run $((r + 1)): by hand $(wall hand.t)s wall $(cpu hand.t)s CPU;" \
	    "create $(wall create.t)s wall $(cpu create.t)s CPU;" \
	    "verify $(wall verify.t)s wall $(cpu verify.t)s CPU;" \
	    "openssl sm3 alone $(wall sm3.t)s wall $(cpu sm3.t)s CPU"
	echo "  create / by hand: $(ratio "$(wall create.t)" "$(wall hand.t)") wall" \
	    "(target <= 0.60), $(ratio "$(cpu create.t)" "$(cpu hand.t)") CPU"
	hw=$(echo "$(wall hand.t) + $(wall handarc.t)" | bc)
	hc=$(echo "$(cpu hand.t) + $(cpu handarc.t)" | bc)
	echo "  create / by hand with the tar's sha256 and sm3 too:" \
	    "$(ratio "$(wall create.t)" "$hw") wall, $(ratio "$(cpu create.t)" "$hc") CPU"
	echo "  verify / sm3 alone: $(ratio "$(wall verify.t)" "$(wall sm3.t)") wall" \
	    "(target ~ 1.0), $(ratio "$(cpu verify.t)" "$(cpu sm3.t)") CPU"
	echo "  create $(echo "$mb / $(wall create.t)" | bc) MiB/s," \
	    "verify $(echo "$mb / $(wall verify.t)" | bc) MiB/s"
	rm -f hand.tar case.tar case.tar.sha256 case.tar.sm3
	r=$((r + 1))
done
# PERF=1: where other work keeps the cores busy, estimate the wall time on
# two free cores from each thread's share of the CPU samples (perf):
# max(busiest thread, all threads / 2).  The by-hand commands run one after
# another, so on free cores their wall time is their CPU time.
if [ "${PERF:-0}" = 1 ] && command -v perf >/dev/null; then
	share() {	# the busiest thread's share, or 1/2 if the work spreads
		perf script -i "$1" -F tid,period 2>/dev/null | awk '
		    { c[$1] += $2; t += $2 }
		    END { m = 0; for (k in c) if (c[k] > m) m = c[k];
			  if (m < t / 2) m = t / 2; printf "%.3f", m / t }'
	}
	perf record -q -F 499 -o perf.create "$bin" create -q -o case.tar \
	    --case-id BENCH --source-date-epoch 1767225600 ev >/dev/null 2>&1
	perf record -q -F 499 -o perf.verify "$bin" verify -q case.tar >/dev/null 2>&1
	ce=$(echo "$(share perf.create) * $(cpu create.t)" | bc)
	ve=$(echo "$(share perf.verify) * $(cpu verify.t)" | bc)
	echo "on two free cores (estimate from the last run's CPU and perf's" \
	    "per-thread shares): create ~${ce}s, $(ratio "$ce" "$(cpu hand.t)")" \
	    "of by hand; verify ~${ve}s, $(ratio "$ve" "$(cpu sm3.t)") of sm3 alone"
	rm -f perf.create perf.verify case.tar case.tar.sha256 case.tar.sm3
fi
echo "load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "(create also hashes the archive it writes, SHA-256 and SM3, for the"
echo " .sha256/.sm3 beside it; the by-hand run does not: two SM3 passes are"
echo " most of create's CPU, on two threads.  Where other work keeps the cores"
echo " busy the wall ratios approach the CPU ratios.)"
