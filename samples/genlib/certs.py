"""Scanned-looking certificates: paper, printed text, a red round seal, scanner blur and noise.

render_certificate() returns the clean "scanner output" pixels (never JPEG-compressed) plus the
boxes of the fields, so that images.py can encode originals once and aim its forgeries.
"""

import math

from PIL import Image, ImageChops, ImageDraw, ImageFilter

from .util import font, noise_image, rng

PAGE = (1000, 1400)
PAPER = (244, 241, 232)        # warm off-white of office paper under a scanner lamp
INK = (38, 36, 40)             # laser-printer black, never pure 0
SEAL_RED = (206, 38, 48)       # stamp-pad red (multiplied into the paper, not painted over it)
BODY_SIZE = 28
LINE_GAP = 54
LEFT = 110
TEXT_WIDTH = 780


# ---------------------------------------------------------------- paper and scanner

def paper(seed):
    """Off-white page with soft blotches and fibre grain, as a flatbed scan shows it."""
    r = rng(seed)
    w, h = PAGE
    # Low-frequency unevenness: a tiny random field blown up smoothly.
    lf = noise_image(r, (20, 28), 1.6).resize(PAGE, Image.BICUBIC)
    # Fibre grain: fine noise softened so it reads as texture, not sensor noise.
    grain = noise_image(r, PAGE, 2.2).filter(ImageFilter.GaussianBlur(1.1))
    tex = ImageChops.add(lf, grain, 1.0, -128)
    base = Image.new("RGB", PAGE, PAPER)
    return ImageChops.add(base, Image.merge("RGB", (tex, tex, tex)), 1.0, -128)


def scan(img, seed, blur=0.65, sigma=1.2):
    """Optics blur, then sensor noise: the last steps before the scanner's JPEG encoder."""
    r = rng(seed)
    out = img.filter(ImageFilter.GaussianBlur(blur))
    n = noise_image(r, img.size, sigma)
    return ImageChops.add(out, Image.merge("RGB", (n, n, n)), 1.0, -128)


# ---------------------------------------------------------------- seal

def _star(draw, cx, cy, r_out):
    pts = []
    for k in range(10):
        rad = r_out if k % 2 == 0 else r_out * 0.382
        a = math.radians(-90 + 36 * k)
        pts.append((cx + rad * math.cos(a), cy + rad * math.sin(a)))
    draw.polygon(pts, fill=255)


def _arc_text(mask, text, cx, cy, radius, size, span_deg):
    """Unit name along the upper arc, each character turned to face out from the centre."""
    n = len(text)
    f = font("serif-bold", size)
    for i, ch in enumerate(text):
        phi = -span_deg / 2 + span_deg * (i + 0.5) / n     # clockwise from straight up
        tile = Image.new("L", (size * 2, size * 2), 0)
        ImageDraw.Draw(tile).text((size, size), ch, font=f, fill=255, anchor="mm")
        tile = tile.rotate(-phi, resample=Image.BICUBIC)
        x = cx + radius * math.sin(math.radians(phi))
        y = cy - radius * math.cos(math.radians(phi))
        box = (round(x - size), round(y - size))
        layer = Image.new("L", mask.size, 0)
        layer.paste(tile, box)
        mask.paste(ImageChops.lighter(mask, layer))


def seal_mask(unit, bottom, diameter, seed):
    """Ink coverage (0..255) of a round official seal: ring, star, arc text, bottom line.

    Drawn at twice the size and reduced, so edges are smooth like a rubber stamp's, then
    mottled, because stamp ink never covers evenly.
    """
    s = diameter * 2
    m = Image.new("L", (s, s), 0)
    d = ImageDraw.Draw(m)
    ring = round(s * 0.035)
    d.ellipse((ring // 2, ring // 2, s - ring // 2, s - ring // 2), outline=255, width=ring)
    _star(d, s / 2, s / 2, s * 0.17)
    n = len(unit)
    span = min(260, 20 * n + 30)
    radius = s * 0.36
    # Long unit names get smaller characters so neighbours on the arc do not touch.
    per_char = radius * math.radians(span) / n
    _arc_text(m, unit, s / 2, s / 2, radius, round(min(s * 0.115, per_char * 0.86)), span)
    if bottom:
        d.text((s / 2, s * 0.74), bottom, font=font("serif-bold", round(s * 0.07)),
               fill=255, anchor="mm")
    m = m.resize((diameter, diameter), Image.LANCZOS)
    r = rng(seed)
    mottle = noise_image(r, (12, 12), 30).resize(m.size, Image.BICUBIC)
    speck = noise_image(r, m.size, 40)
    ink = ImageChops.lighter(mottle, speck).point(lambda v: min(255, 150 + v // 2))
    return ImageChops.multiply(m, ink)


def stamp(img, mask, xy):
    """Multiply red ink into the paper where the seal mask says, as a real stamp does."""
    full = Image.new("L", img.size, 0)
    full.paste(mask, xy)
    inked = ImageChops.multiply(img, Image.new("RGB", img.size, SEAL_RED))
    return Image.composite(inked, img, full)


# ---------------------------------------------------------------- text layout

def _wrap(text, f, width, indent):
    """Greedy wrap by character (Chinese has no spaces); first line indented two ems."""
    lines, cur, limit = [], "", width - indent
    for ch in text:
        if f.getlength(cur + ch) > limit and cur:
            # Keep closing punctuation on the line it closes, as Chinese typesetting does.
            if ch in "，。；：、）》”":
                cur += ch
                ch = ""
            lines.append(cur)
            cur, limit = ch, width
        else:
            cur += ch
    if cur:
        lines.append(cur)
    return lines


def _ink_box(draw, xy, text, f):
    x0, y0, x1, y1 = draw.textbbox(xy, text, font=f)
    return [x0, y0, x1 - x0, y1 - y0]


def _fields(draw, y, rows, boxes):
    """Rows of (x, label, value, key): label then value, value box recorded under key."""
    f = font("serif", BODY_SIZE)
    for row in rows:
        for x, label, value, key in row:
            draw.text((x, y), label, font=f, fill=INK)
            vx = x + round(f.getlength(label))
            draw.text((vx, y), value, font=f, fill=INK)
            if key:
                boxes[key] = _ink_box(draw, (vx, y), value, f)
                boxes[key + "_origin"] = [vx, y]
        y += LINE_GAP + 8
    return y


def _paragraph(draw, y, text, boxes=None):
    f = font("serif", BODY_SIZE)
    for i, line in enumerate(_wrap(text, f, TEXT_WIDTH, BODY_SIZE * 2)):
        x = LEFT + (BODY_SIZE * 2 if i == 0 else 0)
        draw.text((x, y), line, font=f, fill=INK)
        y += LINE_GAP
    return y


def _centered(draw, y, text, f, spacing=0):
    """Centre a title, optionally letter-spaced the way official headings are set."""
    w = sum(f.getlength(c) for c in text) + spacing * (len(text) - 1)
    x = (PAGE[0] - w) / 2
    for c in text:
        draw.text((x, y), c, font=f, fill=INK)
        x += f.getlength(c) + spacing


def _signature_block(draw, spec, boxes):
    """Unit name and date, right-aligned at the foot; the seal goes in the space above."""
    f = font("serif", BODY_SIZE)
    right = LEFT + TEXT_WIDTH
    for key, text, y in (("unit", spec["unit"], 1262), ("date", spec["date"], 1316)):
        x = right - round(f.getlength(text))
        draw.text((x, y), text, font=f, fill=INK)
        boxes[key] = _ink_box(draw, (x, y), text, f)
        boxes[key + "_origin"] = [x, y]


# ---------------------------------------------------------------- the two document kinds

def _poverty_body(draw, spec, boxes):
    _centered(draw, 150, spec["title"], font("serif-bold", 64), spacing=28)
    f = font("serif", 22)
    draw.text((LEFT + TEXT_WIDTH - f.getlength(spec["number"]), 262), spec["number"],
              font=f, fill=INK)
    p = spec["person"]
    y = _fields(draw, 330, [
        [(LEFT, "姓名：", p["name"], "name"), (470, "性别：", p["sex"], None),
         (690, "年龄：", p["age"], None)],
        [(LEFT, "身份证号：", p["id"], "id")],
        [(LEFT, "家庭住址：", p["address"], None)],
        [(LEFT, "家庭人口：", p["household"], None),
         (470, "家庭年收入：", p["income"], "amount")],
    ], boxes)
    y = _paragraph(draw, y + 24, spec["body"])
    _paragraph(draw, y + 6, "特此证明。")


def _hospital_body(draw, spec, boxes):
    _centered(draw, 104, spec["unit"], font("serif-bold", 40), spacing=6)
    _centered(draw, 170, spec["title"], font("serif-bold", 58), spacing=20)
    p = spec["person"]
    f = font("serif", 22)
    draw.text((LEFT + TEXT_WIDTH - f.getlength(spec["number"]), 262), spec["number"],
              font=f, fill=INK)
    y = _fields(draw, 320, [
        [(LEFT, "姓名：", p["name"], "name"), (470, "性别：", p["sex"], None),
         (690, "年龄：", p["age"], None)],
        [(LEFT, "身份证号：", p["id"], "id")],
        [(LEFT, "科别：", p["dept"], None), (470, "住院号：", p["inpatient_no"], None)],
        [(LEFT, "入院日期：", p["admitted"], None), (470, "出院日期：", p["discharged"], None)],
        [(LEFT, "住院费用：", p["cost"], "amount")],
    ], boxes)
    y = _paragraph(draw, y + 14, "诊断：" + spec["diagnosis"])
    y = _paragraph(draw, y + 10, "处理意见：" + spec["body"])
    draw.text((LEFT, y + 20), "医师：" + spec["doctor"], font=font("serif", BODY_SIZE), fill=INK)


def seal_box(spec):
    """Where the seal of this document sits: blank paper above the unit name, on the right."""
    d = spec.get("seal_diameter", 250)
    return [LEFT + TEXT_WIDTH - d - 10, 1000, d, d]


def render_certificate(spec, with_seal=True):
    """Draw a certificate and pass it through the 'scanner'. Returns (RGB image, boxes)."""
    img = paper(spec["seed"])
    draw = ImageDraw.Draw(img)
    boxes = {}
    if spec["kind"] == "poverty":
        _poverty_body(draw, spec, boxes)
    else:
        _hospital_body(draw, spec, boxes)
    _signature_block(draw, spec, boxes)
    if with_seal:
        x, y, d, _ = seal_box(spec)
        m = seal_mask(spec["seal_text"], spec.get("seal_bottom", ""), d, spec["seed"] + 7)
        img = stamp(img, m, (x, y))
        boxes["seal"] = [x, y, d, d]
    return scan(img, spec["seed"] + 13), boxes


def redraw_value(img, origin, box, new_text, pad):
    """Forger's edit: cover a printed value with paper colour and type a new one in its place.

    The patch is made on its own (flat paper colour, new text, the same softening the scan
    has) and pasted as raw pixels, so it never went through the first JPEG encoder. Returns
    the edited image and the exact rectangle written.
    """
    x, y, w, h = box
    nw = round(font("serif", BODY_SIZE).getlength(new_text))
    rect = [x - pad, y - pad, max(w, nw) + 2 * pad, h + 2 * pad]
    colour = _paper_colour(img, rect)
    patch = Image.new("RGB", (rect[2], rect[3]), colour)
    ImageDraw.Draw(patch).text((origin[0] - rect[0], origin[1] - rect[1]), new_text,
                               font=font("serif", BODY_SIZE), fill=INK)
    patch = patch.filter(ImageFilter.GaussianBlur(0.65))
    out = img.copy()
    out.paste(patch, (rect[0], rect[1]))
    return out, rect


def _paper_colour(img, rect):
    """Median colour around the value: what a forger picks with the eyedropper."""
    x, y, w, h = rect
    crop = img.crop((x, y, x + w, y + h))
    bands = []
    for band in crop.split():
        hist = band.histogram()
        half, acc = sum(hist) / 2, 0
        for v, c in enumerate(hist):
            acc += c
            if acc >= half:
                bands.append(v)
                break
    return tuple(bands)
