# -j N changes the speed, never the output: reports come in input order.
. "$top_srcdir/tests/lib.sh"
[ -f "$samples/truth/images.json" ] || { echo "skip: no samples"; exit 0; }
imgforge-check -j 1 --json "$samples/images" >one 2>/dev/null
imgforge-check -j 2 --json "$samples/images" >two 2>/dev/null
imgforge-check -j 5 --json "$samples/images" >five 2>/dev/null
strip() { jq -c 'del(.started, .elapsed, .argv)' "$1"; }
[ "$(strip one)" = "$(strip two)" ] || { strip one >a; strip two >b; fail "-j 2 differs from -j 1: $(diff a b | head -5)"; }
[ "$(strip one)" = "$(strip five)" ] || fail "-j 5 differs from -j 1"
jq -s '[.[] | select(.type == "image")] | length' one
