# jpeg.grid.flat: a chat bubble cut from a screenshot that went through a
# chat app as a JPEG (q80), pasted into a never-compressed screenshot.
# Black text on a white bubble clips the JPEG's ringing, so the DCT votes
# are few; but the piece's flat areas begin and end on its 8x8 grid.
# The untouched screenshot, with soft rounded corners and a gradient
# card dithered as browsers draw them, has none of it.  Drawn with PIL.
. "$top_srcdir/tests/lib.sh"
/usr/bin/python3 -c 'import PIL' 2>/dev/null || { echo "no PIL"; exit 77; }

/usr/bin/python3 - <<'PY' || fail "cannot draw the test pictures"
import io, random
from PIL import Image, ImageDraw, ImageFont

W, H = 540, 960
try:
    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 21)
except OSError:
    font = ImageFont.load_default()
WORDS = ("pay the loan now or we call your office tomorrow transfer done "
         "receipt amount yuan bank account").split()

def screen(seed):
    """Grey background, white bubbles with rounded corners, black text, and
    a card whose vertical gradient is dithered by one level (as Skia does)."""
    r = random.Random(seed)
    im = Image.new("RGB", (W, H), (237, 237, 237))
    d = ImageDraw.Draw(im)
    for y in range(700, 900):
        for x in range(30, 510):
            v = 250 - (y - 700) * 12 // 200 + ((x % 4 == 0) and (y % 2 == 0))
            im.putpixel((x, y), (v, v, v))
    y = 21
    while y < 640:
        x0 = r.choice([21, 101])
        txt = " ".join(r.choice(WORDS) for _ in range(r.randint(2, 5)))
        tw = d.textlength(txt, font=font)
        d.rounded_rectangle([x0, y, x0 + tw + 24, y + 46], 9, fill=(255, 255, 255))
        d.text((x0 + 12, y + 11), txt, fill=(0, 0, 0), font=font)
        y += 67
    return im

def jpeg(im, q):
    b = io.BytesIO()
    im.save(b, "JPEG", quality=q, subsampling=2)
    return Image.open(io.BytesIO(b.getvalue())).convert("RGB")

base = screen(1)
base.save("clean.png")
donor = jpeg(screen(2), 80)
forged = base.copy()
# the donor's bubble rows 155..215 (grid phase 0,0 at the cut's corner
# (16,152)), pasted at (21,290): origin (21 mod 8, 290 mod 8) = (5,2)
forged.paste(donor.crop((16, 152, 528, 216)), (21, 290))
forged.save("forged.png")
PY

imgforge-check --json clean.png forged.png >out.json 2>err
[ $? -eq 1 ] || fail "expected exit 1: $(cat err)"
expect_records out.json
image_record out.json clean.png >clean.json
image_record out.json forged.png >forged.json

expect_jq '.[0].verdict == "no-evidence"' clean.json
expect_jq '[.[0].findings[] | select(.check | startswith("jpeg.grid"))] | length == 0' clean.json

expect_jq '.[0].verdict == "forged"' forged.json
expect_jq '[.[0].findings[] | select(.check == "jpeg.grid.flat" and .log10_nfa < 0)] | length == 1' forged.json
expect_jq '[.[0].findings[] | select(.check == "jpeg.grid.flat")][0].detail.origin == [5, 2]' forged.json
expect_jq '[.[0].findings[] | select(.check == "info.jpeg.grid")][0].detail.flat_regions == 1' forged.json
# the piece is 512x64 at (21,290): at least half of the box must be it
expect_region_iou forged.json jpeg.grid.flat 21 290 512 64 0.5
echo "ok"
