"""Shared helpers of the record builders: release verbs, subjects, dates in context, text cleaning."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from policywatch import places
from policywatch.extract.agencies import GENERIC_GOVERNMENT, find_agencies, resolve_issuers
from policywatch.extract.dates import DateMatch, find_dates

RELEASE = re.compile(
    r"\b(?:issu(?:es|ed|e|ing)|releas(?:es|ed|e|ing)|publish(?:es|ed|ing)?|unveil(?:s|ed|ing)?|announc(?:es|ed|e)|"
    r"circulat(?:es|ed|e)|launch(?:es|ed)?|roll(?:s|ed)? out|promulgat(?:es|ed|e)|adopt(?:s|ed)?|approv(?:es|ed|e)|"
    r"introduc(?:es|ed|e)|put(?:s)? forward|formulat(?:es|ed|e)|pass(?:es|ed)?|revis(?:es|ed|e)|amend(?:s|ed)?|"
    r"propos(?:es|ed|e)|outlin(?:es|ed|e)|set(?:s)? out|mak(?:es|e) public|made public|put(?:s)? out|"
    r"(?:came|come|comes|took|take|takes) (?:into )?effect|in force since|entered into force)\b"
    r"|印发|发布|公布|出台|颁布|审议通过", re.I)
INSTRUMENT_NOUN = re.compile(
    r"\b(?:notices?|circulars?|plans?|blueprints?|masterplan|strateg(?:y|ies)|guidelines?|guidance|opinions|"
    r"measures|regulations?|rules|laws?|standards?|provisions|white ?papers?|polic(?:y|ies)|directives?|"
    r"documents?|roadmaps?|programmes?|programs?|initiatives?|catalogues?|lists?|interpretations?|decisions?|"
    r"announcements?|frameworks?|outlines?|recommendations|requirements?|draft|action plan|export controls?|"
    r"tax (?:cuts?|breaks?|deductions?|exemptions?|incentives?)|(?:additional |super )?deductions?|exemptions?|"
    r"subsid(?:y|ies)|tariffs?|bans?|quotas?)\b"
    r"|通知|意见|办法|规划|方案|计划|条例|规定|标准|指南|决定|公告", re.I)
# Bodies a story counts instead of naming: "eleven central level Chinese governmental departments", "11 ministries"
COUNTED_BODIES = re.compile(r"\b(?:\d{1,2}|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|several|"
                            r"multiple)\s+(?:[\w-]+\s+){0,4}?(?:ministries|departments|government agencies|"
                            r"government bodies|regulators|ministries and commissions)\b", re.I)
# An English translation of an order or announcement promulgates its text: "The X are hereby promulgated", issued
# by the body its heading names ("Announcement of the China Securities Regulatory Commission [2020] No.17")
HEREBY = re.compile(r"\b(?:is|are)\s+hereby\s+(?:promulgated|issued|published|released)\b", re.I)
ANNOUNCING = re.compile(r"^\s*(?:Announcement|Order|Decree|Decision)\s+of\s+the\s+(?P<body>[A-Z][^\n\[(（〔]{3,120})", re.M)
PASSIVE_BEFORE = re.compile(r"\b(?:is|are|was|were|be|been|being|to be|has been|have been)\s+(?:\w+ly\s+)?$", re.I)
EFFECTIVE_BEFORE = re.compile(r"(?:effect|in force|effective|enter(?:s|ed)? into force|implemented|施行|生效)\W*"
                              r"(?:(?:from|on|since|as of|in)\s+)?$", re.I)
NOT_ISSUE_BEFORE = re.compile(r"(?:\bby|\buntil|\bbefore|\bfor|\bthrough|\bsince|\bfrom|\bto|\bthan|"
                              r"(?<!\bat the end )\bof|(?<!\bat the )\bend of|\bbetween|\band|\bcovering)\s*$", re.I)
# "officially issued by the MIIT at the end of 2016": a time of issue, not a deadline ("by the end of 2025")
ISSUED_AT_END = re.compile(r"\b(?:issued|released|published|launched|adopted|unveiled|introduced)\b[^.]{0,40}\bat the end of\s*$")
BARE_YEAR_OK = re.compile(r"(?:\b[Ii]n|\bsince|\b[Pp]roposed in|\bintroduced in|\blaunched in)\s*$")


def squash(text: str) -> str:
    """Whitespace runs to one space (PDF line breaks inside sentences)."""
    return re.sub(r"\s+", " ", text)


def drop_links(text: str) -> str:
    """Text with Markdown source links "([Reuters article (EN)](#))" blanked out, offsets kept."""
    def blank(m: re.Match[str]) -> str:
        return " " * len(m.group())
    text = re.sub(r"\(\s*\[[^\]]*\]\([^)]*\)(?:\s*;\s*\[[^\]]*\]\([^)]*\))*\s*\)", blank, text)
    return re.sub(r"\[([^\]]*)\]\([^)]*\)", lambda m: m.group(1) + " " * (len(m.group()) - len(m.group(1))), text)


@dataclass(frozen=True)
class Dates:
    """The issue and effective dates a passage states."""

    issued: DateMatch | None
    effective: DateMatch | None


def release_dates(text: str, reference: str | None) -> Dates:
    """The first date of issue and of taking effect in ``text``; goal years ("by 2025") are not dates of issue."""
    issued = effective = None
    for d in find_dates(text, reference):
        before = squash(text[max(0, d.start - 50):d.start])
        if EFFECTIVE_BEFORE.search(before):
            effective = effective or _ahead(d, before, reference)
            continue
        if d.kind == "y" and not BARE_YEAR_OK.search(before) and not ISSUED_AT_END.search(before):
            continue
        if d.kind == "m":  # "in December": the pattern includes its preposition
            if re.match(r"(?i)(?:by|until|end of|since|from)\b", text[d.start:d.end]):
                continue
        elif NOT_ISSUE_BEFORE.search(before):
            continue
        if issued is None:
            issued = d
    return Dates(issued, effective)


def bodies_listed(text: str, agencies: list, at: int) -> list[str]:
    """The bodies listed from ``at`` on: "by the MOST, the CAC and the MIIT" gives all three."""
    listed: list[str] = []
    for agency in agencies:
        if agency.start < at:
            continue
        if agency.start - at > 5 and not re.fullmatch(r"\s*(?:,|,?\s+and|&)\s+(?:the\s+)?", text[at:agency.start]):
            break
        listed.append(agency.id)
        at = agency.end
    return list(dict.fromkeys(listed))


def _ahead(date: DateMatch, before: str, reference: str | None) -> DateMatch:
    """A yearless date a text looks forward to ("will take effect on September 1") is not before the reference."""
    if date.explicit_year or not reference or len(date.value) < 7 or not re.search(
            r"\b(?:will|shall|is to|are to|is set to|set to)\b", before):
        return date
    year, month = int(reference[:4]), int(date.value[5:7])
    if len(reference) >= 7 and month < int(reference[5:7]):
        year += 1
    return DateMatch(f"{year:04d}{date.value[4:]}", date.start, date.end, date.explicit_year, date.kind)


def subject_issuers(text: str) -> list[str]:
    """Agencies that act in a passage: those before its first release verb, else those after "by"."""
    verb = next((m for m in RELEASE.finditer(text) if not PASSIVE_BEFORE.search(text[:m.start()])), None)
    agencies = find_agencies(text)
    passive = next((m for m in RELEASE.finditer(text) if PASSIVE_BEFORE.search(text[:m.start()])), None)
    if verb is None and passive is not None:  # "a plan … is released by the MIIT"
        by = re.match(r"(?:\s+[\w.]+){0,4}?\s+by\s+(?:the\s+)?", text[passive.end():])
        if by:
            after = bodies_listed(text, agencies, passive.end() + by.end())
            if after:
                return after
    if verb is None:  # no release verb: the bodies named as the subject, at the start
        opening = [a.id for a in agencies if a.start <= 60 and not NOT_SUBJECT.search(text[max(0, a.start - 25):a.start])]
        return list(dict.fromkeys(opening)) or _place_government(text)
    before = [a.id for a in agencies if a.end <= verb.start() and not NOT_SUBJECT.search(text[max(0, a.start - 25):a.start])]
    if before:
        return list(dict.fromkeys(before))
    for passive in re.finditer(r"\bby\s+(?:the\s+)?(?:country['’]s\s+)?", text[verb.end():]):
        after = [a.id for a in agencies if 0 <= a.start - (verb.end() + passive.end()) <= 5]
        if after:
            return after
    return _place_government(text[:verb.start()])


NOT_SUBJECT = re.compile(r"\b(?:with|from|to|of|by|for|on|in|at|following|than)\s+(?:the\s+)?$", re.I)


@cache
def _place_governments() -> dict[str, str]:
    """Provinces and cities by English name: "Shanghai" -> "shanghai-government".

    Names of three letters or fewer ("Ali") are too easily something else at the start of a sentence.
    """
    return {name: f"{place.slug}-government" for name, place in places.by_english().items()
            if len(name) > 3 and place.slug != "beijing"}


def _place_government(text: str) -> list[str]:
    """A province or city that opens a sentence acts through its government ("Shanghai releases …").

    "Beijing" is left out: in English commentary it stands for the central government as often as the city.
    """
    # "Shanghai releases …", "Feb. 3: Shanghai …", "In 2019, Shanghai launched …"
    m = re.match(r"\W*(?:[A-Z][a-z]+\.? \d{1,2}:\W*)?(?:(?:In|On|By|Since)\s+[\w ,]{1,30}?,\s+)?(?:The\s+)?([A-Z][a-z]+)"
                 r"(?:['’]s)?\b", text)
    if m and (found := _place_governments().get(m.group(1))):
        return [found]
    return []


def policy_trigger(sentence: str, strict: bool) -> bool:
    """Does a sentence report that a body issued (or brought into force) a policy?

    Strict (documents scored for precision): an agency acts through a release verb on an instrument.
    Liberal (long reports): a release verb and an instrument or quoted title suffice.
    """
    flat = squash(sentence)
    for verb in RELEASE.finditer(flat):
        before, after = flat[:verb.start()], flat[verb.end():]
        passive = bool(PASSIVE_BEFORE.search(before))
        object_text = after[:160]
        has_object = bool(INSTRUMENT_NOUN.search(object_text) or re.search(r"^[^.]{0,40}[‘'“\"《]", object_text))
        if strict:
            agencies = find_agencies(flat)
            acting = [a for a in agencies if a.end <= verb.start() and verb.start() - a.end <= 120
                      and not re.search(r"\b(?:following|with|from|to|of)\s+(?:the\s+)?$", flat[max(0, a.start - 20):a.start])]
            if acting and not passive and has_object:
                return True
            counted = [m for m in COUNTED_BODIES.finditer(flat, 0, verb.start()) if verb.start() - m.end() <= 40]
            if counted and not passive and has_object:
                return True  # "eleven departments jointly issued the Strategy for …": the bodies go unnamed
            by_agency = re.match(r"^(?:\s+[\w.]+){0,4}?\s+by\s+(?:the\s+)?(?:country['’]s\s+)?", after)
            # the instrument is the subject: "Guidelines on the ethics of … were jointly issued on Sunday by …"
            if by_agency and any(a.start >= verb.end() for a in agencies) and INSTRUMENT_NOUN.search(before[-120:]):
                return True
        else:
            if has_object or INSTRUMENT_NOUN.search(before[-160:]):
                return True
    # "MIC 2025 is a strategic masterplan of the Chinese government"
    definition = re.search(r"\bis an? (?:\w+ ){0,3}(?:masterplan|plan|strategy|initiative|programme|program)\b", flat)
    return bool(not strict and definition and (GENERIC_GOVERNMENT.search(flat) or find_agencies(flat)))


# words too common in policy texts to tell one policy from another
STOP = frozenset({
    "a", "an", "the", "of", "and", "or", "for", "to", "in", "on", "at", "by", "with", "from", "as", "is", "are",
    "was", "were", "be", "been", "its", "it", "this", "that", "these", "those", "which", "who", "calls", "call",
    "new", "their", "also", "will", "has", "have", "such", "other", "including", "more", "than",
    "into", "over", "under", "about", "after", "before", "notice", "notices", "plan", "plans", "policy",
    "policies", "document", "documents", "measures", "guidelines", "opinions", "rules", "china", "chinese",
    "national", "government", "ministry", "state", "council", "issued", "issues", "issue", "released", "releases",
    "release", "published", "publishes", "announced", "announces",
})


def _stem(word: str) -> str:
    """A crude stem: "accelerating", "accelerated" and "accelerate" all become "accelerat"."""
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            word = word[: -len(suffix)]
            break
    return word[:-1] if len(word) > 4 and word.endswith("e") else word


def content_words(text: str) -> set[str]:
    """The meaningful words of a text, crudely stemmed."""
    return {_stem(w) for w in re.findall(r"[a-z][a-z0-9-]{2,}", text.lower()) if w not in STOP}


def announcing_body(head: str) -> list[str]:
    """The body an English translation of an order or announcement names in its heading, if any."""
    heading = ANNOUNCING.search(head)
    return resolve_issuers(heading.group("body").strip()) if heading else []
