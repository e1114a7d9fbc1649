"""samples/README.md, written from the same truth records the generator saves as JSON, so
that the coordinates and lists in the prose can never drift from the files."""

INTRO = """# forgekit sample case

A small, fictional case for the forgekit tools: forged and authentic document images and
screenshots (`images/`), complaint letters mass-produced from templates plus genuine ones
(`letters/`), and chat exports in which "rights-protection agents" coach their clients in
coded language (`chats/`). Every name, ID number, card number, phone number, company,
hospital, village and platform in it is made up; the numbers are only well-formed (valid
ID check characters, valid Luhn digits, mobile prefixes 13x-19x).

Everything here is generated. Do not edit these files by hand: change the generator and run

    /usr/bin/python3 samples/generate.py

It needs Debian 12's `python3-pil` (Pillow 9.4, libjpeg-turbo 2.1) and `fonts-noto-cjk`. All
randomness comes from fixed seeds and no writer stores a clock time (JPEG: JFIF only; PNG:
no tIME; zip entries: 2026-03-20 12:00:00), so a rerun gives byte-identical files with the
same library versions. The generator lives in `generate.py` and `genlib/`.

Ground truth is machine-readable in `truth/images.json`, `truth/masks/`,
`truth/letters.json` and `truth/chats.json` (kept out of the evidence folders, so that a tool
pointed at a folder sees only evidence); this page is a readable summary of them.

## Licences

- Text is rendered with Noto Serif CJK SC and Noto Sans CJK SC from Debian's `fonts-noto-cjk`
  (SIL Open Font License 1.1). The images contain rendered glyphs only, no font data.
- No data from elsewhere is included: letters, chats and documents were written for this case.
"""


def _region(r):
    return "%d,%d,%d,%d" % tuple(r)


def images_section(truth):
    out = ["## images/", "",
           "Certificates are 1000x1400 JPEG 'scans' (paper texture, blur, noise, a red round "
           "seal multiplied into the paper); screenshots are 540x1170 PNG (a 1080x2340 phone "
           "at half size), never JPEG-compressed. Regions are `x,y,w,h` in pixels; each "
           "forged image has `truth/masks/<name>.png` (8-bit grey, 255 = forged pixel, the union "
           "of the listed regions).", "",
           "| file | verdict | JPEG qualities | what |", "|---|---|---|---|"]
    for rec in truth:
        q = " -> ".join("q%d" % v for v in rec.get("jpeg_quality", [])) or "PNG"
        if rec["forged"]:
            what = "; ".join("**%s** at `%s`: %s" % (o["kind"], _region(o["region"]), o["how"])
                             for o in rec["operations"])
            if rec.get("metadata"):
                what += "; metadata: " + "; ".join(rec["metadata"])
            verdict = "forged"
        else:
            what = rec.get("how", "")
            if rec.get("document"):
                what = "%s, %s, %s: %s" % (rec["document"], rec["unit"], rec["person"], what)
            if rec.get("container"):
                what += "; " + "; ".join(rec["container"])
            verdict = "authentic"
        out.append("| `%s` | %s | %s | %s |" % (rec["file"], verdict, q, what))
    out += ["", "Copy-move sources are in `truth/images.json` (`source` beside `region`). The "
            "forged files' own bases are in the table too (`source`), so each forgery can be "
            "compared with its original. Authentic screenshots carry no text chunks, as "
            "phones write them; `screen_chat_forged_line.png` names an editor in tEXt and XMP.",
            ""]
    return out


def letters_section(truth):
    a = truth["agents"]
    out = ["## letters/", "",
           "Three template families (the ring's products) and genuine one-off letters that "
           "share only boilerplate (尊敬的领导, 此致敬礼, legal wording) with them:", ""]
    for fam, desc in truth["templates"].items():
        out.append("- **%s**: %s" % (fam, desc))
    out += ["- **genuine**: individually written complaints (fee dispute, claim delay, "
            "identity theft on a credit record, harassment of a relative, a personal "
            "instalment request; the CSV adds an ATM dispute and an insurance add-on).", "",
            "The agents' shared contacts: phone `%s`, e-mail `%s`, WeChat `%s`, QQ `%s` "
            "(the phone and WeChat ID also turn up in the chats, and the payee on the payment "
            "screenshots, 深圳市安岸法务咨询服务部, is the same outfit as the chats' 安岸法务)."
            % (a["phone"], a["email"], a["wechat"], a["qq"]), "",
            "| file | family | storage | Han chars | light edits |", "|---|---|---|---|---|"]
    for rec in truth["letters"]:
        if "file" in rec:
            edits = "; ".join("%s: %s" % (e["kind"], e["what"]) for e in rec["edits"]) or "-"
            out.append("| `%s` | %s | %s | %d | %s |" % (rec["file"], rec["family"],
                                                         rec["storage"], rec["han_chars"],
                                                         edits))
    out += ["", "`complaints_export.csv` (UTF-8, CRLF, RFC 4180 quoting, multi-line content "
            "quoted; header `投诉编号,提交时间,IP,账号,手机号,投诉内容`): ring letters arrive "
            "in bursts minutes apart from two or three IPs, genuine ones over weeks from "
            "different IPs. Two rows repeat the text of a letter file.", "",
            "| row | time | IP | family | note |", "|---|---|---|---|---|"]
    for rec in truth["letters"]:
        if "csv_row" in rec:
            note = "same text as `%s`" % rec["same_text_as"] if "same_text_as" in rec else ""
            out.append("| %s | %s | %s | %s | %s |" % (rec["csv_row"], rec["time"], rec["ip"],
                                                       rec["family"], note))
    out += ["", "Planted links between families (contact values found in letters of more "
            "than one family):", ""]
    for link in truth["links"]:
        out.append("- %s `%s`: %s, in %s" % (link["kind"], link["value"],
                                             "/".join(link["families"]),
                                             ", ".join(link["in"])))
    out += ["", "Per-letter entities (name, ID number, phones, card, e-mail, WeChat, QQ, "
            "amounts, dates, institution) are in `truth/letters.json`. Digits shown full-width in a "
            "letter are listed there in ASCII.", ""]
    return out


def chats_section(truth):
    out = ["## chats/", "",
           "Coaching talk between agents and clients in eight exports. Each planted "
           "occurrence names its canonical term and the evasion form: `exact`, `normalized` "
           "(full-width digits or a zero-width character inside), `split` (spaces or "
           "symbols between the characters), `traditional`, `pinyin-initials`, `pinyin`, "
           "`homophone`, `repeat`. Decoys are ordinary words (上岸 in 考研上岸, 协商 in "
           "everyday use, 征信 alone, 12378 inside a parcel number) that must not count "
           "alone. `samples/lexicon.tsv` is a small sample lexicon (term, category, risk, note). "
           "`chats_bundle.zip` holds `export/qq_group.txt` and `export/whatsapp.txt`, "
           "byte-identical to the files beside it.", "",
           "Indexes are 0-based message positions in each file (system and picture messages "
           "count; CSV: data rows; Telegram: the `messages` array). Times are local China "
           "time.", ""]
    for f in truth["files"]:
        out += ["### `%s` (%s; %s; %d messages)" % (f["file"], f["format"], f["encoding"],
                                                    f["messages"]), "",
                "| # | time | sender | term | form | as written |", "|---|---|---|---|---|---|"]
        for h in f["hits"]:
            # Invisible characters are shown as escapes so the table stays readable.
            shown = "".join("\\u%04X" % ord(c) if c in "\u200b\u200c\u200d\u2060\ufeff"
                            else c for c in h["rendered"])
            out.append("| %d | %s | %s | %s | %s | `%s` |" % (
                h["index"], h["time"][5:].replace("T", " "), h["sender"].strip("\u202a\u202c"),
                h["term"],
                h["form"] + (" (%s)" % h["detail"] if h.get("detail") else ""), shown))
        if f["decoys"]:
            out += ["", "Decoys: " + "; ".join("#%d %s (%s)" % (d["index"], d["word"], d["why"])
                                               for d in f["decoys"])]
        out.append("")
    return out


def write(path, images, letters, chats):
    lines = [INTRO] + images_section(images) + letters_section(letters) + chats_section(chats)
    with open(path, "wb") as f:
        f.write(("\n".join(lines).rstrip("\n") + "\n").encode("utf-8"))
