# A JPEG grid in a PNG: a strip cut from a JPEG-compressed screenshot and
# pasted into a never-compressed one is a local grid (a detection, found
# where it is); a screenshot saved as JPEG once and then as PNG carries
# the grid everywhere (png.was-jpeg, weak evidence); the untouched
# screenshot has neither.  The pictures are drawn here with PIL.
. "$top_srcdir/tests/lib.sh"
/usr/bin/python3 -c 'import PIL' 2>/dev/null || { echo "no PIL"; exit 77; }

/usr/bin/python3 - <<'PY' || fail "cannot draw the test pictures"
import io, random
from PIL import Image, ImageDraw, ImageFont

W, H = 540, 960
try:
    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 22)
except OSError:
    font = ImageFont.load_default()

def screen(seed):
    """A chat screenshot: flat background, bubbles, antialiased text."""
    r = random.Random(seed)
    im = Image.new("RGB", (W, H), (237, 237, 237))
    d = ImageDraw.Draw(im)
    words = ("pay the loan now or we call your office tomorrow transfer "
             "done receipt amount yuan bank account").split()
    y = 20
    while y < H - 60:
        x0 = r.choice([20, 120])
        txt = " ".join(r.choice(words) for _ in range(r.randint(2, 5)))
        tw = d.textlength(txt, font=font)
        d.rounded_rectangle([x0, y, x0 + tw + 24, y + 44], 8,
                            fill=(149, 236, 105) if x0 == 120 else (255, 255, 255))
        d.text((x0 + 12, y + 10), txt, fill=(20, 20, 20), font=font)
        y += 64
    return im

def jpeg(im, q):
    b = io.BytesIO()
    im.save(b, "JPEG", quality=q, subsampling=2)
    return Image.open(io.BytesIO(b.getvalue())).convert("RGB")

base = screen(1)
base.save("clean.png")
# The donor: another screenshot with a picture in it (texture), once a q80 JPEG.
other = screen(2)
r = random.Random(7)
for y in range(330, 400):
    for x in range(40, 500):
        v = int(128 + 60 * ((x // 7 + y // 5) % 3 - 1) + r.gauss(0, 12))
        other.putpixel((x, y), (max(0, min(255, v)), max(0, min(255, v - 20)),
                                max(0, min(255, v + 10))))
other = jpeg(other, 80)
forged = base.copy()
# cut at (40,320), grid phase (0,0), pasted at (43,501): the strip's grid
# has origin (43 mod 8, 501 mod 8) = (3,5) in the forgery, grid 3 + 5*8 = 43
forged.paste(other.crop((40, 320, 500, 410)), (43, 501))
forged.save("forged.png")
# The whole screenshot a q85 JPEG once, cropped by (3,2): grid origin (5,6).
jpeg(base, 85).crop((3, 2, W, H)).save("wasjpeg.png")
PY

imgforge-check --json clean.png forged.png wasjpeg.png >out.json 2>err
[ $? -eq 1 ] || fail "expected exit 1: $(cat err)"
expect_records out.json
image_record out.json clean.png >clean.json
image_record out.json forged.png >forged.json
image_record out.json wasjpeg.png >wasjpeg.json

# The untouched screenshot: no grid anywhere, nothing found.
expect_jq '.[0].verdict == "no-evidence"' clean.json
expect_jq '[.[0].findings[] | select(.check | startswith("jpeg.grid") or . == "png.was-jpeg")] | length == 0' clean.json

# The paste: a local grid 43, origin (3,5), at least half of its box the strip's.
expect_jq '.[0].verdict == "forged"' forged.json
expect_jq '[.[0].findings[] | select(.check == "jpeg.grid.local" and .log10_nfa < 0)] | length >= 1' forged.json
expect_jq '[.[0].findings[] | select(.check == "jpeg.grid.local")][0].detail.origin == [3, 5]' forged.json
expect_jq '[.[0].findings[] | select(.check == "info.jpeg.grid")][0].detail.grid_extent == "local"' forged.json
expect_jq '[.[0].findings[] | select(.check == "png.was-jpeg")] | length == 0' forged.json
expect_region_iou forged.json jpeg.grid.local 43 501 460 90 0.5

# Once a JPEG, now a PNG: weak evidence with the grid's origin and NFA.
expect_jq '.[0].verdict == "suspicious"' wasjpeg.json
expect_jq '[.[0].findings[] | select(.check == "png.was-jpeg")][0] |
    .severity == 1 and .detail.origin == [5, 6] and .detail.log10_nfa < -10' wasjpeg.json
expect_jq '[.[0].findings[] | select(.check | startswith("jpeg.grid.") and .log10_nfa < 0)] | length == 0' wasjpeg.json
echo "ok"
