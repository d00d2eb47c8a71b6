"""English titles for policies known only by a Chinese title: the title's pattern (关于…的通知 → Notice on …,
…行动计划 → … Action Plan, 征求意见稿 → (Draft for Comment)) and its words through the glossary, the agency
registry, the technology taxonomy and ``data/title_words.csv``. A word none of them knows stays in Chinese, so a
reader sees what was not translated; the result is always marked as a translation where it is shown."""

from __future__ import annotations

import csv
import re
from functools import cache
from importlib.resources import files

from policywatch.hanzi import HAN, to_simplified

# instrument words at the end of a title: (Chinese, English, whether English puts it first: "Notice on …")
TYPES = [("指导意见", "Guiding Opinions", True), ("实施意见", "Implementation Opinions", True),
         ("若干意见", "Several Opinions", True), ("意见", "Opinions", True), ("通知", "Notice", True),
         ("决定", "Decision", True), ("函", "Letter", True), ("公告", "Announcement", True), ("通告", "Circular", True),
         ("若干措施", "Several Measures", True), ("措施", "Measures", True),
         ("暂行办法", "Interim Measures", True), ("实施细则", "Detailed Rules", True), ("办法", "Measures", True),
         ("暂行规定", "Interim Provisions", True), ("规定", "Provisions", True), ("条例", "Regulations", True),
         ("行动计划", "Action Plan", False), ("行动方案", "Action Plan", False), ("实施方案", "Implementation Plan", False),
         ("工作方案", "Work Plan", False), ("规划纲要", "Plan Outline", False), ("发展规划", "Development Plan", False),
         ("规划", "Plan", False), ("纲要", "Outline", False), ("方案", "Plan", False), ("战略", "Strategy", False),
         ("指南", "Guidelines", False), ("清单", "List", False), ("目录", "Catalogue", False), ("标准", "Standard", False),
         ("法", "Law", False)]
SMALL = frozenset({"a", "an", "the", "of", "and", "for", "on", "in", "to", "by", "with", "at"})
DRAFT = re.compile(r"[（(]?(?:征求意见稿|草案征求意见稿|送审稿|草案)[）)]?$")
PERIOD = re.compile(r"[（(]\s*((?:19|20)\d{2})\s*[-—–~至到]\s*((?:19|20)\d{2})\s*年?\s*[）)]")
# 指南（试行）: a text issued for trial implementation says so after its title
TRIAL = re.compile(r"[（(](试行|暂行)[）)]$")


@cache
def vocabulary() -> dict[str, str]:
    """Chinese word -> English, from the title words, the glossary, agencies and technologies (those win)."""
    from policywatch.glossary import lexicon

    text = files("policywatch.data").joinpath("title_words.csv").read_text(encoding="utf-8")
    found = {row["zh"].strip(): row["en"].strip() for row in csv.DictReader(
        line for line in text.splitlines() if line.strip() and not line.startswith("#"))}
    for term in lexicon():
        if term.en and term.zh not in found:
            found[term.zh] = term.en[0]
    return found


@cache
def _longest() -> int:
    return max(len(w) for w in vocabulary())


def _words(text: str) -> list[str]:
    """Chinese text in English word by word, longest known word first; unknown runs stay in Chinese."""
    vocab, out, i, unknown = vocabulary(), [], 0, ""
    while i < len(text):
        if text[i] in "、，, ":
            if unknown:
                out.append(unknown)
                unknown = ""
            out.append("and" if text[i] == "、" and out and out[-1] != "and" else "")
            i += 1
            continue
        for size in range(min(_longest(), len(text) - i), 0, -1):
            if (word := text[i:i + size]) in vocab:
                if unknown:
                    out.append(unknown)
                    unknown = ""
                out.append(vocab[word])
                i += size
                break
        else:
            if HAN.match(text[i]):
                unknown += text[i] if text[i] != "的" else ""
                i += 1
                continue
            if unknown:
                out.append(unknown)
                unknown = ""
            run = re.match(r"[A-Za-z0-9.+&-]+|.", text[i:]).group()  # 5G, R&D: one word
            out.append(run)
            i += len(run)
    if unknown:
        out.append(unknown)
    return [w for w in out if w]


def _title_case(words: list[str]) -> str:
    text = " ".join(words)
    text = re.sub(r"\s+([),])", r"\1", re.sub(r"([(])\s+", r"\1", text))
    parts = text.split(" ")
    return " ".join(p if (i and p.lower() in SMALL) or not p[:1].isalpha() or p[:1].isupper() else p[:1].upper() + p[1:]
                    for i, p in enumerate(parts))


def _issuer(prefix: str) -> str | None:
    """The English name of the issuers written before 关于 (国务院关于… → the State Council), or None."""
    from policywatch.extract.agencies import find_agencies
    from policywatch.registry import agency

    found = [a for m in find_agencies(prefix) if (a := agency(m.id)) is not None]
    return " and ".join(a.name_en for a in found) if found else None


def english_title(title_zh: str | None) -> str | None:
    """An English rendering of a Chinese policy title, or None when there is no Chinese title."""
    if not title_zh or not HAN.search(title_zh):
        return None
    title = to_simplified(re.sub(r"\s+", "", title_zh)).strip("《》“”\"")
    suffix = []
    if DRAFT.search(title):
        title = DRAFT.sub("", title)
        suffix.append("(Draft for Comment)")
    if m := TRIAL.search(title):
        title = title[:m.start()]
        suffix.insert(0, "(for Trial Implementation)" if m.group(1) == "试行" else "(Interim)")
    interpretation = bool(re.search(r"(?:的)?(?:政策)?解读$", title))
    title = re.sub(r"(?:的)?(?:政策)?解读$", "", title).strip("《》“”")
    period = ""
    if m := PERIOD.search(title):
        period = f"({m.group(1)}-{m.group(2)})"
        title = title[:m.start()] + title[m.end():]
    country = title.startswith("中华人民共和国") and len(title) > 8
    if country:  # 中华人民共和国…法: the … Law of the People's Republic of China
        title = title.removeprefix("中华人民共和国")
    issuer, about = None, "关于" in title
    if about:
        head, _, title = title.partition("关于")
        issuer = _issuer(head) if head else None
    kind, first = None, False
    for zh, en, leads in TYPES:
        if title.endswith(zh) and len(title) > len(zh):
            kind, first = en, leads or about  # 关于…的指南: Guidelines on …
            title = title[:-len(zh)]
            break
    title = re.sub(r"((?:19|20)\d{2})\s*年", r"\1", title)  # 2021年 → 2021
    title = re.sub(r"((?:19|20)\d{2})[—–~至-]((?:19|20)\d{2})", r"\1-\2", title)
    promotion = kind == "Law" and title.endswith("促进")  # 乡村振兴促进法: the Rural Revitalisation Promotion Law
    body = _title_case(_words(title.removesuffix("的").removesuffix("促进") if promotion else title.removesuffix("的")))
    body = f"{body} Promotion" if promotion else body
    if kind and first:
        of = f" of the {issuer}" if issuer else ""
        link = "for" if kind.endswith("Measures") else "on"
        text = f"{kind}{of} {link} {body}" if body else f"{kind}{of}"
    elif kind:
        text = f"{body} {kind}".strip()
    else:
        text = body
    owner = "of the People's Republic of China" if country else ""
    text = " ".join(x for x in (text, owner, period, *suffix) if x)
    if interpretation:
        text = f"Interpretation of the {text}"
    return re.sub(r"\s+", " ", text).strip()
