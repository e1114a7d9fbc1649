# The same clusters, ids, representatives and order whatever -j is and
# whatever order the paths are given in; exact copies have similarity 1.
. "$top_srcdir/tests/lib.sh"

t='致某某银行信用卡中心：本人%s，身份证号%s，卡号%s。因本人于%s突发疾病住院，家庭收入骤减，无法按时还款，欠款共计%s。本人并非恶意拖欠，现申请停息挂账，将本金分%s期偿还，协商期间停止一切催收。联系电话：13826417359。\n'
i=0
for n in 张三 李四 王五 赵六 钱七 孙八 周九 吴十 郑一 冯二 陈三 褚四; do
	i=$((i + 1))
	printf "$t" "$n" "1101011990030${i}8515" "62284800000000${i}0" "2025年${i}月3日" "${i}0000元" "$((i + 12))" >"t$i.txt"
done
# an edited copy: a sentence dropped and one added
printf "$t" 蒋五 110101199003078515 6228480000000000 2025年1月3日 5000元 | sed 's/家庭收入骤减，//; s/协商期间/另外本人已保留通话录音，协商期间/' >edit.txt
cp t1.txt copy.txt
printf '我于去年在网上申请了一笔贷款，因为疫情失业暂时无法还款，希望平台能够协商延期还款，我愿意分期偿还本金，请不要再骚扰我的家人和同事，谢谢。\n' >alone.txt
for j in 1 2; do
	complaint-dedupe -j $j --json t*.txt edit.txt copy.txt alone.txt | grep -v '"type":"header"' |
		jq -c 'del(.elapsed)' >out.$j
	[ $? -eq 0 ] || true
done
cmp -s out.1 out.2 || fail "-j 1 and -j 2 differ: $(diff out.1 out.2 | head -5)"
complaint-dedupe -j 2 --json alone.txt copy.txt edit.txt t*.txt | grep -v '"type":"header"' |
	jq -c 'del(.elapsed)' >out.3
cmp -s out.1 out.3 || fail "path order changes the output: $(diff out.1 out.3 | head -5)"
expect_jq '[.[] | select(.type == "cluster")] | length == 1' out.1
expect_jq '.[0] | .size == 14 and (.members | map(select(.path == "copy.txt" or .path == "t1.txt") | .similarity) == [1, 1])' out.1
expect_jq '.[0] | .members[] | select(.path == "edit.txt") | .similarity > 0.6 and .similarity < 1' out.1
