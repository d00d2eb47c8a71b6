"""Records of English news reports: a policy is reported by a sentence in which a body issues or announces it;
the sentences after it that speak of the same policy add its title, goals, money and co-issuers.

Relative dates ("on Monday", "last year") are read against the article's own date.
"""

from __future__ import annotations

import re

from policywatch.extract import titles
from policywatch.extract.agencies import agency_ids, find_agencies
from policywatch.extract.context import (
    HEREBY,
    INSTRUMENT_NOUN,
    announcing_body,
    policy_trigger,
    release_dates,
    squash,
    subject_issuers,
)
from policywatch.extract.dates import find_dates, relative_dates
from policywatch.extract.mentions import Context, _amounts, policy_from_text
from policywatch.extract.targets import find_targets, merge_targets
from policywatch.extract.titles import described_title
from policywatch.model import Item, Mention, Target
from policywatch.registry import agencies

# "X said on Friday it would offer subsidies …": an announcement of a policy without a release verb
ANNOUNCE = re.compile(r"\b(?:said|says|announced|stated|pledged|vowed)\b(?P<rest>.{0,80}?)\b(?:would|will|is to|are to|"
                      r"plans? to|aims? to|is set to)\b", re.I)
CO_ISSUERS = re.compile(r"\bco-?issu\w*|\bjointly (?:issued|released|published)\b|\balong with\b|\btogether with\b|"
                        r"\bother (?:issuers|departments|ministries) (?:include|are|were)\b|\balso (?:signed|issued) by\b|"
                        r"\bamong the (?:\w+ )?(?:issuers|departments|ministries|agencies|bodies|authorities)\b|"
                        r"\b(?:drawn up|drafted|formulated|compiled|issued|released) by\b", re.I)
# "… by 2025 under a plan for …, the ministry said": a plan reported through an attribution, with no release verb
INTRODUCED = re.compile(r"\b(?:according to|under|in|as part of|through)\s+(?:an?|its|their)\s+(?:[\w-]+\s+){0,3}?"
                        r"(?:action plan|plan|guidelines?|measures|notice|circular|rules|regulations?|opinions|roadmap|"
                        r"strategy|programme|document|blueprint)\b", re.I)
ATTRIBUTION = re.compile(r"\b(?:the|a|China's|the country's)\s+(?:top\s+)?(?P<noun>ministry|commission|regulator|"
                         r"department|administration|cabinet|government|authorities|state council|council|bureau|"
                         r"office)\s+(?:said|says|announced|stated)\b|\b(?:said|says|announced|according to)\s+the\s+"
                         r"(?P<noun2>ministry|commission|regulator|department|administration|cabinet|bureau)\b", re.I)
N_YEAR = re.compile(r"\b(?P<n>two|three|four|five)-year (?:action )?plan\b", re.I)
COVERS = re.compile(r"\b(?:covers?|covering|runs?|running|spans?|spanning|for the period|from)\s+((?:19|20)\d{2})\s*"
                    r"(?:-|–|to|through|until)\s*((?:19|20)\d{2})\b", re.I)
FORWARD = re.compile(r"\b(?:will|shall|should|would|aims?|aiming|seeks?|targets?|targeting|goals?|plans? to|is to|are to|"
                     r"expected to|calls? for|strives?|at least|no less than|by (?:the end of )?20\d\d)\b", re.I)
# "China on Thursday released a three-year action plan …": the country acts; the bodies come later in the story
COUNTRY_ACTS = re.compile(r"^(?:[A-Z][a-z]+,?\s+)?(?:China|Beijing|Chinese authorities|the Chinese government|"
                          r"China's government|the central government)\b(?:\s+[\w']+){0,4}?\s+(?:has\s+|have\s+)?"
                          r"(?:released|issued|unveiled|published|rolled out|launched|announced|introduced)\b")
# "… known as the "Data Elements x" Three-Year Action Plan (2024-2026)": the name a story gives the plan
NAMED_AS = re.compile(r"\b(?:known as|called|named|dubbed|titled|entitled)\s+(?:the\s+)?(?P<t>[\"“‘']?[A-Z0-9][^,.;]{3,120}?"
                      r"(?:Plan|Guidelines?|Measures|Opinions|Notice|Regulations?|Rules|Programme|Program|Strategy|"
                      r"Law|Initiative)(?:\s*\((?:19|20)\d{2}\s*[-–]\s*(?:19|20)\d{2}\))?)")
REFERS_BACK = re.compile(r"^(?:The|This|That|These|Its|Under the|According to the)\b|\b(?:the|this) (?:plan|notice|document|"
                         r"measures|guidelines?|policy|rules|regulations?|programme|program|strategy)\b", re.I)
UNDER_TITLE = re.compile(r"\b(?:Under|According to|In) the (?P<t>[^,]{8,140}?(?:Plan|Measures|Guidelines|Opinions|Notice|"
                         r"Regulations?|Rules|Programme|Program|Strategy)"
                         r"(?:\s*\((?:19|20)\d{2}\s*[-–]\s*(?:19|20)\d{2}\))?)", re.S)
# Shares in words: "more than half", "about a third", "two-thirds", "a quarter" of something
HALF = re.compile(r"\b(?:(?P<cmp>more than|over|at least|nearly|almost|about|around|roughly)\s+)?"
                  r"(?P<share>(?:one[- ]|a\s+)?half|(?:one[- ]|a\s+)third|two[- ]thirds|(?:one[- ]|a\s+)quarter|"
                  r"three[- ]quarters|(?:one[- ]|a\s+)fifth)\b(?=\s+(?:of|the|its|their|all)\b)", re.I)
SHARES = {"half": 50.0, "third": 100 / 3, "thirds": 200 / 3, "quarter": 25.0, "quarters": 75.0, "fifth": 20.0}


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
    """"more than half of …" is a goal of 50 percent, "about a third" one of 33.3 percent."""
    found = []
    for m in HALF.finditer(sentence):
        comparator = {"more than": ">", "over": ">", "at least": ">=", "nearly": "≈", "almost": "≈", "about": "≈",
                      "around": "≈", "roughly": "≈"}.get((m.group("cmp") or "").lower())
        value = round(SHARES[re.split(r"[- \s]", m.group("share").lower())[-1]], 2)
        found.append(Target(metric=squash(sentence).strip()[:160], value=value, unit="percent", year=year,
                            comparator=comparator, evidence=[(offset + m.start(), offset + m.end())]))
    return found


def _goals(sentence: str, start: int, mention: Mention) -> list:
    """Goals of a sentence about a policy; "by the end of the period" (or a goal without a year) is the plan's last
    year; "more than half" is 50 percent, "all firms by 2035" a goal without a figure."""
    last = mention.period[1] if mention.period else None
    default = last if last and re.search(r"\b(?:end of the (?:plan(?:ning)? )?period|during the period)\b", sentence) \
        else None
    targets = find_targets(sentence, start, default)
    year = next((t.year for t in targets if t.year), default)
    if year is None and (m := re.search(r"\b(?:[Bb]y|in|before)\s+(?:the end of\s+)?(20\d{2})\b", sentence)):
        year = int(m.group(1))
    half = _half(sentence, start, year)
    if half:
        targets = [t for t in targets if t.value is not None]  # the figure is the half, not a goal without one
    found = targets + half
    # a plan's goals without a year are for the end of its period, else for the story's deadline ("by 2025 …;
    # storage should reach 1,800 EB")
    latest = last or max((t.year for t in mention.targets if t.year), default=None)
    for target in found:
        if target.year is None and latest is not None:
            target.year = latest
    return found


def _plan_period(sentence: str, mention: Mention) -> tuple[int, int] | None:
    """A plan's period as a story gives it: "the plan covers 2021 to 2023", or "a three-year action plan" whose
    goals are for 2023 (2021-2023)."""
    if mention.instrument not in ("plan", "action plan", "strategy"):
        return None
    if m := COVERS.search(squash(sentence)):
        first, last = int(m.group(1)), int(m.group(2))
        return (first, last) if first < last <= first + 15 else None
    n_year = N_YEAR.search(mention.title_en or "") or N_YEAR.search(squash(sentence))
    years = sorted({t.year for t in mention.targets if t.year})
    if n_year is None or not years:
        return None
    n = {"two": 2, "three": 3, "four": 4, "five": 5}[n_year.group("n").lower()]
    return years[0] - n + 1, years[0]


def _country_acts(sentence: str) -> bool:
    """"China on Thursday released a plan …": a release by the country, of an instrument."""
    flat = squash(sentence).strip()
    m = COUNTRY_ACTS.match(flat)
    return bool(m and INSTRUMENT_NOUN.search(flat[m.end():m.end() + 100]))


def _introduced(sentence: str) -> bool:
    """A plan named through an attribution: "… under a plan for X, the ministry said", "according to an action plan
    … released by …"."""
    flat = squash(sentence)
    return bool(INTRODUCED.search(flat) and (find_agencies(flat) or ATTRIBUTION.search(flat)))


def _attributed(sentence: str, article: str) -> list[str]:
    """The body behind "the ministry said": the first body of that kind the article names."""
    m = ATTRIBUTION.search(squash(sentence))
    if m is None:
        return []
    noun = (m.group("noun") or m.group("noun2")).lower()
    if noun in ("cabinet", "state council"):
        return ["state-council"]
    registry = agencies()
    for found in find_agencies(article):
        agency = registry.get(found.id)
        name = (agency.name_en if agency else found.id).lower()
        if noun in ("regulator", "authorities", "government") or noun in name or noun in found.id:
            return [found.id]
    return []


def news_mentions(items: list[Item], ctx: Context) -> list[tuple[int | None, Mention]]:
    """Policy records of a news report, each with the index of the sentence that reports it."""
    reference = article_date(items, ctx.text) or ctx.reference
    local = Context(ctx.text, reference, ctx.original)
    article = ctx.text[items[0].start:items[-1].end] if items else ""
    found: list[tuple[int | None, Mention]] = []
    current: Mention | None = None
    paraphrased: set[int] = set()  # records whose title is a journalist's paraphrase, until the story names it
    for index, item in enumerate(items):
        sentence = ctx.text[item.start:item.end]
        triggered = policy_trigger(sentence, strict=True) or _announces(sentence) or _introduced(sentence) \
            or _country_acts(sentence)
        issuers = (subject_issuers(sentence) or agency_ids(sentence)[:3] or _attributed(sentence, article)) \
            if triggered else []
        if not triggered and HEREBY.search(sentence) and (issuers := announcing_body(ctx.text[:min(item.start, 3000)])):
            # a translated announcement: its own text, of the date its heading gives
            current = _reported(item, local, issuers, paraphrased)
            if reference and len(reference) == 10 and reference.startswith(current.date or ""):
                current.date = reference  # "(Revised in 2020)" is vaguer than the heading's day
            found.append((index, current))
            continue
        new_body = bool(issuers) and (current is None or not set(issuers) & set(current.issuers))
        if triggered and (current is None or (new_body and not REFERS_BACK.match(sentence.strip()))):
            current = _reported(item, local, issuers, paraphrased)
            found.append((index, current))
        elif current is not None:
            _continued(current, item, local, paraphrased)
    return found


def _reported(item: Item, ctx: Context, issuers: list[str], paraphrased: set[int]) -> Mention:
    """The record of a story's sentence that reports a policy: its name or paraphrase, issuers, day, period, goals."""
    sentence = ctx.text[item.start:item.end]
    mention = policy_from_text(item.start, item.end, ctx)
    mention.issuers = issuers or mention.issuers
    mention.date = _issued(sentence, ctx.reference) or mention.date
    mention.targets = []
    if (named := NAMED_AS.search(sentence)) is not None:
        mention.title_en = squash(named.group("t")).strip()
    if mention.title_en is None and (described := described_title(sentence)) is not None:
        mention.title_en = described
        paraphrased.add(id(mention))
    mention.instrument = titles.instrument(mention.title_en or "") or mention.instrument
    if mention.period is None and mention.instrument in ("plan", "action plan", "strategy"):
        # "a plan for … (2021-2025)", "for 2021-2025", "during the 14th Five-Year Plan period"
        mention.period = titles.period(mention.title_en or "") or titles.period(sentence)
    merge_targets(mention, _goals(sentence, item.start, mention))
    mention.period = mention.period or _plan_period(sentence, mention)
    return mention


def _continued(mention: Mention, item: Item, ctx: Context, paraphrased: set[int]) -> None:
    """A later sentence of the story about the same policy: its name, co-issuers, day in force, goals, money."""
    sentence = ctx.text[item.start:item.end]
    mention.evidence.append((item.start, item.end))
    if (mention.title_en is None or id(mention) in paraphrased) and (m := UNDER_TITLE.search(sentence)):
        paraphrased.discard(id(mention))
        mention.title_en = squash(m.group("t")).strip()
        mention.period = mention.period or titles.period(mention.title_en)
        mention.instrument = titles.instrument(mention.title_en) or mention.instrument
    if CO_ISSUERS.search(sentence):
        mention.issuers = list(dict.fromkeys(mention.issuers + agency_ids(sentence)))
    dates = release_dates(sentence, ctx.reference)
    if mention.date_effective is None and dates.effective is not None:
        mention.date_effective = dates.effective.value  # "The law will take effect on September 1"
    if mention.date is None:
        mention.date = _issued(sentence, ctx.reference) if policy_trigger(sentence, strict=False) else None
    if FORWARD.search(sentence) or REFERS_BACK.search(sentence):
        # goals look forward ("should", "by 2025", "the plan said"); "output rose 33 percent in 2021" is a statistic
        merge_targets(mention, _goals(sentence, item.start, mention))
    mention.period = mention.period or _plan_period(sentence, mention)
    money = [t.evidence[0] for t in mention.targets if t.unit and t.unit.isupper()]
    known = {(a.value, a.currency) for a in mention.amounts}
    mention.amounts += [a for a in _amounts(sentence, item.start, mention.date or ctx.reference, money)
                        if (a.value, a.currency) not in known]
