"""Issuing bodies: find agency names, abbreviations and Chinese names in text and resolve them to registry ids.

A body the registry does not list keeps its name as written where a text names its issuer (a title before 关于,
a header, a signature, an "issuing body" field): 国务院某某领导小组关于… gives the issuer "国务院某某领导小组", not
the State Council. Registry ids are ASCII (``miit``, ``jiangsu-ndrc``), so an issuer that is not ASCII is such a
written name; ``registry.agency`` describes it from its own words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from rapidfuzz import fuzz, process

from policywatch.extract.localities import find_local_bodies
from policywatch.extract.trie import normal as _normal
from policywatch.extract.trie import trie_regex
from policywatch.hanzi import HAN, HAN_CHARS
from policywatch.registry import agencies

# A general reference to the central government stands for the State Council when no body is named.
GENERIC_GOVERNMENT = re.compile(r"\b(?:Chinese|central|China's|national) government\b|中央政府", re.I)
# Chinese short forms read in the wrong word: 财政部门 (finance departments) is not 财政部, 发展改革委员会 continues
# past 发展改革委, 中央行政机关 holds 央行.
_NOT_A_NAME = re.compile(r"部(?=门)|委(?=员)|(?<=中)央行")
# Words a body's name ends with, and where an issuer's name ends: before 关于/印发…, a separator, or the field's end.
BODY_WORDS = r"(?:委员会|领导小组(?:办公室)?|联席会议(?:办公室)?|工作组|办公室|办公厅|总局|局|部|署|厅|委|办|院|中心|会)"
UNLISTED = re.compile(rf"(?<![{HAN_CHARS}])(?P<name>[{HAN_CHARS}]{{1,30}}?{BODY_WORDS})"
                      r"(?=\s|关于|联合|印发|发布|公布|颁布|文件|令|公告|通知|$|[、，,；;：:（(])")
# Words that open a phrase about bodies rather than a body's name (各部门, 有关单位, 本委员会)
_NOT_A_BODY = re.compile(r"^(?:各|有关|相关|本|我|该|其|上述|现|省|市|县|区|自治区)(?:[^省市县区]|$)")
# A count of bodies (11个部委, 十一部委, 多部门) names no body: the bodies counted are listed elsewhere
_COUNTED = re.compile(r"^(?:个|[一二三四五六七八九十两多数几]+个?)(?:部委|部门|委办|部|委)$")
# Bodies whose subordinate bodies write their name first (国务院某某委员会, 全国人大某委员会, 江苏省人民政府某办公室)
_PARENTS = {"state-council", "npc", "npcsc", "ccp-central-committee"}
# What a registered body's own offices add to its name: the body itself (工业和信息化部办公厅 is miit)
_OWN_OFFICE = re.compile(r"^(?:办公厅|办公室|秘书局|秘书处|综合司|综合处)$")


@dataclass(frozen=True)
class AgencyMatch:
    """An agency named in text."""

    id: str
    start: int
    end: int


@cache
def _forms() -> dict[str, str]:
    """Every surface form (normalised) -> agency id."""
    forms: dict[str, str] = {}
    for agency in agencies().values():
        for form in (agency.name_en, agency.name_zh, agency.abbrev, *agency.aliases):
            if form:
                forms.setdefault(_normal(form), agency.id)
    return forms


@cache
def _pattern() -> re.Pattern[str]:
    latin = [f for f in _forms() if re.match(r"\w", f, re.ASCII)]
    names = [f for f in latin if " " in f]
    words = [f for f in latin if " " not in f]
    other = [f for f in _forms() if not re.match(r"\w", f, re.ASCII)]
    # Latin names stand as whole words. Names of several words match in any case ("Shanghai municipal
    # government"); single words keep their case, or "MOST" would be found in every "most".
    # Chinese names have no word boundaries to respect.
    return re.compile(rf"(?<![\w-])(?:(?i:{trie_regex(names)})|{trie_regex(words)})(?![\w-])|{trie_regex(other)}")


@cache
def _folded_forms() -> dict[str, str]:
    return {form.lower(): agency_id for form, agency_id in _forms().items() if " " in form}


def find_agencies(text: str) -> list[AgencyMatch]:
    """Agencies named in ``text``, national and local, in order of appearance (longest name wins where names
    overlap). Local bodies written without their place (省工业和信息化厅) are left to the caller."""
    forms = _forms()
    # a local body hides a national name inside it even without its place: 省发展改革委 is no NDRC
    local = find_local_bodies(text)
    found = [AgencyMatch(b.id, b.start, b.end) for b in local if b.id]
    for m in _pattern().finditer(text):
        key = _normal(m.group())
        agency_id = forms.get(key) or _folded_forms().get(key.lower())
        if agency_id is None or any(b.start <= m.start() and m.end() <= b.end for b in local):
            continue
        if _NOT_A_NAME.match(text, m.end() - 1) or (key == "央行" and _NOT_A_NAME.match(text, m.start())):
            continue
        if any(b.start == m.end() and b.counterpart == agency_id for b in local):
            continue  # 国家税务总局江苏省税务局 is one body, the province's branch
        found.append(AgencyMatch(agency_id, m.start(), m.end()))
    return sorted(found, key=lambda a: a.start)


def issuing_bodies(text: str) -> list[AgencyMatch]:
    """Bodies named where a text names its issuer (a title before 关于, a header, a signature): those of
    :func:`find_agencies`, and each body the registry lacks as its name as written (its ``id`` is that name).

    A registered body with a sub-unit after it (工业和信息化部运行监测协调局) stays that body; a parent that writes
    its name first (国务院某某委员会) gives way to the unlisted body."""
    found = find_agencies(text)
    if not HAN.search(text):
        return found
    for m in UNLISTED.finditer(text):
        start, end = m.span("name")
        if _NOT_A_BODY.match(m.group("name")) or _COUNTED.match(m.group("name")):
            continue
        inside = [a for a in found if start <= a.start and a.end <= end]
        if any(a.start <= start and end <= a.end for a in found) or any(a.end == end for a in inside):
            continue  # a registered name, or one ending the candidate
        tail = inside[-1].end if inside else start
        if inside and ((inside[-1].id not in _PARENTS and not inside[-1].id.endswith("-government"))
                       or _OWN_OFFICE.match(text[tail:end])):
            continue  # a sub-unit or office of a registered body is that body
        found = [a for a in found if a not in inside] + [AgencyMatch(text[start:end], start, end)]
    return sorted(found, key=lambda a: a.start)


def agency_ids(text: str) -> list[str]:
    """Distinct agency ids named in ``text``, in order of first appearance."""
    return list(dict.fromkeys(m.id for m in find_agencies(text)))


@cache
def _names() -> dict[str, str]:
    return {f.lower(): i for f, i in _forms().items()}


def resolve(name: str) -> str | None:
    """The registry id for one agency name (exact form, then a close fuzzy match), or None."""
    clean = re.sub(r"\s+", " ", name.replace("’", "'")).strip(" .,;:").removeprefix("the ").strip()
    if not clean:
        return None
    if (found := _names().get(clean.lower())) is not None:
        return found
    match = process.extractOne(clean.lower(), list(_names()), scorer=fuzz.ratio, score_cutoff=90)
    return _names()[match[0]] if match else None


# An English name that is clearly a body's (the Ministry of X, the X Commission): kept as written when unknown
_ENGLISH_BODY = re.compile(r"^(?:the\s+)?(?:[A-Z][\w'’&-]*\s+|of\s+|and\s+|for\s+|the\s+)*"
                           r"(?:Ministry|Commission|Administration|Bureau|Office|Committee|Council|Agency|Department|"
                           r"Authority|Leading Group|Association)(?:\s+(?:of|for)(?:\s+(?:the\s+)?[A-Z][\w'’&-]*"
                           r"|\s+and)+)?$")


def resolve_issuers(text: str) -> list[str]:
    """Issuing bodies of a free-text field like "MOFCOM, NDRC, MOF and others"; a body the registry lacks keeps
    its name as written (国务院某某领导小组, "the Ministry of Ocean Affairs")."""
    found = list(dict.fromkeys(m.id for m in issuing_bodies(text)))
    if found:
        return found
    single = resolve(text)
    if single:
        return [single]
    if GENERIC_GOVERNMENT.search(text):
        return ["state-council"]
    name = re.sub(r"\s+", " ", text).strip(" .,;:")
    return [name.removeprefix("the ")] if len(name) <= 80 and _ENGLISH_BODY.match(name) else []
