# Interoperability: an unpacked bundle is valid for an independent BagIt
# validator (bagit-check.sh, RFC 8493 in sh and coreutils), and verify
# agrees with it on hand-built valid and invalid bags, as directories
# and as tar files.
. "$top_srcdir/tests/lib.sh"
check="$top_srcdir/tests/case-bundle/bagit-check.sh"

mkdir ev
printf 'one\n' >ev/1.txt
printf 'two\n' >'ev/with space.txt'
printf 'three\n' >ev/三.txt
expect_exit 0 case-bundle create -o case.tar --case-id C-1 --source-date-epoch 1767225600 ev
tar xf case.tar
[ "$(sh "$check" C-1)" = valid ] || fail "bagit-check rejects our bag: $(sh "$check" C-1)"

# hand-built bags
mkbag() {	# dir [algs...]
	d=$1
	shift
	mkdir -p "$d/data/sub"
	printf 'alpha\n' >"$d/data/a.txt"
	printf 'beta\n' >"$d/data/sub/b.txt"
	printf 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n' >"$d/bagit.txt"
	printf 'Source-Organization: test\nPayload-Oxum: 11.2\n' >"$d/bag-info.txt"
	for a in "$@"; do
		(cd "$d" && find data -type f | LC_ALL=C sort | while IFS= read -r f; do
			${a}sum "$f"; done >"manifest-$a.txt")
	done
	for a in "$@"; do
		(cd "$d" && ${a}sum bagit.txt bag-info.txt manifest-*.txt >"tagmanifest-$a.txt")
	done
}
retag() { (cd "$1" && sha256sum bagit.txt bag-info.txt manifest-*.txt >tagmanifest-sha256.txt); }

expect_case() {	# name valid|invalid
	name=$1
	expect=$2
	got=$(sh "$check" "$name")
	case $got in
	valid) [ "$expect" = valid ] || fail "$name: bagit-check says valid, expected $expect" ;;
	*) [ "$expect" = invalid ] || fail "$name: bagit-check says $got" ;;
	esac
	st=0
	[ "$expect" = valid ] || st=1
	expect_exit $st case-bundle verify "$name"
	tar cf "$name.tar" "$name"
	expect_exit $st case-bundle verify "$name.tar"
	echo "$name: $expect"
}

mkbag v-sha256-sha512 sha256 sha512
expect_case v-sha256-sha512 valid
mkbag v-md5-only md5
expect_case v-md5-only valid
mkbag v-sha1-sha512 sha1 sha512
expect_case v-sha1-sha512 valid
mkbag v-minimal sha256
rm v-minimal/bag-info.txt v-minimal/tagmanifest-sha256.txt
expect_case v-minimal valid
mkbag v-crlf sha256
printf 'BagIt-Version: 1.0\r\nTag-File-Character-Encoding: UTF-8\r\n' >v-crlf/bagit.txt
retag v-crlf
expect_case v-crlf valid

mkbag i-no-bagit sha256
rm i-no-bagit/bagit.txt
expect_case i-no-bagit invalid
mkbag i-bagit-3-lines sha256
printf 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\nExtra: x\n' >i-bagit-3-lines/bagit.txt
retag i-bagit-3-lines
expect_case i-bagit-3-lines invalid
mkbag i-bagit-bom sha256
printf '\357\273\277BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n' >i-bagit-bom/bagit.txt
retag i-bagit-bom
expect_case i-bagit-bom invalid
mkbag i-extra-file sha256
printf 'x' >i-extra-file/data/extra.txt
sed -i 's/11\.2/12.3/' i-extra-file/bag-info.txt
retag i-extra-file
expect_case i-extra-file invalid
mkbag i-missing-file sha256
rm i-missing-file/data/sub/b.txt
sed -i 's/11\.2/6.1/' i-missing-file/bag-info.txt
retag i-missing-file
expect_case i-missing-file invalid
mkbag i-bad-hash sha256 sha512
printf 'ALPHA\n' >i-bad-hash/data/a.txt
expect_case i-bad-hash invalid
mkbag i-bad-oxum sha256
sed -i 's/11\.2/99.2/' i-bad-oxum/bag-info.txt
retag i-bad-oxum
expect_case i-bad-oxum invalid
mkbag i-dotdot sha256
echo "$(sha256sum <i-dotdot/bagit.txt | cut -d' ' -f1)  data/../bagit.txt" >>i-dotdot/manifest-sha256.txt
retag i-dotdot
expect_case i-dotdot invalid
mkbag i-fetch sha256
printf 'http://example.invalid/c 1 data/c.txt\n' >i-fetch/fetch.txt
expect_case i-fetch invalid
mkbag i-dup-line sha256
tail -n 1 i-dup-line/manifest-sha256.txt >>i-dup-line/manifest-sha256.txt
retag i-dup-line
expect_case i-dup-line invalid
mkbag i-tag-mismatch sha256
printf 'Contact-Name: changed\n' >>i-tag-mismatch/bag-info.txt
expect_case i-tag-mismatch invalid
mkbag i-no-manifest sha256
rm i-no-manifest/manifest-sha256.txt i-no-manifest/tagmanifest-sha256.txt
expect_case i-no-manifest invalid
mkbag i-no-data sha256
rm -r i-no-data/data
expect_case i-no-data invalid
