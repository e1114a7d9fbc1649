# -0: create and add also take NUL-separated paths on standard input (names
# with spaces and newlines intact, empty entries skipped), after those on
# the command line; stdin is then not read for findings; other verbs and
# -j are refused.
. "$top_srcdir/tests/lib.sh"
mkdir -p ev/sub 'ev/a b'
printf 'one\n' >'ev/a b/one.txt'
printf 'two\n' >"ev/sub/new
line.txt"
printf 'three\n' >three.txt
printf 'skip\n' >ev/sub/not-listed.txt
printf 'ev/a b/one.txt\0\0ev/sub/new\nline.txt\0' |
    expect_exit 0 case-bundle create -0 -q -o case.tar --case-id N-1 \
    --source-date-epoch 1767225600 three.txt
expect_exit 0 case-bundle list --format json case.tar
# (a newline is one of the characters BagIt readers disagree on: renamed,
# the original name kept)
expect_jq '.[0].items | (map(.name) | sort) == ["new_line.txt", "one.txt", "three.txt"] and
    (map(select(.name == "new_line.txt") | .original_name) == ["new\nline.txt"])' out
# the same files as arguments give the same payload manifest
expect_exit 0 case-bundle create -q -o args.tar --case-id N-1 \
    --source-date-epoch 1767225600 three.txt 'ev/a b/one.txt' "ev/sub/new
line.txt"
tar xOf case.tar N-1/manifest-sha256.txt >m0
tar xOf args.tar N-1/manifest-sha256.txt >m1
cmp -s m0 m1 || fail "-0 and arguments give different manifests"
[ "$(wc -l <m0)" -eq 3 ] || fail "manifest has $(wc -l <m0) lines"
expect_exit 0 case-bundle verify case.tar
# a missing path from the list is an error; nothing is written
printf 'three.txt\0nope.txt\0' | expect_exit 2 case-bundle create -0 -o bad.tar
expect_grep "cannot open 'nope.txt'" err
[ ! -e bad.tar ] || fail "bad.tar written after an error"
# staged: add takes the list too
expect_exit 0 case-bundle init --case-id N-2 stage
printf 'three.txt\0' | expect_exit 0 case-bundle add -0 stage 'ev/a b/one.txt'
[ -f stage/payload/three.txt ] && [ -f stage/payload/one.txt ] || fail "add -0 did not stage both files"
# with -0, stdin is the path list: '-' (findings on stdin) is refused
: | expect_exit 2 case-bundle create -0 -o x.tar -
expect_grep 'standard input is the path list' err
: | expect_exit 2 case-bundle verify -0 case.tar
expect_grep '\-0 is for create and add' err
expect_exit 2 case-bundle create -j 2 -o x.tar three.txt
[ ! -e x.tar ] || fail "x.tar written after a usage error"
# --help neither offers -j nor misdescribes -0
expect_exit 0 case-bundle --help
expect_no_grep '^ *-j' out
expect_grep '^  -0 .*create, add' out
