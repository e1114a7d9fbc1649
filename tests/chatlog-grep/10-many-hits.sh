# An export with a hit in every message: the hit records wait for the
# file's SHA-256 in a temporary file once they pass a few megabytes (so
# memory does not grow with the file), and come back whole and in order,
# each with the file's hash; the temporary file is not left behind.
. "$top_srcdir/tests/lib.sh"

n=30000
awk -v n=$n 'BEGIN {
	pad = sprintf("%300s", ""); gsub(/ /, "x", pad)
	for (i = 0; i < n; i++) {
		printf "2024-01-01 10:%02d:%02d 张三(10001)\n", (i / 60) % 60, i % 60
		printf "第%d条 停息挂账 %s\n\n", i, pad
	}
}' >big.txt
printf '停息挂账\tdebt\n' >lex.tsv
mkdir tmp
TMPDIR=$PWD/tmp chatlog-grep --json -j 2 --evasion off -f lex.tsv big.txt >hits.json ||
    fail "chatlog-grep exited $?"
[ -z "$(ls tmp)" ] || fail "left behind in TMPDIR: $(ls tmp)"
sum=$(sha256sum big.txt | cut -d' ' -f1)
jq -e -s --arg sum "$sum" --argjson n $n '
	[.[] | select(.type == "hit")] as $h |
	($h | length) == $n and .[-1].hits == $n and
	([$h[] | .message.index] == [range(0; $n)]) and
	([$h[] | .message.line] == [range(0; $n) | . * 3 + 1]) and
	all($h[]; .sha256 == $sum and .size > 0 and .match == "停息挂账" and
	    (.message as $m | $m.text | startswith("第" + ($m.index | tostring) + "条")))' \
    hits.json >/dev/null || fail "hit records lost, out of order or without the file's hash"
