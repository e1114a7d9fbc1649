# sha256 names the file or member at path (forgekit-records(5)), also for
# CSV and JSON Lines rows, whose own hash is row_sha256 (of the letter
# text); case-bundle packs the findings without a mismatch.  The JSON
# Lines rows also exercise the fast row scanner against what jansson
# decodes: escapes, surrogate pairs, duplicate keys, nested values, and
# rows it must leave to jansson (errors come with jansson's message).
. "$top_srcdir/tests/lib.sh"

t='尊敬的领导：本人%s，身份证号%s。我于%s在某某贷平台借款%s，平台收取高额砍头息，年化利率超过法定上限，严重违反国家规定，现要求平台退还多收取的利息和服务费，停止暴力催收。\n'
printf "$t" 张三 110101199003078515 2023年5月6日 10000元 >a.txt
l2=$(printf "$t" 李四 110101198505051234 2022年3月16日 20000元 | tr -d '\n')
l3=$(printf "$t" 王五 110101198001010010 2021年1月2日 3000元 | tr -d '\n')
# row 1: plain; row 2: the same letter with \u escapes for 王五 and a
# surrogate pair, a quote, an escaped slash, nested values and the text
# key named twice (the last counts); row 3: broken; row 4: \u0000;
# row 5: an integer jansson cannot hold
esc=$(printf '%s' "$l3" | sed 's/王五/\\u738b\\u4e94/')
{
	printf '{"n":[1,{"a":null}],"text":"%s","ip":"10.0.0.1"}\n' "$l2"
	printf '{"text":"decoy","x":{"y":[true,false,-0.5e+3]},"ip":"10.0.0.2","text":"%s \\ud83d\\ude00 \\"q\\" a\\/b"}\n' "$esc"
	printf '{"text": "unterminated\n'
	printf '{"text":"a\\u0000b"}\n'
	printf '{"id":99999999999999999999,"text":"x"}\n'
} >rows.jsonl

expect_exit 2 complaint-dedupe --json --meta ip a.txt rows.jsonl
expect_records out
fsha=$(sha256sum <rows.jsonl | cut -c1-64)
asha=$(sha256sum <a.txt | cut -c1-64)
r1=$(printf '%s' "$l2" | sha256sum | cut -c1-64)
r2=$(printf '%s \360\237\230\200 "q" a/b' "$l3" | sha256sum | cut -c1-64)
expect_jq '.[] | select(.type == "cluster") | .size == 3' out
expect_jq ".[] | select(.type == \"cluster\") | [.members[] | [.path, .record, .sha256, .row_sha256]] ==
	[[\"a.txt\", null, \"$asha\", null], [\"rows.jsonl\", 1, \"$fsha\", \"$r1\"], [\"rows.jsonl\", 2, \"$fsha\", \"$r2\"]]" out
expect_jq '.[] | select(.type == "cluster") | [.members[].meta.ip] == [null, "10.0.0.1", "10.0.0.2"]' out
expect_jq '.[] | select(.type == "cluster") | .slots[0].fills == ["张三", "李四", "王五"]' out
expect_jq '[.[] | select(.type == "error") | .message] | length == 3 and
	(.[0] | test("line 3: ")) and (.[1] | test("line 4: .*u0000")) and (.[2] | test("line 5: too big integer"))' out

# the same letters as a CSV export
{
	echo 'id,text'
	printf '1,%s\n' "$l2"
	printf '2,"%s"\n' "$l3"
} >rows.csv
expect_exit 1 complaint-dedupe --csv a.txt rows.csv
csha=$(sha256sum <rows.csv | cut -c1-64)
expect_grep "^rows.csv,,1,$csha,1,1.0000,$(printf '%s' "$l2" | sha256sum | cut -c1-64)\$" out
expect_grep "^rows.csv,,2,$csha,1,1.0000,$(printf '%s' "$l3" | sha256sum | cut -c1-64)\$" out
expect_grep "^a.txt,,0,$asha,1,1.0000,\$" out

# case-bundle compares the sha256 of what a record names with the packed file
if command -v case-bundle >/dev/null 2>&1; then
	complaint-dedupe --json a.txt rows.csv >findings.json
	expect_exit 0 case-bundle create -o case.tar --findings findings.json a.txt rows.csv
	[ -s case.tar ] || fail "case-bundle wrote no archive"
	# an export changed after the analysis is refused, rows included
	echo '3,appended later' >>rows.csv
	expect_exit 2 case-bundle create -o case2.tar --findings findings.json rows.csv
	[ ! -e case2.tar ] || fail "case-bundle sealed an export that changed"
fi
exit 0
