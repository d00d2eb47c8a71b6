"""Issuing bodies: find agency names, abbreviations and Chinese names in text and resolve them to registry ids."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from rapidfuzz import fuzz, process

from policywatch.registry import agencies

# A general reference to the central government stands for the State Council when no body is named.
GENERIC_GOVERNMENT = re.compile(r"\b(?:Chinese|central|China's|national) government\b|中央政府", re.I)


@dataclass(frozen=True)
class AgencyMatch:
    """An agency named in text."""

    id: str
    start: int
    end: int


def _surface_pattern(name: str) -> str:
    """A regex for a name that tolerates line breaks, curly apostrophes and '&' for 'and'."""
    words = [re.escape(w) for w in name.split()]
    pattern = r"\s+".join(words).replace("'", "['’]").replace(r"\&", r"(?:&|and)")
    if re.match(r"\w", name, re.ASCII):
        pattern = r"(?<![\w-])" + pattern
    if re.search(r"\w$", name, re.ASCII):
        pattern += r"(?![\w-])"
    return pattern


@cache
def _forms() -> dict[str, str]:
    """Every surface form -> agency id; later, longer forms win over shorter ones."""
    forms: dict[str, str] = {}
    for agency in agencies().values():
        for form in (agency.name_en, agency.name_zh, agency.abbrev, *agency.aliases):
            if form:
                forms.setdefault(form, agency.id)
    return forms


@cache
def _pattern() -> re.Pattern[str]:
    ordered = sorted(_forms(), key=len, reverse=True)
    return re.compile("|".join(f"(?P<a{i}>{_surface_pattern(f)})" for i, f in enumerate(ordered)))


@cache
def _ids_by_group() -> tuple[str, ...]:
    return tuple(_forms()[f] for f in sorted(_forms(), key=len, reverse=True))


def find_agencies(text: str) -> list[AgencyMatch]:
    """Agencies named in ``text``, in order of appearance (longest name wins where names overlap)."""
    ids = _ids_by_group()
    found = []
    for m in _pattern().finditer(text):
        group = m.lastgroup
        if group is None:
            continue
        found.append(AgencyMatch(ids[int(group[1:])], m.start(), m.end()))
    return found


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
