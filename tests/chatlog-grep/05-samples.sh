# The sample chats (samples/chats, eight layouts, every evasion form)
# scored against samples/truth/chats.json: recall per form, precision, and whether
# sender and time were read right.  Targets: recall >= 0.95 for every form
# but homophones (normal mode), all forms in aggressive mode, precision >=
# 0.9, sender/time >= 0.99.
. "$top_srcdir/tests/lib.sh"

chats="$samples/chats"
[ -f "$samples/truth/chats.json" ] || { echo "skip: no sample chats"; exit 77; }
files=$(jq -r '.files[].file' "$samples/truth/chats.json")

score() {	# score MODE: prints form recall lines, precision, sender/time
	(cd "$chats" && chatlog-grep --json --evasion "$1" -f "$samples/lexicon.tsv" $files) >"hits-$1.json"
	jq -r -n --slurpfile t "$samples/truth/chats.json" --slurpfile h "hits-$1.json" '
	def clean: gsub("[\u200e\u200f\u202a-\u202e\u2066-\u2069]"; "");
	[$h[] | select(.type == "hit")] as $hits |
	[$t[0].files[] as $f | $f.hits[] | . + {file: $f.file}] as $truth |
	def found($x): [$hits[] | select(.path == $x.file and .message.index == $x.index and
	    .term.text == $x.term)] | first;
	($truth | group_by(.form)[] | "recall \(.[0].form) \([.[] | select(found(.) != null)] | length) \(length)"),
	([$hits[] | . as $x | select(any($truth[]; .file == $x.path and .index == $x.message.index
	    and .term == $x.term.text))] | "precision \(length) \($hits | length)"),
	([$truth[] | . as $x | found($x) as $g | select($g != null) |
	    ($g.message.time == $x.time and $g.message.sender == ($x.sender | clean))] |
	    "sender-time \(map(select(.)) | length) \(length)")'
}

check() {	# check MODE: every ratio meets its target
	score "$1" >"score-$1"
	while read -r what form a b; do
		case $what in
		precision) b=$a; a=$form; min=0.9; form=all ;;
		sender-time) b=$a; a=$form; min=0.99; form=all ;;
		recall) min=0.95
			[ "$form" = homophone ] && [ "$1" = normal ] && min=0 ;;
		esac
		awk -v a="$a" -v b="$b" -v m="$min" 'BEGIN { exit !(b > 0 && a / b >= m) }' ||
		    fail "$1: $what $form $a/$b is below $min"
	done <"score-$1"
	grep -q '^recall exact' "score-$1" || fail "$1: nothing scored"
}
check normal
check aggressive
cat score-normal score-aggressive
