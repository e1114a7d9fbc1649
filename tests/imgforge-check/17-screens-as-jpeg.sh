# Untouched screenshots saved whole as JPEG (as WeChat forwards them):
# mostly flat, so only their text votes for the grid, too few pixels for
# the paper's global test over all pixels.  Without a main grid every
# text line stood out as a "foreign" region and every one of these was
# called forged; the grid is now found among the voting pixels and
# checked to be the picture's (tested on 60 browser screenshots in the
# README).  As JPEG they are no-evidence; once converted to PNG, the
# grid says they were a JPEG before (png.was-jpeg, weak), nothing more.
# The flat strips along their boxes are no noise.low either.
. "$top_srcdir/tests/lib.sh"
/usr/bin/python3 -c 'import PIL' 2>/dev/null || { echo "no PIL"; exit 77; }

/usr/bin/python3 - <<'PY' || fail "cannot draw the test pictures"
import io, random
from PIL import Image, ImageDraw, ImageFont

try:
    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 40)
except OSError:
    font = ImageFont.load_default()
words = ("loan overdue transfer receipt amount yuan bank account office "
         "call today pay settle card").split()
for seed in range(6):
    # a form: labels, boxes with their text on the left, the lower part empty
    r = random.Random(seed)
    im = Image.new("RGB", (1080, 2100), (245, 245, 245))
    d = ImageDraw.Draw(im)
    y = 40
    while y < 1260:
        d.text((36, y), " ".join(r.choice(words) for _ in range(r.randint(1, 3))),
               fill=(30, 30, 30), font=font)
        d.rounded_rectangle([36, y + 70, 940, y + 185], 6, outline=(120, 120, 120),
                            width=3, fill=(255, 255, 255))
        d.text((60, y + 100), " ".join(r.choice(words) for _ in range(r.randint(2, 4))),
               fill=(10, 10, 10), font=font)
        y += 240
    b = io.BytesIO()
    im.save(b, "JPEG", quality=(70, 80, 90)[seed % 3])
    open("s%d.jpg" % seed, "wb").write(b.getvalue())
    Image.open(io.BytesIO(b.getvalue())).save("s%d.png" % seed)
PY

imgforge-check --json -j 2 s0.jpg s1.jpg s2.jpg s3.jpg s4.jpg s5.jpg \
    s0.png s1.png s2.png s3.png s4.png s5.png >out.json 2>err
[ $? -le 1 ] || fail "imgforge-check failed: $(cat err)"
expect_records out.json
jq -c 'select(.type == "image")' out.json >images.json
[ "$(wc -l <images.json)" -eq 12 ] || fail "expected 12 image records"
# No pixel check detects anything on any of them.
expect_jq '[.[] | .findings[] | select(.log10_nfa != null and .log10_nfa < 0 and
    (.check | startswith("info.") | not))] | length == 0' images.json
expect_jq '[.[] | select(.path | endswith(".jpg")) | .verdict] | unique == ["no-evidence"]' images.json
# Their grid is the picture's, found among the voting pixels.
expect_jq '[.[] | .findings[] | select(.check == "info.jpeg.grid") | .detail |
    [.jpeg_grid, .grid_trials, .origin]] | unique == [[true, "votes", [0, 0]]]' images.json
# As PNG: a JPEG once, over the whole picture.
expect_jq '[.[] | select(.path | endswith(".png")) | [.verdict,
    ([.findings[] | .check] | index("png.was-jpeg") != null)]] | unique ==
    [["suspicious", true]]' images.json
