"""Phone screenshots drawn as a phone draws them: flat UI colours, crisp anti-aliased text,
no sensor noise and no JPEG compression anywhere.

540x1170 is a 1080x2340 phone screen at half size, to keep the sample case small.
"""

from PIL import Image, ImageDraw

from .util import font

SIZE = (540, 1170)
CHAT_BG = (237, 237, 237)
GREEN_BUBBLE = (149, 236, 105)
WHITE = (255, 255, 255)
TEXT = (25, 25, 25)
GREY = (140, 140, 140)
WECHAT_GREEN = (7, 193, 96)

BUBBLE_FONT = 24
BUBBLE_LINE = 34
BUBBLE_PAD = (16, 11)
BUBBLE_MAX = 320
AVATAR = 56


# ---------------------------------------------------------------- chrome

def status_bar(draw, clock, bg):
    """Clock on the left; signal bars, network and battery on the right."""
    draw.rectangle((0, 0, SIZE[0], 40), fill=bg)
    draw.text((26, 20), clock, font=font("sans-bold", 19), fill=TEXT, anchor="lm")
    x = 420
    for i in range(4):                                   # signal bars, rising
        h = 5 + 3 * i
        draw.rectangle((x + 6 * i, 27 - h, x + 6 * i + 3, 27), fill=TEXT)
    draw.text((450, 20), "5G", font=font("sans-bold", 15), fill=TEXT, anchor="lm")
    draw.rounded_rectangle((478, 12, 510, 28), radius=4, outline=TEXT, width=2)
    draw.rectangle((481, 15, 500, 25), fill=TEXT)        # about 70 % charged
    draw.rectangle((511, 17, 513, 23), fill=TEXT)


def nav_bar(draw, title):
    draw.rectangle((0, 40, SIZE[0], 104), fill=CHAT_BG)
    draw.line((30, 60, 18, 72, 30, 84), fill=TEXT, width=3)     # back chevron
    draw.text((SIZE[0] / 2, 72), title, font=font("sans", 24), fill=TEXT, anchor="mm")
    for i in range(3):
        cx = 490 + 10 * i
        draw.ellipse((cx - 3, 69, cx + 3, 75), fill=TEXT)
    draw.line((0, 104, SIZE[0], 104), fill=(214, 214, 214), width=1)


def input_bar(draw):
    top = SIZE[1] - 96
    draw.rectangle((0, top, SIZE[0], SIZE[1]), fill=(247, 247, 247))
    draw.line((0, top, SIZE[0], top), fill=(220, 220, 220), width=1)
    cy = top + 36
    draw.ellipse((14, cy - 18, 50, cy + 18), outline=TEXT, width=2)    # voice
    draw.rounded_rectangle((62, cy - 22, 400, cy + 22), radius=6, fill=WHITE)
    draw.ellipse((414, cy - 18, 450, cy + 18), outline=TEXT, width=2)  # emoji
    draw.ellipse((470, cy - 18, 506, cy + 18), outline=TEXT, width=2)  # plus
    draw.line((488, cy - 9, 488, cy + 9), fill=TEXT, width=2)
    draw.line((479, cy, 497, cy), fill=TEXT, width=2)
    draw.rounded_rectangle((200, SIZE[1] - 14, 340, SIZE[1] - 9), radius=2, fill=TEXT)


# ---------------------------------------------------------------- chat

def _wrap(text, f, width):
    lines = []
    for para in text.split("\n"):
        cur = ""
        for ch in para:
            if cur and f.getlength(cur + ch) > width:
                lines.append(cur)
                cur = ch
            else:
                cur += ch
        lines.append(cur)
    return lines


def _avatar(draw, x, y, label, colour):
    draw.rounded_rectangle((x, y, x + AVATAR, y + AVATAR), radius=6, fill=colour)
    draw.text((x + AVATAR / 2, y + AVATAR / 2), label, font=font("sans", 26),
              fill=WHITE, anchor="mm")


def _bubble(draw, side, y, text, avatar):
    """One message: avatar, bubble with its pointer, wrapped text. Returns (box, bottom)."""
    f = font("sans", BUBBLE_FONT)
    lines = _wrap(text, f, BUBBLE_MAX)
    tw = max(round(f.getlength(line)) for line in lines)
    bw = tw + 2 * BUBBLE_PAD[0]
    bh = len(lines) * BUBBLE_LINE + 2 * BUBBLE_PAD[1]
    if side == "L":
        ax, bx, colour = 16, 16 + AVATAR + 12, WHITE
        tip = [(bx, y + 20), (bx - 7, y + 27), (bx, y + 34)]
    else:
        ax, colour = SIZE[0] - 16 - AVATAR, GREEN_BUBBLE
        bx = ax - 12 - bw
        tip = [(bx + bw, y + 20), (bx + bw + 7, y + 27), (bx + bw, y + 34)]
    _avatar(draw, ax, y, *avatar)
    draw.rounded_rectangle((bx, y, bx + bw, y + bh), radius=6, fill=colour)
    draw.polygon(tip, fill=colour)
    ty = y + BUBBLE_PAD[1]
    for line in lines:
        draw.text((bx + BUBBLE_PAD[0], ty + BUBBLE_LINE / 2), line, font=f, fill=TEXT,
                  anchor="lm")
        ty += BUBBLE_LINE
    return [bx, y, bw, bh], y + max(bh, AVATAR)


def chat_screen(title, clock, items, avatars, start_y=124):
    """Draw a WeChat-like conversation. items: ("time", label) or (side, text).

    Returns the image and the box [x, y, w, h] of every bubble, in order.
    """
    img = Image.new("RGB", SIZE, CHAT_BG)
    draw = ImageDraw.Draw(img)
    status_bar(draw, clock, CHAT_BG)
    nav_bar(draw, title)
    y, boxes = start_y, []
    for side, text in items:
        if side == "time":
            draw.text((SIZE[0] / 2, y + 12), text, font=font("sans", 17), fill=GREY,
                      anchor="mm")
            y += 44
            continue
        box, bottom = _bubble(draw, side, y, text, avatars[side])
        boxes.append(box)
        y = bottom + 24
    input_bar(draw)
    return img, boxes


# ---------------------------------------------------------------- payment result

AMOUNT_FONT = ("sans-bold", 66)


def _check_icon(draw, cx, cy, r):
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=WECHAT_GREEN)
    draw.line((cx - r * 0.45, cy + r * 0.02, cx - r * 0.1, cy + r * 0.36, cx + r * 0.48,
               cy - r * 0.32), fill=WHITE, width=7, joint="curve")


def amount_layout(amount):
    """Where the big amount digits go: (x, y of the text, font). The yuan sign is drawn
    smaller, to their left, the whole centred, as WeChat Pay sets it."""
    f = font(*AMOUNT_FONT)
    sign = font("sans-bold", 38)
    total = sign.getlength("¥") + 6 + f.getlength(amount)
    x = round((SIZE[0] - total) / 2 + sign.getlength("¥") + 6)
    return x, 338, f


def digit_cell(amount, index):
    """Box of the index-th character of the amount: its advance width by the font's metrics
    (digits are tabular in Noto Sans CJK) and the full height of the digit glyphs."""
    x, y, f = amount_layout(amount)
    x0 = x + f.getlength(amount[:index])
    x1 = x + f.getlength(amount[:index + 1])
    _, top, _, bottom = f.getbbox("0123456789", anchor="ls")
    base = y
    return [round(x0), base + top - 3, round(x1 - x0), bottom - top + 6]


def pay_screen(clock, amount, rows):
    """WeChat-Pay-like success page: tick, 支付成功, the amount, detail rows, 完成 button."""
    img = Image.new("RGB", SIZE, WHITE)
    draw = ImageDraw.Draw(img)
    status_bar(draw, clock, WHITE)
    _check_icon(draw, SIZE[0] // 2, 168, 42)
    draw.text((SIZE[0] / 2, 238), "支付成功", font=font("sans", 28), fill=TEXT, anchor="mm")
    x, y, f = amount_layout(amount)
    draw.text((x - 6, y), "¥", font=font("sans-bold", 38), fill=TEXT, anchor="rs")
    draw.text((x, y), amount, font=f, fill=TEXT, anchor="ls")
    draw.line((40, 392, SIZE[0] - 40, 392), fill=(230, 230, 230), width=1)
    ry = 434
    for label, value in rows:
        draw.text((40, ry), label, font=font("sans", 21), fill=GREY, anchor="lm")
        draw.text((SIZE[0] - 40, ry), value, font=font("sans", 21), fill=TEXT, anchor="rm")
        ry += 56
    draw.rounded_rectangle((170, 1000, 370, 1070), radius=8, fill=WECHAT_GREEN)
    draw.text((270, 1035), "完成", font=font("sans", 26), fill=WHITE, anchor="mm")
    draw.rounded_rectangle((200, SIZE[1] - 14, 340, SIZE[1] - 9), radius=2, fill=TEXT)
    return img
