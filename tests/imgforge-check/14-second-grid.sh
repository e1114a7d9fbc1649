# A paste from another JPEG, off the last compression's grid: the
# second-grid check finds it and places it (the window that detects is
# refined at 8-pixel resolution: IoU 0.7 or more, where the window
# alone gave 0.52), on a drawn scan unlike the samples.
. "$top_srcdir/tests/lib.sh"
/usr/bin/python3 -c 'import PIL' 2>/dev/null || { echo "no PIL"; exit 77; }

/usr/bin/python3 - <<'PY' || fail "cannot draw the test pictures"
import io, random
from PIL import Image, ImageDraw, ImageFont

try:
    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 26)
except OSError:
    font = ImageFont.load_default()

def scan(seed, w, h):
    """Paper with grain and lines of text, as a flatbed would see it."""
    r = random.Random(seed)
    im = Image.new("L", (w, h), 0)
    im.putdata([int(232 + r.gauss(0, 4)) for _ in range(w * h)])
    im = im.convert("RGB")
    d = ImageDraw.Draw(im)
    y = 40
    while y < h - 50:
        d.text((50, y), " ".join(r.choice(["certificate", "income", "yuan",
               "village", "committee", "hereby", "household", "2025"])
               for _ in range(5)), fill=(30, 30, 40), font=font)
        y += 48
    return im

def jpeg(im, q):
    b = io.BytesIO()
    im.save(b, "JPEG", quality=q)
    return Image.open(io.BytesIO(b.getvalue())).convert("RGB")

page = jpeg(scan(1, 768, 768), 85)
donor = jpeg(scan(2, 768, 768), 70)
# a block of the donor's text, cut on its grid and pasted at (300,205):
# its grid origin there is (300 mod 8, 205 mod 8) = (4,5)
page.paste(donor.crop((96, 192, 416, 352)), (300, 205))
b = io.BytesIO()
page.save(b, "JPEG", quality=95)
open("forged.jpg", "wb").write(b.getvalue())
b = io.BytesIO()
jpeg(scan(1, 768, 768), 85).save(b, "JPEG", quality=95)
open("twice.jpg", "wb").write(b.getvalue())
PY

imgforge-check --json --checks zero forged.jpg twice.jpg >out.json 2>err
[ $? -eq 1 ] || fail "expected exit 1: $(cat err)"
image_record out.json forged.jpg >forged.json
image_record out.json twice.jpg >twice.json
# Saved twice on the same grid, nothing pasted: nothing found.
expect_jq '.[0].verdict == "no-evidence"' twice.json
expect_jq '.[0].verdict == "forged"' forged.json
expect_jq '[.[0].findings[] | select(.check == "jpeg.grid.second" and .log10_nfa < 0)][0].detail.origin == [4, 5]' forged.json
expect_region_iou forged.json jpeg.grid.second 300 205 320 160 0.7
echo "ok"
