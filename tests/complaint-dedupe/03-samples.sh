# The sample letters: the three template families come out as three
# clusters holding exactly their members (files and CSV rows), genuine
# letters join only their own verbatim copies, and the agents' shared
# phone, WeChat ID and e-mail link the families.
. "$top_srcdir/tests/lib.sh"

L=$samples/letters
[ -f "$samples/truth/letters.json" ] || { echo "skip: no samples"; exit 0; }
expect_exit 1 complaint-dedupe -q --json --meta 投诉编号,提交时间,IP --time 提交时间 "$L"
expect_records out
expect_jq '.[-1].errors == 0 and .[-1].letters == 43' out
# family of every letter, by file name or CSV row id
jq -c '[.letters[] | {key: (.file // .csv_row), value:
	(if .family == "genuine" then "genuine:" + .entities.topic else .family end)}]
	| from_entries' "$samples/truth/letters.json" >fam.json
jq -c --slurpfile f fam.json 'select(.type == "cluster") | [.members[] |
	$f[0][(.meta["投诉编号"] // (.path | split("/") | last))]] | unique' out >cl.txt
# each cluster holds one family only
n=$(grep -c ',' cl.txt)
[ "$n" -eq 0 ] || fail "a cluster mixes families: $(cat cl.txt)"
for fam in T1 T2 T3; do
	want=$(jq --arg f "$fam" '[.[] | select(. == $f)] | length' fam.json)
	got=$(jq -s --slurpfile f fam.json --arg fam "$fam" '[.[] | select(.type == "cluster") |
		select([.members[] | $f[0][(.meta["投诉编号"] // (.path | split("/") | last))]] | unique == [$fam]) | .size]' out)
	[ "$got" = "[
  $want
]" ] || fail "family $fam: clusters of sizes $got, expected one of $want"
done
# the planted contacts link the families' clusters
expect_jq '[.[] | select(.type == "cluster") | .entities[] | select(.type == "phone" and .value == "13826417359") | .clusters | length] | max == 3' out
expect_jq '[.[] | select(.type == "cluster") | .entities[] | select(.type == "wechat" and .value == "anan-fawu88") | .clusters | length] | max == 2' out
expect_jq '[.[] | select(.type == "cluster") | .entities[] | select(.type == "qq" and .value == "2854316790")] | length >= 1' out
# bursts: the T1 rows were sent within an hour
expect_jq '[.[] | select(.type == "cluster" and .time != null and .size >= 9) | .time.burst == 1] | all' out
