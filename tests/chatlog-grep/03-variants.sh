# Each evasion form on a crafted message, and its variant; --evasion off
# finds only the exact one, aggressive adds homophones.
. "$top_srcdir/tests/lib.sh"

zw=$(printf '\342\200\213')	# U+200B ZERO WIDTH SPACE
cat >chat.txt <<EOT
exact: 我们做征信修复
normalized: 征${zw}信修复
normalized-width: 打１２３７８投诉
split: 征-信-修-复
split-space: 停 息 挂 账
repeated: 征征信信修复
traditional: 徵信修復
pinyin-initials: zx修复
pinyin: zhengxin修复
pinyin-all: ting xi gua zhang
homophone: 蒸信修复
too-far: 征 ,  ,  , 信修复
decoy: 考研上岸了
decoy-number: 单号781237800
EOT
chatlog-grep --json chat.txt >out.json
st=$?
[ $st -eq 0 ] || fail "exit $st"
v() {	# v LABEL VARIANT: the message starting with LABEL has a hit of VARIANT
	jq -e --arg l "$1:" --arg v "$2" -s '[.[] | select(.type == "hit" and
	    (.message.text | startswith($l)))] | length == 1 and .[0].variant == $v' \
	    out.json >/dev/null || fail "$1: expected one $2 hit: $(grep -F "\"$1:" out.json | head -c 600)"
}
v exact exact
v normalized normalized
v normalized-width normalized
v split split
v split-space split
v repeated repeated
v traditional traditional
v pinyin-initials pinyin-initials
v pinyin pinyin
v pinyin-all pinyin
for l in homophone too-far decoy decoy-number; do
	jq -e --arg l "$l:" -s '[.[] | select(.type == "hit" and (.message.text | startswith($l)))] | length == 0' \
	    out.json >/dev/null || fail "$l: unexpected hit in normal mode"
done
# spans map back to the original bytes
jq -e -s '[.[] | select(.type == "hit")] | all(.match | length > 0)' out.json >/dev/null || fail "empty match"
jq -e -s '[.[] | select(.type == "hit" and .variant == "traditional")][0].match == "徵信修復"' out.json >/dev/null ||
    fail "traditional span: $(grep traditional out.json)"
jq -e -s '[.[] | select(.type == "hit" and .variant == "pinyin-initials")][0].match == "zx修复"' out.json >/dev/null ||
    fail "initials span"
# aggressive: the homophone too
chatlog-grep --json --evasion aggressive chat.txt >agg.json
jq -e -s '[.[] | select(.type == "hit" and (.message.text | startswith("homophone:")))] |
    length == 1 and .[0].variant == "homophone" and .[0].confidence < 0.5 and .[0].match == "蒸信修复"' agg.json >/dev/null ||
    fail "aggressive homophone"
# off: only the exact spelling
chatlog-grep --json --evasion off chat.txt >off.json
jq -e -s '[.[] | select(.type == "hit")] | length == 1 and .[0].variant == "exact"' off.json >/dev/null ||
    fail "off: $(grep '"hit"' off.json | head -c 600)"
echo ok
