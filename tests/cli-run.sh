#!/bin/sh
# Runs one CLI test script the way zstd's cli-tests do: the script runs in
# a fresh temporary directory; its stdout is compared with SCRIPT.stdout.exact
# (when present) and its exit status with SCRIPT.exit (default 0).  The
# result is reported as TAP.  FORGEKIT_REGEN=1 rewrites both sidecars from
# what the script does now: read them before committing.
script=$1
case $script in
/*) ;;
*) script=$PWD/$script ;;	# the script runs from elsewhere
esac
name=${script##*/}
: "${top_srcdir:?}" "${top_builddir:?}"
export top_srcdir top_builddir
export LC_ALL=C.UTF-8 TZ=UTC NO_COLOR=1

work=$(mktemp -d "${TMPDIR:-/tmp}/forgekit-test.XXXXXX") || exit 99
trap 'chmod -R u+rwx "$work" 2>/dev/null; rm -rf "$work"' EXIT
(cd "$work" && sh "$script" </dev/null >"$work/.stdout" 2>"$work/.stderr")
status=$?

want_status=0
[ -f "$script.exit" ] && want_status=$(cat "$script.exit")
if [ -n "$FORGEKIT_REGEN" ]; then
	cp "$work/.stdout" "$script.stdout.exact"
	[ "$status" -ne 0 ] && echo "$status" >"$script.exit"
	[ "$status" -eq 0 ] && rm -f "$script.exit"
	want_status=$status
fi

echo "1..2"
if [ "$status" -eq 77 ]; then
	# The script found something it needs missing (optional data): skip.
	reason=$(tail -n 1 "$work/.stdout")
	echo "ok 1 - $name # SKIP $reason"
	echo "ok 2 - $name stdout # SKIP $reason"
	exit 0
fi
if [ "$status" -eq "$want_status" ]; then
	echo "ok 1 - $name exits $status"
else
	echo "not ok 1 - $name exits $status, expected $want_status"
	sed 's/^/# stderr: /' "$work/.stderr" | head -n 40
fi
if [ ! -f "$script.stdout.exact" ]; then
	echo "ok 2 - $name stdout # SKIP no .stdout.exact sidecar"
elif cmp -s "$script.stdout.exact" "$work/.stdout"; then
	echo "ok 2 - $name stdout matches"
else
	echo "not ok 2 - $name stdout differs from $name.stdout.exact"
	diff -u "$script.stdout.exact" "$work/.stdout" | head -n 60 | sed 's/^/# /'
fi
