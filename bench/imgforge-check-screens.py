#!/usr/bin/python3
"""False alarms of imgforge-check on real rendered screenshots.

Renders N HTML pages (chat bubbles, payment records, forms, lists; CJK and
Latin fonts; device scale factors 1 to 3) with headless Chromium, the way
a phone or a browser draws them, and saves each screenshot three ways:
as taken (PNG), saved once as JPEG at q70-q90 (as a chat app forwards it),
and that JPEG converted back to PNG.  N/2 styled pages more (cards with
shadows, dithered gradients, rounded corners, emoji) are used as taken
and saved as JPEG.
None of these is forged, so every `forged` verdict is a false alarm;
`suspicious` is expected only for the PNGs that were a JPEG before
(png.was-jpeg).  Then forgeries: into each plain page as taken, a piece
of another page's JPEG (a bubble or line of a forwarded screenshot) is
pasted at random; how many are flagged, and how many are placed (the
union of the detections' regions at IoU >= 0.5 with the piece).  Prints
the verdicts and the checks behind them, per kind.

Needs chromium (Debian package chromium) and fonts-noto-cjk; the texts are
the real messages of ../shared/data/chat/base_qq.txt when it is there.

usage: bench/imgforge-check-screens.py --bin BUILD/imgforge-check [-n 60]
       [--seed 500] [--keep DIR]
"""
import argparse
import collections
import html
import io
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile

from PIL import Image

QQ = os.path.join(os.path.dirname(__file__), "..", "..", "shared", "data", "chat",
                  "base_qq.txt")
FALLBACK = ("你的情况我看了 按模板写投诉信 费用怎么算 已逾期45天 请尽快处理欠款 "
            "收款方 交易时间 零钱 我最近失业了 能不能先停息").split()


def texts():
    try:
        with open(QQ, encoding="utf-8", errors="replace") as f:
            lines = [l.strip() for l in f if len(l.strip()) > 3 and not l[:4].isdigit()]
        return lines[:50000] or FALLBACK
    except OSError:
        return FALLBACK


def chat(r, lines, pad):
    out = []
    for _ in range(r.randint(6, 14)):
        left = r.random() < 0.5
        out.append(
            '<div style="display:flex;justify-content:%s;margin:%dpx">'
            '<div style="width:40px;height:40px;border-radius:4px;background:%s;margin:0 8px">'
            '</div><div style="max-width:60%%;background:%s;padding:%dpx;border-radius:6px;'
            'color:#111">%s</div></div>'
            % ("flex-start" if left else "flex-end", pad,
               r.choice(["#4a7ab5", "#c48a3c", "#6a6"]),
               r.choice(["#ffffff", "#e6f0ff"]) if left else "#95ec69", pad,
               html.escape(r.choice(lines))))
    return out


def pay(r, lines, pad, fs):
    out = ['<div style="text-align:center;margin-top:60px;font-size:%dpx">¥ %d,%03d.%02d</div>'
           % (fs * 3, r.randint(1, 99), r.randint(0, 999), r.randint(0, 99))]
    for _ in range(r.randint(4, 9)):
        out.append('<div style="display:flex;justify-content:space-between;padding:%dpx;'
                   'border-bottom:1px solid #ddd"><span style="color:#888">%s</span>'
                   '<span>%s</span></div>'
                   % (pad, html.escape(r.choice(lines)[:6]), html.escape(r.choice(lines)[:18])))
    return out


def form(r, lines, pad, fs):
    return ['<div style="margin:%dpx"><label>%s</label><br><input style="width:90%%;'
            'font-size:%dpx;padding:%dpx" value="%s"></div>'
            % (pad, html.escape(r.choice(lines)[:8]), fs, pad // 2,
               html.escape(r.choice(lines)[:20])) for _ in range(r.randint(5, 10))]


def page(r, lines):
    bg = r.choice(["#ededed", "#ffffff", "#f5f5f5", "#111111"])
    pad, fs = r.choice([8, 10, 12, 14, 16, 24]), r.choice([14, 15, 16, 17, 18, 20])
    kind = r.choice(["chat", "pay", "form", "list"])
    if kind == "chat":
        body = chat(r, lines, pad)
    elif kind == "pay":
        body = pay(r, lines, pad, fs)
    elif kind == "form":
        body = form(r, lines, pad, fs)
    else:
        body = ['<p style="margin:%dpx %dpx">%s</p>' % (pad, 2 * pad, html.escape(r.choice(lines)))
                for _ in range(r.randint(8, 20))]
    return ('<html><body style="margin:0;background:%s;color:%s;font-family:\'%s\';'
            'font-size:%dpx">%s</body></html>'
            % (bg, "#eeeeee" if bg == "#111111" else "#111111",
               r.choice(["Noto Sans CJK SC", "Noto Serif CJK SC", "DejaVu Sans"]), fs,
               "".join(body)))


def styled(r, lines):
    """Cards as apps draw them: shadows, gradients (dithered by the
    browser), rounded corners, thin borders, emoji."""
    cards = []
    for _ in range(r.randint(5, 10)):
        cards.append(
            '<div style="margin:%dpx;padding:%dpx;background:%s;box-shadow:%s;'
            'border-radius:%dpx;border:%s;font-size:%dpx">%s %s</div>'
            % (r.choice([8, 16, 24]), r.choice([8, 12, 16]),
               r.choice(["#fff", "#f7f7f7", "linear-gradient(180deg,#fff,#f0f0f0)",
                         "linear-gradient(90deg,#fefefe,#e8f0ff)", "#95ec69",
                         "radial-gradient(circle,#fff,#eee)"]),
               r.choice(["0 1px 3px rgba(0,0,0,.2)", "0 4px 16px rgba(0,0,0,.12)", "none"]),
               r.choice([4, 8, 12, 16, 24]), r.choice(["none", "1px solid #eee"]),
               r.choice([14, 16, 17, 20]), html.escape(r.choice(lines)[:24]),
               "".join(r.choice("😀😂🙏👍💰🏦📱✅❌🔥💳") for _ in range(2))))
    return ('<html><body style="margin:0;background:%s;font-family:\'Noto Sans CJK SC\'">'
            '%s</body></html>' % (r.choice(["#ededed", "#f5f5f5", "#fff"]), "".join(cards)))


def paste(r, page, donor):
    """A piece of donor with content (a bubble, a line) pasted into page; its box."""
    grey = donor.convert("L")
    for _ in range(200):
        w, h = r.randint(100, min(300, donor.width)), r.randint(32, 100)
        sx, sy = r.randint(0, donor.width - w), r.randint(0, donor.height - h)
        hist = grey.crop((sx, sy, sx + w, sy + h)).histogram()
        n = sum(hist)
        mean = sum(i * c for i, c in enumerate(hist)) / n
        if sum(c * (i - mean) ** 2 for i, c in enumerate(hist)) / n > 400:
            break
    dx, dy = r.randint(0, page.width - w), r.randint(0, page.height - h)
    out = page.copy()
    out.paste(donor.crop((sx, sy, sx + w, sy + h)), (dx, dy))
    return out, (dx, dy, w, h)


def iou(a, b):
    ix = max(0, min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0]))
    iy = max(0, min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1]))
    return ix * iy / float(a[2] * a[3] + b[2] * b[3] - ix * iy)


def union_iou(regions, box, size):
    """IoU of the union of the regions with box, on a pixel mask."""
    mask = Image.new("1", size, 0)
    for x, y, w, h in regions:
        mask.paste(255, (x, y, x + w, y + h))
    inside = mask.crop((box[0], box[1], box[0] + box[2], box[1] + box[3])).histogram()[-1]
    return inside / float(mask.histogram()[-1] + box[2] * box[3] - inside)


def shoot(chromium, src, dst, r):
    subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu",
                    "--hide-scrollbars",
                    "--force-device-scale-factor=%s" % r.choice([1, 1.5, 2, 2.75, 3]),
                    "--window-size=%d,%d" % (r.choice([360, 390, 412]), r.choice([700, 800, 860])),
                    "--screenshot=" + dst, "file://" + src],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("-n", type=int, default=60)
    ap.add_argument("--seed", type=int, default=500)
    ap.add_argument("--keep")
    a = ap.parse_args()
    chromium = shutil.which("chromium")
    if chromium is None:
        print("no chromium: apt-get install chromium fonts-noto-cjk", file=sys.stderr)
        return 77
    work = a.keep or tempfile.mkdtemp(prefix="ifc-screens.")
    os.makedirs(work, exist_ok=True)
    lines = texts()
    for i in range(a.n):
        r = random.Random(a.seed + i)
        src = os.path.join(work, "p%03d.html" % i)
        with open(src, "w", encoding="utf-8") as f:
            f.write(page(r, lines))
        png = os.path.join(work, "p%03d.png" % i)
        shoot(chromium, src, png, r)
        b = io.BytesIO()
        Image.open(png).convert("RGB").save(b, "JPEG", quality=70 + 10 * (i % 3))
        with open(os.path.join(work, "p%03d-sent.jpg" % i), "wb") as f:
            f.write(b.getvalue())
        Image.open(io.BytesIO(b.getvalue())).save(os.path.join(work, "p%03d-sent.png" % i))
        os.unlink(src)
    for i in range(a.n // 2):
        r = random.Random(a.seed + 10000 + i)
        src = os.path.join(work, "s%03d.html" % i)
        with open(src, "w", encoding="utf-8") as f:
            f.write(styled(r, lines))
        shot = os.path.join(work, "s%03d.png" % i)
        shoot(chromium, src, shot, r)
        Image.open(shot).convert("RGB").save(os.path.join(work, "s%03d.jpg" % i), "JPEG",
                                             quality=70 + 10 * (i % 3))
        os.unlink(src)
    pasted = os.path.join(work, "pasted")
    os.makedirs(pasted, exist_ok=True)
    truth = {}
    for i in range(a.n):
        r = random.Random(a.seed + 20000 + i)
        shot = Image.open(os.path.join(work, "p%03d.png" % i)).convert("RGB")
        donor = Image.open(os.path.join(work, "p%03d-sent.jpg" % ((i + 7) % a.n))).convert("RGB")
        forged, truth["f%03d.png" % i] = paste(r, shot, donor)
        forged.save(os.path.join(pasted, "f%03d.png" % i))
    out = subprocess.run([a.bin, "--json", "-j", "2", work], stdout=subprocess.PIPE,
                         check=False).stdout.decode()
    tally = collections.Counter()
    placed = collections.Counter()
    for line in out.splitlines():
        rec = json.loads(line)
        if rec.get("type") != "image":
            continue
        name = os.path.basename(rec["path"])
        kind = "pasted (PNG)" if name in truth else \
            ("styled (JPEG)" if name.endswith(".jpg") else "styled (PNG)") if name[0] == "s" else \
            "as JPEG" if name.endswith(".jpg") else \
            "JPEG then PNG" if "-sent" in name else "as taken (PNG)"
        found = [f for f in rec.get("findings", []) if not f["check"].startswith("info.") and
                 (f.get("severity") or (f.get("log10_nfa") is not None and f["log10_nfa"] < 0))]
        checks = sorted({f["check"] for f in found})
        tally[(kind, rec["verdict"], ",".join(checks))] += 1
        if name in truth:
            size = Image.open(rec["path"]).size
            regions = [f["region"] for f in found if f.get("region")]
            if regions and union_iou(regions, truth[name], size) >= 0.5:
                placed["all checks"] += 1
            for f in found:
                if f.get("region") and iou(f["region"], truth[name]) >= 0.5:
                    placed[f["check"]] += 1
    for (kind, verdict, checks), n in sorted(tally.items()):
        print("%-15s %-12s %3d  %s" % (kind, verdict, n, checks))
    print("pasted pieces placed at IoU >= 0.5: %s" %
          ", ".join("%s %d" % kv for kv in sorted(placed.items())))
    if not a.keep:
        shutil.rmtree(work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
