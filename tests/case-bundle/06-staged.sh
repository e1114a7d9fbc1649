# The staged workflow: init, add over several days, seal; every action in
# one custody chain; a staged file changed after it was added stops the
# seal; the staging directory is never modified by seal.
. "$top_srcdir/tests/lib.sh"
mkdir day1 day2
printf 'statement\n' >day1/statement.txt
printf 'bank record\n' >day2/record.csv
printf 'x\n' >day2/Thumbs.db
expect_exit 0 case-bundle init --case-id S-2026-7 --cause 代理维权 --handler 王五 \
    --source-date-epoch 1767225600 --actor tester stage
[ -d stage/payload ] || fail "no payload directory"
expect_grep '^Case-Identifier: S-2026-7$' stage/case-fields.txt
expect_exit 2 case-bundle init stage
expect_grep "cannot create 'stage'" err
expect_exit 0 case-bundle add --actor tester --source-date-epoch 1767312000 stage day1
expect_grep '^added 1 file\(s\) to stage$' out
expect_exit 0 case-bundle add --actor tester --source-date-epoch 1767398400 stage day2
# findings through a pipe: the stream and the file it names are staged
printf 'analysed\n' >seen.txt
printf '%s\n' '{"type":"header","format":1,"tool":"complaint-dedupe","version":"0.1.0","argv":["complaint-dedupe","seen.txt"],"started":"2026-01-03T12:00:00Z"}' \
    "{\"type\":\"cluster\",\"id\":1,\"members\":[{\"path\":\"seen.txt\",\"sha256\":\"$(sha256sum <seen.txt | cut -d' ' -f1)\"}]}" |
    case-bundle add --actor tester --source-date-epoch 1767398500 stage >out 2>err || fail "add from a pipe: $(cat err)"
[ -f stage/payload/seen.txt ] && ls stage/payload/findings/complaint-dedupe-*.jsonl >/dev/null ||
    fail "the piped findings were not staged: $(find stage/payload)"
[ -f stage/payload/day1/statement.txt ] && [ -f stage/payload/day2/record.csv ] ||
    fail "staged copies missing: $(find stage)"
# adding the same name again is refused, the log is not touched
cp stage/custody-log.jsonl log.before
expect_exit 2 case-bundle add stage day1
cmp -s log.before stage/custody-log.jsonl || fail "a refused add changed the custody log"
find stage -type f -exec sha256sum {} + | sort >before
expect_exit 0 case-bundle seal --actor tester --source-date-epoch 1767484800 -o case.tar stage
find stage -type f -exec sha256sum {} + | sort >after
cmp -s before after || fail "seal changed the staging directory"
expect_exit 0 case-bundle verify case.tar
expect_grep '^warn +profile' out
expect_grep "'data/day2/Thumbs.db' is an operating-system file" out
tar xf case.tar
jq -r -s 'map(.action + " " + .time) | join(",")' S-2026-7/case/custody-log.jsonl >actions
[ "$(cat actions)" = "init 2026-01-01T00:00:00Z,add 2026-01-02T00:00:00Z,add 2026-01-03T00:00:00Z,analysis 2026-01-03T12:00:00Z,add 2026-01-03T00:01:40Z,seal 2026-01-04T00:00:00Z" ] ||
    fail "custody actions: $(cat actions)"
jq -e -s '.[1].files[0].name == "data/day1/statement.txt" and
    .[1].files[0].sha256 == "'"$(sha256sum <day1/statement.txt | cut -d' ' -f1)"'"' \
    S-2026-7/case/custody-log.jsonl >/dev/null || fail "the add entry lacks the file's hash"
# the staged copy changed after it was added: no seal
chmod u+w stage/payload/day1/statement.txt
printf 'statement, edited\n' >stage/payload/day1/statement.txt
expect_exit 2 case-bundle seal -o bad.tar stage
expect_grep "statement.txt': SHA-256 differs from the hash logged when it was added" err
[ ! -e bad.tar ] || fail "bad.tar written"
# a file slipped into the payload without add
printf 'statement\n' >stage/payload/day1/statement.txt
printf 'sneaky\n' >stage/payload/sneaky.txt
expect_exit 2 case-bundle seal -o bad.tar stage
expect_grep "sneaky.txt': not added through case-bundle add" err
rm stage/payload/sneaky.txt
# a custody log edited by hand: the chain breaks
sed -i '2s/"add"/"ADD"/' stage/custody-log.jsonl
expect_exit 2 case-bundle seal -o bad.tar stage
expect_grep "custody-log.jsonl': entry 3: previous-entry hash does not match" err
