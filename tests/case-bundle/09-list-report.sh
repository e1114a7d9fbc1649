# list prints the evidence list (text, CSV, JSON) and report the printable
# page, from a bundle or an unpacked bag; both agree with the manifests.
# Runs on the sample case when present, else on files of its own.
. "$top_srcdir/tests/lib.sh"
if [ -d "$samples/images" ]; then
	ev="$samples/images $samples/letters"
else
	mkdir -p images letters
	printf 'img\n' >images/a.jpg
	printf 'letter\n' >letters/l.txt
	ev="images letters"
fi
expect_exit 0 case-bundle create -o case.tar --case-id L-1 --cause 测试 --handler 张三 \
    --source '客户提交' --source-date-epoch 1767225600 $ev
n=$(tar tf case.tar | grep -c '^L-1/data/.*[^/]$')
expect_exit 0 case-bundle list case.tar
[ "$(wc -l <out)" -eq "$n" ] || fail "list has $(wc -l <out) lines for $n payload files"
expect_exit 0 case-bundle list --format csv case.tar
[ "$(head -n 1 out)" = "$(printf '序号,名称,类别,格式,大小,SHA-256,SM3,来源,备注\r')" ] || fail "CSV header: $(head -n 1 out)"
[ "$(wc -l <out)" -eq $((n + 1)) ] || fail "CSV rows"
expect_exit 0 case-bundle list --format json case.tar
jq -e --argjson n "$n" '(.items | length) == $n and .fields["Case-Identifier"] == "L-1"' out >/dev/null ||
    fail "JSON list"
tar xf case.tar
# every row's hashes are the manifests' and the files'
jq -r '.items[] | "\(.sha256)  data/\(.name)"' out | sort >list.sha256
sort L-1/manifest-sha256.txt | cmp -s - list.sha256 || fail "list and manifest-sha256.txt differ"
jq -r '.items[] | "\(.sm3)  data/\(.name)"' out | sort >list.sm3
sort L-1/manifest-sm3.txt | cmp -s - list.sm3 || fail "list and manifest-sm3.txt differ"
jq -e 'all(.items[]; .source == "客户提交" and (.category | length) > 0 and (.format | test("/")))' out >/dev/null ||
    fail "source, category or format missing"
if [ -d "$samples/images" ]; then
	jq -e '[.items[] | select(.name | endswith(".jpg")) | .category] | all(. == "图片")' out >/dev/null ||
	    fail "a JPEG is not listed as 图片"
fi
expect_exit 0 case-bundle list L-1
[ "$(wc -l <out)" -eq "$n" ] || fail "list of the unpacked bag"
expect_exit 0 case-bundle report -o page.html case.tar
for s in '<h1>电子数据清单</h1>' '<dt>案由</dt><dd>测试</dd>' '<dt>经办人（取证人）</dt><dd>张三</dd>' \
    '完整性校验方法说明' '见证人签名' '取证人（经办人）签名' 'GB/T 32905-2016'; do
	grep -qF "$s" page.html || fail "the page lacks $s"
done
[ "$(grep -c '<tr><td>' page.html)" -eq "$n" ] || fail "the page has not one row per file"
cmp page.html L-1/case/evidence-list.html || fail "report differs from the page in the bag"
expect_exit 0 case-bundle report case.tar
cmp out page.html || fail "report to stdout differs"
grep -q 'data:image' page.html && fail "thumbnails without --thumbnails"
expect_exit 0 case-bundle create -o thumbs.tar --thumbnails --case-id L-1 --cause 测试 --handler 张三 \
    --source '客户提交' --source-date-epoch 1767225600 $ev
expect_exit 0 case-bundle report thumbs.tar
nimg=$(tar tf case.tar | grep -Eci '\.(jpg|png)$')
[ "$(grep -o 'data:image/' out | wc -l)" -eq "$nimg" ] || fail "not one thumbnail per image"
# the thumbnails are small JPEGs made from the packed images, not the
# originals themselves (12-thumbnails.sh checks their size)
f=$(tar tf thumbs.tar | grep -Ei '\.(jpg|png)$' | head -n 1)
tar xOf thumbs.tar "$f" | base64 -w0 >one.b64
grep -qF -f one.b64 out && fail "a whole original is embedded in the page"
[ "$(grep -o 'data:image/jpeg;base64,/9j/' out | wc -l)" -eq "$nimg" ] ||
    fail "a thumbnail is not a JPEG"
echo "list and report agree with the manifests"
