"""Policy titles in English and Chinese, instrument type, draft/final status and plan period."""

from __future__ import annotations

import re

from policywatch.hanzi import HAN

CJK = HAN
LINK = re.compile(r"\(\s*\[[^\]]*\]\([^)]*\)\s*\)|\[([^\]]*)\]\([^)]*\)")
QUOTED_EN = re.compile(r"[‘'“\"](?P<t>[A-Z0-9](?:[^‘’'“”\"\n]|\n(?!\n)){6,200}?)[’'”\"](?![a-z])")
QUOTED_ZH = re.compile(r"《(?P<t>[^《》]{2,120})》")
PERIOD = re.compile(r"(?P<a>(?:19|20)\d{2})\s*(?:-|–|—|－|to|至)\s*(?P<b>(?:19|20)\d{2})\s*年?")
DRAFT = re.compile(r"\bdrafts?\b|for (?:public )?comments?|consultation|征求意见稿|草案|征求意见", re.I)
EARLIER_DRAFT = re.compile(r"(?:replac\w+|updat\w+|follow\w+|after|revis\w+|earlier|previous|prior|last year['’]s|"
                           r"original\w*|first released as|than|compared with|from)\s+(?:\w+\s+){0,3}$", re.I)
FINAL = re.compile(r"\bfinal (?:version|text|rules|draft)\b|\bfinali[sz]ed\b|正式(?:发布|印发)", re.I)

INSTRUMENTS = [
    ("interpretation", r"\binterpretation\b|解读"),
    ("law", r"\blaw\b|(?<![办方])法(?![规])"),
    ("regulation", r"\bregulations?\b|条例"),
    ("measures", r"\bmeasures\b|办法|措施"),
    ("opinions", r"\bopinions\b|意见"),
    ("action plan", r"\baction plan\b|行动计划"),
    ("plan", r"\bplan\b|\bblueprint\b|\bmasterplan\b|规划|计划|方案"),
    ("strategy", r"\bstrategy\b|战略"),
    ("guideline", r"\bguidelines?\b|\bguidance\b|\bguide\b|指南|指引|指导"),
    ("standard", r"\bstandards?\b|\bspecifications?\b|标准"),
    ("notice", r"\bnotices?\b|\bcirculars?\b|通知"),
    ("announcement", r"\bannouncement\b|公告"),
    ("provisions", r"\bprovisions\b|\brules\b|规定|细则"),
    ("whitepaper", r"\bwhite ?paper\b|白皮书"),
    ("list", r"\bcatalogue\b|\blist\b|目录|清单"),
    ("decision", r"\bdecision\b|决定"),
]


# A Chinese title names its instrument by its last word, after any bracketed period or draft mark.
ZH_ENDINGS = [("行动计划", "action plan"), ("办法", "measures"), ("措施", "measures"), ("条例", "regulation"),
              ("规定", "provisions"), ("细则", "provisions"), ("规则", "provisions"), ("指导意见", "opinions"),
              ("意见", "opinions"), ("规划", "plan"), ("计划", "plan"), ("方案", "plan"), ("纲要", "plan"),
              ("战略", "strategy"), ("指南", "guideline"), ("指引", "guideline"), ("标准", "standard"), ("规范", "standard"),
              ("通知", "notice"), ("通告", "notice"), ("公告", "announcement"), ("决定", "decision"),
              ("解读", "interpretation"), ("清单", "list"), ("目录", "list"), ("白皮书", "whitepaper"), ("法", "law")]


def instrument(text: str) -> str | None:
    """The kind of instrument a title or phrase names (law, plan, notice, …)."""
    if CJK.search(text):
        bare = re.sub(r"(?:[（(][^（）()]*[）)]|[》”\s])+$", "", text)
        for ending, name in ZH_ENDINGS:
            if bare.endswith(ending):
                return name
    for name, pattern in INSTRUMENTS:
        if re.search(pattern, text, re.I):
            return name
    return None


def status(text: str) -> str:
    """'draft' when the text marks the policy as a draft (and not as its final version), else 'final'.

    A draft named as something else's past ("replacing a 2019 draft", "first released as a draft") does not count.
    """
    if FINAL.search(text):
        return "final"
    for m in DRAFT.finditer(text):
        if not EARLIER_DRAFT.search(text[max(0, m.start() - 40):m.start()]):
            return "draft"
    return "final"


# Five-year plan periods by their Chinese names: a “十四五” plan runs 2021-2025.
FIVE_YEAR_PLANS = {"十一五": (2006, 2010), "十二五": (2011, 2015), "十三五": (2016, 2020), "十四五": (2021, 2025),
                   "十五五": (2026, 2030), "十六五": (2031, 2035)}
FIVE_YEAR_EN = re.compile(r"\b(1[1-6])th Five-Year Plan\b", re.I)


def period(text: str) -> tuple[int, int] | None:
    """A plan period like (2021-2025), （2021—2023年） or a five-year plan's (“十四五”, 14th Five-Year Plan)."""
    m = PERIOD.search(text)
    if not m:
        if named := re.search("|".join(FIVE_YEAR_PLANS), text):
            return FIVE_YEAR_PLANS[named.group()]
        if english := FIVE_YEAR_EN.search(text):
            start = 2006 + 5 * (int(english.group(1)) - 11)
            return start, start + 4
        return None
    a, b = int(m.group("a")), int(m.group("b"))
    return (a, b) if a < b <= a + 30 else None


def _groups(text: str) -> list[tuple[int, int]]:
    """Top-level balanced bracket groups (ASCII or full-width) as spans, brackets included."""
    spans, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in "(（":
            if depth == 0:
                start = i
            depth += 1
        elif ch in ")）" and depth:
            depth -= 1
            if depth == 0:
                spans.append((start, i + 1))
    return spans


def clean(text: str) -> str:
    """Collapse whitespace, drop Markdown emphasis and link syntax."""
    text = LINK.sub(lambda m: m.group(1) or "", text)
    text = re.sub(r"\*\*|__|(?<!\w)\*(?!\s)|(?<!\s)\*(?!\w)", "", text)
    return re.sub(r"\s+", " ", text).strip(" \t\n:;,")


def split_policy_name(value: str) -> tuple[str | None, str | None]:
    """Split a "Policy name" field into (English title, Chinese title).

    The Chinese title is the bracketed group written in Chinese; link groups "([Link](…))" are dropped.
    """
    value = LINK.sub(lambda m: m.group(1) or "", value) if "](" in value else value
    zh = None
    english = value
    for start, end in reversed(_groups(value)):
        inner = value[start + 1:end - 1]
        if CJK.search(inner) and zh is None:
            zh = clean(inner)
            english = english[:start] + english[end:]
    english = clean(english).strip("“”\"")
    # a title quoted inside the field ("Interpretation of the “…”") keeps its words, not its quotes
    english = re.sub(r"[“”\"]", "", english)
    return english or None, zh or None


# A title written without quotes: a capitalised phrase naming an instrument, with its period if any.
_MONTH_NAME = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)\b"
_CAP = rf"(?:(?!{_MONTH_NAME})[A-Z][\w’'-]*|\d{{4}}|“[^”]{{1,40}}”|\"[^\"]{{1,40}}\")"
_SMALL = r"(?:of|for|on|in|the|and|to|with|a|an|by|from|at|under|through)"
_INSTRUMENT_WORD = (r"(?:Plan|Notice|Opinions|Measures|Guidelines|Guideline|Guidance|Law|Regulations?|Provisions|Rules|"
                    r"Strategy|Programme|Program|Standards?|Catalogue|List|Announcement|Decision|Interpretation|Outline|"
                    r"Circular|Roadmap|Framework|Initiative|Methods|Scheme|Blueprint)")
UNQUOTED = re.compile(rf"(?<![\w’'])(?P<t>(?:{_CAP}\s+(?:{_SMALL}\s+)*)*?{_CAP}*\s*{_INSTRUMENT_WORD}"
                      rf"(?:\s+(?:{_SMALL}\s+)+{_CAP}(?:\s+(?:{_SMALL}\s+)*{_CAP})*)?(?:\s*\((?:19|20)\d{{2}}\s*[-–—]\s*(?:19|20)\d{{2}}\))?)")


def unquoted_title(text: str) -> tuple[str, int, int] | None:
    """The first capitalised instrument name of three words or more: "the Work Plan for … (2023-2024)"."""
    for m in UNQUOTED.finditer(text):
        title = re.sub(r"\s+", " ", m.group("t")).strip()
        start = m.start("t")
        if article := re.match(r"The\s+(?=\S+\s+\S+\s+\S)", title):  # a sentence's "The" opens no title
            title, start = title[article.end():], start + len(re.match(r"The\s+", text[start:]).group())
        words = title.split()
        if len(words) >= 3 and words[0][0].isupper() and sum(w[0].isupper() for w in words) >= 3:
            return title, start, m.end("t")
    return None


def bracketed_zh(text: str) -> str | None:
    """A Chinese title in brackets after an English one: "(汽车行业稳增长工作方案（2023—2024年）)"."""
    for start, end in _groups(text):
        inner = text[start + 1:end - 1].strip()
        if len(CJK.findall(inner)) >= 4 and len(inner) <= 80:
            return inner.strip("《》")
    return None


# What opens a defined short name: (the “Strategy”), (hereinafter referred to as the “Plan”), (“Measures”)
DEFINED_TERM = re.compile(r"\(\s*(?:(?:hereinafter|below)\s+(?:referred\s+to\s+as\s+|called\s+)?)?(?:the\s+)?[‘'“\"]$",
                          re.I)


def quoted_titles(text: str) -> list[tuple[str, int, int]]:
    """Titles quoted in running text: 'Notice on …', “Made in China 2025”, 《…》; (title, start, end)."""
    found = []
    for m in QUOTED_EN.finditer(text):
        # a sentence's full stop or comma set inside the quotes ("…Sectors.") is no part of the title
        title = re.sub(r"\s+", " ", m.group("t")).strip().rstrip(".,;:")
        if DEFINED_TERM.search(text[max(0, m.start("t") - 50):m.start("t")]) and re.match(r"\s*[’'”\"]?\s*\)", text[m.end("t"):]):
            continue  # the name a text defines for what it just named, (the “2018 Draft”), is no title of its own
        if len(title.split()) >= 2:
            found.append((title, m.start("t"), m.end("t")))
    for m in QUOTED_ZH.finditer(text):
        found.append((m.group("t"), m.start("t"), m.end("t")))
    return sorted(found, key=lambda t: t[1])


# "a plan on/for X", "guidelines on X": the title a report paraphrases, up to where the sentence goes on
DESCRIBED_TITLE = re.compile(
    r"(?:\b(?:an?|the)\s+(?:new\s+|three-year\s+|five-year\s+|national\s+|draft\s+|development\s+|work\s+)*"
    r"|\b(?=(?:guidelines|measures|rules|regulations|opinions)\s+(?:on|for|to)\b))"
    r"(?P<noun>action plan|plan|guidelines?|guidance|opinions|measures|notice|circular|rules|regulations?|roadmap|"
    r"strategy|programme|blueprint)\s+(?P<prep>on|for|to)\s+(?P<what>(?<=to )(?:boost|promote|develop|support|"
    r"accelerate|expand|build|improve|strengthen|regulate|push|advance|upgrade|foster|speed up)\b.+?|(?<!to ).+?)"
    r"(?=\s+(?:released|issued|published|unveiled|jointly|by|during|from|that|which|to|with|was|were|is|has|"
    r"will|as|in|aiming|aimed|setting|on\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)|for\s+(?:19|20)\d{2}"
    r"|on\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s*\d+)\b|[,.;:(]|$)",
    re.I)
FIVE_YEAR_PERIOD = re.compile(r"\b(?:during|in|for|under)\s+the\s+(?P<n>1[1-6])th\s+Five-Year\s+Plan\s+period\b", re.I)


def described_title(sentence: str, anchored: bool = False) -> str | None:
    """A title as a journalist paraphrases it: "a plan on renewable energy development for 2021-2025" -> "Plan on
    renewable energy development (2021-2025)"; "a plan for X during the 14th Five-Year Plan period" -> "14th
    Five-Year Plan for X". ``anchored``: only a title the text opens with (the object right after a verb)."""
    flat = re.sub(r"\s+", " ", sentence).strip()
    m = DESCRIBED_TITLE.match(flat) if anchored else DESCRIBED_TITLE.search(flat)
    if m is None or len(m.group("what").split()) > 12 or not re.match(r"[\w“\"']", m.group("what")):
        return None
    what = m.group("what").strip()
    after = flat[m.end():m.end() + 60]
    if (five := FIVE_YEAR_PERIOD.match(after.lstrip(" ,"))) and m.group("noun").lower() == "plan":
        return f"{five.group('n')}th Five-Year Plan {m.group('prep').lower()} {what}"
    title = f"{m.group('noun')[0].upper()}{m.group('noun')[1:].lower()} {m.group('prep').lower()} {what}"
    if span := re.match(r"\s*(?:\(|for\s+)((?:19|20)\d{2})\s*[-–]\s*((?:19|20)\d{2})\)?", after):
        title += f" ({span.group(1)}-{span.group(2)})"
    return title
