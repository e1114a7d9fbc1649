# Every command in the man page's EXAMPLES runs, from the top of the
# source tree as the page shows it, and finds something.
. "$top_srcdir/tests/lib.sh"

[ -d "$samples/chats" ] || { echo "skip: no sample chats"; exit 77; }
here=$(pwd)
sed -n 's/^\.Dl \$ //p' "$top_srcdir/man/chatlog-grep.1" >examples
[ "$(wc -l <examples)" -ge 5 ] || fail "EXAMPLES lost its commands"
while read -r cmd; do
	case $cmd in chatlog-grep\ *) ;; *) fail "not a chatlog-grep command: $cmd" ;; esac
	# Output redirections in the page are written relative to here.
	(cd "$top_srcdir" && eval "$(echo "$cmd" | sed "s|> |> $here/|")") >out 2>err
	st=$?
	[ $st -eq 0 ] || fail "'$cmd' exited $st: $(head -c 300 err)"
	[ -s out ] || [ -s "$here/hits.json" ] || [ -s "$here/chats.ndjson" ] || fail "'$cmd' printed nothing"
done <examples
expect_records hits.json
expect_jq '[.[] | select(.type == "hit" and .variant == "homophone")] | length > 0' hits.json
expect_records chats.ndjson
echo ok
