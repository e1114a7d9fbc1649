# Bad input: usage errors, missing or unreadable inputs, hostile archives
# and field files get one diagnostic and the right exit status; nothing
# is written where the user did not ask, and a killed run leaves nothing.
. "$top_srcdir/tests/lib.sh"
mkdir ev
printf 'e\n' >ev/e.txt
expect_exit 2 case-bundle
expect_grep 'no verb given' err
expect_grep '^usage: case-bundle create' err
expect_exit 2 case-bundle frobnicate
expect_grep "unknown verb 'frobnicate'" err
expect_exit 2 case-bundle create ev
expect_grep 'create needs -o' err
expect_exit 2 case-bundle create -o x.tar --source-date-epoch soon ev
expect_exit 2 case-bundle create -o x.tar --no-such-option ev
expect_exit 2 case-bundle create -o x.tar nope
expect_grep "cannot open 'nope': No such file or directory" err
[ ! -e x.tar ] || fail "x.tar written after an error"
expect_exit 2 case-bundle create -o no/such/dir/x.tar ev
expect_grep "cannot create 'no/such/dir/x.tar'" err
printf 'Case-Identifier: F-9\nNot-A-Field: x\n' >bad.fields
expect_exit 2 case-bundle create -o x.tar --fields bad.fields ev
expect_grep "bad.fields': line 2: unknown field 'Not-A-Field'" err
printf '# from the notice\nCase-Identifier: F-9\ncause: 非法集资\nwitness:  赵六  \n' >good.fields
expect_exit 0 case-bundle create -o x.tar --fields good.fields --witness 钱七 --source-date-epoch 1 ev
tar xOf x.tar F-9/bag-info.txt >info
expect_grep '^Case-Cause: 非法集资$' info
expect_grep '^Witness: 钱七$' info
# a line break in a field cannot forge another bag-info line
expect_exit 0 case-bundle create -o y.tar --case-id "$(printf 'Y-1\nPayload-Oxum: 1.1')" --source-date-epoch 1 ev
[ "$(tar xOf y.tar 'Y-1 Payload-Oxum_ 1.1/bag-info.txt' | grep -c '^Payload-Oxum')" -eq 1 ] ||
    fail "a field value injected a bag-info line"
expect_exit 0 case-bundle verify y.tar

expect_exit 2 case-bundle verify nope.tar
expect_grep "cannot open 'nope.tar'" err
expect_exit 2 case-bundle verify x.tar y.tar
printf 'this is not an archive at all\n' >junk.tar
expect_exit 1 case-bundle verify junk.tar
expect_grep '^FAIL +archive' out
# hostile archives: a symbolic link, a path that climbs out
mkdir -p h/B/data
printf 'x\n' >h/B/data/f
ln -s /etc/passwd h/B/data/link
(cd h && tar cf ../sym.tar B)
expect_exit 1 case-bundle verify sym.tar
expect_grep "'B/data/link' is not a file or directory" out
(cd h && tar cf ../climb.tar -P --transform 's|^B/data/f|B/../../evil|' B/data/f 2>/dev/null)
expect_exit 1 case-bundle verify climb.tar
expect_grep "unsafe member name 'B/../../evil'" out
[ ! -e ../evil ] && [ ! -e evil ] || fail "something was extracted"
expect_exit 2 case-bundle list junk.tar
expect_grep 'no evidence list' err
expect_exit 2 case-bundle list --format xml x.tar
expect_exit 2 case-bundle seal -o z.tar nostage
[ ! -e z.tar ] || fail "z.tar written"

# a run killed half-way leaves nothing at the output path, nor a temporary
truncate -s 400M big.bin
case-bundle create -o killed.tar --case-id K big.bin >/dev/null 2>&1 &
pid=$!
sleep 1
kill -9 $pid 2>/dev/null
wait $pid 2>/dev/null
ls | grep -q killed && fail "a killed run left $(ls | grep killed)"
echo "killed run left nothing"
