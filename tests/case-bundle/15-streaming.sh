# The streaming writer: payload files read into slots that the archive is
# written from and hashed in place (the archive's own SHA-256 and SM3 over
# the same bytes).  Files of sizes around the slot (1 MiB) and small-file
# (256 KiB) limits and the tar block (512): every manifest line agrees with
# coreutils and openssl, the .sha256 and .sm3 beside the archive agree with
# them over the whole archive, plain, gzip and zstd, and a second run gives
# the same bytes.
. "$top_srcdir/tests/lib.sh"
mkdir -p ev/d
i=0
for n in 0 1 511 512 513 262143 262144 262145 1048575 1048576 1048577 2621447 3145728; do
	head -c $n /dev/urandom >ev/f$i.bin
	i=$((i + 1))
done
head -c 1500000 /dev/urandom >ev/d/"long name $(printf 'n%.0s' $(seq 1 120)).bin"
common="--case-id S-1 --source-date-epoch 1767225600"
for z in "" -z --zstd; do
	rm -rf S-1 case.tar* again.tar*
	expect_exit 0 case-bundle create -q $z -o case.tar $common ev
	[ "$(sha256sum <case.tar | cut -d' ' -f1)" = "$(cut -d' ' -f1 case.tar.sha256)" ] ||
	    fail "$z: case.tar.sha256 is not the archive's SHA-256"
	[ "$(openssl dgst -sm3 -r case.tar | cut -d' ' -f1)" = "$(cut -d' ' -f1 case.tar.sm3)" ] ||
	    fail "$z: case.tar.sm3 is not the archive's SM3"
	expect_exit 0 case-bundle create -q $z -o again.tar $common ev
	cmp -s case.tar again.tar || fail "$z: a second run differs"
	tar xf case.tar
	(cd S-1 && sha256sum -c --quiet manifest-sha256.txt && sha512sum -c --quiet manifest-sha512.txt) ||
	    fail "$z: a payload manifest disagrees with coreutils"
	(cd S-1 && while read -r h f; do
		[ "$(openssl dgst -sm3 -r "$f" | cut -d' ' -f1)" = "$h" ] || exit 1
	done <manifest-sm3.txt) || fail "$z: manifest-sm3.txt disagrees with openssl"
	[ "$(wc -l <S-1/manifest-sm3.txt)" -eq 14 ] || fail "$z: not 14 payload files"
	expect_exit 0 case-bundle verify case.tar
	expect_grep '^case.tar: intact$' out
	expect_grep 'archive SHA-256 matches its .sha256' out
	echo "${z:-plain}: ok"
done
