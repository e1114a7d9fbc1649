# Output modes on the sample QQ export: human lines, context, -c, -l,
# --stats, filters, colour, and archive members.
. "$top_srcdir/tests/lib.sh"

chats="$samples/chats"
[ -f "$chats/qq_group.txt" ] || { echo "skip: no sample chats"; exit 77; }
cp "$chats/qq_group.txt" "$samples/lexicon.tsv" "$chats/chats_bundle.zip" .

# human: path:index time sender: text [term/category/variant]
expect_exit 0 chatlog-grep -f lexicon.tsv qq_group.txt
expect_grep '^qq_group.txt:25 2026-03-01T20:44:30 老周: .*以贷养贷.*	\[以贷养贷/loan-cycling/exact\]$' out
expect_no_grep '考研上岸' out			# a decoy: 上岸 alone is not 安全上岸
expect_no_grep '5512378904' out			# 12378 inside a parcel number
expect_no_grep $(printf '\033') out		# NO_COLOR and not a terminal
expect_exit 0 chatlog-grep --color=always -f lexicon.tsv qq_group.txt
expect_grep "$(printf '\033')\[01;31m以贷养贷$(printf '\033')\[m" out

# context, and filters that choose hits but not context
expect_exit 0 chatlog-grep -B 1 -A 1 --sender 老周 -f lexicon.tsv qq_group.txt
expect_lines 3 out
expect_grep '^qq_group.txt-24 .* 刘姐- ' out
expect_grep '^qq_group.txt:25 ' out
expect_grep '^qq_group.txt-26 .* 陈老师- ' out
expect_exit 0 chatlog-grep --since '2026-03-02 10:04' --until 2026-03-02T10:06 -f lexicon.tsv qq_group.txt
expect_lines 1 out
expect_grep '^qq_group.txt:43 ' out
expect_exit 1 chatlog-grep --sender nobody -f lexicon.tsv qq_group.txt

# -c: counts by term, category, sender; -l; --stats
expect_exit 0 chatlog-grep -c -f lexicon.tsv qq_group.txt
expect_grep '^term	停息挂账	debt-evasion	3$' out
expect_grep '^category	credit-repair	4$' out
expect_grep '^sender	老周	1$' out
expect_no_grep '^qq_group' out
expect_exit 0 chatlog-grep --stats -f lexicon.tsv qq_group.txt
expect_grep '^stats-day	2026-03-02	3$' out
expect_grep '^stats-sender	陈老师	14$' out
expect_exit 0 chatlog-grep -l -f lexicon.tsv qq_group.txt chats_bundle.zip
printf 'qq_group.txt\nchats_bundle.zip:export/qq_group.txt\nchats_bundle.zip:export/whatsapp.txt\n' >want
cmp -s out want || fail "-l: $(cat out)"
expect_exit 0 chatlog-grep --json -c --stats -f lexicon.tsv qq_group.txt
expect_jq '.[-1].counts.category["credit-repair"] == 4 and .[-1].stats.day["2026-03-01"] == 20 and
    ([.[] | select(.type == "hit")] | length == 0)' out

# archive members are named, and the same export reads the same inside and out
expect_exit 0 chatlog-grep --json -f lexicon.tsv chats_bundle.zip qq_group.txt
expect_jq '[.[] | select(.type == "hit" and .member == "export/qq_group.txt") | [.message.index, .term.id, .span]] ==
    [.[] | select(.type == "hit" and .path == "qq_group.txt") | [.message.index, .term.id, .span]]' out
expect_jq '[.[] | select(.type == "hit" and .member == "export/qq_group.txt")][0] |
    .path == "chats_bundle.zip" and .format == "qq-txt" and (.sha256 | length == 64)' out
# -j does not change the output
chatlog-grep --json -j 1 -f lexicon.tsv chats_bundle.zip qq_group.txt | grep -v '"type":"\(header\|summary\)"' >j1
chatlog-grep --json -j 4 -f lexicon.tsv chats_bundle.zip qq_group.txt | grep -v '"type":"\(header\|summary\)"' >j4
cmp -s j1 j4 || fail "-j 1 and -j 4 differ"
echo ok
