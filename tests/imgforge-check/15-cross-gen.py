# The cross-picture copy-move cases of tests/imgforge-check/15-cross.sh
# (Debian python3 with PIL):
#   gen.py paste A.jpg B.jpg  one scanned seal pasted as pixels into two
#                             different certificates (scan-like pages)
#   gen.py scan S1.jpg S2.jpg one printed form with its seal scanned twice
#                             (independent noise; the text half a pixel
#                             apart, the seal at the same pixel position)
import random, sys
from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont
W, H = 800, 1000
PAPER = (246, 244, 238)
INK = (200, 30, 40)
def font(sz):
    try:
        return ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", sz)
    except OSError:
        return ImageFont.load_default()
def noise(img, sigma, seed):
    random.seed(seed)
    n = Image.effect_noise(img.size, sigma)
    return ImageChops.add(img, Image.merge("RGB", (n, n, n)), 1.0, -128)
def page(lines, dx=0):
    # drawn at 2x and halved: dx half-pixels shift the content by dx / 2
    big = Image.new("RGB", (2 * W, 2 * H), PAPER)
    d = ImageDraw.Draw(big)
    d.text((120 + dx, 120), "CERTIFICATE OF RESIDENCE", fill=(20, 20, 20), font=font(64))
    for i, t in enumerate(lines):
        d.text((120 + dx, 320 + 110 * i), t, fill=(25, 25, 25), font=font(44))
    return big.resize((W, H), Image.LANCZOS)
def seal():
    s = Image.new("RGB", (220, 220), PAPER)
    d = ImageDraw.Draw(s)
    d.ellipse((8, 8, 212, 212), outline=INK, width=10)
    d.text((40, 95), "SEAL 2026", fill=INK, font=font(30))
    for k in range(5):
        d.line((30 + 30 * k, 150, 60 + 30 * k, 185), fill=INK, width=5)
    return s
mode, out = sys.argv[1], sys.argv[2:]
if mode == "paste":
    st = noise(seal(), 4, 7).filter(ImageFilter.GaussianBlur(0.7))  # one scan of the seal
    for k, o in enumerate(out):
        p = page(["Name: person %d" % k, "Address: street %d" % (7 * k + 3),
                  "Issued by the committee", "Date: 2026-0%d-1%d" % (k + 1, k)])
        p = noise(p.filter(ImageFilter.GaussianBlur(0.6)), 3, 100 + k)
        p.paste(st, ((480, 700), (131, 637))[k % 2])
        p.save(o, quality=92)
else:
    for k, o in enumerate(out):
        p = page(["Name: ________", "Address: ________",
                  "Issued by the committee", "Date: ________"], dx=k)
        p.paste(seal(), (480, 700))
        p = noise(p.filter(ImageFilter.GaussianBlur(0.7)), 3, 200 + k)
        p.save(o, quality=92)
