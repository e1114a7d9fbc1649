# A page drawn as browsers and apps draw them: cards with a gradient and
# a soft shadow, both dithered by one level with an 8x8 ordered matrix
# anchored at the page's corner.  No JPEG ever touched it, so no JPEG-grid
# check may fire; the dither's fixed pattern gets more DCT zeros on its
# own phase, which ZERO took for a grid (every card edge was a "foreign"
# region before smooth blocks stopped voting).  Drawn with PIL.
. "$top_srcdir/tests/lib.sh"
/usr/bin/python3 -c 'import PIL' 2>/dev/null || { echo "no PIL"; exit 77; }

/usr/bin/python3 - <<'PY' || fail "cannot draw the test picture"
import random
from PIL import Image, ImageDraw, ImageFont, ImageFilter
W, H = 540, 960
BAYER = [[0, 32, 8, 40, 2, 34, 10, 42], [48, 16, 56, 24, 50, 18, 58, 26],
         [12, 44, 4, 36, 14, 46, 6, 38], [60, 28, 52, 20, 62, 30, 54, 22],
         [3, 35, 11, 43, 1, 33, 9, 41], [51, 19, 59, 27, 49, 17, 57, 25],
         [15, 47, 7, 39, 13, 45, 5, 37], [63, 31, 55, 23, 61, 29, 53, 21]]
try:
    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 20)
except OSError:
    font = ImageFont.load_default()
def dither(v, x, y):
    """v (float) to an integer, by the 8x8 ordered matrix anchored at the page's corner."""
    base = int(v)
    return base + ((v - base) * 64 > BAYER[y % 8][x % 8])
r = random.Random(5)
# the page: flat grey; cards with a soft shadow around and a vertical gradient
cards = []
y = 29
while y < H - 140:
    x0, h = r.choice([13, 21, 37]), r.randint(90, 150)
    cards.append((x0, y, W - x0, y + h))
    y += h + r.randint(27, 45)
def page_value(xx, yy):
    """The card's gradient inside a card, else the page darkened by the shadow of the nearest card."""
    dark = 0.0
    for (x0, y0, x1, y1) in cards:
        if x0 <= xx < x1 and y0 <= yy < y1:
            return 255 - 15.0 * (yy - y0) / (y1 - y0)
        dx = max(x0 - xx, 0, xx - (x1 - 1))
        dy = max(y0 + 4 - yy, 0, yy - (y1 - 1 + 4))
        dist2 = dx * dx + dy * dy
        if dist2 < 400:
            dark = max(dark, 24.0 * (1 - dist2 / 400.0) ** 2)
    return 242 - dark
img = Image.new("RGB", (W, H))
px = img.load()
for yy in range(H):
    for xx in range(W):
        g = dither(page_value(xx, yy), xx, yy)
        px[xx, yy] = (g, g, g)
dr = ImageDraw.Draw(img)
words = "transfer done receipt amount yuan bank account pay the loan".split()
for (x0, y0, x1, y1) in cards:
    dr.text((x0 + 14, y0 + 16), " ".join(r.choice(words) for _ in range(4)), fill=(20, 20, 20), font=font)
img.save("styled.png")
PY

imgforge-check --json styled.png >out.json 2>err
[ $? -eq 0 ] || fail "expected exit 0 (no evidence): $(cat err)"
expect_records out.json
expect_jq '[.[] | select(.type == "image")][0].verdict == "no-evidence"' out.json
expect_jq '[.[] | select(.type == "image")][0].findings | map(select(.check | startswith("jpeg.grid."))) | length == 0' out.json
echo "ok"
