"""Shared helpers: fonts, seeded noise, byte-stable writers for JPEG, PNG, text and zip."""

import io
import os
import random
import statistics
import zipfile

from PIL import Image, ImageFont, PngImagePlugin

FONT_DIR = "/usr/share/fonts/opentype/noto"
# Face index 2 in every Noto CJK collection is the Simplified Chinese (SC) face.
_FONT_FILES = {
    "serif": ("NotoSerifCJK-Regular.ttc", 2),
    "serif-bold": ("NotoSerifCJK-Bold.ttc", 2),
    "sans": ("NotoSansCJK-Regular.ttc", 2),
    "sans-bold": ("NotoSansCJK-Bold.ttc", 2),
}
_font_cache = {}

# One fixed instant for every timestamp we must write into a container (zip entries).
FIXED_ZIP_TIME = (2026, 3, 20, 12, 0, 0)


def font(kind, size):
    """Return a cached FreeType font of the given family key and pixel size."""
    key = (kind, size)
    if key not in _font_cache:
        name, index = _FONT_FILES[kind]
        _font_cache[key] = ImageFont.truetype(os.path.join(FONT_DIR, name), size, index=index)
    return _font_cache[key]


def rng(seed):
    """A private random generator, so that adding one image never shifts another's noise."""
    return random.Random(seed)


def _gauss_lut(sigma):
    # Map a uniform byte to a Gaussian value around 128 by the inverse CDF: fast and exact
    # enough for film-like grain, and it keeps all the randomness in Python's seeded PRNG
    # (PIL's own effect_noise uses the C library rand(), which we cannot seed).
    nd = statistics.NormalDist(128, sigma)
    return [max(0, min(255, round(nd.inv_cdf((i + 0.5) / 256)))) for i in range(256)]


def noise_image(r, size, sigma):
    """Greyscale image of Gaussian noise centred on 128 with the given sigma."""
    w, h = size
    img = Image.frombytes("L", size, r.randbytes(w * h))
    return img.point(_gauss_lut(sigma))


def jpeg_bytes(img, quality):
    """Plain libjpeg baseline encoding: IJG tables scaled by quality, 4:2:0, no EXIF.

    PIL writes only SOI, a JFIF APP0 and the image segments here: nothing that depends on
    the clock, so the bytes are a function of the pixels and the quality alone. Every
    file gets the same JFIF density (120 dpi: a 1000x1400 A4 scan), so that the JFIF
    header is never an accidental clue.
    """
    buf = io.BytesIO()
    img.convert("RGB").save(buf, "JPEG", quality=quality, subsampling=2, dpi=(120, 120),
                            optimize=False, progressive=False)
    return buf.getvalue()


def jpeg_roundtrip(img, quality):
    """Compress and decode: the pixels as an app that saved a JPEG would leave them."""
    return Image.open(io.BytesIO(jpeg_bytes(img, quality))).convert("RGB")


def decode_jpeg(data):
    return Image.open(io.BytesIO(data)).convert("RGB")


def png_bytes(img, text_chunks=None):
    """PNG without tIME or text chunks unless asked: this is what a phone writes."""
    info = None
    if text_chunks:
        info = PngImagePlugin.PngInfo()
        for key, value, international in text_chunks:
            if international:
                info.add_itxt(key, value)
            else:
                info.add_text(key, value)
    buf = io.BytesIO()
    img.save(buf, "PNG", pnginfo=info, compress_level=9)
    return buf.getvalue()


def write_bytes(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def write_text(path, text, encoding="utf-8", newline="\n", bom=False):
    """Write text with an explicit encoding, line ending and BOM (no platform defaults)."""
    data = text.replace("\r\n", "\n").replace("\n", newline)
    raw = data.encode(encoding)
    if bom:
        raw = ("\ufeff".encode(encoding)) + raw
    write_bytes(path, raw)


def write_zip(path, members):
    """Deterministic zip: members in the given order, fixed time, fixed modes."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in members:
            zi = zipfile.ZipInfo(name, date_time=FIXED_ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.create_system = 3                   # Unix, so the mode below is meaningful
            zi.external_attr = (0o100644 << 16)
            z.writestr(zi, data)
    write_bytes(path, buf.getvalue())


def mask_png(size, rects):
    """Ground-truth mask: 8-bit grey, 255 inside every rectangle, 0 elsewhere."""
    m = Image.new("L", size, 0)
    for x, y, w, h in rects:
        m.paste(255, (x, y, x + w, y + h))
    return png_bytes(m)
