"""samples/letters: template complaint letters from three ring families, genuine one-offs,
a docx, an online-complaint CSV export, and truth.json.

Every letter is filled from a seeded generator, so names, ID numbers (valid MOD 11-2
check character), bank cards (valid Luhn digit) and mobiles are fake but well-formed. The
ring's agents reuse a few contacts across families: that is the link complaint-dedupe
should surface.
"""

import csv
import datetime
import io
import json
import os
import re
from xml.sax.saxutils import escape

from . import letter_texts as lt
from .ids import bank_card, id_valid, luhn_valid, mobile, resident_id
from .util import rng, write_bytes, write_text, write_zip

# The ring's shared contacts (fictional).
AGENT_PHONE = "13826417359"
AGENT_EMAIL = "anan_fawu@163.com"
AGENT_WECHAT = "anan-fawu88"
AGENT_QQ = "2854316790"

NAMES = [("李红梅", 1), ("张国强", 0), ("刘洋", 0), ("陈静", 1), ("杨志勇", 0), ("黄晓燕", 1),
         ("赵磊", 0), ("吴秀珍", 1), ("周海波", 0), ("徐丽", 1), ("孙建华", 0), ("马晓东", 0),
         ("朱文静", 1), ("胡斌", 0), ("郭春燕", 1), ("何志刚", 0), ("罗娟", 1), ("梁永", 0),
         ("谢婷", 1), ("唐明", 0), ("冯玉兰", 1), ("曹阳", 0), ("彭涛", 0), ("曾丽华", 1),
         ("邓文博", 0), ("蒋雪", 1), ("潘建军", 0), ("田小芳", 1), ("袁浩", 0), ("董佳", 1)]
REGIONS = ["110105", "320102", "440304", "510107", "430102", "420106", "350203", "370202",
           "610113", "330102", "360102", "450103"]
BANKS = [("江临银行", "622588"), ("华兴银行", "622848"), ("东瑞银行", "621700"),
         ("滨江农商银行", "622262")]
INSURERS = [("安瑞人寿保险股份有限公司", "安瑞鑫享年金保险（分红型）"),
            ("泰和人寿保险股份有限公司", "泰和金越两全保险（万能型）"),
            ("鼎信人寿保险股份有限公司", "鼎信福满终身寿险")]
PLATFORMS = ["速贷通", "快易花", "融享借", "金橙分期"]
SELLERS = ["王丽娜", "刘海涛", "陈美玲", "赵宏伟"]

FW_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")


# ---------------------------------------------------------------- slot values

def person(r, k):
    """k-th fake person: name, sex, a valid ID number, an own mobile and e-mail."""
    name, female = NAMES[k % len(NAMES)]
    birth = "19%02d%02d%02d" % (r.randrange(62, 99), r.randrange(1, 13), r.randrange(1, 29))
    pid = resident_id(r.choice(REGIONS), birth, r.randrange(10, 990), bool(female))
    phone = mobile(r)
    return dict(name=name, id=pid, phone=phone, email="%d@qq.com" % r.randrange(10**8, 10**10))


def cn_date(y, m, d):
    return "%d年%d月%d日" % (y, m, d)


def money(v):
    return "{:,.2f}".format(v)


def t1_slots(r, p, i):
    bank, bin6 = BANKS[i % len(BANKS)]
    year = 2025
    amount = r.randrange(3000000, 18000000) / 100
    periods = r.choice([48, 60, 60, 72]) if i % 3 else 60
    periods = min(periods, 60)                   # the rule caps instalments at five years
    return dict(bank=bank, name=p["name"], id=p["id"], card=bank_card(bin6, r),
                hardship=lt.T1_HARDSHIP[i % len(lt.T1_HARDSHIP)].format(year=year),
                overdue_date=cn_date(2025, r.randrange(3, 11), r.randrange(1, 28)),
                amount=money(amount), periods=periods, monthly=money(round(amount / periods)),
                contact_phone=AGENT_PHONE if i % 2 == 0 else p["phone"],
                email=AGENT_EMAIL if i % 2 == 1 else p["email"],
                date=cn_date(2026, 3, r.randrange(1, 10)))


def t2_slots(r, p, i):
    insurer, product = INSURERS[i % len(INSURERS)]
    bank, bin6 = BANKS[(i + 1) % len(BANKS)]
    premium = r.choice([6000, 8800, 10000, 12000, 20000, 30000])
    years = r.randrange(2, 7)
    return dict(insurer=insurer, product=product, name=p["name"], id=p["id"],
                buy_date=cn_date(2026 - years, r.randrange(1, 13), r.randrange(1, 28)),
                seller=SELLERS[i % len(SELLERS)],
                policy="P%d%010d" % (r.randrange(1100, 6500), r.randrange(10**9, 10**10)),
                premium=money(premium), total=money(premium * years), card_bank=bank,
                card=bank_card(bin6, r),
                contact_phone=AGENT_PHONE if i in (0, 1) else p["phone"],
                wechat=AGENT_WECHAT if i % 4 != 1 else "wx%s" % p["phone"][-6:],
                date=cn_date(2026, 3, r.randrange(1, 10)))


def t3_slots(r, p, i):
    loan = r.choice([5000, 8000, 12000, 20000, 30000, 50000])
    # Keep the story in order: borrowed, fell overdue some months later, repaid afterwards.
    borrowed = datetime.date(2024, r.randrange(1, 10), r.randrange(1, 28))
    days = r.randrange(35, 180)
    overdue = borrowed + datetime.timedelta(days=r.randrange(60, 200))
    repaid = overdue + datetime.timedelta(days=days)
    slots = dict(platform=PLATFORMS[i % len(PLATFORMS)], name=p["name"], id=p["id"],
                 phone=p["phone"], loan_date=cn_date(*borrowed.timetuple()[:3]),
                 loan=money(loan), contract="JK%d%08d" % (r.randrange(2023, 2025),
                                                          r.randrange(10**7, 10**8)),
                 reason=lt.T3_REASONS[i % len(lt.T3_REASONS)],
                 overdue_date=cn_date(*overdue.timetuple()[:3]), days=days,
                 repay_date=cn_date(*repaid.timetuple()[:3]),
                 contact_phone=AGENT_PHONE if i == 4 else p["phone"],
                 email=AGENT_EMAIL if i in (0, 2) else p["email"],
                 qq=AGENT_QQ if i != 1 else str(r.randrange(10**8, 10**10)),
                 date=cn_date(2026, 3, r.randrange(1, 10)))
    if i == 0:
        slots["wechat"] = AGENT_WECHAT      # written in by the edit EDITS[("T3", 0)]
    return slots


FAMILIES = {"T1": (lt.T1, t1_slots), "T2": (lt.T2, t2_slots), "T3": (lt.T3, t3_slots)}

# ---------------------------------------------------------------- light edits

# (family, instance) -> list of edits. Each edit: (kind, description, old, new).
# "fullwidth" edits name slots whose digits are written full-width instead.
EDITS = {
    ("T1", 1): [("added-sentence", "sentence added after the willingness to repay",
                 "一直有积极还款的意愿。",
                 "一直有积极还款的意愿。本人名下无房无车，目前主要靠亲友接济维持生活。")],
    ("T1", 3): [("punctuation", "the three demands use half-width ',' and ';'", None, None),
                ("fullwidth", "amount and contact phone written with full-width digits",
                 ["amount", "contact_phone"], None)],
    ("T1", 4): [("reworded", "harassment sentence reworded, deadline shortened",
                 "严重影响本人及家人的正常生活", "给本人及家人造成了极大的精神压力"),
                ("reworded", "deadline shortened", "七个工作日", "五个工作日")],
    ("T2", 2): [("added-sentence", "evidence sentence added",
                 "才得知只能领回很少的现金价值。",
                 "才得知只能领回很少的现金价值。本人至今保留着业务员当时发送的产品宣传图片及微信聊天记录。")],
    ("T2", 3): [("fullwidth", "policy number and amounts in full-width digits",
                 ["policy", "premium", "total"], None),
                ("punctuation", "'！' written as '!'", "！", "!")],
    ("T3", 0): [("added-sentence", "a WeChat contact line added under the QQ line",
                 "\n\n此致\n敬礼\n", "\n微信：%s\n\n此致\n敬礼\n" % AGENT_WECHAT)],
    ("T3", 1): [("reworded", "impact sentence reworded",
                 "目前已严重影响本人正常办理房贷及工作政审",
                 "导致本人无法办理房贷，孩子入学政审也受到影响")],
    ("T3", 3): [("deleted-paragraph", "paragraph on fees and harassment removed",
                 "此外，贵平台在放款时收取了高额的服务费、担保费，综合年化利率远超法定上限，"
                 "且在贷后催收中存在频繁骚扰本人亲友的行为，本人对此保留追究的权利。\n\n", "")],
}


def _half_width_list(text):
    """Only inside the numbered demands: the way someone retyping on a phone leaves them."""
    out = []
    for line in text.split("\n"):
        if line[:2] in ("一、", "二、", "三、"):
            line = line.replace("，", ",").replace("；", ";")
        out.append(line)
    return "\n".join(out)


def fill(family, i, slots):
    """Fill a template and apply the planned light edits. Returns (text, edits done)."""
    template = FAMILIES[family][0]
    edits = EDITS.get((family, i), [])
    shown = dict(slots)
    for kind, _, keys, _ in edits:
        if kind == "fullwidth":
            for k in keys:
                shown[k] = str(shown[k]).translate(FW_DIGITS)
    text = template.format(**shown)
    for kind, _, old, new in edits:
        if kind == "punctuation" and old is None:
            text = _half_width_list(text)
        elif kind in ("added-sentence", "reworded", "deleted-paragraph", "punctuation"):
            assert old in text, (family, i, old)
            text = text.replace(old, new)
    return text, [{"kind": k, "what": d} for k, d, _, _ in edits]


# ---------------------------------------------------------------- entities for truth

def entities(family, slots):
    """The planted entities of one filled letter, by type, as plain ASCII strings."""
    e = {"name": slots["name"], "id_number": slots["id"]}
    e["phones"] = sorted({slots[k] for k in ("phone", "contact_phone") if k in slots})
    for key, out in (("card", "bank_card"), ("email", "email"), ("wechat", "wechat"),
                     ("qq", "qq"), ("policy", "policy_no"), ("contract", "contract_no"),
                     ("date", "date")):
        if key in slots:
            e[out] = slots[key]
    e["institution"] = slots.get("bank") or slots.get("insurer") or slots.get("platform")
    for key in ("amount", "total", "loan"):
        if key in slots:
            e["amount"] = slots[key]
    agent = {AGENT_PHONE, AGENT_EMAIL, AGENT_WECHAT, AGENT_QQ}
    e["agent_contacts"] = sorted(v for k, v in slots.items() if v in agent)
    assert id_valid(e["id_number"])
    if "bank_card" in e:
        assert luhn_valid(e["bank_card"])
    for ph in e["phones"]:
        assert re.fullmatch(r"1[3-9]\d{9}", ph)
    return e


def han_count(text):
    return sum(1 for c in text if "\u4e00" <= c <= "\u9fff")


# ---------------------------------------------------------------- file writers

def docx_bytes(text):
    """A real, minimal WordprocessingML package: one <w:p> per line; long paragraphs are
    split into several runs at commas, as Word does after edits, so readers must join runs."""
    paras = []
    for line in text.split("\n"):
        pieces = re.split(r"(?<=，)", line) if len(line) > 60 else [line]
        runs = "".join('<w:r><w:t xml:space="preserve">%s</w:t></w:r>' % escape(p)
                       for p in pieces if p)
        paras.append("<w:p>%s</w:p>" % runs)
    document = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/'
                '2006/main"><w:body>%s<w:sectPr/></w:body></w:document>' % "".join(paras))
    types = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
             '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
             '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
             'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
             '<Override PartName="/word/document.xml" ContentType="application/vnd.'
             'openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
    rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
            '</Relationships>')
    return [("[Content_Types].xml", types.encode()), ("_rels/.rels", rels.encode()),
            ("word/document.xml", document.encode())]


# How each letter file is stored: most are UTF-8 text; a few come as Windows users save them.
STORAGE = {("T1", 5): ("txt", "gb18030", "\r\n", False),
           ("T2", 4): ("txt", "utf-16-le", "\r\n", True),
           ("T3", 4): ("docx", None, None, None),
           ("G", 3): ("txt", "utf-8", "\r\n", False)}
COUNTS = {"T1": 6, "T2": 5, "T3": 5}


def file_letters():
    """All letters that become files, in a fixed interleaved order (not grouped by family)."""
    r = rng(7001)
    out, k = [], 0
    for fam, n in COUNTS.items():
        for i in range(n):
            p = person(r, k)
            k += 1
            slots = FAMILIES[fam][1](r, p, i)
            text, edits = fill(fam, i, slots)
            out.append(dict(family=fam, instance=i, text=text, edits=edits,
                            entities=entities(fam, slots)))
    for g in lt.GENUINE:
        out.append(dict(family="genuine", instance=int(g["id"][1:]) - 1, genuine_id=g["id"],
                        text=g["text"], edits=[], entities={"topic": g["kind"]}))
    rng(7002).shuffle(out)
    return out


def write_letter(root, n, letter):
    key = (letter["family"] if letter["family"] != "genuine" else "G", letter["instance"])
    ext, enc, nl, bom = STORAGE.get(key, ("txt", "utf-8", "\n", False))
    name = "letter_%02d.%s" % (n, ext)
    if ext == "docx":
        write_zip(os.path.join(root, name), docx_bytes(letter["text"]))
        storage = "docx (word/document.xml, runs split at commas)"
    else:
        write_text(os.path.join(root, name), letter["text"], enc, nl, bom)
        storage = "%s%s, %s line endings" % (enc, " with BOM" if bom else "",
                                             "CRLF" if nl == "\r\n" else "LF")
    return name, storage


# ---------------------------------------------------------------- the CSV export

IP_RING_A, IP_RING_B, IP_RING_C = "113.87.161.24", "113.87.161.31", "183.14.29.207"


def csv_rows(file_letters_list):
    """Rows of the complaint platform's export: ring letters in bursts minutes apart from a
    few IPs, genuine letters spread over weeks from many IPs."""
    r = rng(7003)
    rows, k = [], 40
    bursts = [("T1", 5, "2026-03-09", 20, 2, [IP_RING_A, IP_RING_B]),
              ("T2", 4, "2026-03-10", 14, 11, [IP_RING_A]),
              ("T3", 4, "2026-03-11", 9, 5, [IP_RING_C, IP_RING_C, IP_RING_B])]
    for fam, n, day, hour, minute, ips in bursts:
        for j in range(n):
            p = person(r, k)
            k += 1
            slots = FAMILIES[fam][1](r, p, j + 10)
            text, _ = fill(fam, j + 10, slots)
            minute += r.randrange(3, 8)
            rows.append(dict(time="%s %02d:%02d:%02d" % (day, hour + minute // 60, minute % 60,
                                                         r.randrange(60)),
                             ip=ips[j % len(ips)], account="u%07d" % r.randrange(10**6, 10**7),
                             phone=AGENT_PHONE if j % 2 == 0 else p["phone"], text=text,
                             family=fam, entities=entities(fam, slots)))
    rows += _resubmitted(file_letters_list, r)
    rows += _genuine_rows(r)
    rows.sort(key=lambda row: row["time"])
    for n, row in enumerate(rows, 1):
        row["id"] = "TS%s%04d" % (row["time"][:10].replace("-", ""), 100 + n)
    return rows


def _resubmitted(letters, r):
    """Two ring letters that also exist as files were pasted into the web form as well."""
    when = {("T1", 0): "2026-03-09 20:41:09", ("T3", 2): "2026-03-11 09:37:52"}
    out = []
    for l in letters:
        t = when.get((l["family"], l["instance"]))
        if t is None:
            continue
        out.append(dict(time=t, ip=IP_RING_B, account="u%07d" % r.randrange(10**6, 10**7),
                        phone=AGENT_PHONE, text=l["text"], family=l["family"],
                        entities=l["entities"], same_as_file=l["file"]))
    return out


GENUINE_EXTRA = [
    ("G6", "ATM withdrawal dispute", """尊敬的领导：

我2月15日晚上在华兴银行滨江支行门口的自助取款机取现两千元，机器显示交易成功，但是出钞口没有吐出现金，我当场拨打了机器上的客服电话登记。第二天去网点询问，柜员说要等清机对账，让我回去等通知。现在已经过去十多天了，这笔钱仍然没有退回我的账户，打电话给网点一直说还在核查。两千块钱对我来说是半个月的生活费，希望银行尽快调取监控和清机记录，给我一个明确的答复。我的电话是15093847261。

此致
敬礼！

冯玉兰
2026年2月27日
"""),
    ("G7", "unwanted insurance add-on on a loan", """尊敬的领导：

我在去年十一月通过金橙分期买了一部手机，分十二期付款。最近整理账单才发现，每个月除了本金和利息，还多扣了二十八元的“借款人意外险”，合同签署页面上这一项是默认勾选的，当时没有人提醒我。我认为这是捆绑销售，请平台取消这份保险，并退还已经扣除的费用。我不要求别的赔偿，只希望以后不要再默认勾选这类项目。联系电话：18923560417。

袁浩
2026年3月6日
"""),
]


def _genuine_rows(r):
    times = ["2026-02-10 09:14:33", "2026-02-25 13:02:51", "2026-02-04 19:47:08",
             "2026-02-22 08:31:45", "2026-03-03 12:20:17", "2026-02-28 21:06:54",
             "2026-03-07 16:42:30"]
    texts = [(g["id"], g["kind"], g["text"]) for g in lt.GENUINE] + GENUINE_EXTRA
    rows = []
    for (gid, kind, text), t in zip(texts, times):
        phones = re.findall(r"1[3-9]\d{9}", text)
        rows.append(dict(time=t, ip="%d.%d.%d.%d" % (r.choice([36, 58, 112, 121, 171, 223]),
                                                     r.randrange(1, 255), r.randrange(1, 255),
                                                     r.randrange(1, 255)),
                         account="u%07d" % r.randrange(10**6, 10**7),
                         phone=phones[0] if phones else mobile(r), text=text,
                         family="genuine", entities={"topic": kind, "genuine_id": gid}))
    return rows


def write_csv(path, rows):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")       # RFC 4180: CRLF, quote when needed
    w.writerow(["投诉编号", "提交时间", "IP", "账号", "手机号", "投诉内容"])
    for row in rows:
        w.writerow([row["id"], row["time"], row["ip"], row["account"], row["phone"],
                    row["text"].rstrip("\n")])
    write_bytes(path, buf.getvalue().encode("utf-8"))


# ---------------------------------------------------------------- links and entry point

def links(records):
    """Which contact values occur in more than one family: the planted ring links."""
    seen = {}
    for rec in records:
        e = rec["entities"]
        where = rec.get("file") or rec.get("csv_row")
        values = [("phone", v) for v in e.get("phones", [])]
        if rec.get("submitter_phone") and rec["submitter_phone"] not in e.get("phones", []):
            values.append(("phone", rec["submitter_phone"]))
        values += [(k, e[k]) for k in ("email", "wechat", "qq") if k in e]
        for kind, v in values:
            seen.setdefault((kind, v), []).append((rec["family"], where))
    out = []
    for (kind, v), hits in sorted(seen.items()):
        fams = sorted({f for f, _ in hits})
        if len(fams) > 1:
            out.append({"kind": kind, "value": v, "families": fams,
                        "in": [w for _, w in hits]})
    return out


def build(root):
    letters = file_letters()
    records = []
    for n, letter in enumerate(letters, 1):
        name, storage = write_letter(root, n, letter)
        letter["file"] = name
        assert 300 <= han_count(letter["text"]) <= 800, (name, han_count(letter["text"]))
        rec = {"file": name, "family": letter["family"], "storage": storage,
               "han_chars": han_count(letter["text"]), "edits": letter["edits"],
               "entities": letter["entities"]}
        if letter["family"] != "genuine":
            rec["template_instance"] = letter["instance"]
        records.append(rec)
    rows = csv_rows(letters)
    write_csv(os.path.join(root, "complaints_export.csv"), rows)
    for row in rows:
        rec = {"csv_row": row["id"], "family": row["family"], "time": row["time"],
               "ip": row["ip"], "account": row["account"], "submitter_phone": row["phone"],
               "entities": row["entities"]}
        if "same_as_file" in row:
            rec["same_text_as"] = row["same_as_file"]
        records.append(rec)
    truth = {"agents": {"phone": AGENT_PHONE, "email": AGENT_EMAIL, "wechat": AGENT_WECHAT,
                        "qq": AGENT_QQ},
             "templates": {"T1": "停息挂账/个性化分期 demand to a bank credit card centre",
                           "T2": "代理退保 full-refund demand to a life insurer (mis-selling)",
                           "T3": "征信修复/非恶意逾期 demand to an online lender"},
             "letters": records, "links": links(records)}
    text = json.dumps(truth, ensure_ascii=False, indent=1) + "\n"
    write_bytes(os.path.join(root, "truth.json"), text.encode("utf-8"))
    return truth
