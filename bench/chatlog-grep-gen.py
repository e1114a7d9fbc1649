#!/usr/bin/python3
"""Recall and precision of chatlog-grep, measured on planted conversations.

Plants the terms of the built-in lexicon, in every evasion form, into
real message texts (the shared base_qq.txt: NUS SMS corpus and subtitles,
text the matcher was not tuned on), writes the conversations in every
export layout the readers support (with the samples' byte-exact writers),
runs chatlog-grep over them and scores:
  - recall per variant and per format (target >= 0.95 but homophones),
  - precision (every hit that is not a plant counts against it; >= 0.9),
  - sender and time of the hits that are plants (>= 0.99).

  bench/chatlog-grep-gen.py [--bin PATH] [--out DIR] [--seed N] [--per-format N]

Evasion forms are written as people write them: separators between the
characters, zero-width characters, full-width or upper-case Latin, doubled
characters, OpenCC's simplified-to-traditional conversion, pinyin and
initials for the whole term or one of its two-character words, and one
character replaced by another of the same toneless reading.
"""
import argparse
import bz2
import collections
import datetime
import json
import os
import random
import re
import subprocess
import sys
import unicodedata

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(TOP, "samples"))
from genlib import chats as wr  # noqa: E402  (the samples' export writers)

UNIHAN = "/usr/share/unicode/Unihan_Readings.txt.bz2"
BASE = os.path.join(TOP, "..", "shared", "data", "chat", "base_qq.txt")
SEPARATORS = [" ", "-", "*", ".", "/", "~", "、", "·", "  ", "_", "|"]
ZW = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"]
FORMS = ["exact", "normalized", "split", "repeated", "traditional",
         "pinyin-initials", "pinyin", "homophone"]
NAMES = ["陈老师", "王律师", "刘姐", "老周", "小雨", "Tony", "阿明", "李红梅", "张伟", "Kevin"]


def toneless(s):
    s = unicodedata.normalize("NFD", s.replace("ü", "v"))
    return "".join(c for c in s if unicodedata.category(c) != "Mn").lower()


def readings():
    first, by_sound = {}, collections.defaultdict(list)
    with bz2.open(UNIHAN, "rt", encoding="utf-8") as f:
        for line in f:
            if "\tkMandarin\t" in line:
                cp, _, val = line.rstrip("\n").split("\t")
                first[chr(int(cp[2:], 16))] = toneless(val.split()[0])
    return first, by_sound


def s2t(terms):
    out = subprocess.run(["opencc", "-c", "s2t"], input="\n".join(terms).encode(),
                         capture_output=True, check=True).stdout.decode().split("\n")
    return dict(zip(terms, out))


def lexicon():
    terms = []
    for line in open(os.path.join(TOP, "tools/chatlog-grep/lexicon.tsv"), encoding="utf-8"):
        f = line.rstrip("\n").split("\t")
        if line.startswith("#") or f[0] == "term" or len(f) < 2 or f[0].startswith("re:"):
            continue
        if len(f) > 4 and f[4]:
            continue                # context rules are scored by the CLI tests
        terms.append((f[0], f[1]))
    return terms


def fillers(terms, limit=20000):
    """Real message texts with no lexicon term in them, even folded."""
    folded = [t for t, _ in terms]
    out, body = [], []
    head = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d ")
    with open(BASE, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if head.match(line) or not line:
                if body:
                    text = " ".join(body)
                    flat = re.sub(r"[\W_]", "", text)
                    if 4 <= len(text) <= 60 and not any(t in flat for t in folded):
                        out.append(text)
                    body = []
                if len(out) >= limit:
                    break
                continue
            if not line.startswith(("消息", "=")):
                body.append(line)
    return out


class Planter:
    def __init__(self, rnd, first, trad):
        self.r, self.first, self.trad = rnd, first, trad
        self.sound = collections.defaultdict(list)
        for ch, syl in first.items():
            if "\u4e00" <= ch <= "\u9fa5":
                self.sound[syl].append(ch)

    def latin(self, term, initials):
        """The whole term, or its first or last two characters, in pinyin or initials."""
        syl = [self.first.get(c) for c in term]
        if None in syl:
            return None
        parts = [s[0] if initials else s for s in syl]
        n = len(term)
        if initials and n <= 2:
            return None
        choices = [(0, n)]
        if n >= 4:
            choices += [(0, 2), (n - 2, n)]
        a, b = self.r.choice(choices)
        return term[:a] + "".join(parts[a:b]) + term[b:]

    def form(self, term, form):
        r = self.r
        if form == "exact":
            return term
        if form == "normalized":
            if term.isascii():
                return term.translate(wr.FULLWIDTH).upper()
            k = r.randrange(1, len(term))
            return term[:k] + r.choice(ZW) + term[k:]
        if form == "split":
            sep = r.choice(SEPARATORS)
            return sep.join(term)
        if form == "repeated":
            k = r.randrange(len(term))
            return term[:k + 1] + term[k] + term[k + 1:] if not term.isascii() else None
        if form == "traditional":
            t = self.trad.get(term)
            return t if t and t != term else None
        if form in ("pinyin", "pinyin-initials"):
            return self.latin(term, form == "pinyin-initials")
        if form == "homophone":
            ks = [k for k, c in enumerate(term) if len(self.sound.get(self.first.get(c), [])) > 1]
            if len(term) < 2 or not ks:
                return None
            k = r.choice(ks)
            alt = [c for c in self.sound[self.first[term[k]]] if c != term[k]]
            return term[:k] + r.choice(alt) + term[k + 1:]
        raise ValueError(form)


def conversation(rnd, planter, terms, texts, n, start):
    msgs, clock = [], start
    names = rnd.sample(NAMES, 4)
    for i in range(n):
        clock += datetime.timedelta(seconds=rnd.randrange(20, 900))
        name = rnd.choice(names)
        text, hits = rnd.choice(texts), []
        if rnd.random() < 0.4:
            for _ in range(10):
                term, cat = rnd.choice(terms)
                form = rnd.choice(FORMS)
                w = planter.form(term, form)
                if w:
                    break
            if w:
                # Between two characters of the filler that are not Latin letters.
                spots = [k for k in range(len(text) + 1)
                         if (k == 0 or not text[k - 1].isascii() or not text[k - 1].isalnum())
                         and (k == len(text) or not text[k].isascii() or not text[k].isalnum())]
                if not spots:
                    text, spots = text + "，", [len(text) + 1]
                k = rnd.choice(spots)
                text = text[:k] + w + text[k:]
                hits.append({"term": term, "form": form, "rendered": w})
        msgs.append(dict(key=name, name=name, ident="(%d)" % (10000 + NAMES.index(name)),
                         time=clock, text=text, hits=hits, decoys=[], bold=[], kind="text"))
    return msgs


def lines_txt(msgs):
    return ("\n".join(m["text"] for m in msgs) + "\n").encode("utf-8")


WRITERS = [
    ("qq.txt", "qq-txt", wr.qq_txt, True),
    ("wechat.txt", "wechat-txt", wr.memotrace_txt, True),
    ("wechat_gb18030.txt", "wechat-txt",
     lambda m: wr.memotrace_txt(m, "gb18030", "\r\n"), True),
    ("wechat.csv", "wechat-csv", wr.memotrace_csv, True),
    ("result.json", "telegram-json", wr.telegram_json, True),
    ("whatsapp.txt", "whatsapp-txt", wr.whatsapp_txt, True),
    ("line.txt", "line-txt", wr.line_txt, True),
    ("plain.txt", "lines", lines_txt, False),
]


def generate(out, seed, per_format):
    rnd = random.Random(seed)
    terms = lexicon()
    first, _ = readings()
    planter = Planter(rnd, first, s2t([t for t, _ in terms]))
    texts = fillers(terms)
    truth = []
    for name, fmt, writer, has_meta in WRITERS:
        start = datetime.datetime(2026, 3, 1, 9, 0, 0)
        msgs = conversation(rnd, planter, terms, texts, per_format, start)
        if fmt == "line-txt":
            for m in msgs:
                m["time"] = m["time"].replace(second=0)
        sub = os.path.join(out, fmt + "-" + name)
        os.makedirs(sub, exist_ok=True)
        path = os.path.join(sub, "result.json" if fmt == "telegram-json" else name)
        with open(path, "wb") as f:
            f.write(writer(msgs))
        truth.append({"path": path, "format": fmt, "meta": has_meta,
                      "hits": [dict(h, index=i, sender=m["name"],
                                    time=m["time"].strftime("%Y-%m-%dT%H:%M:%S"))
                               for i, m in enumerate(msgs) for h in m["hits"]]})
    with open(os.path.join(out, "lexicon.tsv"), "w", encoding="utf-8") as f:
        for t, c in terms:
            f.write("%s\t%s\n" % (t, c))
    return truth


def score(binary, out, truth, mode):
    got = collections.Counter()
    tot = collections.Counter()
    fp = nh = meta_ok = meta_n = 0
    for t in truth:
        res = subprocess.run([binary, "--json", "--evasion", mode, "-f",
                              os.path.join(out, "lexicon.tsv"), t["path"]],
                             capture_output=True, text=True)
        hits = [json.loads(l) for l in res.stdout.splitlines() if '"type":"hit"' in l]
        base = min((h["message"]["index"] for h in hits), default=0) if t["format"] == "lines" else 0
        want = {}
        for p in t["hits"]:
            want.setdefault((p["index"], p["term"]), p)
        seen = set()
        for h in hits:
            idx = h["message"]["index"]
            if t["format"] == "lines":
                idx = h["message"]["line"] - 1
            k = (idx, h["term"]["text"])
            nh += 1
            if k not in want:
                fp += 1
                continue
            seen.add(k)
            if t["meta"]:
                meta_n += 1
                meta_ok += (h["message"]["sender"] == want[k]["sender"] and
                            h["message"]["time"] == want[k]["time"])
        del base
        for k, p in want.items():
            if p["form"] == "homophone" and mode != "aggressive":
                continue
            for key in (p["form"], t["format"]):
                tot[key] += 1
                got[key] += k in seen
    return got, tot, nh, fp, meta_ok, meta_n


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(TOP, "chatlog-grep"))
    ap.add_argument("--out", default="/tmp/chatlog-grep-gen")
    ap.add_argument("--seed", type=int, default=20261122)
    ap.add_argument("--per-format", type=int, default=400)
    a = ap.parse_args()
    truth = generate(a.out, a.seed, a.per_format)
    ok = True
    for mode in ("normal", "aggressive"):
        got, tot, nh, fp, mo, mn = score(a.bin, a.out, truth, mode)
        print("--evasion %s" % mode)
        for k in FORMS + sorted({t["format"] for t in truth}):
            if tot[k]:
                r = got[k] / tot[k]
                target = 0.95 if k != "homophone" else 0.0
                ok &= r >= target
                print("  recall %-16s %4d/%-4d %.3f" % (k, got[k], tot[k], r))
        prec = (nh - fp) / nh if nh else 0
        meta = mo / mn if mn else 0
        ok &= prec >= 0.9 and meta >= 0.99
        print("  precision %d/%d %.3f   sender+time %d/%d %.3f" % (nh - fp, nh, prec, mo, mn, meta))
    print("targets met" if ok else "targets NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
