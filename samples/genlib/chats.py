"""samples/chats: the same kind of coaching talk exported by seven chat tools, with coded
terms planted in known evasion forms, decoys that must not match, a lexicon, and truth.json.

Scripts live in chat_texts.py; this module renders their markup, gives every message a
time, and writes each export format byte for byte as the tool in question writes it.
"""

import csv
import datetime
import io
import json
import os
import re
import unicodedata

from . import chat_texts as ct
from .util import rng, write_bytes, write_zip

# ---------------------------------------------------------------- lexicon

LEXICON = [
    ("反催收", "debt-evasion", "high", "coaching debtors to block collection"),
    ("停催", "debt-evasion", "high", "stop-collection letters sold by agents"),
    ("协商还款", "debt-evasion", "medium", "legal phrase; risky in an agent's sales talk"),
    ("个性化分期", "debt-evasion", "medium", "regulated bank instalment plan, sold by agents"),
    ("减免利息罚金", "debt-evasion", "medium", ""),
    ("债务优化", "debt-evasion", "high", ""),
    ("化债", "debt-evasion", "medium", "short form of 化解债务"),
    ("安全上岸", "debt-evasion", "medium", "上岸 alone is ordinary (考研上岸, 考公上岸)"),
    ("停息挂账", "debt-evasion", "high", "core 'rights-protection agent' product"),
    ("停息分期", "debt-evasion", "high", ""),
    ("医院证明", "document-fraud", "high", "often a forged hospital certificate"),
    ("代理投诉", "complaint-agent", "high", ""),
    ("恶意投诉", "complaint-agent", "high", ""),
    ("征信修复", "credit-repair", "high", "no such legal service exists"),
    ("征信洗白", "credit-repair", "high", ""),
    ("非恶意逾期", "credit-repair", "medium", "real notion, abused as a sales hook"),
    ("代理退保", "insurance-refund", "high", ""),
    ("全额退保", "insurance-refund", "high", ""),
    ("法务老师", "complaint-agent", "medium", "how agents title themselves"),
    ("葆费", "insurance-refund", "medium", "written for 保费 to dodge moderation"),
    ("12378", "complaint-agent", "low", "regulator's consumer hotline; match as a whole number"),
    ("以贷养贷", "loan-cycling", "medium", ""),
]
CATEGORY = {t: c for t, c, _, _ in LEXICON}

# Traditional forms of the terms we plant in traditional script (as OpenCC s2t writes them).
TRADITIONAL = {
    "征信修复": "徵信修復", "债务优化": "債務優化", "协商还款": "協商還款",
    "个性化分期": "個性化分期", "法务老师": "法務老師", "减免利息罚金": "減免利息罰金",
    "停息挂账": "停息掛賬", "恶意投诉": "惡意投訴", "非恶意逾期": "非惡意逾期",
}
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def write_lexicon(path):
    lines = ["# term\tcategory\trisk\tnote  (a sample; the built-in lexicon lives elsewhere)"]
    lines += ["%s\t%s\t%s\t%s" % row for row in LEXICON]
    write_bytes(path, ("\n".join(lines) + "\n").encode("utf-8"))


# ---------------------------------------------------------------- markup rendering

TOKEN = re.compile(r"\{([^|{}]+)\|([^|{}]+)(?:\|([^{}]*))?\}|\[\[([^|\]]+)\|([^\]]+)\]\]|\*\*")


def evade(term, form):
    """Write a term in one of the algorithmic evasion forms. Returns (text, detail)."""
    kind, _, arg = form.partition(":")
    if kind == "exact":
        return term, ""
    if kind == "split":
        return arg.join(term), "separator %r" % arg
    if kind == "traditional":
        return TRADITIONAL[term], ""
    if kind == "normalized" and term.isdigit():
        return term.translate(FULLWIDTH), "full-width digits"
    if kind == "normalized":
        return term[0] + "\u200b" + term[1:], "zero-width space U+200B"
    raise ValueError("form %r needs explicit text" % form)


def _detail(form, text):
    """What a reader needs beyond the form's name: which invisible or separator marks."""
    if form == "normalized":
        marks = ["U+%04X" % ord(c) for c in text if c in ZERO_WIDTH]
        return "zero-width " + ",".join(marks) if marks else "full-width"
    return ""


def render(template):
    """Expand markup. Returns plain text, planted terms, decoys and bold ranges."""
    out, n, hits, decoys, toggles, pos = [], 0, [], [], [], 0

    def emit(s):
        nonlocal n
        out.append(s)
        n += len(s)

    for m in TOKEN.finditer(template):
        emit(template[pos:m.start()])
        pos = m.end()
        if m.group(0) == "**":
            toggles.append(n)
        elif m.group(1):
            term, form, explicit = m.group(1), m.group(2), m.group(3)
            text, detail = (explicit, _detail(form, explicit)) if explicit is not None \
                else evade(term, form)
            start = n
            for k, piece in enumerate(text.split("**")):   # bold may cut through a term
                if k:
                    toggles.append(n)
                emit(piece)
            plain = text.replace("**", "")
            hit = {"term": term, "category": CATEGORY[term], "form": form.split(":")[0],
                   "rendered": plain, "offset": start}
            if detail:
                hit["detail"] = detail
            if "**" in text:
                hit["detail"] = "crosses a bold text-entity boundary"
            hits.append(hit)
        else:
            decoys.append({"word": m.group(4), "why": m.group(5), "offset": n})
            emit(m.group(4))
    emit(template[pos:])
    bold = list(zip(toggles[0::2], toggles[1::2]))
    return "".join(out), hits, decoys, bold


# ---------------------------------------------------------------- messages with times

def messages(script, senders, seed, whole_minutes=False):
    """Turn a script into messages: sender, ids, time, rendered text, hits, decoys."""
    r = rng(seed)
    clock, out = None, []
    for entry in script:
        key, template = entry[0], entry[1]
        if len(entry) > 2:
            clock = datetime.datetime.fromisoformat(entry[2][1:])
        else:
            clock += datetime.timedelta(seconds=r.randrange(15, 240))
        if whole_minutes:
            clock = clock.replace(second=0)
        text, hits, decoys, bold = render(template)
        name, ident = senders.get(key, ("", ""))
        kind = "text"
        if key.startswith("sys"):
            kind = "system"
        elif text in ("[图片]", "image omitted", "[Photo]"):
            kind = "image"
        out.append(dict(key=key, name=name, ident=ident, time=clock, text=text, hits=hits,
                        decoys=decoys, bold=bold, kind=kind))
    return out


def ts(t):
    return t.strftime("%Y-%m-%d %H:%M:%S")


# ---------------------------------------------------------------- export writers

def qq_txt(msgs):
    """QQ PC 'export as txt': fixed header, '<time> <name>(<qq>)' or '<name><email>', CRLF."""
    bar = "=" * 64
    lines = ["消息记录（此消息记录为文本格式，不支持重新导入）", bar, "消息分组:我的群聊", bar,
             "消息对象:" + ct.QQ_GROUP, bar, ""]
    for m in msgs:
        lines += ["%s %s%s" % (ts(m["time"]), m["name"], m["ident"])]
        lines += m["text"].split("\n") + [""]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def memotrace_txt(msgs, encoding="utf-8", newline="\n"):
    """MemoTrace txt: '<time> <nickname>' line, the text, a blank line."""
    lines = []
    for m in msgs:
        lines += ["%s %s" % (ts(m["time"]), m["name"])] + m["text"].split("\n") + [""]
    return (newline.join(lines) + newline).encode(encoding)


def _csv_bytes(rows, bom):
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    return ("\ufeff" if bom else "").encode("utf-8") + buf.getvalue().encode("utf-8")


def memotrace_csv(msgs):
    """MemoTrace csv, newer Chinese header; written utf-8-sig (with BOM) for Excel."""
    kinds = {"text": "文本", "image": "图片", "system": "系统消息"}
    rows = [["消息ID", "类型", "发送人", "时间", "内容", "备注", "昵称", "更多信息"]]
    for i, m in enumerate(msgs):
        rows.append([str(20417 + i), kinds[m["kind"]], m["ident"], ts(m["time"]), m["text"],
                     ct.MT_CSV_REMARKS.get(m["key"], ""), m["name"], ""])
    return _csv_bytes(rows, bom=True)


def memotrace_old_csv(msgs, owner_key):
    """Older MemoTrace csv: the raw MSG table columns, English header, no BOM."""
    types = {"text": "1", "image": "3", "system": "10000"}
    rows = [["localId", "TalkerId", "Type", "SubType", "IsSender", "CreateTime", "Status",
             "StrContent", "StrTime", "Remark", "NickName", "Sender"]]
    for i, m in enumerate(msgs):
        rows.append([str(3301 + i), "57", types[m["kind"]], "0",
                     "1" if m["key"] == owner_key else "0", str(unix(m["time"])), "2",
                     m["text"], ts(m["time"]), "", m["name"], m["ident"]])
    return _csv_bytes(rows, bom=False)


def unix(t):
    """Exports store local China time; the epoch seconds are that minus eight hours."""
    return int((t - datetime.timedelta(hours=8) - datetime.datetime(1970, 1, 1)).total_seconds())


def _tg_text(m):
    """Telegram's 'text': a plain string, or a list mixing strings and entity objects."""
    if not m["bold"]:
        return m["text"], [{"type": "plain", "text": m["text"]}]
    parts, entities, pos = [], [], 0
    for a, b in m["bold"]:
        if a > pos:
            parts.append(m["text"][pos:a])
            entities.append({"type": "plain", "text": m["text"][pos:a]})
        parts.append({"type": "bold", "text": m["text"][a:b]})
        entities.append({"type": "bold", "text": m["text"][a:b]})
        pos = b
    if pos < len(m["text"]):
        parts.append(m["text"][pos:])
        entities.append({"type": "plain", "text": m["text"][pos:]})
    return parts, entities


def telegram_json(msgs):
    out = []
    for i, m in enumerate(msgs):
        base = {"id": 1001 + i, "type": "message",
                "date": m["time"].strftime("%Y-%m-%dT%H:%M:%S"),
                "date_unixtime": str(unix(m["time"]))}
        if m["kind"] == "system":
            _, actor, member = m["key"].split(":")
            base.update(type="service", actor=ct.TG_SENDERS[actor][0],
                        actor_id=ct.TG_SENDERS[actor][1], action="invite_members",
                        members=[ct.TG_SENDERS[member][0]], text="", text_entities=[])
        else:
            text, entities = _tg_text(m)
            base.update({"from": m["name"], "from_id": m["ident"], "text": text,
                         "text_entities": entities})
        out.append(base)
    doc = {"name": ct.TG_NAME, "type": "private_group", "id": 1893526471, "messages": out}
    return (json.dumps(doc, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def whatsapp_txt(msgs):
    """iOS layout: '[DD/MM/YYYY, HH:MM:SS] name: text'; U+200E before attachment and
    system lines, as iOS writes them."""
    lines = []
    for m in msgs:
        stamp = m["time"].strftime("[%d/%m/%Y, %H:%M:%S]")
        text = m["text"]
        if m["kind"] == "image":
            lines.append("\u200e%s %s: \u200e%s" % (stamp, m["name"], text))
        elif m["kind"] == "system":
            lines.append("%s %s: \u200e%s" % (stamp, m["name"], text))
        else:
            lines.append("%s %s: %s" % (stamp, m["name"], text))
    return ("\n".join(lines) + "\n").encode("utf-8")


def line_txt(msgs):
    """LINE txt: header, a date line per day, 'HH:MM<TAB>name<TAB>text'; multi-line text is
    wrapped in double quotes with inner quotes doubled."""
    out = ["[LINE] Chat history with " + ct.LINE_PEER, "Saved on: 2026/03/16 22:10", ""]
    day = None
    for m in msgs:
        if m["time"].date() != day:
            if day is not None:
                out.append("")
            day = m["time"].date()
            out.append(m["time"].strftime("%Y.%m.%d %A"))
        text = m["text"]
        if "\n" in text or '"' in text:
            text = '"%s"' % text.replace('"', '""')
        out.append("%s\t%s\t%s" % (m["time"].strftime("%H:%M"), m["name"], text))
    return ("\n".join(out) + "\n").encode("utf-8")


# ---------------------------------------------------------------- self-check of the plants

def _fold(text):
    """Cheap stand-in for chatlog-grep's folding: NFKC, no zero-width, no separators."""
    t = unicodedata.normalize("NFKC", text)
    t = "".join(c for c in t if c not in ZERO_WIDTH)
    return re.sub(r"[ */\-._~]", "", t)


def check(msgs, name):
    """Every exact/normalized/split plant folds back to its term, and no message has an
    unplanted term in folded form (so the truth lists every simple hit)."""
    for i, m in enumerate(msgs):
        folded = _fold(m["text"])
        simple = [h for h in m["hits"] if h["form"] in ("exact", "normalized", "split")]
        for term, _, _, _ in LEXICON:
            want = sum(1 for h in simple if h["term"] == term)
            got = folded.count(term)
            if term == "12378":                  # decoy 12378 inside a parcel number
                got = len(re.findall(r"(?<!\d)12378(?!\d)", folded))
            assert got == want, (name, i, term, got, want, m["text"])


# ---------------------------------------------------------------- truth and entry point

FILES = [
    # file, format, script, senders, seed, writer, encoding note
    ("qq_group.txt", "qq-txt", ct.QQ_SCRIPT, ct.QQ_SENDERS, 9101,
     qq_txt, "utf-8, CRLF"),
    ("wechat_memotrace.txt", "memotrace-txt", ct.MT_TXT_SCRIPT, ct.MT_TXT_SENDERS, 9102,
     memotrace_txt, "utf-8, LF"),
    ("wechat_memotrace.csv", "memotrace-csv", ct.MT_CSV_SCRIPT, ct.MT_CSV_SENDERS, 9103,
     memotrace_csv, "utf-8 with BOM, CRLF (RFC 4180 quoting)"),
    ("wechat_memotrace_old.csv", "memotrace-csv-old", ct.MT_OLD_SCRIPT, ct.MT_OLD_SENDERS,
     9104, lambda m: memotrace_old_csv(m, "zhang"), "utf-8, CRLF"),
    ("telegram/result.json", "telegram-json", ct.TG_SCRIPT, ct.TG_SENDERS, 9105,
     telegram_json, "utf-8"),
    ("whatsapp.txt", "whatsapp-ios", ct.WA_SCRIPT, ct.WA_SENDERS, 9106,
     whatsapp_txt, "utf-8, LF, U+200E marks"),
    ("line.txt", "line-txt", ct.LINE_SCRIPT, ct.LINE_SENDERS, 9107,
     line_txt, "utf-8, LF"),
    ("wechat_gb18030.txt", "memotrace-txt", ct.GB_SCRIPT, ct.GB_SENDERS, 9108,
     lambda m: memotrace_txt(m, "gb18030", "\r\n"), "gb18030, CRLF"),
]
BUNDLE = ("chats_bundle.zip", ["qq_group.txt", "whatsapp.txt"])


def file_truth(name, fmt, enc, msgs):
    hits, decoys = [], []
    for i, m in enumerate(msgs):
        where = {"index": i, "sender": m["name"], "sender_id": m["ident"],
                 "time": m["time"].strftime("%Y-%m-%dT%H:%M:%S")}
        for h in m["hits"]:
            hits.append(dict(where, **h, text=m["text"]))
        for d in m["decoys"]:
            decoys.append(dict(where, **d, text=m["text"]))
    return {"file": name, "format": fmt, "encoding": enc, "messages": len(msgs),
            "hits": hits, "decoys": decoys}


def build(root):
    truth, blobs = [], {}
    for name, fmt, script, senders, seed, writer, enc in FILES:
        msgs = messages(script, senders, seed, whole_minutes=(fmt == "line-txt"))
        check(msgs, name)
        data = writer(msgs)
        blobs[name] = data
        write_bytes(os.path.join(root, name), data)
        truth.append(file_truth(name, fmt, enc, msgs))
    zname, members = BUNDLE
    write_zip(os.path.join(root, zname), [("export/" + m, blobs[m]) for m in members])
    write_lexicon(os.path.join(root, "lexicon.tsv"))
    doc = {"time_zone": "all times are local China time (UTC+08:00) as the exports show them",
           "index": "0-based position of the message in the file, system and picture "
                    "messages included (for CSV: data rows; for Telegram: the messages array)",
           "offset": "code-point offset of the rendered term in 'text' (the message text "
                     "with lines joined by LF, without export-specific marks)",
           "files": truth,
           "bundles": [{"file": zname, "members": [
               {"member": "export/" + m, "same_as": m} for m in members]}]}
    write_bytes(os.path.join(root, "truth.json"),
                (json.dumps(doc, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))
    return doc
