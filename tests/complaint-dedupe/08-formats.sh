# Letters in every container: .eml (quoted-printable and base64 parts),
# JSON Lines with --field/--meta, a zip archive, a .docx; --watchlist
# flags letters naming a known agent number; --containment joins a
# letter that is the template plus a long added paragraph.
. "$top_srcdir/tests/lib.sh"

t='尊敬的领导：本人%s，身份证号%s。我于%s在某某贷平台借款%s，平台收取高额砍头息，年化利率超过法定上限，严重违反国家规定，现要求平台退还多收取的利息和服务费，停止暴力催收。联系电话13826417359。\n'
printf "$t" 张三 110101199003078515 2023年5月6日 10000元 >plain.txt
b64=$(printf "$t" 李四 110101198505051234 2022年3月16日 20000元 | base64 -w0)
cat >mail.eml <<EOM
From: a@example.com
Subject: =?UTF-8?B?5oqV6K+J?=
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="XX"

--XX
Content-Type: text/html; charset=utf-8

<p>html part is not read</p>
--XX
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: base64

$b64
--XX--
EOM
printf "$t" 王五 110101198001010010 2021年1月2日 3000元 >w.txt
printf '{"id":"j1","ip":"1.2.3.4","body":"%s"}\n{"id":"j2","ip":"1.2.3.4","body":"今天天气很好，我们去公园散步。"}\n' \
	"$(printf "$t" 赵六 110101197001010011 2020年1月1日 500元 | tr -d '\n')" >rows.jsonl
mkdir z && cp w.txt z/w.txt && (cd z && zip -q ../letters.zip w.txt) && rm -r z
printf '# agents\n13826417359\n' >watch.txt

expect_exit 1 complaint-dedupe --json --field body --meta id,ip --watchlist watch.txt plain.txt mail.eml rows.jsonl letters.zip
expect_records out
expect_jq '[.[] | select(.type == "error")] | length == 0' out
expect_jq '.[] | select(.type == "cluster") | .size == 4' out
expect_jq '.[] | select(.type == "cluster") | [.members[] | .path + ":" + (.member // "") + "#" + ((.record // 0) | tostring)] ==
	["letters.zip:w.txt#0", "mail.eml:#0", "plain.txt:#0", "rows.jsonl:#1"]' out
expect_jq '.[] | select(.type == "cluster") | .slots[0].fills == ["王五", "李四", "张三", "赵六"]' out
expect_jq '.[] | select(.type == "cluster") | all(.members[]; .watchlist == ["13826417359"])' out
expect_jq '.[] | select(.type == "cluster") | .members[3].meta == {"id": "j1", "ip": "1.2.3.4"}' out
# a .docx from the samples
if [ -f "$samples/letters/letter_03.docx" ]; then
	expect_exit 0 complaint-dedupe --json "$samples/letters/letter_03.docx"
	expect_jq '.[-1].letters == 1 and .[-1].errors == 0' out
fi
# the template plus a paragraph as long again: Jaccard about 0.5 or
# less, but all of the template is inside it
printf "$t" 孙八 110101196001010012 2019年1月1日 800元 >short.txt
{ printf "$t" 周九 110101195001010013 2018年1月1日 900元; printf '另外补充说明：本人曾多次拨打客服电话，客服人员态度恶劣，推诿扯皮，始终没有给出任何解决方案，本人的家人和同事也多次接到催收电话，精神压力极大，严重影响了正常的生活和工作，请贵单位务必高度重视此事，尽快核实处理并给予书面答复，保护消费者的合法权益。\n'; } >long.txt
expect_exit 0 complaint-dedupe -t 0.7 short.txt long.txt
expect_exit 1 complaint-dedupe -t 0.7 --containment 0.9 --json short.txt long.txt
expect_jq '.[] | select(.type == "cluster") | .members[] | select(.path == "short.txt") | .containment > 0.9 and .similarity < 0.7' out
