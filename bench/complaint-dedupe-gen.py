#!/usr/bin/python3
"""Labelled letter sets for complaint-dedupe, and a scorer.

  complaint-dedupe-gen.py gen [--families F] [--per N] [--genuine G]
                              [--seed S] [--cail FILE] > letters.jsonl
  complaint-dedupe-gen.py score letters.jsonl tool-output.csv
  complaint-dedupe-gen.py big --n N [--seed S] > letters.jsonl

gen writes one JSON object a line: {"id", "text", "family", "edit"}.
Families are templates built from per-topic sentence pools: two
families on one topic share wording (hard negatives), each member fills
the slots (name, ID number with a valid check digit, phone, card with a
valid Luhn digit, dates, amounts, platform) and gets an edit of one
strength: none, light (punctuation, width, spacing), medium (one
sentence reworded, one added), strong (a paragraph dropped and two
sentences reworded).  Genuine letters ("family" null) share only the
boilerplate (salutation, legal references, closing) and are written
from other sentences; with --cail, from real court facts (CAIL2019),
which share the debt vocabulary.

score reads the truth and the tool's --csv output and prints pairwise
and B-cubed precision, recall and F1 (a letter without a cluster is a
cluster of its own; a family is one true cluster; each genuine letter is
its own).

big writes N letters of about 600 characters quickly (for the scale
benchmark): about half from templates, half unique.
"""
import json
import random
import sys
from collections import defaultdict

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文晓东海波立新春燕鹏辉"
PLATFORMS = ["融享借", "速贷通", "易分期", "信合贷", "快易花", "安心借", "鑫盈金融", "佳信消费金融",
             "江临银行", "华兴银行", "东瑞银行", "泰和人寿", "安瑞人寿", "鼎信人寿"]

# Per topic: phrase lists for subject / act / object; sentences are one
# of each, so families on one topic share much of their vocabulary.
TOPICS = {
    "card": (["本人因突发疾病", "由于家庭收入骤减", "因经营的小店倒闭", "受疫情影响", "因本人失业",
              "由于家人住院治疗", "因工资被拖欠", "本人一直有还款意愿"],
             ["无法按时足额偿还", "导致信用卡逾期", "暂时失去了还款能力", "已经尽力筹措资金",
              "多次与贵行协商未果", "被催收人员频繁骚扰", "申请停息挂账", "请求个性化分期"],
             ["欠款本金及利息", "信用卡透支款项", "违约金和滞纳金", "每月最低还款额",
              "剩余本金分期偿还", "一切额外费用", "协商期间的催收", "通讯录联系人的骚扰"]),
    "insure": (["业务员在推销时", "投保时销售人员", "贵公司的代理人", "回访电话中业务员",
                "本人投保之后", "直到申请退保时", "本人文化程度不高", "本人作为投保人"],
               ["隐瞒了退保损失", "夸大了产品收益", "承诺保本保息", "代替本人签名",
                "未告知现金价值", "诱导本人投保", "违反了保险法规定", "误导本人购买"],
               ["万能型两全保险", "全部已缴保费", "保险合同的重要条款", "犹豫期的权利",
                "分红型年金产品", "退保手续费", "现金价值的计算方式", "销售过程的录音录像"]),
    "credit": (["由于银行卡被冻结", "本人因出差在外", "因自动扣款失败", "贵平台在放款时",
                "本人的逾期记录", "在经济状况好转后", "本人办理房贷时", "贵平台的催收人员"],
               ["造成非恶意逾期", "已全部结清本息", "上报了不良记录", "收取高额服务费",
                "影响个人征信", "超过法定利率上限", "频繁骚扰家人", "提出异议申请"],
               ["个人信用报告", "征信中心的记录", "担保费和服务费", "借款合同的约定",
                "非恶意逾期证明", "更正后的信用信息", "超出部分的利息", "逾期期间的罚息"]),
    "loan": (["该平台在放款前", "本人借款到账后", "平台客服声称", "贵平台的砍头息",
              "借款合同中约定", "平台委托的第三方", "本人多次还款后", "借款期间平台"],
             ["实际到账金额不足", "收取了会员费", "年化利率超过36%", "暴力催收威胁本人",
              "违规搭售保险", "未明示综合费率", "擅自扣划款项", "泄露个人信息"],
             ["借款本金", "多收取的利息", "各项服务费用", "强制搭售的会员费",
              "银行卡流水记录", "通话录音证据", "平台的放款凭证", "全部还款记录"]),
}
OPEN = ["尊敬的领导：您好。", "致{platform}：", "尊敬的{platform}客户服务中心："]
BOILER = ["根据相关法律法规的规定，消费者享有依法维护自身合法权益的权利。",
          "如贵方在收到本函后十五日内不予答复，本人将向国家金融监督管理总局投诉。",
          "本人保留通过诉讼途径维护自身合法权益的权利。"]
CLOSE = ["此致敬礼。", "特此申请，恳请批准。", "盼复为感，谢谢。"]
SLOT_SENT = ["本人{name}，身份证号{id}，联系电话{phone}。",
             "我叫{name}，身份证号码：{id}，手机号{phone}。",
             "投诉人：{name}，证件号{id}，电话{phone}。"]
DETAIL = ["本人于{date}在{platform}借款{amount}，合同约定分{n}期偿还。",
          "本人于{date}通过{platform}办理业务，涉及金额{amount}。",
          "{date}起本人名下卡号{card}的账户出现逾期，欠款{amount}。",
          "截至{date}，本人已累计还款{amount}，仍被要求偿还{amount2}。"]
DEMANDS = ["一、{a}{o}。", "二、{a}{o}。", "三、{a}{o}。"]
ACTS = ["请求退还", "要求停止", "申请减免", "要求核实", "请求更正", "要求赔偿"]


def id_number(r):
    area = r.choice(["110101", "320102", "440305", "510107", "420106", "610113"])
    birth = "%04d%02d%02d" % (r.randint(1960, 2002), r.randint(1, 12), r.randint(1, 28))
    body = area + birth + "%03d" % r.randint(0, 999)
    w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return body + "10X98765432"[sum(int(c) * k for c, k in zip(body, w)) % 11]


def luhn_card(r):
    body = "622848" + "".join(str(r.randint(0, 9)) for _ in range(12))
    s = 0
    for i, c in enumerate(reversed(body)):
        d = int(c)
        if i % 2 == 0:
            d *= 2
            d -= 9 if d > 9 else 0
        s += d
    return body + str((10 - s % 10) % 10)


def fills(r):
    y = r.randint(2019, 2025)
    return dict(name=r.choice(SURNAMES) + "".join(r.choice(GIVEN) for _ in range(r.randint(1, 2))),
                id=id_number(r), phone="1" + r.choice("3456789") + "".join(str(r.randint(0, 9)) for _ in range(9)),
                card=luhn_card(r), date="%d年%d月%d日" % (y, r.randint(1, 12), r.randint(1, 28)),
                amount="%d元" % (r.randint(1, 300) * 100), amount2="%d元" % (r.randint(1, 300) * 100),
                n=r.choice([6, 12, 24, 36, 48, 60]), platform=r.choice(PLATFORMS))


def sentence(r, topic):
    s, a, o = TOPICS[topic]
    return r.choice(s) + "，" + r.choice(a) + "，涉及" + r.choice(o) + "。"


def make_template(r, topic):
    """A template: a list of paragraphs, each a list of sentence strings with {slots}."""
    paras = [[r.choice(OPEN)], [r.choice(SLOT_SENT)] + r.sample(DETAIL, 2)]
    body = [sentence(r, topic) for _ in range(r.randint(7, 10))]
    paras.append(body[: len(body) // 2])
    paras.append(body[len(body) // 2:])
    paras.append([d.format(a=r.choice(ACTS), o=r.choice(TOPICS[topic][2])) for d in DEMANDS])
    paras.append(r.sample(BOILER, 2) + ["联系人微信：agent%03d，QQ：%d。" % (r.randint(0, 999), r.randint(10**8, 10**9))])
    paras.append([r.choice(CLOSE), "{name}", "{date}"])
    return paras, topic


def light_edit(r, text):
    out = []
    for ch in text:
        x = r.random()
        if ch == "，" and x < 0.3:
            out.append(",")
        elif ch == "。" and x < 0.2:
            out.append(".")
        elif ch.isdigit() and x < 0.3:
            out.append(chr(ord(ch) - 0x30 + 0xFF10))
        elif x < 0.01:
            out.append(" ")
            out.append(ch)
        else:
            out.append(ch)
    return "".join(out)


def edit(r, paras, topic, strength):
    paras = [list(p) for p in paras]
    body = [i for i in range(2, len(paras) - 2)]
    if strength in ("medium", "strong"):
        p = r.choice(body)
        paras[p][r.randrange(len(paras[p]))] = sentence(r, topic)
        paras[r.choice(body)].insert(0, sentence(r, topic))
    if strength == "strong":
        p = r.choice(body)
        paras[p][r.randrange(len(paras[p]))] = sentence(r, topic)
        del paras[r.choice(body)]
    return paras


def render(paras, f):
    return "\n".join("".join(s.format(**f) for s in p) for p in paras) + "\n"


def cail_texts(path):
    """Distinct case texts: the sample repeats documents across triplets."""
    out, seen = [], set()
    try:
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                o = json.loads(line)
                for k in ("A", "B", "C"):
                    if k in o and o[k] not in seen:
                        seen.add(o[k])
                        out.append(o[k])
    except OSError:
        return []
    return out


def genuine(r, cail, i):
    """A one-off letter: boilerplate around text of its own."""
    f = fills(r)
    if cail:	# each real text once: two windows of one text are copies
        t = cail.pop(r.randrange(len(cail)))
        start = r.randrange(max(1, len(t) - 400))
        core = t[start:start + r.randint(250, 450)]
    else:
        topic = r.choice(list(TOPICS))
        core = "".join(sentence(r, topic) for _ in range(r.randint(8, 12)))
    return (r.choice(OPEN).format(**f) + "\n" + SLOT_SENT[0].format(**f) + core + "\n" +
            r.choice(BOILER) + r.choice(CLOSE) + f["name"] + f["date"] + "\n")


def gen(args):
    r = random.Random(args.seed)
    cail = cail_texts(args.cail) if args.cail else []
    strengths = ["none", "light", "medium", "strong"]
    topics = list(TOPICS)
    n = 0
    for fam in range(args.families):
        topic = topics[fam % len(topics)]
        paras, _ = make_template(r, topic)
        for k in range(args.per):
            st = strengths[k % len(strengths)] if k else "none"
            p = edit(r, paras, topic, st)
            text = render(p, fills(r))
            if st != "none":
                text = light_edit(r, text)
            print(json.dumps({"id": "L%06d" % n, "text": text, "family": "F%03d" % fam, "edit": st},
                             ensure_ascii=False))
            n += 1
    for g in range(args.genuine):
        print(json.dumps({"id": "L%06d" % n, "text": genuine(r, cail, g), "family": None, "edit": None},
                         ensure_ascii=False))
        n += 1


def chat_lines(path):
    """Real message texts of a QQ export (chat/base_qq.txt in the shared data)."""
    out = []
    try:
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                line = line.strip()
                if len(line) >= 4 and not line[:4].isdigit() and not line.startswith(("=", "消息")):
                    out.append(line)
    except OSError:
        pass
    return out


def filler(r, lines, n):
    """About n characters of text of its own: real messages, else random Han characters."""
    if lines:
        parts, k = [], 0
        while k < n:
            t = lines[r.randrange(len(lines))]
            parts.append(t)
            k += len(t) + 1
        return "，".join(parts) + "。"
    return "".join(chr(0x4E00 + int(r.paretovariate(1.2) * 40) % 20000) for _ in range(n))


def big(args):
    """Many letters fast: half from templates (fills, some light edits), half unique."""
    r = random.Random(args.seed)
    lines = chat_lines(args.chat) if args.chat else []
    topics = list(TOPICS)
    templates = []
    for i in range(max(1, args.n // 2000)):
        paras = make_template(r, topics[i % 4])[0]
        paras.insert(4, [sentence(r, topics[i % 4]) for _ in range(7)])
        templates.append(paras)
    w = sys.stdout.write
    for i in range(args.n):
        f = fills(r)
        if i % 2 == 0:
            t = templates[r.randrange(len(templates))]
            text = render(t, f)
            if i % 8 == 0:
                text = light_edit(r, text)
            fam = "x"
        else:
            topic = r.choice(topics)
            text = (r.choice(OPEN).format(**f) + SLOT_SENT[0].format(**f) + sentence(r, topic) +
                    filler(r, lines, 520) + r.choice(BOILER) + f["date"])
            fam = None
        w(json.dumps({"id": "B%07d" % i, "text": text, "family": fam}, ensure_ascii=False) + "\n")


def score(args):
    truth = []
    with open(args.truth, encoding="utf-8") as fh:
        for i, line in enumerate(fh, 1):
            o = json.loads(line)
            truth.append(o["family"] or ("solo", i))
    pred = {}
    import csv
    with open(args.csv, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            rec = int(row["record"])
            pred[rec - 1] = row["cluster"] or ("alone", rec)
    n = len(truth)
    pl = [pred.get(i, ("missing", i)) for i in range(n)]
    tcl, pcl = defaultdict(set), defaultdict(set)
    for i in range(n):
        tcl[truth[i]].add(i)
        pcl[pl[i]].add(i)
    # pairwise: pairs within predicted clusters vs within true clusters
    tp = sum(len(tcl[truth[i]] & pcl[pl[i]]) - 1 for i in range(n)) / 2
    pp = sum(len(c) * (len(c) - 1) / 2 for c in pcl.values())
    tpairs = sum(len(c) * (len(c) - 1) / 2 for c in tcl.values())
    p = tp / pp if pp else 1.0
    rc = tp / tpairs if tpairs else 1.0
    f = 2 * p * rc / (p + rc) if p + rc else 0.0
    bp = sum(len(tcl[truth[i]] & pcl[pl[i]]) / len(pcl[pl[i]]) for i in range(n)) / n
    br = sum(len(tcl[truth[i]] & pcl[pl[i]]) / len(tcl[truth[i]]) for i in range(n)) / n
    bf = 2 * bp * br / (bp + br) if bp + br else 0.0
    print("pairwise P %.4f R %.4f F1 %.4f   B-cubed P %.4f R %.4f F1 %.4f" % (p, rc, f, bp, br, bf))


def subset(args):
    """The first N letters of a labelled set, shuffled with a seed, as a set and as files."""
    import os
    r = random.Random(args.seed)
    lines = open(args.set, encoding="utf-8").read().splitlines()
    r.shuffle(lines)
    lines = lines[: args.n]
    os.makedirs(args.dir, exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as out:
        for i, line in enumerate(lines):
            out.write(line + "\n")
            with open(os.path.join(args.dir, "r%06d.txt" % (i + 1)), "w", encoding="utf-8") as f:
                f.write(json.loads(line)["text"])


def components(n, edges):
    parent = list(range(n))

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x
    for a, b in edges:
        parent[find(a)] = find(b)
    roots = {}
    for i in range(n):
        roots.setdefault(find(i), []).append(i)
    cl = [""] * n
    for k, members in enumerate(sorted((m for m in roots.values() if len(m) > 1), key=lambda m: m[0]), 1):
        for i in members:
            cl[i] = str(k)
    return cl


def write_csv(cl):
    print("path,member,record,sha256,cluster,similarity")
    for i, c in enumerate(cl):
        print("x,,%d,,%s," % (i + 1, c))


def simhash_csv(args):
    """Clusters from `simhash -m` over r000001.txt...: pairs at or above the cut, joined."""
    edges, n = [], 0
    with open(args.matrix) as fh:
        next(fh)
        for line in fh:
            parts = line.split()
            row = int(parts[1]) - 1
            n = max(n, row + 1)
            for col, v in enumerate(parts[2:]):
                if float(v) >= args.cut and col != row:
                    edges.append((row, col))
    write_csv(components(n, edges))


def allpairs(args):
    """Exact all-pairs Jaccard of raw character n-grams (no masking): the brute-force anchor."""
    texts = [json.loads(l)["text"] for l in open(args.set, encoding="utf-8")]
    sets = []
    for t in texts:
        t = "".join(t.split())
        sets.append({t[i:i + args.ngram] for i in range(max(1, len(t) - args.ngram + 1))})
    edges = []
    for i in range(len(sets)):
        a = sets[i]
        for j in range(i):
            b = sets[j]
            inter = len(a & b)
            if inter and inter / (len(a) + len(b) - inter) >= args.t:
                edges.append((i, j))
    write_csv(components(len(sets), edges))


def main():
    import argparse
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("gen")
    g.add_argument("--families", type=int, default=40)
    g.add_argument("--per", type=int, default=40)
    g.add_argument("--genuine", type=int, default=800)
    g.add_argument("--seed", type=int, default=1)
    g.add_argument("--cail")
    b = sub.add_parser("big")
    b.add_argument("--n", type=int, required=True)
    b.add_argument("--seed", type=int, default=1)
    b.add_argument("--chat", help="a QQ text export whose messages fill the unique letters")
    s = sub.add_parser("score")
    s.add_argument("truth")
    s.add_argument("csv")
    u = sub.add_parser("subset")
    u.add_argument("set")
    u.add_argument("--n", type=int, default=1000)
    u.add_argument("--seed", type=int, default=1)
    u.add_argument("--out", required=True)
    u.add_argument("--dir", required=True)
    m = sub.add_parser("simhash-csv")
    m.add_argument("matrix")
    m.add_argument("--cut", type=float, default=0.5)
    p = sub.add_parser("allpairs")
    p.add_argument("set")
    p.add_argument("--t", type=float, default=0.5)
    p.add_argument("--ngram", type=int, default=5)
    a = ap.parse_args()
    {"gen": gen, "big": big, "score": score, "subset": subset, "simhash-csv": simhash_csv,
     "allpairs": allpairs}[a.cmd](a)


if __name__ == "__main__":
    main()
