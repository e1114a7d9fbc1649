#!/usr/bin/python3
"""False alarms of imgforge-check on real rendered screenshots.

Renders N HTML pages (chat bubbles, payment records, forms, lists; CJK and
Latin fonts; device scale factors 1 to 3) with headless Chromium, the way
a phone or a browser draws them, and saves each screenshot three ways:
as taken (PNG), saved once as JPEG at q70-q90 (as a chat app forwards it),
and that JPEG converted back to PNG.  None is forged, so every `forged`
verdict is a false alarm; `suspicious` is expected only for the PNGs that
were a JPEG before (png.was-jpeg).  Prints the verdicts and the checks
behind them, per kind.

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
    out = subprocess.run([a.bin, "--json", "-j", "2", work], stdout=subprocess.PIPE,
                         check=False).stdout.decode()
    tally = collections.Counter()
    for line in out.splitlines():
        rec = json.loads(line)
        if rec.get("type") != "image":
            continue
        name = os.path.basename(rec["path"])
        kind = "as JPEG" if name.endswith(".jpg") else \
            "JPEG then PNG" if "-sent" in name else "as taken (PNG)"
        checks = sorted({f["check"] for f in rec.get("findings", [])
                         if not f["check"].startswith("info.") and
                         (f.get("severity") or (f.get("log10_nfa") is not None and f["log10_nfa"] < 0))})
        tally[(kind, rec["verdict"], ",".join(checks))] += 1
    for (kind, verdict, checks), n in sorted(tally.items()):
        print("%-15s %-12s %3d  %s" % (kind, verdict, n, checks))
    if not a.keep:
        shutil.rmtree(work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
