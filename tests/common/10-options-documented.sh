# No drift between a tool and its man page: every long option in --help
# is in the page, and every long option the page lists is in --help.
. "$top_srcdir/tests/lib.sh"

for tool in imgforge-check complaint-dedupe chatlog-grep case-bundle; do
	page="$top_srcdir/man/$tool.1"
	"$tool" --help >help.txt || fail "$tool --help exited $?"
	grep -Eo -- '--[a-z0-9][a-z0-9-]*' help.txt | sort -u >from-help
	# mdoc writes --json as ".Fl \-json" or ".Fl -json".
	grep -Eo -- 'Fl \\?-[a-z0-9][a-z0-9-]*' "$page" |
	    sed -E 's/^Fl \\?-/--/' | sort -u >from-man
	missing=$(comm -23 from-help from-man | tr '\n' ' ')
	[ -z "$missing" ] || fail "$tool: in --help but not in $page: $missing"
	extra=$(comm -13 from-help from-man | tr '\n' ' ')
	[ -z "$extra" ] || fail "$tool: in $page but not in --help: $extra"
	echo "$tool: $(wc -l <from-help) long options, documented"
done
