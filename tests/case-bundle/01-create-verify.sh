# create seals a directory of evidence; verify passes every step; the
# bag's tag files say what the rules ask for.
. "$top_srcdir/tests/lib.sh"
mkdir -p ev/sub
printf 'hello\n' >ev/a.txt
head -c 700000 /dev/zero | tr '\0' 'x' >ev/sub/big.bin
printf '%s\n' '王秀兰 贫困证明' >ev/sub/证明.txt
expect_exit 0 case-bundle create -o case.tar --case-id 'A-2026-001' \
    --cause '诈骗' --notice '深公（经）调证字〔2026〕118号' --unit '某银行信用卡中心' \
    --handler '张三' --witness '李四' --source '客户投诉材料' \
    --originals '某银行档案室' --method '复制' --place '深圳' \
    --source-date-epoch 1767225600 ev
expect_grep "^sealed case.tar: bag 'A-2026-001', 3 payload file\(s\), 700029 bytes" out
expect_grep '^sha256  [0-9a-f]{64}  case.tar$' out
expect_grep '^sm3     [0-9a-f]{64}  case.tar$' out
# the archive's own hashes, beside it, checkable by the usual tools
sha256sum -c case.tar.sha256 >/dev/null || fail "case.tar.sha256 does not check"
[ "$(openssl dgst -sm3 -r case.tar | cut -d' ' -f1)" = "$(cut -d' ' -f1 case.tar.sm3)" ] ||
    fail "case.tar.sm3 does not match"
grep -q "$(cut -d' ' -f1 case.tar.sha256)" out || fail "printed hash differs from the sidecar"

# layout: one top directory, BagIt declaration first, payload, then tag files
tar tf case.tar >list
[ "$(head -n 4 list | tr '\n' ' ')" = "A-2026-001/ A-2026-001/bag-info.txt A-2026-001/bagit.txt A-2026-001/data/ " ] ||
    fail "unexpected head of the member list: $(head -n 4 list)"
for f in manifest-sha256.txt manifest-sha512.txt manifest-sm3.txt \
    tagmanifest-sha256.txt tagmanifest-sha512.txt tagmanifest-sm3.txt \
    case/custody-log.jsonl case/custody-uco.jsonld case/evidence-list.csv \
    case/evidence-list.json case/evidence-list.html tagmanifest-sha256.txt.tsq \
    data/ev/sub/big.bin 'data/ev/sub/证明.txt'; do
	grep -qxF "A-2026-001/$f" list || fail "no member $f"
done
tar tvf case.tar | grep -v '^[-d]rw' && fail "a member with an unexpected mode"
tar tvf case.tar | grep -v ' 0/0 ' && fail "a member not owned by 0/0"
tar xf case.tar
b=A-2026-001
[ "$(cat $b/bagit.txt)" = "BagIt-Version: 1.0
Tag-File-Character-Encoding: UTF-8" ] || fail "bagit.txt is not the two lines"
expect_grep '^Payload-Oxum: 700029\.3$' $b/bag-info.txt
expect_grep '^Bagging-Date: 2026-01-01$' $b/bag-info.txt
expect_grep '^BagIt-Profile-Identifier: ' $b/bag-info.txt
expect_grep '^Legal-Document-Number: 深公（经）调证字〔2026〕118号$' $b/bag-info.txt
expect_grep '^Case-Cause: 诈骗$' $b/bag-info.txt
expect_grep '^Originals-Location: 某银行档案室$' $b/bag-info.txt
# the manifests hold what the files hash to (checked by coreutils, not by us)
(cd $b && sha256sum -c --quiet manifest-sha256.txt && sha512sum -c --quiet manifest-sha512.txt) ||
    fail "a payload manifest does not check with coreutils"
[ "$(grep big.bin $b/manifest-sm3.txt | cut -d' ' -f1)" = "$(openssl dgst -sm3 -r ev/sub/big.bin | cut -d' ' -f1)" ] ||
    fail "manifest-sm3.txt disagrees with openssl"
# the custody log: chained entries, the seal naming the payload manifest
[ "$(wc -l <$b/case/custody-log.jsonl)" -eq 2 ] || fail "expected collect + seal entries"
jq -e -s '.[0].prev == ("0" * 64) and .[1].action == "seal" and
    .[1].manifest_sha256 == "'"$(sha256sum $b/manifest-sha256.txt | cut -d' ' -f1)"'"' \
    $b/case/custody-log.jsonl >/dev/null || fail "custody log entries are not as expected"
[ "$(jq -r -s '.[1].prev' $b/case/custody-log.jsonl)" = "$(head -n 1 $b/case/custody-log.jsonl | tr -d '\n' | sha256sum | cut -d' ' -f1)" ] ||
    fail "the second entry does not carry the first one's hash"
jq -e '."@graph" | map(."@type") | index("case-investigation:ProvenanceRecord") != null and
    index("case-investigation:InvestigativeAction") != null' $b/case/custody-uco.jsonld >/dev/null ||
    fail "the UCO export lacks the ProvenanceRecord or the actions"

expect_exit 0 case-bundle verify case.tar
for s in archive structure completeness payload tag-manifests custody timestamp profile; do
	expect_grep "^ok +$s " out
done
expect_grep '^skip +signature +not signed' out
expect_grep '^case.tar: intact$' out
# an unpacked bag verifies the same way
expect_exit 0 case-bundle verify $b
expect_grep '^A-2026-001: intact$' out
# records
expect_exit 0 case-bundle verify --json case.tar
expect_records out
expect_jq '[.[] | select(.type == "check")] | length == 9' out
expect_jq '[.[] | select(.type == "check" and .result == "FAIL")] | length == 0' out
expect_exit 0 case-bundle create --json -o c2.tar --case-id X --source-date-epoch 1 ev
expect_records out
expect_jq '.[1].type == "bundle" and .[1].payload_files == 3 and (.[1].sha256 | length) == 64' out
