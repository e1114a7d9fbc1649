# The record stream frame: one header, items, errors, one summary; every
# line valid JSON and valid UTF-8, even for names that are not UTF-8.
. "$top_srcdir/tests/lib.sh"

printf 'x' >ok.txt
printf 'y' >"bad$(printf '\377')name.txt"
expect_exit 2 fk-walk --json ok.txt missing.txt bad*name.txt
expect_records out
expect_jq '.[0] | .format == 1 and .tool == "fk-walk" and .version != null and
    (.argv | length) == 5 and (.started | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z$"))' out
expect_jq '[.[] | select(.type == "item")] | length == 2' out
expect_jq '.[] | select(.type == "item" and .lossy == true) | .path == "bad\ufffdname.txt"' out
expect_jq '.[] | select(.type == "error") | .path == "missing.txt" and
    (.message | test("cannot open .missing.txt.: No such file"))' out
expect_jq '.[-1].errors == 1 and (.[-1].elapsed | type) == "number"' out
iconv -f UTF-8 -t UTF-8 out >/dev/null || fail "output is not valid UTF-8"
expect_lines 1 err
echo ok
