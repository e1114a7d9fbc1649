# Inputs: a path list on standard input (newline or NUL), a record stream
# from another forgekit tool, and archive members named path!member.
. "$top_srcdir/tests/lib.sh"
convert -size 64x48 gradient:white-gray -strip a.jpg
cp a.jpg b.jpg
exiftool -q -overwrite_original -Software='PicsArt 19' b.jpg
printf 'a.jpg\nb.jpg\n' | imgforge-check --checks meta >list
[ $? -eq 1 ] || fail "path list: exit status"
printf 'a.jpg\0b.jpg\0' | imgforge-check -0 --checks meta >nul
[ $? -eq 1 ] || fail "NUL path list: exit status"
cmp -s list nul || fail "-0 list differs"
imgforge-check --json --checks meta a.jpg b.jpg | imgforge-check --checks meta >stream
[ $? -eq 1 ] || fail "record stream: exit status"
cmp -s list stream || fail "record stream differs: $(cat stream)"
tar -cf case.tar a.jpg b.jpg
imgforge-check --json --checks meta case.tar >out
[ $? -eq 1 ] || fail "archive: exit status"
expect_jq '[.[] | select(.type == "image") | [.path, .member, .verdict]] ==
    [["case.tar", "a.jpg", "no-evidence"], ["case.tar", "b.jpg", "suspicious"]]' out
cat list
