"""Issuing bodies: find agency names, abbreviations and Chinese names in text and resolve them to registry ids."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from rapidfuzz import fuzz, process

from policywatch.extract.localities import find_local_bodies
from policywatch.extract.trie import normal as _normal
from policywatch.extract.trie import trie_regex
from policywatch.registry import agencies

# A general reference to the central government stands for the State Council when no body is named.
GENERIC_GOVERNMENT = re.compile(r"\b(?:Chinese|central|China's|national) government\b|中央政府", re.I)


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
    local = [AgencyMatch(b.id, b.start, b.end) for b in find_local_bodies(text) if b.id]
    found = [m for m in local if m.id]
    for m in _pattern().finditer(text):
        key = _normal(m.group())
        agency_id = forms.get(key) or _folded_forms().get(key.lower())
        if agency_id is not None and not any(b.start <= m.start() and m.end() <= b.end for b in local):
            found.append(AgencyMatch(agency_id, m.start(), m.end()))
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


def resolve_issuers(text: str) -> list[str]:
    """Issuing bodies of a free-text field like "MOFCOM, NDRC, MOF and others"."""
    found = agency_ids(text)
    if found:
        return found
    single = resolve(text)
    if single:
        return [single]
    return ["state-council"] if GENERIC_GOVERNMENT.search(text) else []
