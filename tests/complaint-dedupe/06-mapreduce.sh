# --map | sort | --reduce | --merge on sharded input, with two reducers
# splitting the keys, gives exactly the clusters of the one-process run.
. "$top_srcdir/tests/lib.sh"

mkdir a b
t='致某某银行信用卡中心：本人%s，身份证号%s，卡号%s。因本人于%s突发疾病住院，家庭收入骤减，无法按时还款，欠款共计%s。本人并非恶意拖欠，现申请停息挂账，将本金分%s期偿还，协商期间停止一切催收。联系电话：13826417359。\n'
i=0
for n in 张三 李四 王五 赵六 钱七 孙八 周九 吴十; do
	i=$((i + 1))
	d=a; [ $((i % 2)) -eq 0 ] && d=b
	printf "$t" "$n" "1101011990030${i}8515" "62284800000000${i}0" "2025年${i}月3日" "${i}0000元" "$((i + 12))" |
		sed "s/家庭收入骤减/家庭收入骤减$(printf '，第%d次说明' $i)/" >"$d/t$i.txt"
done
printf "$t" 蒋五 110101199003078515 6228480000000000 2025年1月3日 5000元 | sed 's/家庭收入骤减，//' >b/edit.txt
printf '我于去年在网上申请了一笔贷款，因为疫情失业暂时无法还款，希望平台能够协商延期还款，请不要再骚扰我的家人和同事。\n' >a/alone.txt
set -- a/*.txt b/*.txt
if [ -f "$samples/letters/letter_01.txt" ]; then
	cp "$samples"/letters/letter_0*.txt a/ && cp "$samples"/letters/letter_1*.txt b/
	cp "$samples/letters/complaints_export.csv" b/export.csv
	set -- a/*.txt b/*.txt b/export.csv
fi

complaint-dedupe --json --meta 提交时间,IP --time 提交时间 "$@" >one.json
[ $? -eq 1 ] || fail "the one-process run found no cluster"
complaint-dedupe --map a/*.txt >map.a || fail "--map a failed"
complaint-dedupe --map --meta 提交时间,IP --time 提交时间 b/* >map.b || fail "--map b failed"
cut -f1 map.a | grep -Eq '^b[0-9]{3}:[0-9a-f]{8}$' || fail "no band keys in the --map output"
# two reducers, keys split by their first hex digit, as a shuffle would
LC_ALL=C sort map.a map.b | awk -F'\t' '{ print > ((substr($1, length($1)) ~ /[0-7]/) ? "part.1" : "part.2") }'
complaint-dedupe --reduce <part.1 >red.1 || fail "--reduce 1 failed"
complaint-dedupe --reduce <part.2 >red.2 || fail "--reduce 2 failed"
grep -q '^e	' red.1 red.2 || fail "no edges from the reducers"
complaint-dedupe --merge --json red.2 red.1 >merged.json
[ $? -eq 1 ] || fail "--merge found no cluster"
grep -v '"type":"\(header\|summary\)"' one.json >one.c
grep -v '"type":"\(header\|summary\)"' merged.json >merged.c
[ -s one.c ] || fail "no cluster records"
cmp -s one.c merged.c || fail "sharded clusters differ: $(diff one.c merged.c | head -c 600)"
expect_jq '.[] | select(.type == "cluster" and .id == 1) | .size >= 9' one.json
