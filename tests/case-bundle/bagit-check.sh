#!/bin/sh
# An independent BagIt 1.0 (RFC 8493) validator in POSIX sh and coreutils,
# written from the RFC and not from case-bundle's code, for the
# interoperability tests (no BagIt package is in Debian; the npm ones are
# unmaintained).  Usage: bagit-check.sh BAGDIR.  Prints "valid" or
# "invalid: REASON" and exits 0 or 1.
#
# Checked (RFC 8493 section):
#  2.1.1  bagit.txt: exactly two lines, "BagIt-Version: M.N" and
#         "Tag-File-Character-Encoding: UTF-8", no byte-order mark
#  2.1.2  a data/ payload directory
#  2.1.3  at least one payload manifest; every line "checksum path" with the
#         path under data/; every payload file in every manifest exactly
#         once; every listed file present; every checksum right
#  2.2.1  tag manifests: every listed file present and its checksum right
#  2.2.2  Payload-Oxum, when bag-info.txt gives it, matches the payload
#  2.2.3  fetch.txt: lines "URL LENGTH FILEPATH" with an absolute URL,
#         LENGTH octets or "-", FILEPATH under data/; a listed file that is
#         not here makes the bag incomplete (we do not fetch); one that is
#         here has the LENGTH given and is checked as any payload file
#  3      path names: no absolute path, no ".." component
# Percent-encoded names (%0A, %0D, %25) are not decoded: bags with such
# names are reported invalid here (case-bundle never writes them).
bag=$1
bad() { echo "invalid: $*"; exit 1; }
[ -d "$bag" ] || bad "not a directory"
cd "$bag" || bad "cannot enter"

[ -f bagit.txt ] || bad "no bagit.txt"
[ "$(head -c 3 bagit.txt | od -An -tx1 | tr -d ' ')" != efbbbf ] || bad "bagit.txt has a BOM"
[ "$(tr '\r' '\n' <bagit.txt | grep -c .)" -eq 2 ] || bad "bagit.txt is not two lines"
tr -d '\r' <bagit.txt | sed -n 1p | grep -Eq '^BagIt-Version: [0-9]+\.[0-9]+$' || bad "bad BagIt-Version line"
tr -d '\r' <bagit.txt | sed -n 2p | grep -qx 'Tag-File-Character-Encoding: UTF-8' || bad "bad encoding line"
[ -d data ] || bad "no data/ directory"
trap 'rm -f .payload.$$ .listed.$$ .fetch.$$' EXIT
if [ -e fetch.txt ]; then
	tr -d '\r' <fetch.txt | grep -v '^$' >.fetch.$$
	! grep -Evq '^[A-Za-z][A-Za-z0-9+.-]*:[^ 	]+[ 	]+(-|[0-9]+)[ 	]+data/' .fetch.$$ ||
	    bad "fetch.txt: a line is not 'URL LENGTH data/...'"
	! grep -Eq '(^|/)\.\.(/|$)' .fetch.$$ || bad "fetch.txt: path outside the bag"
	while read -r url len path; do
		[ -f "$path" ] || bad "not complete: $path is still to be fetched from $url"
		[ "$len" = - ] || [ "$(wc -c <"$path")" -eq "$len" ] ||
		    bad "fetch.txt: $path is not $len bytes"
	done <.fetch.$$
fi

sumcmd() {
	case $1 in
	md5) echo md5sum ;; sha1) echo sha1sum ;; sha224) echo sha224sum ;;
	sha256) echo sha256sum ;; sha384) echo sha384sum ;; sha512) echo sha512sum ;;
	sm3) echo sm3 ;; *) echo "" ;;
	esac
}

# One line's file against its checksum, for algorithms coreutils lacks.
sm3_check() {
	while IFS= read -r line; do
		want=${line%% *}
		f=${line#* }
		f=${f# }
		got=$(openssl dgst -sm3 -r "$f" 2>/dev/null | cut -d' ' -f1) || return 1
		[ "$got" = "$want" ] || return 1
	done <"$1"
}

check_sums() {	# alg manifest
	cmd=$(sumcmd "$1")
	[ -n "$cmd" ] || bad "$2: unsupported algorithm $1"
	if [ "$cmd" = sm3 ]; then
		sm3_check "$2" || bad "$2: checksum mismatch or missing file"
	else
		$cmd -c --quiet --strict "$2" >/dev/null 2>&1 || bad "$2: checksum mismatch or missing file"
	fi
}

find data -type f | LC_ALL=C sort >.payload.$$
n=0
for m in manifest-*.txt; do
	[ -f "$m" ] || continue
	n=$((n + 1))
	alg=${m#manifest-}
	alg=${alg%.txt}
	tr -d '\r' <"$m" | grep -v '^$' | sed 's/^[0-9a-fA-F]*[ 	]*//' | LC_ALL=C sort >.listed.$$
	grep -Eq '^/|(^|/)\.\.(/|$)' .listed.$$ && bad "$m: path outside the bag"
	grep -vq '^data/' .listed.$$ && bad "$m: path outside data/"
	[ -z "$(uniq -d .listed.$$)" ] || bad "$m: a file listed twice"
	cmp -s .payload.$$ .listed.$$ || bad "$m: does not list exactly the payload files"
	check_sums "$alg" "$m"
done
[ "$n" -gt 0 ] || bad "no payload manifest"

for m in tagmanifest-*.txt; do
	[ -f "$m" ] || continue
	alg=${m#tagmanifest-}
	alg=${alg%.txt}
	check_sums "$alg" "$m"
done

if [ -f bag-info.txt ] && grep -q '^Payload-Oxum:' bag-info.txt; then
	ox=$(sed -n 's/^Payload-Oxum: *//p' bag-info.txt | tr -d '\r')
	bytes=$(find data -type f -exec cat {} + | wc -c)
	count=$(wc -l <.payload.$$)
	[ "$ox" = "$bytes.$count" ] || bad "Payload-Oxum $ox, payload is $bytes.$count"
fi
echo valid
