# Big QQ and MemoTrace txt exports are cut at message starts and read in
# pieces on several threads: the hits of 400 copies of a sample chat
# must be those of one copy, shifted by the copy's messages and lines,
# the same for -j 1, 2 and 3, with LF and CRLF line ends, and with -C 1
# (which keeps every message's sender and time, where a plain run reads
# them again only for the messages with hits).
. "$top_srcdir/tests/lib.sh"

lex="$samples/lexicon.tsv"
[ -f "$lex" ] || { echo "skip: no sample lexicon"; exit 77; }

# hits FILE ARGS...: one line per hit: index line term span variant sender time
hits() {
	f=$1
	shift
	chatlog-grep --json "$@" -f "$lex" "$f" >hits.json
	[ $? -le 1 ] || fail "chatlog-grep $* $f failed: $(head -c 300 hits.json)"
	jq -r 'select(.type == "hit") | [.message.index, .message.line, .term.id,
	    .span[0], .span[1], .variant, .message.sender, .message.time] | @tsv' hits.json
}

for name in qq_group.txt wechat_memotrace.txt; do
	one="$samples/chats/$name"
	[ -f "$one" ] || fail "no $one"
	for ends in lf crlf; do
		if [ $ends = lf ]; then
			cp "$one" one.txt
		else
			sed 's/$/\r/' "$one" >one.txt
		fi
		msgs=$(chatlog-grep --json -f "$lex" one.txt | jq -s '.[-1].messages')
		lines=$(wc -l <one.txt)
		[ "$msgs" -gt 10 ] || fail "$name: $msgs messages in one copy"
		i=0
		while [ $i -lt 400 ]; do cat one.txt; i=$((i + 1)); done >big.txt
		[ "$(wc -c <big.txt)" -gt 1100000 ] || fail "big.txt is too small to be cut"
		hits one.txt -j 1 >one.hits
		[ -s one.hits ] || fail "$name: no hits in one copy"
		awk -v m="$msgs" -v l="$lines" -F '\t' 'BEGIN { OFS = "\t" }
		    { a[NR] = $0 } END { for (i = 0; i < 400; i++) for (k = 1; k <= NR; k++) {
			split(a[k], f, "\t"); f[1] += i * m; f[2] += i * l;
			print f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8] } }' one.hits >want.hits
		for j in 1 2 3 "2 -C 1"; do
			hits big.txt -j $j >got.hits
			cmp -s want.hits got.hits ||
			    fail "$name $ends -j $j: hits differ from the shifted copies: $(diff want.hits got.hits | head -5)"
		done
		n=$(jq -s '.[-1].messages' hits.json)
		[ "$n" -eq $((msgs * 400)) ] || fail "$name $ends: $n messages, want $((msgs * 400))"
	done
done

# A line past the readers' 16 MiB limit inside a piece stops the item as
# the sequential reader would: the messages before it are searched, and
# the error names the line, counted from the start of the file.
cp "$samples/chats/qq_group.txt" one.txt
i=0
while [ $i -lt 300 ]; do cat one.txt; i=$((i + 1)); done >bad.txt
before=$(wc -l <bad.txt)
{
	echo "2026-03-09 10:00:00 长(1)"
	head -c 17000000 /dev/zero | tr '\0' 'a'
	echo
	echo
	echo "2026-03-09 10:00:01 长(1)"
	echo "停息挂账"
	cat one.txt
} >>bad.txt
hits one.txt -j 1 >one.hits
for j in 1 2; do
	chatlog-grep --json -j $j -f "$lex" bad.txt >bad.json 2>bad.err
	[ $? -eq 2 ] || fail "-j $j: a 17 MB line did not give exit status 2"
	jq -e -s --arg want "'bad.txt': line $((before + 2)): longer than 16 MiB" --argjson n \
	    $(($(wc -l <one.hits) * 300)) '
	    ([.[] | select(.type == "error")] | length == 1 and .[0].message == $want) and
	    ([.[] | select(.type == "hit")] | length == $n)' bad.json >/dev/null ||
	    fail "-j $j: wrong error or hits: $(grep error bad.json | head -c 300)"
done
