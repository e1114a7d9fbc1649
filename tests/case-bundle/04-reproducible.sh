# Reproducible: the same inputs and --source-date-epoch give a
# byte-identical bundle whatever the timezone, umask, argument order,
# findings order, input mtimes or locale; also gzip and zstd.
. "$top_srcdir/tests/lib.sh"
mkdir -p a/sub b
printf 'a\n' >a/1.txt
printf 'b\n' >a/sub/2.txt
printf 'c\n' >b/3.txt
printf 'd\n' >'b/名字.txt'
sha=$(sha256sum <a/1.txt | cut -d' ' -f1)
printf '%s\n' '{"type":"header","format":1,"tool":"imgforge-check","version":"0.1.0","argv":["imgforge-check","a/1.txt"],"started":"2026-01-01T00:00:00Z"}' \
    "{\"type\":\"image\",\"path\":\"a/1.txt\",\"sha256\":\"$sha\",\"size\":2,\"verdict\":\"no-evidence\",\"findings\":[]}" >f1.jsonl
printf '%s\n' '{"type":"header","format":1,"tool":"chatlog-grep","version":"0.1.0","argv":["chatlog-grep","x"],"started":"2026-01-02T00:00:00Z"}' >f2.jsonl
common="--case-id R-1 --cause 测试 --actor tester --source-date-epoch 1767225600"

TZ=UTC umask 022 && case-bundle create -q -o one.tar $common --findings f1.jsonl --findings f2.jsonl a b >/dev/null ||
    fail "first create failed"
(umask 077; TZ=Asia/Shanghai LC_ALL=C case-bundle create -o two.tar --findings f2.jsonl --findings f1.jsonl $common b a >/dev/null) ||
    fail "second create failed"
cmp one.tar two.tar || fail "TZ, umask, locale or argument order changed the bundle"
touch -d '2020-02-02 02:02:02' a/1.txt b/3.txt a/sub
(TZ=America/New_York case-bundle create -o three.tar $common --findings f1.jsonl --findings f2.jsonl a b >/dev/null) ||
    fail "third create failed"
cmp one.tar three.tar || fail "input mtimes changed the bundle"
SOURCE_DATE_EPOCH=1767225600 case-bundle create -o four.tar --case-id R-1 --cause 测试 --actor tester \
    --findings f1.jsonl --findings f2.jsonl a b >/dev/null || fail "fourth create failed"
cmp one.tar four.tar || fail "SOURCE_DATE_EPOCH differs from --source-date-epoch"
case-bundle create -o five.tar $common --source-date-epoch 1767225601 --findings f1.jsonl --findings f2.jsonl a b >/dev/null
cmp -s one.tar five.tar && fail "a different epoch gave the same bundle"
for z in -z --zstd; do
	case-bundle create $z -o z1 $common a b >/dev/null || fail "create $z failed"
	(TZ=Asia/Tokyo umask 027; case-bundle create $z -o z2 $common b a >/dev/null) || fail "create $z failed"
	cmp z1 z2 || fail "compressed ($z) bundles differ"
	expect_exit 0 case-bundle verify z1
done
gzip -l z1 >/dev/null 2>&1 || true
echo reproducible
