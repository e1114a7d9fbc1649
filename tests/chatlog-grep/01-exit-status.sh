# Exit status: 0 a hit, 1 no hit, 2 trouble (grep's convention); trouble wins.
. "$top_srcdir/tests/lib.sh"

printf '今天天气不错\n我们专做停息挂账\n' >hit.txt
printf '今天天气不错\n晚上一起吃饭\n' >clean.txt

expect_exit 0 chatlog-grep hit.txt
expect_grep '停息挂账' out
expect_exit 1 chatlog-grep clean.txt
[ -s out ] && fail "no hit, yet output: $(cat out)"
expect_exit 0 chatlog-grep 吃饭 clean.txt
expect_exit 1 chatlog-grep -e 征信修复 clean.txt hit.txt
# a missing input is trouble even when another input has a hit
expect_exit 2 chatlog-grep hit.txt missing.txt
expect_grep "cannot open 'missing.txt'" err
expect_grep '停息挂账' out
# usage errors
expect_exit 2 chatlog-grep --evasion sideways hit.txt
expect_grep 'usage: chatlog-grep' err
expect_exit 2 chatlog-grep -A x hit.txt
expect_exit 2 chatlog-grep --since yesterday hit.txt
expect_exit 2 chatlog-grep --format nosuch hit.txt
expect_exit 2 chatlog-grep -e a -f lex.tsv hit.txt
expect_exit 0 chatlog-grep --help
expect_grep '^usage: chatlog-grep' out
echo ok
