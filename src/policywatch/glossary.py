"""The bilingual glossary of policy terms (data/glossary.csv): Chinese terms with their English forms.

It lets a query in one language search the other, and a Chinese document be matched with an English report of it.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from policywatch.hanzi import to_simplified

STOP = frozenset({"a", "an", "the", "of", "and", "for", "on", "in", "to", "as", "by", "with"})
# Words for kinds of instrument and other very general words: a query of nothing but these is not translated,
# since "provisions management" in Chinese finds every 管理规定.
GENERIC = frozenset({"通知", "意见", "规定", "办法", "管理", "规划", "方案", "法", "条例", "决定", "公告", "指南", "标准",
                     "服务", "信息", "网络", "安全", "质量", "企业", "产业", "监管", "管理办法", "管理规定", "管理条例",
                     "实施意见", "指导意见", "实施细则", "暂行办法", "暂行规定", "纲要", "战略", "行动计划", "行动方案",
                     "发展规划", "草案", "征求意见", "征求意见稿", "试点", "示范", "创新", "产业发展", "细则", "规则"})


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
def lexicon() -> list[Term]:
    """The glossary, with the agency registry's and the technology taxonomy's Chinese and English names."""
    from policywatch.registry import agencies, technologies

    found: dict[str, list[str]] = {}
    for term in terms():
        found.setdefault(term.zh, []).extend(term.en)
    for agency in agencies().values():
        if agency.name_zh and agency.name_en:
            names = [agency.name_en, agency.abbrev, *[a for a in agency.aliases if not re.search(r"[\u4e00-\u9fff]", a)]]
            found.setdefault(agency.name_zh, []).extend(n for n in names if n)
    for technology in technologies():
        chinese = [k for k in technology.keywords if re.fullmatch(r"[\u4e00-\u9fff]{2,}", k)]
        english = [technology.name] + [k for k in technology.keywords if re.fullmatch(r"[A-Za-z][A-Za-z0-9 -]{2,}", k)]
        for zh in chinese:
            if zh not in found:  # a tagging keyword is no translation where the glossary has one
                found[zh] = list(english)
    return [Term(zh, tuple(dict.fromkeys(en))) for zh, en in found.items()]


@cache
def _by_zh() -> dict[str, Term]:
    return {t.zh: t for t in lexicon()}


@cache
def _zh_pattern() -> re.Pattern[str]:
    from policywatch.extract.trie import trie_regex  # importing policywatch.extract loads every extractor

    return re.compile(trie_regex(list(_by_zh())))


@cache
def _en_pattern() -> tuple[re.Pattern[str], dict[str, list[str]]]:
    from policywatch.extract.trie import trie_regex

    forms: dict[str, list[str]] = {}
    for term in lexicon():
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


def translation_overlap(zh_text: str, en_text: str) -> tuple[int, int]:
    """(terms of the Chinese text that the English text renders, terms of the Chinese text)."""
    found = chinese_terms(zh_text)
    target = words(en_text)
    rendered = sum(1 for term in found if any(words(form) <= target for form in term.en))
    return rendered, len(found)


def english_for(term: str, words: list[str]) -> list[str]:
    """English forms of a Chinese query term: the term's own, else each of its ``words``' (all of them needed).

    The caller cuts the term into words (policywatch.segmenter.query_words): the segmenter reads this glossary
    for its dictionary, so the glossary does not call it back."""
    term = to_simplified(term)
    if term in GENERIC:
        return []
    if (found := _by_zh().get(term)) is not None:
        return list(found.en)
    if len(words) < 2 or any(w not in _by_zh() for w in words):
        return []
    return [" ".join(_by_zh()[w].en[0] for w in words)]


def chinese_for(text: str) -> list[str]:
    """Chinese terms that together render an English query, or [] when some word of it has no rendering."""
    pattern, forms = _en_pattern()
    covered: set[str] = set()
    found: list[str] = []
    for m in pattern.finditer(text):
        covered |= words(m.group())
        zh = forms[re.sub(r"\s+", " ", m.group().lower())]
        if zh[0] not in found:
            found.append(zh[0])
    if not found or all(zh in GENERIC for zh in found):
        return []
    return found if words(text) <= covered else []
