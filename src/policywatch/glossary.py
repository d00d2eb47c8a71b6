"""The bilingual glossary of policy terms (data/glossary.csv): Chinese terms with their English forms.

It lets a query in one language search the other, and a Chinese document be matched with an English report of it.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from policywatch.extract.trie import trie_regex
from policywatch.hanzi import to_simplified

STOP = frozenset({"a", "an", "the", "of", "and", "for", "on", "in", "to", "as", "by", "with"})


@dataclass(frozen=True)
class Term:
    """One entry: a Chinese term and its English forms."""

    zh: str
    en: tuple[str, ...]


@cache
def terms() -> list[Term]:
    """Every entry of the glossary."""
    text = files("policywatch.data").joinpath("glossary.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    return [Term(row["zh"].strip(), tuple(f.strip() for f in row["en"].split("|") if f.strip())) for row in rows]


@cache
def _by_zh() -> dict[str, Term]:
    return {t.zh: t for t in terms()}


@cache
def _zh_pattern() -> re.Pattern[str]:
    return re.compile(trie_regex(list(_by_zh())))


@cache
def _en_pattern() -> tuple[re.Pattern[str], dict[str, list[str]]]:
    forms: dict[str, list[str]] = {}
    for term in terms():
        for form in term.en:
            forms.setdefault(form.lower(), []).append(term.zh)
    return re.compile(rf"(?<![\w-])(?i:{trie_regex(list(forms))})(?![\w-])"), forms


def words(text: str) -> set[str]:
    """Lower-case word tokens (5G, R&D kept), plural -s dropped, small words left out."""
    found = set()
    for word in re.findall(r"[a-z0-9][a-z0-9&'-]*", text.lower()):
        if word in STOP:
            continue
        found.add(word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word)
    return found


def chinese_terms(text: str) -> list[Term]:
    """Glossary terms a Chinese text contains, longest first where they overlap (Traditional folded)."""
    return [_by_zh()[m.group()] for m in _zh_pattern().finditer(to_simplified(text))]


def english_terms(text: str) -> list[Term]:
    """Glossary terms an English text contains, by any of their English forms."""
    pattern, forms = _en_pattern()
    found: dict[str, Term] = {}
    for m in pattern.finditer(text):
        for zh in forms[re.sub(r"\s+", " ", m.group().lower())]:
            found.setdefault(zh, _by_zh()[zh])
    return list(found.values())


def translation_overlap(zh_text: str, en_text: str) -> tuple[int, int]:
    """(terms of the Chinese text that the English text renders, terms of the Chinese text)."""
    found = chinese_terms(zh_text)
    target = words(en_text)
    rendered = sum(1 for term in found if any(words(form) <= target for form in term.en))
    return rendered, len(found)
