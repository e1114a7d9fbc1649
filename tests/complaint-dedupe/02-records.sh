# Every record type: header, cluster, error, summary; and the CSV listing.
. "$top_srcdir/tests/lib.sh"

t='尊敬的领导：本人%s，身份证号%s，手机%s。我于%s在某某贷平台借款%s，平台收取高额砍头息，年化利率超过法定上限，严重违反国家规定。现要求平台退还多收取的利息和服务费，停止暴力催收。联系QQ：2854316790。\n'
printf "$t" 张三 110101199003078515 13812345678 2023年5月6日 10000元 >a.txt
printf "$t" 李四 110101198505051234 13987654321 2022年3月16日 20000元 >b.txt
printf "$t" 王五 11010119800101001X 13700001111 2021年1月2日 3000元 >c.txt
: >empty.txt

expect_exit 2 complaint-dedupe --json a.txt b.txt c.txt empty.txt
expect_records out
expect_jq '[.[] | select(.type == "cluster")] | length == 1' out
expect_jq '.[] | select(.type == "cluster") | .id == 1 and .size == 3' out
expect_jq '.[] | select(.type == "cluster") | [.members[].path] == ["a.txt", "b.txt", "c.txt"]' out
expect_jq '.[] | select(.type == "cluster") | all(.members[]; (.sha256 | test("^[0-9a-f]{64}$")) and .similarity == 1)' out
expect_jq '.[] | select(.type == "cluster") | .template | startswith("尊敬的领导：本人{{name}}，身份证号{{id}}，手机{{phone}}。我于{{date}}")' out
expect_jq '.[] | select(.type == "cluster") | .slots[0] == {"slot": 1, "type": "name", "fills": ["张三", "李四", "王五"]}' out
expect_jq '.[] | select(.type == "cluster") | .slots[1].fills == ["110101199003078515", "110101198505051234", "11010119800101001X"]' out
expect_jq '.[] | select(.type == "cluster") | .entities | any(.type == "qq" and .value == "2854316790" and .letters == 3)' out
expect_jq '[.[] | select(.type == "error")] | length == 1 and (.[0].path == "empty.txt") and (.[0].message | test("empty"))' out
expect_jq '.[-1] | .letters == 3 and .clusters == 1 and .clustered == 3 and .errors == 1' out
# the human report names the same cluster
expect_exit 2 complaint-dedupe a.txt b.txt c.txt empty.txt
expect_grep "^complaint-dedupe: 'empty.txt': empty letter$" err
expect_grep '^  1.000 a.txt \(representative\)  name=张三 id=110101199003078515' out
# one CSV row per letter, in canonical order, with its cluster id
expect_exit 1 complaint-dedupe --csv c.txt b.txt a.txt
expect_lines 4 out
expect_grep '^path,member,record,sha256,cluster,similarity,row_sha256$' out
expect_grep "^a.txt,,0,$(sha256sum <a.txt | cut -c1-64),1,1.0000,\$" out
