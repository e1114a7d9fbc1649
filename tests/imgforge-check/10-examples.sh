# Every command of the man page's EXAMPLES, run from the source tree.
. "$top_srcdir/tests/lib.sh"
[ -f "$samples/truth/images.json" ] || { echo "skip: no samples"; exit 0; }
here=$PWD
cd "$top_srcdir" || exit 1
imgforge-check samples/images/*.jpg samples/images/*.png >"$here/out" 2>"$here/err"
st=$?
cd "$here" || exit 1
[ $st -eq 1 ] || fail "example 1: exit $st: $(cat err)"
[ "$(grep -c '^samples/images/.*: \(forged\|suspicious\|no-evidence\)$' out)" -eq 13 ] ||
    fail "example 1: not one verdict line per picture: $(cat out)"
expect_grep '^samples/images/authentic_poverty_1.jpg: no-evidence$' out
expect_grep '^samples/images/forged_name.jpg: (forged|suspicious)$' out

cd "$top_srcdir" || exit 1
imgforge-check --json --checks meta,dqt samples/images/forged_name.jpg >"$here/out" 2>"$here/err"
st=$?
cd "$here" || exit 1
[ $st -eq 1 ] || fail "example 2: exit $st"
expect_jq '.[1].verdict == "suspicious" and
    ([.[1].findings[].check] | index("jpeg.app13.photoshop") != null) and
    .[1].facts.quantisation != null' out

cd "$top_srcdir" || exit 1
imgforge-check --maps "$here/maps" samples/images/screen_chat_forged_line.png >"$here/out" 2>"$here/err"
st=$?
cd "$here" || exit 1
[ $st -eq 1 ] || fail "example 3: exit $st"
expect_grep "^  overlay: $here/maps/screen_chat_forged_line.png.[0-9a-f]{8}.overlay.png$" out
[ -s maps/screen_chat_forged_line.png.*.mask.png ] || fail "example 3: no mask"

cd "$top_srcdir" || exit 1
imgforge-check --json samples/images | jq -r 'select(.type == "image") | .path + " " + .verdict' \
    >"$here/out" 2>"$here/err"
cd "$here" || exit 1
expect_grep '^samples/images/screen_pay.png no-evidence$' out
expect_grep '^samples/images/screen_chat_forged_line.png (forged|suspicious)$' out
