# Lexicon files: errors name the file and line; near= rules; regexes; -f and --lexicon-add.
. "$top_srcdir/tests/lib.sh"

printf '我在考研上岸了\n今天天气不错\n网贷逾期了怎么办\n三天后就能上岸\n吃饭了吗\n朋友说他上岸了\n' >chat.txt
printf '征信\tcredit\n上岸\n' >nocat.tsv
expect_exit 2 chatlog-grep -f nocat.tsv chat.txt
expect_grep "nocat.tsv:2: no category for '上岸'" err
expect_lines 1 err
printf 're:征信(修复\tcredit\n' >badre.tsv
expect_exit 2 chatlog-grep -f badre.tsv chat.txt
expect_grep "badre.tsv:1: bad pattern" err
printf 'x\ty\thigh\tnote\tfar=3:a\n' >badrule.tsv
expect_exit 2 chatlog-grep -f badrule.tsv chat.txt
expect_grep "badrule.tsv:1: unknown rule" err
expect_exit 2 chatlog-grep -f nosuch.tsv chat.txt
expect_grep "cannot open 'nosuch.tsv'" err

# near=1: 上岸 counts only within one message of a debt word
printf '# a comment\nterm\tcategory\trisk\tnote\trule\n上岸\tdebt\tlow\tcommon word\tnear=1:逾期|网贷\n' >near.tsv
expect_exit 0 chatlog-grep --json -f near.tsv chat.txt
expect_jq '[.[] | select(.type == "hit") | .message.text] == ["三天后就能上岸"]' out
printf '上岸\tdebt\tlow\tcommon word\tnear=0:逾期\n' >near0.tsv
expect_exit 1 chatlog-grep -f near0.tsv chat.txt

# regex terms and --lexicon-add
printf 're:1[3-9][0-9]{9}\tphone\n' >re.tsv
printf '加我13826417359详聊\n' >phone.txt
expect_exit 0 chatlog-grep --json -f re.tsv phone.txt
expect_jq '[.[] | select(.type == "hit")][0] | .match == "13826417359" and .term.regex == true and .span == [6, 17]' out
expect_exit 0 chatlog-grep --json --lexicon-add re.tsv phone.txt chat.txt
expect_jq '[.[] | select(.type == "hit") | .term.category] | index("phone") != null' out
echo ok
