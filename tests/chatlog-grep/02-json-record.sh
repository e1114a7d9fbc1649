# Every field of a hit record, the header and the summary.
. "$top_srcdir/tests/lib.sh"

printf '大家好\n我们做征 信修复，包过\n谢谢\n' >chat.txt
expect_exit 0 chatlog-grep --json -C 1 chat.txt
expect_records out
sha=$(sha256sum chat.txt | cut -d' ' -f1)
expect_jq '.[0].tool == "chatlog-grep" and .[0].format == 1' out
expect_jq "[.[] | select(.type == \"hit\")] | length == 2" out
expect_jq "[.[] | select(.type == \"hit\" and .term.text == \"征信修复\")][0] |
    .path == \"chat.txt\" and .sha256 == \"$sha\" and .size == $(wc -c <chat.txt) and
    (.format | type == \"string\") and
    .message.text == \"我们做征 信修复，包过\" and (.message.index | type == \"number\") and
    has(\"message\") and (.message | has(\"time\") and has(\"sender\") and has(\"sender_id\")) and
    .term.category == \"credit-repair\" and .term.risk == \"high\" and (.term.id | type == \"number\") and
    (.term.note | type == \"string\") and
    .variant == \"split\" and .confidence < 1 and
    .span == [9, 22] and .match == \"征 信修复\" and
    (.context | length == 2) and .context[0].text == \"大家好\" and .context[0].offset == -1 and
    .context[1].text == \"谢谢\" and .context[1].offset == 1" out
expect_jq "[.[] | select(.type == \"hit\" and .term.text == \"包过\")][0] | .variant == \"exact\"" out
expect_jq '.[-1] | .type == "summary" and .hits == 2 and .matched_messages == 1 and
    .messages == 3 and .inputs == 1 and .errors == 0' out
echo ok
