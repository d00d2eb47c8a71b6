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


_WS, _APOS = "\x00", "\x01"  # trie tokens for "any whitespace run" and "straight or curly apostrophe"


def _normal(form: str) -> str:
    """The lookup key of a surface form: whitespace runs to one space, curly apostrophes straightened."""
    return re.sub(r"\s+", " ", form.replace("’", "'")).strip()


def _trie_regex(forms: list[str]) -> str:
    """One regex for many names, as a character trie: far faster than a flat alternation."""
    trie: dict = {}
    for form in forms:
        node = trie
        for ch in _normal(form).replace(" ", _WS).replace("'", _APOS):
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        terminal = "" in node
        branches = []
        for ch in sorted(k for k in node if k):
            token = r"\s+" if ch == _WS else "['’]" if ch == _APOS else re.escape(ch)
            branches.append(token + build(node[ch]))
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if terminal else body

    return build(trie)


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
    return re.compile(rf"(?<![\w-])(?:(?i:{_trie_regex(names)})|{_trie_regex(words)})(?![\w-])|{_trie_regex(other)}")


@cache
def _folded_forms() -> dict[str, str]:
    return {form.lower(): agency_id for form, agency_id in _forms().items() if " " in form}


def find_agencies(text: str) -> list[AgencyMatch]:
    """Agencies named in ``text``, in order of appearance (longest name wins where names overlap)."""
    forms = _forms()
    found = []
    for m in _pattern().finditer(text):
        key = _normal(m.group())
        agency_id = forms.get(key) or _folded_forms().get(key.lower())
        if agency_id is not None:
            found.append(AgencyMatch(agency_id, m.start(), m.end()))
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
