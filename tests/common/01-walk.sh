# Walking: directories in byte order, archive members as streams with
# their own hashes, and standard input as a path list or a record stream.
. "$top_srcdir/tests/lib.sh"

mkdir -p case/B case/a
printf 'one\n' >case/B/x.txt
printf 'two\n' >case/a/y.txt
printf 'three\n' >case/Z.txt
(cd case && zip -qX ../case.zip Z.txt a/y.txt B/x.txt) || fail "zip"
printf 'gz\n' | gzip -n >note.txt.gz
tar -cf case.tar -C case B/x.txt a/y.txt

echo "# arguments: files, a directory (byte order: B < Z < a), archives"
fk-walk case case.zip case.tar note.txt.gz
echo "# a path list on standard input"
printf 'case/a/y.txt\ncase.zip\r\n' | fk-walk
echo "# NUL-separated with -0"
printf 'case/Z.txt\0case/B/x.txt\0' | fk-walk -0
echo "# a record stream: only the members named, each once"
printf '%s\n' '{"type":"header","tool":"x"}' \
    '{"type":"hit","path":"case.zip","member":"a/y.txt"}' \
    '{"type":"hit","path":"case.zip","member":"a/y.txt"}' \
    '{"type":"cluster","members":[{"path":"case/Z.txt"}]}' \
    '{"type":"summary"}' | fk-walk
echo "# the inputs are unchanged"
find case -type f | sort | xargs sha256sum
