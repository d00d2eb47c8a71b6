"""Records of English news reports: a policy is reported by a sentence in which a body issues or announces it;
the sentences after it that speak of the same policy add its title, goals, money and co-issuers.

Relative dates ("on Monday", "last year") are read against the article's own date.
"""

from __future__ import annotations

import re

from policywatch.extract import titles
from policywatch.extract.agencies import agency_ids, find_agencies
from policywatch.extract.context import INSTRUMENT_NOUN, policy_trigger, squash, subject_issuers
from policywatch.extract.dates import find_dates, relative_dates
from policywatch.extract.mentions import Context, _amounts, policy_from_text
from policywatch.extract.targets import find_targets, merge_targets
from policywatch.model import Item, Mention, Target

# "X said on Friday it would offer subsidies …": an announcement of a policy without a release verb
ANNOUNCE = re.compile(r"\b(?:said|says|announced|stated|pledged|vowed)\b(?P<rest>.{0,80}?)\b(?:would|will|is to|are to|"
                      r"plans? to|aims? to|is set to)\b", re.I)
CO_ISSUERS = re.compile(r"\bco-?issu\w*|\bjointly (?:issued|released|published)\b|\balong with\b|\btogether with\b|"
                        r"\bother (?:issuers|departments|ministries) (?:include|are|were)\b|\balso (?:signed|issued) by\b", re.I)
REFERS_BACK = re.compile(r"^(?:The|This|That|These|Its|Under the|According to the)\b|\b(?:the|this) (?:plan|notice|document|"
                         r"measures|guidelines?|policy|rules|regulations?|programme|program|strategy)\b", re.I)
UNDER_TITLE = re.compile(r"\b(?:Under|According to|In) the (?P<t>[^,]{8,140}?(?:Plan|Measures|Guidelines|Opinions|Notice|"
                         r"Regulations?|Rules|Programme|Program|Strategy)"
                         r"(?:\s*\((?:19|20)\d{2}\s*[-–]\s*(?:19|20)\d{2}\))?)", re.S)
HALF = re.compile(r"\b(?P<cmp>more than|over|at least|nearly|almost|about)?\s*(?:one[- ])?half\b", re.I)


def article_date(items: list[Item], text: str) -> str | None:
    """The article's date from its date line."""
    span = items[0].fields.get("article_date") if items else None
    if span is None:
        return None
    dates = find_dates(text[span[0]:span[1]])
    return dates[0].value if dates else None


def _announces(sentence: str) -> bool:
    flat = squash(sentence)
    m = ANNOUNCE.search(flat)
    if not m or not INSTRUMENT_NOUN.search(flat[m.end():m.end() + 120]):
        return False
    return any(a.end <= m.start() for a in find_agencies(flat))


def _issued(sentence: str, reference: str | None) -> str | None:
    relative = relative_dates(sentence, reference)
    return relative[0].value if relative else None


def _half(sentence: str, offset: int, year: int | None) -> list:
    """"more than half of …" is a goal of 50 percent."""
    found = []
    for m in HALF.finditer(sentence):
        comparator = {"more than": ">", "over": ">", "at least": ">="}.get((m.group("cmp") or "").lower())
        found.append(Target(metric=squash(sentence).strip()[:160], value=50.0, unit="percent", year=year,
                            comparator=comparator, evidence=[(offset + m.start(), offset + m.end())]))
    return found


def _goals(sentence: str, start: int, mention: Mention) -> list:
    """Goals of a sentence about a policy; "by the end of the period" is the plan's last year."""
    default = mention.period[1] if mention.period and re.search(r"end of the (?:plan(?:ning)? )?period", sentence) else None
    targets = find_targets(sentence, start, default)
    year = next((t.year for t in targets if t.year), default)
    if year is None and (m := re.search(r"\b(?:by|in|before)\s+(?:the end of\s+)?(20\d{2})\b", sentence)):
        year = int(m.group(1))
    return targets + _half(sentence, start, year)


def news_mentions(items: list[Item], ctx: Context) -> list[tuple[int | None, Mention]]:
    """Policy records of a news report, each with the index of the sentence that reports it."""
    reference = article_date(items, ctx.text) or ctx.reference
    local = Context(ctx.text, reference, ctx.original)
    found: list[tuple[int | None, Mention]] = []
    current: Mention | None = None
    for index, item in enumerate(items):
        sentence = ctx.text[item.start:item.end]
        triggered = policy_trigger(sentence, strict=True) or _announces(sentence)
        issuers = subject_issuers(sentence) if triggered else []
        new_body = bool(issuers) and (current is None or not set(issuers) & set(current.issuers))
        if triggered and (current is None or (new_body and not REFERS_BACK.match(sentence.strip()))):
            current = policy_from_text(item.start, item.end, local)
            current.issuers = issuers or current.issuers
            current.date = _issued(sentence, reference) or current.date
            current.targets = []
            if current.period is None and current.instrument in ("plan", "action plan", "strategy"):
                current.period = titles.period(sentence)  # "a plan for … (2021-2025)", "the 14th Five-Year Plan"
            merge_targets(current, _goals(sentence, item.start, current))
            found.append((index, current))
            continue
        if current is None:
            continue
        current.evidence.append((item.start, item.end))
        if current.title_en is None and (m := UNDER_TITLE.search(sentence)):
            current.title_en = squash(m.group("t")).strip()
            current.period = current.period or titles.period(current.title_en)
            current.instrument = titles.instrument(current.title_en) or current.instrument
        if CO_ISSUERS.search(sentence):
            current.issuers = list(dict.fromkeys(current.issuers + agency_ids(sentence)))
        merge_targets(current, _goals(sentence, item.start, current))
        money = [t.evidence[0] for t in current.targets if t.unit and t.unit.isupper()]
        known = {(a.value, a.currency) for a in current.amounts}
        current.amounts += [a for a in _amounts(sentence, item.start, current.date or reference, money)
                            if (a.value, a.currency) not in known]
    return found
