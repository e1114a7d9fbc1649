# fetch.txt (RFC 8493 §2.2.3): a bag whose fetch.txt lists files not yet
# fetched is reported incomplete, those files as "not fetched" (not as
# missing or tampered); once they are there it is checked like any bag.
# Bad fetch files are invalid.  verify and the independent bagit-check.sh
# agree on every case, as directories and as tar files; create never
# writes a fetch.txt of its own.
. "$top_srcdir/tests/lib.sh"
check="$top_srcdir/tests/case-bundle/bagit-check.sh"

mkbag() {	# dir: two payload files, sha256 and sm3 manifests
	mkdir -p "$1/data/sub"
	printf 'alpha\n' >"$1/data/a.txt"
	printf 'beta!\n' >"$1/data/sub/b.txt"
	printf 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n' >"$1/bagit.txt"
	printf 'Payload-Oxum: 12.2\n' >"$1/bag-info.txt"
	(cd "$1" && sha256sum data/a.txt data/sub/b.txt >manifest-sha256.txt &&
	    openssl dgst -sm3 -r data/a.txt data/sub/b.txt | sed 's/ \*/  /' >manifest-sm3.txt)
}
retag() { (cd "$1" && sha256sum bagit.txt bag-info.txt manifest-*.txt fetch.txt >tagmanifest-sha256.txt); }

both() {	# name exit: bagit-check and verify (directory and tar) agree
	st=0
	[ "$2" -eq 0 ] || st=1
	got=$(sh "$check" "$1")
	if [ "$st" -eq 0 ]; then
		[ "$got" = valid ] || fail "$1: bagit-check says $got"
	else
		[ "$got" != valid ] || fail "$1: bagit-check says valid"
	fi
	tar cf "$1.tar" "$1"
	expect_exit "$2" case-bundle verify "$1.tar"
	cp out "$1.tar.out"
	expect_exit "$2" case-bundle verify "$1"
}

# all fetched: the files are here, with the lengths fetch.txt gives
mkbag fetched
printf 'https://example.invalid/b.txt 6 data/sub/b.txt\nftp://example.invalid/a - data/a.txt\n' >fetched/fetch.txt
retag fetched
both fetched 0
expect_grep '^ok +completeness +2 payload file\(s\) in 2 manifest\(s\); fetch.txt: all fetched' out
echo "fetched: intact"

# not fetched: incomplete, and said so; the rest is still checked
mkbag holey
printf 'https://example.invalid/b.txt 6 data/sub/b.txt\n' >holey/fetch.txt
retag holey
rm holey/data/sub/b.txt
both holey 1
for o in out holey.tar.out; do
	expect_grep '^FAIL +completeness +incomplete: 1 file\(s\) listed in fetch.txt not fetched' $o
	expect_grep "^      - 'data/sub/b.txt' is not fetched yet \(fetch.txt: https://example.invalid/b.txt\)" $o
	expect_grep '^ok +payload +1 file\(s\) x 2 algorithm\(s\) compared' $o
	expect_grep '^ok +tag-manifests' $o
	expect_grep ': incomplete \(files listed in fetch.txt are not fetched\)$' $o
	expect_no_grep 'missing|differs|Payload-Oxum' $o
done
expect_exit 1 case-bundle verify --json holey
expect_jq '.[-1].not_fetched == 1 and .[-1].failed == 1' out
expect_jq '[.[] | select(.step == "completeness")][0].result == "FAIL"' out
echo "holey: incomplete"

# not fetched, and another file changed: not intact, and both are said
cp -r holey holey-changed
printf 'ALPHA\n' >holey-changed/data/a.txt
both holey-changed 1
expect_grep "^FAIL +payload" out
expect_grep "'data/a.txt': sha256 differs from manifest-sha256.txt" out
expect_grep "'data/sub/b.txt' is not fetched yet" out
expect_grep ': NOT INTACT$' out
echo "holey-changed: not intact"

# a file not here and not in fetch.txt is still missing
cp -r holey holey-missing
rm holey-missing/data/a.txt
both holey-missing 1
expect_grep "manifest-sha256.txt lists 'data/a.txt', which is missing" out
expect_grep ': NOT INTACT$' out
echo "holey-missing: not intact"

# invalid fetch files
mkbag bad-length
printf 'https://example.invalid/b.txt 99 data/sub/b.txt\n' >bad-length/fetch.txt
both bad-length 1
expect_grep "'data/sub/b.txt' has 6 bytes, fetch.txt says 99" out
mkbag bad-tagfile
printf 'https://example.invalid/x 55 bagit.txt\n' >bad-tagfile/fetch.txt
both bad-tagfile 1
expect_grep "fetch.txt lists 'bagit.txt', which is not a payload file" out
mkbag bad-unlisted
printf 'https://example.invalid/c - data/c.txt\n' >bad-unlisted/fetch.txt
both bad-unlisted 1
expect_grep "fetch.txt lists 'data/c.txt', which manifest-sha256.txt does not list" out
expect_grep "fetch.txt lists 'data/c.txt', which manifest-sm3.txt does not list" out
mkbag bad-syntax
printf 'example.invalid/b.txt 6 data/sub/b.txt\n' >bad-syntax/fetch.txt
both bad-syntax 1
expect_grep "fetch.txt: line 1: not 'URL LENGTH FILEPATH'" out
mkbag bad-dotdot
printf 'https://example.invalid/b - data/../bagit.txt\n' >bad-dotdot/fetch.txt
both bad-dotdot 1
expect_grep "fetch.txt lists 'data/../bagit.txt', which is not a payload file" out
echo "bad fetch files: invalid"

# create never writes one, even with a payload file of that name
mkdir -p ev/sub
printf 'u v data/x\n' >ev/fetch.txt
cp -r holey ev/sub/holey
expect_exit 0 case-bundle create -o case.tar --case-id F-1 --source-date-epoch 1767225600 ev
tar tf case.tar >members
expect_no_grep '^F-1/fetch\.txt$' members
expect_grep '^F-1/data/ev/fetch\.txt$' members
expect_grep '^F-1/data/ev/sub/holey/fetch\.txt$' members
expect_exit 0 case-bundle verify case.tar
# a fetch.txt slipped into a sealed bundle: the profile allows none
tar xf case.tar
printf 'https://example.invalid/a - data/ev/fetch.txt\n' >F-1/fetch.txt
expect_exit 1 case-bundle verify F-1
expect_grep '^FAIL +profile' out
expect_grep 'the profile allows no fetch.txt' out
echo "create: no fetch.txt"
