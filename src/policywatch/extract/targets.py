"""Quantitative targets ("at least 20 percent by 2023", "6-8 companies", "10,000 vehicles by the end of 2025")
and dated qualitative goals ("mass production … by 2025")."""

from __future__ import annotations

import re

from policywatch.extract.dates import find_dates
from policywatch.extract.money import AMOUNT, find_money
from policywatch.extract.numbers import NUMBER, parse_number, scale
from policywatch.model import Mention, Target
from policywatch.shorten import shorten  # a long clause is cut after a whole word, not mid-word

GOAL_CUE = re.compile(
    r"\b(?:targets?|goals?|aims?|aiming|objectives?|achiev\w*|reach\w*|exceed\w*|increas\w*|rais\w*|boost\w*|"
    r"build\w*|creat\w*|generat\w*|attract\w*|"
    r"doubl\w*|tripl\w*|establish\w*|elevat\w*|cultivat\w*|foster\w*|develop\w*|account(?:s|ing)? for|"
    r"calls? for|propos\w*|plans? to|striv\w*|expand\w*|cut\w*|reduc\w*|lower\w*|at least|no less than|"
    r"more than|introduc\w*|production of|sales of|density|to be|by (?:the end of )?20\d\d)\b"
    r"|力争|达到|超过|不低于|目标|培育|建成", re.I)
# Money that is spent or raised is an amount, not a target.
SPENDING_CUE = re.compile(r"\b(?:budget\w*|invest\w*|fund\w*|capital|financ\w*|spend\w*|subsid\w*|worth|valued|"
                          r"loans?|bonds?|allocat\w*|backed)\b|投资|资金|预算", re.I)
COMPARATORS = [
    (re.compile(r"(?:at least|no less than|not less than|a minimum of|不低于|至少)\s*$", re.I), ">="),
    (re.compile(r"(?:more than|over|above|exceed(?:ing|s)?|in excess of|超过)\s*$", re.I), ">"),
    (re.compile(r"(?:around|about|approximately|roughly|nearly|almost|some|约)\s*$", re.I), "≈"),
]
QUANTITY = re.compile(
    rf"(?P<n>{NUMBER})(?:\s*(?:-|–|—|to)\s*(?P<n2>{NUMBER}))?(?:\s*(?P<scale>million|billion|trillion|万|亿)\b)?"
    rf"(?P<pct>\s*(?:%|percent(?:age points)?|per cent))?", re.I)
# a figure after a code in capitals names something ("SAC/TC 28"), as does one after "top", "per", "phase" …
BLOCK_BEFORE = re.compile(r"(?:(?-i:\b[A-Z]{2,})/?|/|\btop|\blevel|\bno\.|\barticle|\bphase|\bper|\beach|\bevery|\bup to|"
                          r"\bchapter|\bsection|\btier|#|"
                          r"\bfigure|\btable|\bthe first|\bL)\s*$", re.I)
# "MOFCOM and 12 other agencies": a count of co-issuers, not a goal.
NOT_A_GOAL_AFTER = re.compile(r"^\s+or\s+(?:more|above|fewer|less)\b|^\s+(?:other\s+)?"
                              # how many bodies issued it: "11 Chinese ministries", "eight central government departments"
                              r"(?:Chinese\s+|central(?:[\s-]level)?\s+|national\s+|government(?:al)?\s+|state\s+){0,3}"
                              r"(?:agencies|departments|ministries|"
                              r"government bodies|authorities|provinces|regions|members)\b"
                              # the size of a document's own lists: "three stated objectives", "16 research tasks"
                              r"|^\s+(?:[a-z]+\s+)?(?:objectives|goals|targets|tasks|aspects|principles|priorities|pillars|"
                              r"steps|points|articles|chapters|sections|parts)\b", re.I)
BETWEEN = re.compile(rf"\bbetween\s+(?P<n>{NUMBER})\s*(?P<pct1>%|percent\b)?\s+and\s+(?P<n2>{NUMBER})"
                     rf"(?:\s*(?P<scale>million|billion|trillion)\b)?(?P<pct>\s*(?:%|percent\b|per cent\b))?", re.I)
TIME_UNIT = re.compile(r"^\s*-?\s*(?:years?|months?|days?|weeks?|hours? a day|year-old|-year|-month|-day)\b", re.I)
YEAR_AFTER = re.compile(r"\b(?:[Bb]y|in|for|before|until|through|till)\s+(?:the\s+end\s+of\s+|end-|the\s+year\s+)?"
                        r"(?P<y>20\d{2})\b|(?P<zy>20\d{2})年(?:前|底|末)?")
YEAR_TARGET = re.compile(r"\b(?P<y>20\d{2})\s+(?:target|goal)s?\b|\b(?:targets?|goals?)\s+for\s+(?P<y2>20\d{2})\b", re.I)
VERB = re.compile(r"(?i)(?:issue|publish|release|announce|set|launch|approve|adopt|plan|aim|call|propose|reach|"
                  r"achieve|exceed|account)(?:s|ed|d)?")
UNIT_STOP = {"by", "in", "to", "with", "of", "per", "for", "as", "from", "at", "on", "that", "which", "each",
             "a", "the", "than", "across", "within", "into", "over", "under", "is", "are", "will", "be", "during",
             "until", "before", "after", "through", "via", "among", "between"}
# Clauses end at sentence punctuation, at a colon closing a line, or where a line starts a bullet. Other line
# breaks, blank lines included, are wrapped text: PDF extraction puts them inside sentences.
# The dot of an abbreviation ends no clause: "on Oct. 8", "e.g. 5G".
ABBREVIATION = re.compile(r"\b(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|No|e\.g|i\.e|approx|Co|Ltd|Inc|vs)\.")
CLAUSE = re.compile(r"(?:[^\n.;!?。；:]|\.(?=\d)|:(?![ \t]*\n)|\n(?![ \t\n]*[-•*▪](?:\s|$)))+")


def _unit(after: str) -> str | None:
    if m := re.match(r"\s*(per\s+[\d\s,]*\w+)", after):
        return m.group(1)
    after = re.split(r"[,;:(]", after, maxsplit=1)[0]  # the counted thing ends with its clause
    words = re.findall(r"[\w“”\"'’-]+", after[:80])
    if not (len(words) > 1 and words[0][:1].isupper() and words[1][:1].isupper()):  # "Big\nData experts" runs on
        after = re.split(r"\n\s*(?=[A-Z][a-z])", after, maxsplit=1)[0]  # a new list line names something else
    words = []
    for word in re.findall(r"[\w“”\"'’-]+", after[:80]):
        # a code before the counted thing is part of its name: "18 5G base stations"
        if word.lower() in UNIT_STOP or (word[0].isdigit() and not re.fullmatch(r"\d[A-Z]\w*", word)) or VERB.fullmatch(word):
            break
        words.append(word.strip("“”\"'’"))
        if len(words) == 5:
            break
    while words and words[-1].lower() in ("and", "or"):
        words.pop()
    return words[-1].lower() if words else None


def _head_noun(before: str) -> str | None:
    """The counted thing named before a figure: "vehicle sales of around 27 million" -> "sales"."""
    m = re.search(r"([A-Za-z-]{3,})\s+(?:of|at|to|reach(?:es|ing)?|exceed(?:s|ing)?)\s+(?:[a-z]+\s+){0,2}$", before)
    return m.group(1).lower() if m and m.group(1).lower() not in UNIT_STOP else None


BY_YEAR = re.compile(r"\b[Bb]y\s+(?:the\s+end\s+of\s+|end-)?(?P<y>20\d{2})\b")


OWN_YEAR = re.compile(r"[^\d.;]{0,40}?\b[Bb]y\s+(?:the\s+end\s+of\s+|end-)?(?P<y>20\d{2})\b")


def _own_year(clause: str, end: int) -> int | None:
    """The deadline written right after a figure, before any other figure: "5 million by 2025"."""
    m = OWN_YEAR.match(clause, end)
    return int(m.group("y")) if m else None


def _year(clause: str, default: int | None) -> int | None:
    """A goal's deadline: "by 2025" before any other "in 2025", "for 2025", "2025年"."""
    if m := BY_YEAR.search(clause):
        return int(m.group("y"))
    if m := YEAR_AFTER.search(clause):
        return int(m.group("y") or m.group("zy"))
    if m := YEAR_TARGET.search(clause):
        return int(m.group("y") or m.group("y2"))
    return default


def lead_in_year(text: str) -> int | None:
    """The year a list of goals is introduced with ("goals for 2023, including:", "by 2025:")."""
    m = re.search(r"\b(?:goals?|targets?|objectives?)\s+(?:for|by)\s+(?:the\s+end\s+of\s+)?(20\d{2})\b"
                  r"|\bby\s+(?:the\s+end\s+of\s+)?(20\d{2})\b[^.\n]*:\s*$", text, re.I | re.M)
    return int(m.group(1) or m.group(2)) if m else None


def find_targets(text: str, offset: int = 0, default_year: int | None = None) -> list[Target]:
    """Targets stated in ``text`` (offsets shifted by ``offset``); qualitative ones only when no figure is given."""
    quantitative: list[Target] = []
    qualitative: list[Target] = []
    for clause_match in CLAUSE.finditer(ABBREVIATION.sub(lambda m: m.group().replace(".", "\x00"), text)):
        clause = text[clause_match.start():clause_match.end()]
        base = clause_match.start()
        if not GOAL_CUE.search(clause):
            continue
        year = _year(clause, default_year)
        date_spans = [(d.start, d.end) for d in find_dates(clause, "2000")]
        # every figure written as money, converted ones in brackets included, is no count of things
        money_spans = [m.span() for m in AMOUNT.finditer(clause)]
        for money in find_money(clause):
            context = clause[max(0, money.start - 60):money.start]
            if SPENDING_CUE.search(context) or not GOAL_CUE.search(context):
                continue
            quantitative.append(Target(metric=shorten(clause, 160), value=money.value, unit=money.currency,
                                       year=year, evidence=[(offset + base + money.start, offset + base + money.end)]))
        found_figure = False
        ranges = []  # "between 20 and 30 percent": one goal with its upper bound
        for m in BETWEEN.finditer(clause):
            if any(s <= m.start("n") < e for s, e in money_spans + date_spans):
                continue
            unit = "percent" if m.group("pct") or m.group("pct1") else _unit(clause[m.end():])
            if unit is None:
                continue
            factor = scale(m.group("scale"))
            ranges.append(m.span())
            found_figure = True
            quantitative.append(Target(metric=shorten(clause, 160), value=parse_number(m.group("n")) * factor,
                                       value_max=parse_number(m.group("n2")) * factor, unit=unit,
                                       year=_own_year(clause, m.end()) or year,
                                       evidence=[(offset + base + m.start(), offset + base + m.end())]))
        last_unit, last_end = None, 0  # "600 000 base stations by 2020 and around 5 million by 2025": one unit
        for m in QUANTITY.finditer(clause):
            start, end = m.span()
            before, after = clause[:start], clause[end:]
            if any(s <= start < e for s, e in money_spans + date_spans + ranges) or BLOCK_BEFORE.search(before):
                continue
            # \Z, not $: a figure wrapped onto a new line ("more than\n10 000") is no part of the word before
            if re.match(r"[A-Za-z0-9]", after) or (before and re.search(r"[A-Za-z0-9.-]\Z", before)):
                continue  # 5G, 28th, L3, part of a code
            if re.fullmatch(r"(?:19|20)\d{2}\.\d{1,3}", m.group("n")):
                continue  # a year with a footnote marker glued to it: "by the end of 2020.200"
            if not before.strip() and re.match(r"\s+[A-Z][a-z]", after):
                continue  # a footnote or page number opening a sentence: "76 It was introduced …"
            value = parse_number(m.group("n"))
            if not m.group("pct") and not m.group("scale") and value.is_integer() and 1900 <= value <= 2100:
                continue  # a year
            value *= scale(m.group("scale"))
            if TIME_UNIT.match(after) or re.match(r"\s*(?:-|–)\s*\d", after) or NOT_A_GOAL_AFTER.match(after):
                continue
            comparator = next((c for pattern, c in COMPARATORS if pattern.search(before[-25:])), None)
            if re.search(r"up to\s*$", before[-10:], re.I):
                continue  # a ceiling, not a goal
            value_max = parse_number(m.group("n2")) * scale(m.group("scale")) if m.group("n2") else None
            unit = "percent" if m.group("pct") else _unit(after) or _head_noun(before)
            if unit is None and last_unit and re.fullmatch(r"[^.;:]{0,40}\b(?:and|or|to)\s+(?:\w+\s+){0,2}",
                                                           clause[last_end:start]):
                unit = last_unit
            if unit is None:
                continue
            last_unit, last_end = unit, end
            found_figure = True
            # a figure's own deadline right after it ("… 2020 and around 5 million by 2025") before the clause's
            quantitative.append(Target(metric=shorten(clause, 160), value=value, value_max=value_max, unit=unit,
                                       year=_own_year(clause, end) or year, comparator=comparator,
                                       evidence=[(offset + base + start, offset + base + end)]))
        if not found_figure and not money_spans and (m := YEAR_AFTER.search(clause) or YEAR_TARGET.search(clause)):
            qualitative.append(Target(metric=shorten(clause, 160), value=None, unit=None, year=_year(clause, None),
                                      evidence=[(offset + base + m.start(), offset + base + m.end())]))
    if quantitative:
        return quantitative
    unique: dict[int | None, Target] = {}
    for target in qualitative:
        unique.setdefault(target.year, target)
    return list(unique.values())


# A record keeps at most this many targets: a real plan states dozens; a text that repeats goal sentences would
# otherwise make each merge cost more than the one before.
MAX_TARGETS = 200


def merge_targets(mention: Mention, targets: list[Target]) -> None:
    """Add the targets a mention does not state yet (by value and year), up to ``MAX_TARGETS``."""
    if len(mention.targets) >= MAX_TARGETS:
        return
    known = {(t.value, t.year) for t in mention.targets}
    mention.targets += [t for t in targets if (t.value, t.year) not in known][:MAX_TARGETS - len(mention.targets)]
