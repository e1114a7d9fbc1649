# --index: a first run saves the letters' signatures; a later run with new
# letters only says which joined an existing cluster (its id kept) and
# which formed new ones, without the old letters on the command line.
. "$top_srcdir/tests/lib.sh"

t='尊敬的领导：本人%s，身份证号%s。我于%s在某某贷平台借款%s，平台收取高额砍头息，年化利率超过法定上限，严重违反国家规定，现要求平台退还多收取的利息和服务费，停止暴力催收。\n'
u='致某保险公司：本人%s于%s投保，业务员承诺保本保息随时全额退还，却未告知退保损失与现金价值，投保单签名也并非本人亲笔所签，现要求解除合同并全额退还已缴保费%s。\n'
printf "$t" 张三 110101199003078515 2023年5月6日 10000元 >a1.txt
printf "$t" 李四 110101198505051234 2022年3月16日 20000元 >a2.txt
printf "$u" 王五 2020年1月2日 30000元 >b1.txt
printf "$t" 赵六 110101197001010011 2020年1月1日 500元 >a3.txt
printf "$u" 钱七 2021年2月3日 40000元 >b2.txt
printf "$u" 孙八 2022年3月4日 50000元 >b3.txt

expect_exit 1 complaint-dedupe --index idx a1.txt a2.txt b1.txt
[ -s idx ] || fail "no index written"
head -1 idx | jq -e '.index == 2 and .threshold == 0.5' >/dev/null || fail "bad index header"
expect_exit 1 complaint-dedupe --index idx --json a3.txt b2.txt b3.txt
expect_records out
expect_jq '[.[] | select(.type == "cluster")] | length == 2' out
expect_jq '.[] | select(.type == "cluster" and .id == 1) | .status == "grown" and .size == 3 and .new_members == 1' out
expect_jq '.[] | select(.type == "cluster" and .id == 1) | [.members[] | {path, indexed}] ==
	[{"path": "a1.txt", "indexed": true}, {"path": "a2.txt", "indexed": true}, {"path": "a3.txt", "indexed": null}]' out
expect_jq '.[] | select(.type == "cluster" and .id == 2) | .status == "new" and .size == 3 and .new_members == 2' out
expect_jq '.[-1].letters == 6' out
[ "$(wc -l <idx)" -eq 7 ] || fail "the index does not hold six letters"
# nothing new: no cluster to report, exit 0
printf '今天天气很好，我们去公园散步，看到很多人在放风筝，孩子们玩得很开心。\n' >c.txt
expect_exit 0 complaint-dedupe --index idx c.txt
# an index built with another threshold is refused
expect_exit 2 complaint-dedupe --index idx -t 0.7 c.txt
expect_grep "use the same" err
# an index of the older format (another shingle hash) is refused, not misread
sed '1s/"index": *2/"index": 1/' idx >old
head -1 old | jq -e '.index == 1' >/dev/null || fail "could not make an old index"
expect_exit 2 complaint-dedupe --index old c.txt
expect_grep "not a complaint-dedupe index" err
printf 'not an index\n' >bad
expect_exit 2 complaint-dedupe --index bad c.txt
