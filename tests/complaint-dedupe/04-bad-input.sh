# Bad input: a diagnostic and an error record each, the run goes on, and
# the good letters still cluster.
. "$top_srcdir/tests/lib.sh"

t='尊敬的领导：本人%s，身份证号%s。我于%s在某某贷平台借款%s，平台收取高额砍头息，年化利率超过法定上限，严重违反国家规定，现要求平台退还多收取的利息和服务费，停止暴力催收。\n'
printf "$t" 张三 110101199003078515 2023年5月6日 10000元 >good1.txt
# the same template in GB18030 and in UTF-16LE with a BOM: mixed encodings
printf "$t" 李四 110101198505051234 2022年3月16日 20000元 | iconv -f UTF-8 -t GB18030 >good2.txt
{ printf '\377\376'; printf "$t" 王五 110101198001010010 2021年1月2日 3000元 | iconv -f UTF-8 -t UTF-16LE; } >good3.txt
: >empty.txt
printf '好' >one.txt
printf '好' >one2.txt
head -c 4096 /dev/urandom >binary.bin
printf '\0\1\2\3PK\0\0binary' >>binary.bin
# a 10 MB letter: accepted, analysed, alone
awk 'BEGIN { for (i = 0; i < 600000; i++) printf "第%d条记录，", i; print "" }' >huge.txt
printf 'id,text\n1,"%s"\n2,"unterminated\n' "$(printf "$t" 赵六 110101197001010011 2020年1月1日 500元)" >broken.csv
printf 'id,note\n1,hello\n' >nofield.csv
printf 'id,text\n1,abc"def\n2,"x"y\n3,%s\n' "$(printf "$t" 钱七 110101196001010012 2019年1月1日 800元 | tr -d '\n')" >badquote.csv

expect_exit 2 complaint-dedupe --json good1.txt good2.txt good3.txt empty.txt one.txt one2.txt \
	binary.bin huge.txt broken.csv nofield.csv badquote.csv good1.txt ./good1.txt
expect_records out
expect_jq '[.[] | select(.type == "cluster")] | length == 2' out
# the template family: 3 files in 3 encodings plus 2 CSV rows
expect_jq '.[] | select(.type == "cluster" and .id == 1) | .size == 5' out
expect_jq '.[] | select(.type == "cluster" and .id == 1) | [.members[] | .path + "#" + ((.record // 0) | tostring)] ==
	["badquote.csv#3", "broken.csv#1", "good1.txt#0", "good2.txt#0", "good3.txt#0"]' out
expect_jq '.[] | select(.type == "cluster" and .id == 1) | .slots[0].fills == ["钱七", "赵六", "张三", "李四", "王五"]' out
[ "$(wc -c <huge.txt)" -gt 10000000 ] || fail "huge.txt is not over 10 MB"
# one-character letters: exact copies still cluster, with similarity 1
expect_jq '.[] | select(.type == "cluster" and .id == 2) | [.members[].path] == ["one.txt", "one2.txt"] and all(.members[]; .similarity == 1)' out
expect_jq '[.[] | select(.type == "error") | .path] | sort == ["./good1.txt", "badquote.csv", "badquote.csv", "binary.bin", "broken.csv", "empty.txt", "good1.txt", "nofield.csv"]' out
grep -q "'empty.txt': empty letter" err || fail "no diagnostic for the empty letter"
grep -q "'binary.bin': not a letter" err || fail "no diagnostic for the binary file"
grep -q "'broken.csv'.*line 3: unterminated quoted field" err || fail "no diagnostic for the unterminated quote: $(cat err)"
grep -q "'badquote.csv'.*line 2: broken quoting" err || fail "no diagnostic for a quote in a bare field"
grep -q "'badquote.csv'.*line 3: broken quoting" err || fail "no diagnostic for text after a closing quote"
grep -q "'nofield.csv'.*no column 'text'" err || fail "no diagnostic for the missing column"
grep -q "'good1.txt'.*named twice" err || fail "no diagnostic for the duplicate path"
expect_jq '.[-1].letters == 8' out
# a missing --field column
expect_exit 2 complaint-dedupe --field 正文 good1.txt broken.csv
grep -q "'broken.csv'.*no column '正文'" err || fail "no diagnostic for --field"
