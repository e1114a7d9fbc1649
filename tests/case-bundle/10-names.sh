# Payload names BagIt readers disagree on are renamed, the original kept in
# the evidence list: CR, LF, '%', backslash, Windows-reserved names and
# characters, trailing dots, invalid UTF-8, and names equal but for case or
# Unicode normalisation.  The bag stays valid for the independent checker.
. "$top_srcdir/tests/lib.sh"
mkdir ev
printf 1 >"ev/$(printf 'line\nbreak.txt')"
printf 2 >"ev/$(printf 'carriage\rreturn.txt')"
printf 3 >'ev/100%.txt'
printf 4 >'ev/back\slash.txt'
printf 5 >'ev/CON.txt'
printf 6 >'ev/lpt1'
printf 7 >'ev/what?.txt'
printf 8 >'ev/trailing.'
printf 9 >"ev/$(printf 'bad\377name')"
printf a >'ev/Report.TXT'
printf b >'ev/report.txt'
printf c >"ev/$(printf 'caf\303\251')"
printf d >"ev/$(printf 'cafe\314\201')"
printf e >'ev/plain.txt'
expect_exit 0 case-bundle create -o n.tar --case-id N-1 --source-date-epoch 1767225600 ev
tar tf n.tar | sed -n 's|^N-1/data/ev/||p' | grep . >names
cat names
expect_exit 0 case-bundle verify n.tar
tar xf n.tar
[ "$(sh "$top_srcdir/tests/case-bundle/bagit-check.sh" N-1)" = valid ] || fail "bagit-check rejects the bag"
case-bundle list --format json n.tar | jq -r '.items[] | select(.original_name) | .name + " <- " + (.original_name | @json)'
[ "$(wc -l <names)" -eq 14 ] || fail "a file was lost or merged"
