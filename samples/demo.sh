#!/bin/sh
# The demo: every forgekit tool on the sample case, ending in a sealed,
# verified bundle.  Run from the top of a built tree; everything it
# writes goes to ./demo-out (or the directory given as $1).
out=${1:-demo-out}
top=$(cd "$(dirname "$0")/.." && pwd)
PATH="$top:$PATH"
samples="$top/samples"
mkdir -p "$out" || exit 2

# step TITLE CMD...: runs one step, tells apart "found", "nothing" and trouble.
step() {
	title=$1
	shift
	printf '\n== %s\n$ %s\n' "$title" "$*"
	"$@"
	status=$?
	case $status in
	0|1) ;;
	*) echo "(exit $status: see the messages above)" ;;
	esac
	return 0
}

step "Forged certificates and edited screenshots" \
    imgforge-check --maps "$out/maps" "$samples/images"
step "Template letters and the rings behind them" \
    complaint-dedupe "$samples/letters"
step "Coded language in the chat exports" \
    chatlog-grep -C 1 "$samples/chats"

printf '\n== Findings as records for the bundle\n'
imgforge-check --json --maps "$out/maps" "$samples/images" >"$out/images.ndjson"
complaint-dedupe --json "$samples/letters" >"$out/letters.ndjson"
chatlog-grep --json "$samples/chats" >"$out/chats.ndjson"
wc -l "$out"/*.ndjson

rm -f "$out/case.tar"
cat "$out"/*.ndjson | step "Sealing the case" case-bundle create \
    -o "$out/case.tar" --case-id FK-DEMO-2026-001 --source-date-epoch 1795305600
step "Verifying it as the receiving unit would" case-bundle verify "$out/case.tar"
step "The evidence list" case-bundle list "$out/case.tar"
step "The printable evidence list (电子数据清单)" \
    case-bundle report -o "$out/case.html" "$out/case.tar"
printf '\nEverything the demo wrote is in %s\n' "$out"
