# The man pages are clean mdoc: mandoc -Tlint reports nothing.
. "$top_srcdir/tests/lib.sh"

command -v mandoc >/dev/null || fail "mandoc is not installed (apt-get install mandoc)"
for page in "$top_srcdir"/man/*.[157]; do
	mandoc -Tlint -Wwarning "$page" >lint 2>&1 || fail "$(cat lint)"
	[ -s lint ] && fail "$(cat lint)"
	echo "${page##*/}: clean"
done
