# Bad input: each gets a one-line diagnostic and an error record, the run
# goes on to the next input, nothing is written, and the exit status is 2.
. "$top_srcdir/tests/lib.sh"
mkdir in && cd in || exit 1

printf 'good\n' >good.txt
mkdir locked && printf 'secret\n' >locked/f.txt
seq 1 20000 >locked/numbers.txt
(cd locked && tar -czf ../full.tar.gz f.txt numbers.txt)
head -c 2000 full.tar.gz >truncated.tar.gz
head -c 300000000 /dev/zero >zeros && zip -q bomb.zip zeros && rm zeros
/usr/bin/python3 - <<'PY' || fail "python"
import zipfile
with zipfile.ZipFile("traversal.zip", "w") as z:
    z.writestr("../../x", "escaped\n")
    z.writestr("fine.txt", "kept\n")
PY
ln -s loop loop
: >empty
printf '{"type":"hit","path":"good.txt"}\n{"type":"hit",\n' >broken.ndjson
snapshot >../before

# bad_case NAME ARGS...: one diagnostic line, an error record, good.txt still read.
bad_case() {
	name=$1
	shift
	fk-walk --json "$@" good.txt >out 2>err
	status=$?
	[ "$status" -eq 2 ] || fail "$name: exit $status, expected 2"
	expect_lines 1 err
	expect_records out
	expect_jq '[.[] | select(.type == "error")] | length == 1' out
	expect_jq '[.[] | select(.type == "item" and .path == "good.txt")] | length == 1' out
	echo "$name: $(sed 's/^fk-walk: //' err)"
}

bad_case missing no-such-file
bad_case truncated truncated.tar.gz
bad_case bomb bomb.zip
bad_case traversal traversal.zip
bad_case loop loop
bad_case empty empty
fk-walk --json <broken.ndjson >out 2>err
[ $? -eq 2 ] || fail "broken record line: exit status"
expect_jq '[.[] | select(.type == "item" and .path == "good.txt")] | length == 1' out
echo "broken line: $(sed 's/^fk-walk: //' err)"
fk-walk --json </dev/null >out 2>err
[ $? -eq 2 ] || fail "empty stdin: exit status"
echo "empty stdin: $(sed 's/^fk-walk: //' err)"
# A directory without permission: root reads anything, so drop to nobody.
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
	chmod 000 locked
	chmod 755 . && chmod 755 "$top_builddir" 2>/dev/null
	setpriv --reuid=nobody --regid=nogroup --clear-groups \
	    "$top_builddir/tests/common/fk-walk" locked >out 2>err
	status=$?
	chmod 755 locked
	[ "$status" -eq 2 ] || fail "unreadable directory: exit $status"
	echo "unreadable: $(sed 's/^.*fk-walk: //' err)"
else
	chmod 000 locked
	fk-walk locked >out 2>err
	status=$?
	chmod 755 locked
	[ "$status" -eq 2 ] || fail "unreadable directory: exit $status"
	echo "unreadable: $(sed 's/^.*fk-walk: //' err)"
fi
snapshot >../after
cmp -s ../before ../after || fail "inputs changed: $(diff ../before ../after)"
echo "inputs unchanged, nothing written beside them"
