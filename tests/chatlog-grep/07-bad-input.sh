# Bad input: NUL bytes, invalid UTF-8, UTF-16LE and GB18030, a broken
# Telegram export, a single line past the message cap.  A diagnostic and
# an error record, the run goes on, never a crash.
. "$top_srcdir/tests/lib.sh"

printf 'ok line\n停息\000挂账 and 停息挂账\n' >nul.txt
expect_exit 0 chatlog-grep --json nul.txt
# a NUL between two characters is one more separator; the text keeps it
expect_jq '[.[] | select(.type == "hit") | [.variant, .span]] == [["split", [0, 13]], ["exact", [18, 30]]]' out
expect_jq '[.[] | select(.type == "hit")][0].message.text == "停息\u0000挂账 and 停息挂账"' out

# a stray bad byte in a long UTF-8 export is damage, not another encoding
i=0
while [ $i -lt 200 ]; do echo "第$i条消息，今天天气不错，我们晚上一起吃饭吧"; i=$((i + 1)); done >bad.txt
printf '\377bad 征信修复 \300\n' >>bad.txt
expect_exit 0 chatlog-grep --json bad.txt
expect_jq '[.[] | select(.type == "hit")][0] | .match == "征信修复" and (.message.text | test("\ufffd"))' out

printf '客户问：停息挂账怎么收费\r\n' | iconv -f UTF-8 -t UTF-16LE >u16.txt
printf '\377\376' | cat - u16.txt >u16bom.txt
printf '我们专做征信修复\n' | iconv -f UTF-8 -t GB18030 >gb.txt
expect_exit 0 chatlog-grep --json u16bom.txt gb.txt
expect_jq '[.[] | select(.type == "hit") | .match] == ["停息挂账", "征信修复"]' out

printf '{"name":"x","type":"personal_chat","messages":[{"id":1,"type":"message","date":"2026-03-01T10:00:00","from":"a","text":"征信修复\\q' >bad.json
expect_exit 2 chatlog-grep --json bad.json nul.txt
expect_jq '[.[] | select(.type == "error")] | length == 1 and (.[0].path == "bad.json")' out
expect_jq '[.[] | select(.type == "hit")] | length == 2' out
expect_lines 1 err

# one 20 MB line: past the reader's message cap, refused without a crash
head -c 20000000 /dev/zero | tr '\0' 'a' >huge.txt
printf '\n停息挂账\n' >>huge.txt
chatlog-grep huge.txt >out 2>err
st=$?
[ $st -le 2 ] || fail "huge line: exit $st"
[ $(wc -l <err) -le 2 ] || fail "huge line: $(head -c 300 err)"
echo ok
