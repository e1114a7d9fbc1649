# Every command in a man page's EXAMPLES runs on the samples and does not
# end in trouble (exit 2).  Lines in literal displays that begin with "$ "
# are commands; they run in a scratch directory where samples/ is linked.
. "$top_srcdir/tests/lib.sh"

ln -s "$top_srcdir/samples" samples
n=0
for page in "$top_srcdir"/man/*.[157]; do
	awk '/^\.Sh /{ex = ($2 == "EXAMPLES")} ex && /^\$ /{sub(/^\$ /, ""); print}' \
	    "$page" | sed 's/\\-/-/g; s/\\e/\\/g' >cmds
	while IFS= read -r cmd; do
		sh -c "$cmd" >/dev/null 2>err </dev/null
		status=$?
		[ "$status" -lt 2 ] ||
		    fail "${page##*/}: '$cmd' exited $status: $(head -c 300 err)"
		n=$((n + 1))
	done <cmds
done
echo "$n example commands ran"
