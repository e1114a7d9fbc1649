# Exit status: 0 no cluster of 2+, 1 clusters found, 2 trouble (which wins).
. "$top_srcdir/tests/lib.sh"

printf '本人张三，身份证号110101199003078515，于2023年5月6日在某贷平台借款10000元，平台收取砍头息3000元，要求退还。\n' >a.txt
printf '本人李四，身份证号110101198505051234，于2022年3月16日在某贷平台借款20000元，平台收取砍头息5000元，要求退还。\n' >b.txt
printf '今天天气很好，我们去公园散步，看到很多人在放风筝，孩子们玩得很开心。\n' >c.txt

expect_exit 0 complaint-dedupe c.txt
expect_grep '^1 letters, 0 clusters' out
expect_exit 1 complaint-dedupe a.txt b.txt c.txt
expect_grep '^cluster 1: 2 letters$' out
expect_grep 'template: 本人\{\{name\}\}，身份证号\{\{id\}\}' out
expect_exit 2 complaint-dedupe a.txt b.txt missing.txt
expect_grep "cannot open 'missing.txt'" err
expect_exit 2 complaint-dedupe --bogus a.txt
expect_grep '^usage: complaint-dedupe' err
expect_exit 2 complaint-dedupe -t 7 a.txt
expect_exit 2 complaint-dedupe --csv --json a.txt
expect_exit 0 complaint-dedupe --help
expect_grep '^usage: complaint-dedupe' out
