#!/usr/bin/python3
"""How well imgforge-check finds and places a field resaved at a low quality.

Draws N scanned pages (paper grain, lines of text in Latin and CJK fonts),
each saved once at q75-q92; on one line, a field cut out at an origin off
the 8x8 grid is painted over with paper colour, retyped, saved alone at
q50-q80 and pasted back; the page is saved again at q85-q95.  Runs
`imgforge-check --checks zero` on all of them and prints how many are
detected and, for those, the IoU of the grid findings' box with the field;
then all the checks, with the IoU of the union of all detected regions.
The pages are drawn here, not taken from the samples, so that the figure
is measured on data the placement was not tuned on.

usage: bench/imgforge-check-place.py --bin BUILD/imgforge-check [-n 160]
       [--seed 1000] [--keep DIR]
"""
import argparse
import io
import json
import os
import random
import subprocess
import sys
import tempfile

from PIL import Image, ImageDraw, ImageFont

FONTS = ["/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
         "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
         "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
         "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"]
WORDS = ("证明 收入 村民委员会 2025年 家庭 困难 特此 医院 诊断 住院 "
         "income village 元 号 身份证").split()


def jpeg(im, q):
    b = io.BytesIO()
    im.save(b, "JPEG", quality=q)
    return Image.open(io.BytesIO(b.getvalue())).convert("RGB")


def font(r):
    try:
        return ImageFont.truetype(r.choice(FONTS), r.choice([22, 26, 30, 36]))
    except OSError:
        return ImageFont.load_default()


def page(r):
    """A scanned page and the y of its lines of text."""
    w, h = r.choice([(900, 1200), (1240, 1754), (800, 1000)])
    grain = r.choice([1.5, 3, 5])
    paper = Image.new("L", (w, h))
    paper.putdata([int(235 + r.gauss(0, grain)) for _ in range(w * h)])
    im = paper.convert("RGB")
    d, f, y, lines = ImageDraw.Draw(im), font(r), 60, []
    while y < h - 80:
        d.text((60, y), " ".join(r.choice(WORDS) for _ in range(r.randint(3, 7))),
               fill=(30, 30, 40), font=f)
        lines.append(y)
        y += r.choice([50, 60, 72])
    return jpeg(im, r.choice([75, 85, 92])), lines, f


def forge(r, path):
    """Draws one forged page into path; returns the field's rectangle."""
    im, lines, f = page(r)
    x0, y0 = r.randrange(60, im.width // 2), r.choice(lines[1:-1]) - r.randint(2, 10)
    if x0 % 8 == 0 or y0 % 8 == 0:
        x0, y0 = x0 + 3, y0 + 5
    cw, ch = r.randint(120, 320), r.randint(40, 60)
    cut = im.crop((x0, y0, x0 + cw, y0 + ch))
    d = ImageDraw.Draw(cut)
    d.rectangle((6, 4, cw - 6, ch - 4), fill=(235, 235, 235))
    d.text((8, 6), " ".join(r.choice(WORDS) for _ in range(2)), fill=(30, 30, 40), font=f)
    im.paste(jpeg(cut, r.choice([50, 60, 70, 80])), (x0, y0))
    im.save(path, "JPEG", quality=r.choice([85, 90, 92, 95]))
    return [x0, y0, cw, ch]


def union_iou(boxes, t):
    """IoU of the union of boxes with t, all (x, y, w, h)."""
    def cells(b):
        return {(x, y) for x in range(b[0], b[0] + b[2]) for y in range(b[1], b[1] + b[3])}
    found = set().union(*(cells(b) for b in boxes))
    field = cells(t)
    return len(found & field) / len(found | field)


def detections(binary, work, checks, truth, score):
    """{file: score(boxes, truth)} for the pictures with a detection."""
    out = subprocess.run([binary, "--json", "-j", "2", "--checks", checks, work],
                         stdout=subprocess.PIPE, check=False).stdout
    found = {}
    for line in out.decode().splitlines():
        rec = json.loads(line)
        if rec.get("type") != "image":
            continue
        boxes = [f["region"] for f in rec.get("findings", [])
                 if not f["check"].startswith("info.") and f.get("region")
                 and (checks != "zero" or f["check"].startswith("jpeg.grid."))
                 and f.get("log10_nfa") is not None and f["log10_nfa"] < 0]
        name = os.path.basename(rec["path"])
        if boxes:
            found[name] = score(boxes, truth[name])
    return found


def report(what, n, found):
    v = list(found.values())
    print("%s: pages %d, detected %d, placed at IoU >= 0.5: %d, mean IoU of the detected %.3f"
          % (what, n, len(v), sum(x >= 0.5 for x in v), sum(v) / len(v) if v else 0))


def iou(boxes, t):
    """IoU of the bounding box of boxes with t (x, y, w, h)."""
    x0, y0 = min(b[0] for b in boxes), min(b[1] for b in boxes)
    x1, y1 = max(b[0] + b[2] for b in boxes), max(b[1] + b[3] for b in boxes)
    iw = max(0, min(x1, t[0] + t[2]) - max(x0, t[0]))
    ih = max(0, min(y1, t[1] + t[3]) - max(y0, t[1]))
    inter = iw * ih
    return inter / ((x1 - x0) * (y1 - y0) + t[2] * t[3] - inter)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("-n", type=int, default=160)
    ap.add_argument("--seed", type=int, default=1000)
    ap.add_argument("--keep")
    a = ap.parse_args()
    work = a.keep or tempfile.mkdtemp(prefix="ifc-place.")
    os.makedirs(work, exist_ok=True)
    truth = {}
    for i in range(a.n):
        name = "page%03d.jpg" % i
        truth[name] = forge(random.Random(a.seed + i), os.path.join(work, name))
    report("grid checks", a.n, detections(a.bin, work, "zero", truth, iou))
    report("all checks", a.n, detections(a.bin, work, "all", truth, union_iou))
    if not a.keep:
        for name in truth:
            os.unlink(os.path.join(work, name))
        os.rmdir(work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
