# Copy-move inside one picture, at a shift that is not a multiple of
# anything: a 96x96 piece of a textured, noisy picture (discs of random
# colours, blurred, noise 4) copied
# 213 right and 131 down, saved at q92, is found with its shift, and the
# untouched picture is not.
. "$top_srcdir/tests/lib.sh"
/usr/bin/python3 -c 'import PIL' 2>/dev/null || { echo "no PIL" >&2; exit 77; }
/usr/bin/python3 - <<'PY' || fail "generator failed"
import random
from PIL import Image, ImageChops, ImageDraw, ImageFilter
random.seed(16)
tex = Image.new("RGB", (640, 480), (128, 120, 110))
d = ImageDraw.Draw(tex)
for _ in range(900):
    x, y, r = random.randrange(640), random.randrange(480), random.randrange(3, 25)
    d.ellipse((x - r, y - r, x + r, y + r), fill=tuple(random.randrange(256) for _ in range(3)))
tex = tex.filter(ImageFilter.GaussianBlur(1.2))
n = Image.effect_noise((640, 480), 4)
tex = ImageChops.add(tex, Image.merge("RGB", (n, n, n)), 1.0, -128)
tex.save("plain.jpg", quality=92)
tex.paste(tex.crop((60, 50, 156, 146)), (273, 181))
tex.save("copied.jpg", quality=92)
PY
expect_exit 0 imgforge-check --checks copymove plain.jpg
expect_exit 1 imgforge-check --json --checks copymove copied.jpg
f=$(jq -c 'select(.type == "image") | [.findings[] | select(.check == "copymove" and .log10_nfa < 0)]' out)
[ "$(echo "$f" | jq length)" -ge 1 ] || fail "no copy-move detection: $f"
[ "$(echo "$f" | jq -c '.[0].detail.shift')" = "[213,131]" ] || fail "shift is not 213,131: $f"
set -- $(echo "$f" | jq -r '.[0].region | map(tostring) | join(" ")')
iou=$(awk -v a="$1" -v b="$2" -v c="$3" -v d="$4" 'BEGIN {
	x0 = a > 273 ? a : 273; y0 = b > 181 ? b : 181
	x1 = a + c < 369 ? a + c : 369; y1 = b + d < 277 ? b + d : 277
	i = (x1 > x0 && y1 > y0) ? (x1 - x0) * (y1 - y0) : 0
	printf "%.1f", i / (c * d + 96 * 96 - i) }')
echo "copied.jpg: copy-move, shift [213,131], IoU with the copy $iou"
awk -v i="$iou" 'BEGIN { exit !(i >= 0.5) }' || fail "IoU $iou below 0.5: $f"
