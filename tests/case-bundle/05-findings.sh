# Findings: record streams from the other tools go into data/findings/,
# the files they name are packed, their SHA-256 is compared with the file
# as packed (a mismatch stops the seal and leaves no output), archive
# members are checked by streaming, tool headers become custody entries.
. "$top_srcdir/tests/lib.sh"
mkdir ev maps
printf 'letter one\n' >ev/letter1.txt
printf 'a forged certificate\n' >cert.jpg
printf 'overlay png\n' >maps/cert.overlay.png
printf 'inner text\n' >inner.txt
zip -q -X chats.zip inner.txt
s_cert=$(sha256sum <cert.jpg | cut -d' ' -f1)
s_inner=$(sha256sum <inner.txt | cut -d' ' -f1)
s_letter=$(sha256sum <ev/letter1.txt | cut -d' ' -f1)
cat >img.jsonl <<JSON
{"type":"header","format":1,"tool":"imgforge-check","version":"0.3.0","argv":["imgforge-check","--json","cert.jpg"],"started":"2026-03-01T08:00:00Z"}
{"type":"image","path":"cert.jpg","sha256":"$s_cert","size":21,"verdict":"forged","findings":[],"overlay":"maps/cert.overlay.png"}
{"type":"summary","counts":{"inputs":1}}
JSON
cat >chat.jsonl <<JSON
{"type":"header","format":1,"tool":"chatlog-grep","version":"0.2.0","argv":["chatlog-grep","--json","chats.zip"],"started":"2026-03-02T09:00:00Z"}
{"type":"hit","path":"chats.zip","member":"inner.txt","sha256":"$s_inner","size":11,"format":"text"}
{"type":"error","path":"other.bin","message":"unreadable"}
JSON
cat >dedupe.jsonl <<JSON
{"type":"header","format":1,"tool":"complaint-dedupe","version":"0.1.0","argv":["complaint-dedupe","ev"],"started":"2026-03-03T10:00:00Z"}
{"type":"cluster","id":1,"size":1,"members":[{"path":"ev/letter1.txt","sha256":"$s_letter","similarity":1.0}]}
JSON
# one stream through a pipe, two as files
cat img.jsonl | case-bundle create -o case.tar --case-id F-1 --findings chat.jsonl \
    --findings dedupe.jsonl --source-date-epoch 1767225600 ev >out 2>err ||
    fail "create with findings failed: $(cat err)"
tar tf case.tar | sed 's|^F-1/||' | grep '^data/' >members
for m in data/ev/letter1.txt data/cert.jpg data/chats.zip data/findings/maps/cert.overlay.png; do
	grep -qxF "$m" members || fail "$m not packed: $(cat members)"
done
[ "$(grep -c '^data/findings/.*\.jsonl$' members)" -eq 3 ] || fail "expected three findings streams"
grep -q '^data/findings/imgforge-check-' members || fail "the stream is not named after its tool"
[ "$(grep -c 'letter1' members)" -eq 1 ] || fail "a file named twice was packed twice"
tar xf case.tar
jq -e -s 'map(select(.action == "analysis")) | map(.tool) == ["imgforge-check", "chatlog-grep", "complaint-dedupe"]' \
    F-1/case/custody-log.jsonl >/dev/null || fail "analysis entries missing or out of order: $(cat F-1/case/custody-log.jsonl)"
jq -e -s 'map(select(.action == "analysis"))[0] | .time == "2026-03-01T08:00:00Z" and .version == "0.3.0" and
    .argv == ["imgforge-check","--json","cert.jpg"]' F-1/case/custody-log.jsonl >/dev/null ||
    fail "the analysis entry does not carry the tool's header"
cmp img.jsonl F-1/data/findings/imgforge-check-*.jsonl || fail "the stream was not packed as it came"
expect_exit 0 case-bundle verify case.tar
# what each tool said about a file goes into its 备注
jq -e '(.items[] | select(.name == "cert.jpg") | .remarks) == "imgforge-check: forged" and
    (.items[] | select(.name == "ev/letter1.txt") | .remarks) == "complaint-dedupe: cluster 1" and
    (.items[] | select(.name == "chats.zip") | .remarks) == "chatlog-grep: hits"' \
    F-1/case/evidence-list.json >/dev/null || fail "remarks: $(jq -c '[.items[] | .remarks]' F-1/case/evidence-list.json)"

# the file changed after it was analysed: no seal, no output, a clear error
printf 'a forged certificate, edited\n' >cert.jpg
expect_exit 2 case-bundle create -o bad.tar --case-id F-2 --findings img.jsonl ev
expect_grep "cert.jpg.*SHA-256 differs from the imgforge-check record: the file changed since then; not sealed" err
[ ! -e bad.tar ] || fail "bad.tar was written"
ls | grep -q 'bad.tar' && fail "a temporary file was left"
# a member that changed inside its archive
printf 'inner text, changed\n' >inner.txt
rm chats.zip
zip -q -X chats.zip inner.txt
expect_exit 2 case-bundle create -o bad.tar --case-id F-3 --findings chat.jsonl ev
expect_grep "chats.zip.*inner.txt.*SHA-256 differs from the chatlog-grep record" err
[ ! -e bad.tar ] || fail "bad.tar was written"
# a named file that is gone
rm cert.jpg
expect_exit 2 case-bundle create -o bad.tar --case-id F-4 --findings img.jsonl ev
expect_grep "cert.jpg.*named in the imgforge-check record but missing" err
# a stream that is not records
printf 'not json\n' >junk.jsonl
expect_exit 2 case-bundle create -o bad.tar --case-id F-5 --findings junk.jsonl ev
expect_grep "junk.jsonl.*line 1" err
[ ! -e bad.tar ] || fail "bad.tar was written"
