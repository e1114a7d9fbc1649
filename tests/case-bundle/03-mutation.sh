# Mutation test: a byte changed in any member (first, middle and last byte
# of the payload, the manifests, bag-info, the custody log, the signature
# and every other tag file), a member renamed, removed or added, and the
# archive truncated: verify detects every one (exit 1).  The archive's
# .sha256 sidecar is removed first, so the bag's own checks must catch
# each change; a last case shows the sidecar catching a byte in padding.
. "$top_srcdir/tests/lib.sh"
mkdir ev
printf 'first evidence file\n' >ev/a.txt
head -c 300000 /dev/urandom >ev/b.bin
printf 'x' >ev/one-byte.txt
expect_exit 0 case-bundle keygen key
expect_exit 0 case-bundle create -o case.tar --sign key.sec --case-id M-1 \
    --cause test --source-date-epoch 1767225600 ev
expect_exit 0 case-bundle verify -k key.pub case.tar
rm case.tar.sha256 case.tar.sm3
expect_exit 0 case-bundle verify -k key.pub case.tar

flip() {	# file offset
	b=$(dd if="$1" bs=1 skip="$2" count=1 2>/dev/null | od -An -tu1 | tr -d ' ')
	printf "$(printf '\\%03o' $(( (b + 1) % 256 )))" |
	    dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}

n=0
tar -tvR -f case.tar | grep ': -' | while read -r _ blk _ _ size _ _ name; do
	blk=${blk%:}
	start=$(( (blk + 1) * 512 ))
	for off in 0 $((size / 2)) $((size - 1)); do
		cp case.tar m.tar
		flip m.tar $((start + off))
		case-bundle verify -k key.pub m.tar >out 2>err
		st=$?
		[ "$st" -eq 1 ] || fail "byte $off of $name changed: verify exited $st: $(cat out err)"
		grep -q '^FAIL' out || fail "byte $off of $name changed: no step failed"
	done
	echo "$name: changed bytes detected"
done >flips.log || exit 1
[ "$(wc -l <flips.log)" -ge 17 ] || fail "too few members mutated: $(cat flips.log)"
grep -q 'M-1/data/ev/b.bin' flips.log || fail "payload not mutated"
grep -q 'M-1/tagmanifest-sha256.txt.sig' flips.log || fail "signature not mutated"
grep -q 'M-1/case/custody-log.jsonl' flips.log || fail "custody log not mutated"
grep -q 'M-1/bag-info.txt' flips.log || fail "bag-info not mutated"
echo "byte changes: $(wc -l <flips.log) members, 3 places each, all detected"

# structural changes, repacked with GNU tar in the same order
tar xf case.tar
repack() { (cd "$1" && find M-1 -print | LC_ALL=C sort | tar cf ../m.tar --no-recursion -T -); }
mutate() {	# what
	expect_exit 1 case-bundle verify -k key.pub m.tar
	grep -q '^FAIL' out || fail "$1: no step failed"
	echo "$1: detected ($(grep '^FAIL' out | awk '{print $2}' | tr '\n' ' '))"
}
cp -a M-1 orig
rm -rf w; mkdir w; cp -a orig w/M-1; repack w
expect_exit 0 case-bundle verify -k key.pub m.tar	# repacking alone changes nothing
rm -rf w; mkdir w; cp -a orig w/M-1; mv w/M-1/data/ev/a.txt w/M-1/data/ev/renamed.txt; repack w; mutate "payload renamed"
rm -rf w; mkdir w; cp -a orig w/M-1; rm w/M-1/data/ev/one-byte.txt; repack w; mutate "payload removed"
rm -rf w; mkdir w; cp -a orig w/M-1; echo new >w/M-1/data/ev/added.txt; repack w; mutate "payload added"
rm -rf w; mkdir w; cp -a orig w/M-1; echo new >w/M-1/notes.txt; repack w; mutate "tag file added"
rm -rf w; mkdir w; cp -a orig w/M-1; rm w/M-1/case/custody-log.jsonl; repack w; mutate "custody log removed"
rm -rf w; mkdir w; cp -a orig w/M-1; rm w/M-1/tagmanifest-sha256.txt.sig; repack w; mutate "signature removed"
rm -rf w; mkdir w; cp -a orig w/M-1; rm w/M-1/tagmanifest-sha256.txt.sig; repack w
expect_exit 1 case-bundle verify m.tar	# without -k too: the stored key says it was signed
expect_grep 'the signature was removed' out
rm -rf w; mkdir w; cp -a orig w/M-1; rm w/M-1/manifest-sm3.txt; repack w; mutate "manifest removed"
rm -rf w; mkdir w; cp -a orig w/M-1; mv w/M-1/case/evidence-list.csv w/M-1/case/list.csv; repack w; mutate "tag file renamed"
# a custody entry dropped from the middle, the rest re-chained by hand would
# still break at the seal entry's manifest hash or the tag manifest
rm -rf w; mkdir w; cp -a orig w/M-1; sed -i 1d w/M-1/case/custody-log.jsonl; repack w; mutate "custody entry removed"

# truncation at several points
size=$(stat -c %s case.tar)
# (labels, not byte counts: the size depends on the host and user names
# in the custody log)
for cut in 100:100-bytes 1024:1-KiB $((size / 3)):a-third $((size / 2)):half \
    $((size - 2048)):all-but-2-KiB $((size - 1024 - 1)):all-but-the-end-blocks-and-a-byte; do
	head -c "${cut%%:*}" case.tar >m.tar
	mutate "truncated to ${cut#*:}"
done

# the sidecar catches what no member covers: a byte in the tar's end blocks
expect_exit 0 case-bundle create -o s.tar --case-id M-1 --source-date-epoch 1767225600 ev
flip s.tar $(( $(stat -c %s s.tar) - 10 ))
expect_exit 1 case-bundle verify s.tar
expect_grep 'SHA-256 of the archive differs from s.tar.sha256' out
