"""samples/images: authentic scans and screenshots, their forgeries, masks and truth.json.

Every forgery is a real pixel operation on decoded pixels (never a re-render of the clean
page), so that JPEG grid, double quantisation, noise and copy-move detectors have real
traces to find. The truth records the exact rectangle each operation wrote.
"""

import json
import os


from . import certs, jpegmeta, screens
from .ids import resident_id
from .util import (decode_jpeg, jpeg_bytes, jpeg_roundtrip, mask_png, png_bytes,
                   write_bytes)

# ---------------------------------------------------------------- the documents

POVERTY_1 = dict(
    kind="poverty", seed=101, title="贫困证明", number="石村证字〔2026〕第017号",
    unit="青禾县柳塘镇石桥村村民委员会", seal_text="青禾县柳塘镇石桥村村民委员会",
    date="2026年2月18日",
    person=dict(name="王秀兰", sex="女", age="58岁",
                id=resident_id("431127", "19680412", 236, True),
                address="青禾县柳塘镇石桥村三组27号", household="4人", income="26400元"),
    body="兹证明王秀兰系我村三组村民。其丈夫于2023年因车祸致残，长期卧床，丧失劳动能力；"
         "儿子在读大学，家庭无其他稳定收入来源，主要依靠务农及打零工维持生活，生活确有困难。"
         "经村民委员会调查核实，情况属实。")

HOSPITAL_1 = dict(
    kind="hospital", seed=202, title="诊断证明书", number="门诊号：MZ20260119-0457",
    unit="江临市第三人民医院", seal_text="江临市第三人民医院", seal_bottom="诊断证明专用章",
    date="2026年1月19日", doctor="李明远",
    person=dict(name="陈建国", sex="男", age="52岁",
                id=resident_id("360102", "19731105", 417, False),
                dept="心血管内科", inpatient_no="ZY2026000318",
                admitted="2026年1月5日", discharged="2026年1月19日", cost="48526.40元"),
    diagnosis="1.冠状动脉粥样硬化性心脏病；2.高血压病3级（极高危）；3.2型糖尿病。",
    body="患者住院治疗14天，行冠脉造影及支架植入术，现病情稳定出院。建议全休三个月，"
         "避免劳累及重体力劳动，长期规律服药，每月门诊复查一次。")

POVERTY_2 = dict(
    kind="poverty", seed=303, title="贫困证明", number="南苑街证〔2025〕第089号",
    unit="东湖区南苑街道办事处", seal_text="东湖区南苑街道办事处",
    date="2025年6月10日",
    person=dict(name="刘桂芳", sex="女", age="47岁",
                id=resident_id("420111", "19781023", 582, True),
                address="东湖区南苑街道梧桐社区8栋2单元501室", household="3人",
                income="18900元"),
    body="兹证明刘桂芳系我街道梧桐社区居民。其本人患慢性肾病需定期透析，无法正常工作；"
         "配偶务工收入不稳定，女儿尚在读初中。该户已纳入社区困难家庭台账，经社区居民委员会"
         "入户走访及街道核实，情况属实。")

HOSPITAL_2 = dict(
    kind="hospital", seed=404, title="住院证明", number="住院号：BJ2026-004172",
    unit="滨江市中心医院", seal_text="滨江市中心医院", seal_bottom="医务处专用章",
    date="2026年2月6日", doctor="孙慧",
    person=dict(name="赵丽娟", sex="女", age="39岁",
                id=resident_id("330106", "19861202", 64, True),
                dept="妇产科", inpatient_no="BJ2026004172",
                admitted="2026年1月22日", discharged="2026年2月6日", cost="21873.15元"),
    diagnosis="子宫肌瘤（多发性），继发性贫血。",
    body="患者入院后完善相关检查，于2026年1月24日行腹腔镜下子宫肌瘤剔除术，术后恢复良好，"
         "准予出院。出院后休息一个月，一个月后门诊复查。")

# The print-out that the seal forger starts from: same hospital as HOSPITAL_1, no stamp.
UNSEALED = dict(
    kind="hospital", seed=505, title="住院证明", number="住院号：ZY2026000562",
    unit="江临市第三人民医院", seal_text="江临市第三人民医院", seal_bottom="诊断证明专用章",
    date="2026年2月27日", doctor="李明远",
    person=dict(name="周志强", sex="男", age="44岁",
                id=resident_id("360103", "19810309", 125, False),
                dept="神经内科", inpatient_no="ZY2026000562",
                admitted="2026年2月9日", discharged="2026年2月27日", cost="63210.80元"),
    diagnosis="1.脑梗死（急性期）；2.高血压病2级。",
    body="患者住院治疗18天，经溶栓、抗血小板及康复治疗后病情好转出院。遗留左侧肢体活动不利，"
         "建议休息六个月，继续康复训练，不宜从事体力劳动。")

# ---------------------------------------------------------------- the screenshots

CHAT_AVATARS = {"L": ("陈", (70, 110, 170)), "R": ("我", (200, 140, 60))}
CHAT_ITEMS = [
    ("time", "昨天 20:41"),
    ("L", "你的情况我看了，信用卡逾期三个月，可以帮你申请个性化分期"),
    ("R", "银行那边天天打电话，我很怕"),
    ("L", "别怕，按我给你的模板写投诉信，打12378之前先跟我说"),
    ("L", "把医院证明拍给我，没有的话我们这边可以帮你弄一份"),
    ("R", "好的，费用怎么算"),
    ("L", "前期服务费1680，成功后再收减免部分的20%"),
    ("R", "行，我现在转给你"),
    ("time", "20:58"),
    ("L", "收到。这几天银行电话一律别接，交给我们处理"),
]

COLLECTOR_AVATARS = {"L": ("速", (214, 92, 60)), "R": ("我", (200, 140, 60))}
COLLECTOR_ITEMS = [
    ("time", "3月2日 15:06"),
    ("L", "您好，这里是速贷通贷后管理部"),
    ("L", "您在我司的借款已逾期45天，本息共计23618.52元，请今天内处理"),
    ("R", "我最近失业了，实在还不上"),
    ("L", "请尽快处理欠款"),                     # index 3 among bubbles: the line replaced
    ("R", "能不能先停息，分期慢慢还"),
    ("L", "分期需要您先提交申请材料，我们会按规定审核"),
    ("R", "好的，我准备一下材料"),
]
# The other screenshot, forwarded through WeChat (so JPEG q80), that the line came from.
DONOR_ITEMS = [
    ("time", "2月27日 19:40"),
    ("L", "电话不接是吧"),
    ("L", "再不还钱就去你单位闹"),
    ("R", "你们这是违法的"),
]

PAY_ROWS = [
    ("收款方", "深圳市安岸法务咨询服务部"),
    ("支付方式", "零钱"),
    ("交易时间", "2026-03-03 14:22:51"),
    ("交易单号", "4200002614202603031536870095"),
    ("商户单号", "10000526030314225137"),
]
PAY_ROWS_2 = [
    ("收款方", "深圳市安岸法务咨询服务部"),
    ("支付方式", "招商银行储蓄卡(4417)"),
    ("交易时间", "2026-03-05 09:47:12"),
    ("交易单号", "4200002618202603052279143306"),
    ("商户单号", "10000526030509471208"),
]
# WeChat names saved pictures mmexport<milliseconds>.jpg whatever their real format.
MISLABELED = "mmexport1772675240000.jpg"

EDITOR_PS = "Adobe Photoshop 24.0 (Windows)"


# ---------------------------------------------------------------- helpers

class Case:
    """Collects files, masks and truth records for samples/images."""

    def __init__(self, root):
        self.root = root
        self.truth = []

    def save(self, name, data):
        write_bytes(os.path.join(self.root, name), data)

    def record(self, name, forged, size, operations=(), **extra):
        rec = {"file": name, "forged": forged, "operations": list(operations)}
        rec.update(extra)
        self.truth.append(rec)
        if forged:
            stem = os.path.splitext(name)[0]
            rects = [op["region"] for op in operations]
            self.save(os.path.join("masks", stem + ".png"), mask_png(size, rects))
            rec["mask"] = "masks/%s.png" % stem

    def finish(self):
        text = json.dumps(self.truth, ensure_ascii=False, indent=1)
        self.save("truth.json", (text + "\n").encode("utf-8"))


def op(kind, region, how, **extra):
    d = {"kind": kind, "region": [int(v) for v in region], "how": how}
    d.update(extra)
    return d


def align_down(v, residue):
    """Largest u <= v with u % 8 == residue: puts a paste off the 8x8 grid on purpose."""
    return v - ((v - residue) % 8)


# ---------------------------------------------------------------- authentic scans

def authentic(case, name, spec, quality):
    """Render, 'scan' and encode ONCE: the scanner's original, single compression."""
    img, boxes = certs.render_certificate(spec)
    data = jpeg_bytes(img, quality)
    case.save(name, data)
    case.record(name, False, img.size, jpeg_quality=[quality],
                document=spec["title"], unit=spec["unit"], person=spec["person"]["name"],
                how="rendered, blurred and noised like a flatbed scan, encoded once by "
                    "libjpeg at q%d 4:2:0" % quality)
    return data, boxes


# ---------------------------------------------------------------- forged scans

def forge_amount(case, src_name, src, boxes, new_value):
    """Lower the income on a real certificate; aligned double compression q75 -> q90."""
    img = decode_jpeg(src)
    edited, rect = certs.redraw_value(img, boxes["amount_origin"], boxes["amount"],
                                      new_value, 6)
    name = "forged_amount.jpg"
    case.save(name, jpeg_bytes(edited, 90))
    case.record(name, True, img.size, [op(
        "paint-and-retype", rect,
        "decoded %s (q75), covered the 家庭年收入 value with the median paper colour and "
        "typed %r in the same font as raw pixels, saved at q90: the rest of the page is "
        "aligned double-compressed (75 then 90), the rectangle only once (90)"
        % (src_name, new_value))],
        jpeg_quality=[75, 90], source=src_name)


def forge_seal(case, donor_name, donor, donor_boxes):
    """Put a real seal, cropped off the 8x8 grid of another JPEG, on an unstamped page."""
    page, _ = certs.render_certificate(UNSEALED, with_seal=False)
    target = decode_jpeg(jpeg_bytes(page, 85))          # the print-out's own scan, q85
    sx, sy, sd, _ = donor_boxes["seal"]
    cx, cy = align_down(sx - 2, 3), align_down(sy - 2, 5)   # crop origin = (3, 5) mod 8
    size = sd + 12
    crop = decode_jpeg(donor).crop((cx, cy, cx + size, cy + size))
    tx, ty, _, _ = certs.seal_box(UNSEALED)
    px, py = align_down(tx - 2, 0), align_down(ty - 2, 0)   # pasted on the target's grid
    target.paste(crop, (px, py))
    name = "forged_seal.jpg"
    case.save(name, jpeg_bytes(target, 95))
    gx, gy = (px - cx) % 8, (py - cy) % 8
    case.record(name, True, target.size, [op(
        "splice", [px, py, size, size],
        "seal cropped from decoded %s at (%d,%d), an origin of (3,5) mod 8, pasted at "
        "(%d,%d) on an unstamped 住院证明 scanned at q85, whole saved at q95: inside the "
        "rectangle the q85 block grid of the donor has origin (%d,%d), outside it (0,0)"
        % (donor_name, cx, cy, px, py, gx, gy), foreign_grid=[gx, gy],
        source_file=donor_name, source_region=[cx, cy, size, size])],
        jpeg_quality=[85, 95], document=UNSEALED["title"], person=UNSEALED["person"]["name"])


def forge_resave(case, src_name, src, boxes, new_date):
    """Change the date in a separately saved low-quality cut-out, pasted back off-grid."""
    img = decode_jpeg(src)
    edited, edit_rect = certs.redraw_value(img, boxes["date_origin"], boxes["date"],
                                           new_date, 5)
    ex, ey, ew, eh = edit_rect
    x0, y0 = align_down(ex - 4, 3), align_down(ey - 4, 6)
    w, h = ex + ew + 6 - x0, ey + eh + 6 - y0
    cut = edited.crop((x0, y0, x0 + w, y0 + h))
    img.paste(jpeg_roundtrip(cut, 50), (x0, y0))
    name = "forged_resave.jpg"
    case.save(name, jpeg_bytes(img, 92))
    case.record(name, True, img.size, [
        op("paint-and-retype", edit_rect,
           "date %s -> %s typed over paper colour in the cut-out"
           % (POVERTY_2["date"], new_date)),
        op("jpeg-resave-paste", [x0, y0, w, h],
           "cut-out (origin %d,%d = (3,6) mod 8) saved alone at q50, decoded and pasted "
           "back in place; whole page from %s (q92) saved again at q92: the rectangle "
           "carries a q50 grid with origin (3,6)" % (x0, y0, src_name),
           foreign_grid=[x0 % 8, y0 % 8])],
        jpeg_quality=[92, 92], source=src_name, local_quality=50)


def forge_name(case, src_name, src, boxes, new_name):
    """Retype the patient's name and save as an editor would, with its metadata."""
    img = decode_jpeg(src)
    edited, rect = certs.redraw_value(img, boxes["name_origin"], boxes["name"],
                                      new_name, 6)
    data = jpeg_bytes(edited, 90)
    when = "2026:02:27 22:41:09"
    xmp = jpegmeta.xmp_packet(EDITOR_PS, "2026-02-27T22:41:09+08:00",
                              [("created", "2026-02-27T22:35:51+08:00"),
                               ("saved", "2026-02-27T22:41:09+08:00")])
    data = jpegmeta.insert_app_segments(data, [
        (0xE1, jpegmeta.exif_app1(EDITOR_PS, when)),
        (0xE1, b"http://ns.adobe.com/xap/1.0/\0" + xmp.encode("utf-8")),
        (0xED, jpegmeta.photoshop_app13()),
    ])
    name = "forged_name.jpg"
    case.save(name, data)
    case.record(name, True, img.size, [op(
        "paint-and-retype", rect,
        "patient name %s -> %s on decoded %s (q85), saved at q90 (aligned double "
        "compression; the ID number still belongs to %s)"
        % (HOSPITAL_1["person"]["name"], new_name, src_name, HOSPITAL_1["person"]["name"]))],
        jpeg_quality=[85, 90], source=src_name,
        metadata=["EXIF Software = %s" % EDITOR_PS, "EXIF DateTime = %s" % when,
                  "XMP xmp:CreatorTool = %s, xmpMM:History created/saved" % EDITOR_PS,
                  "APP13 Photoshop 3.0: 8BIM 0x0404 IPTC, 0x0425 digest, 0x0406 quality",
                  "quantisation tables are IJG q90 although the file claims Photoshop"])


# ---------------------------------------------------------------- screenshots

def screenshots(case):
    chat, _ = screens.chat_screen("法务老师·陈", "21:06", CHAT_ITEMS, CHAT_AVATARS)
    case.save("screen_chat.png", png_bytes(chat))
    case.record("screen_chat.png", False, chat.size, how="phone screenshot, PNG, no text chunks")

    pay = screens.pay_screen("14:23", "1,680.00", PAY_ROWS)
    case.save("screen_pay.png", png_bytes(pay))
    case.record("screen_pay.png", False, pay.size, how="phone screenshot, PNG, no text chunks")

    forge_digit(case, pay)
    forge_chat_line(case)

    other = screens.pay_screen("09:47", "2,980.00", PAY_ROWS_2)
    case.save(MISLABELED, png_bytes(other))
    case.record(MISLABELED, False, other.size, how="phone screenshot, PNG",
                container=["extension-mismatch: PNG data behind a .jpg name "
                           "(WeChat mmexport<ms>.jpg pattern)"])


def forge_digit(case, pay):
    """1,680.00 -> 6,680.00 by copying the '6' glyph over the '1' in the same picture."""
    amount = "1,680.00"
    src, dst = screens.digit_cell(amount, 2), screens.digit_cell(amount, 0)
    dst[2] = src[2]                      # tabular digits: same advance, same box size
    img = pay.copy()
    glyph = pay.crop((src[0], src[1], src[0] + src[2], src[1] + src[3]))
    img.paste(glyph, (dst[0], dst[1]))
    name = "screen_pay_forged_digit.png"
    case.save(name, png_bytes(img))
    # The app itself showing 6,680.00 draws the very same pixels: no examination of
    # the picture alone can tell this forgery from a genuine screenshot.
    genuine = screens.pay_screen("14:23", "6,680.00", PAY_ROWS)
    same = genuine.tobytes() == img.tobytes()
    assert same, "the copied digit should match the app's own rendering"
    case.record(name, True, img.size, [op(
        "copy-move", dst, "the '6' of 1,680.00 copied over the '1': the amount now reads "
        "6,680.00; the pasted pixels are identical to the source box", source=src)],
        source="screen_pay.png",
        identical_to_genuine="the picture is pixel for pixel the app's own screenshot of "
        "6,680.00: only the payment record, not the image, can show the edit")


def forge_chat_line(case):
    """Replace a collector's line with one cut from a forwarded (JPEG q80) screenshot."""
    base, boxes = screens.chat_screen("速贷通-贷后专员", "15:31", COLLECTOR_ITEMS,
                                      COLLECTOR_AVATARS)
    tx, ty, tw, th = boxes[3]
    # Shift the donor's layout until its bubble sits 3 rows off the target's 8x8 phase, so
    # the pasted grid is visibly foreign (any grid is foreign in a PNG, but be explicit).
    for shift in range(8):
        donor, dboxes = screens.chat_screen("老周", "19:52", DONOR_ITEMS, COLLECTOR_AVATARS,
                                            start_y=124 + shift)
        if (ty - dboxes[1][1]) % 8 == 3:
            break
    donor = jpeg_roundtrip(donor, 80)
    sx, sy, sw, sh = dboxes[1]
    assert sx == tx and sh == th, "donor bubble must sit on the same column and height"
    left = tx - 10                        # include the bubble's pointer
    w, h = max(sw, tw) + 16, th + 10
    crop = donor.crop((left, sy - 5, left + w, sy - 5 + h))
    img = base.copy()
    img.paste(crop, (left, ty - 5))
    xmp = jpegmeta.xmp_packet("Adobe Photoshop 25.0 (Windows)", "2026-03-02T23:12:40+08:00",
                              [("created", "2026-03-02T23:05:02+08:00"),
                               ("saved", "2026-03-02T23:12:40+08:00")])
    name = "screen_chat_forged_line.png"
    case.save(name, png_bytes(img, [("Software", "Adobe Photoshop 2024", False),
                                    ("XML:com.adobe.xmp", xmp, True)]))
    case.record(name, True, img.size, [op(
        "splice", [left, ty - 5, w, h],
        "bubble '%s' replaced by '%s' cut from another chat screenshot that had been "
        "JPEG-compressed at q80 4:2:0 (as WeChat forwards pictures); the rectangle carries "
        "a JPEG block grid with origin (0,%d) inside an otherwise never-compressed PNG"
        % (COLLECTOR_ITEMS[4][1], DONOR_ITEMS[2][1], (ty - sy) % 8),
        foreign_grid=[0, (ty - sy) % 8])],
        metadata=["tEXt Software = Adobe Photoshop 2024",
                  "iTXt XML:com.adobe.xmp with xmp:CreatorTool = Adobe Photoshop 25.0 "
                  "(Windows) and xmpMM:History"])


# ---------------------------------------------------------------- entry point

def build(root):
    case = Case(root)
    p1, p1_boxes = authentic(case, "authentic_poverty_1.jpg", POVERTY_1, 75)
    h1, h1_boxes = authentic(case, "authentic_hospital_1.jpg", HOSPITAL_1, 85)
    p2, p2_boxes = authentic(case, "authentic_poverty_2.jpg", POVERTY_2, 92)
    authentic(case, "authentic_hospital_2.jpg", HOSPITAL_2, 90)
    forge_amount(case, "authentic_poverty_1.jpg", p1, p1_boxes, "6400元")
    forge_seal(case, "authentic_hospital_1.jpg", h1, h1_boxes)
    forge_resave(case, "authentic_poverty_2.jpg", p2, p2_boxes, "2026年2月16日")
    forge_name(case, "authentic_hospital_1.jpg", h1, h1_boxes, "黄志明")
    screenshots(case)
    case.finish()
    return case.truth
