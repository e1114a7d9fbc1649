# Options: --help names every long option, the man page too; bad values are usage errors.
. "$top_srcdir/tests/lib.sh"
man="$top_srcdir/man/imgforge-check.1"
expect_exit 0 imgforge-check --help
for opt in checks help jobs json maps nfa quiet verbose version; do
	grep -q -- "--$opt" out || fail "--help does not mention --$opt"
	grep -qF -- "Fl \\-$opt" "$man" || fail "the man page does not document --$opt"
done
expect_exit 0 imgforge-check --version
expect_exit 2 imgforge-check --checks meta,bogus x.jpg
expect_grep "unknown check 'bogus'" err
expect_grep '^usage: imgforge-check' err
expect_exit 2 imgforge-check --nfa 0 x.jpg
expect_exit 2 imgforge-check --nosuchoption
: >plain
expect_exit 2 imgforge-check --maps plain x.jpg
expect_grep "'plain' is not a directory" err
