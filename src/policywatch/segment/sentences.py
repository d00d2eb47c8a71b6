"""Sentences of running text (also of PDF text whose lines wrap and whose footnote numbers stick to words)."""

from __future__ import annotations

import re

from policywatch.model import Item
from policywatch.segment.lines import is_title_case

ABBREVIATIONS = {"e.g", "i.e", "no", "mr", "ms", "mrs", "dr", "co", "ltd", "inc", "vs", "etc", "u.s", "art", "fig",
                 "al", "approx", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
                 "st", "p", "pp", "cf", "corp", "dept", "gov", "min", "max", "nos", "vol", "ed", "eds", "prof"}
# An end: . ! ? (plus a footnote number glued to it) before a capital or quote; 。！？; or a line that starts a bullet;
# or a blank line after a line that does not run on.
END = re.compile(r"(?<=[.!?])\d{0,3}[”\"’)]?(?=\s+[A-Z‘'“\"(0-9#]|\s+’[A-Z])|(?<=[。！？])|\n(?=[ \t]*[-•*▪]\s)|"
                 r"(?<=[^\s,a-z(])[ \t]*\n[ \t]*\n(?=\s*[A-Z0-9‘“\"(\u4e00-\u9fff-])")


# How sentences, not headlines, begin: "On the 6th of February …", "In 2017, …".
SENTENCE_OPENING = re.compile(r"^(?:On|In|At|By|From|Since|During|After|Before|As|For|Under)\s+(?:the\s|\d|[a-z])")


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) of each sentence of text[start:end], whitespace trimmed."""
    end = len(text) if end is None else end
    spans, cursor = [], start
    for m in END.finditer(text, start, end):
        before = text[max(cursor, m.start() - 8):m.start()]
        word = re.search(r"([\w.]+)\.?\d{0,3}$", before)
        if word and text[m.start() - 1:m.start()] == "." and word.group(1).lower().rstrip(".") in ABBREVIATIONS:
            continue
        spans.append((cursor, m.end()))
        cursor = m.end()
    spans.append((cursor, end))
    result = []
    for s, e in spans:
        chunk = text[s:e]
        s2 = s + len(chunk) - len(chunk.lstrip())
        e2 = e - (len(chunk) - len(chunk.rstrip()))
        if e2 > s2:
            result.append((s2, e2))
    return result


def split_heading(text: str, start: int, end: int) -> tuple[tuple[int, int] | None, int]:
    """Leading headline lines of a sentence (title case, no end punctuation): (heading span or None, body start)."""
    cursor, heading_end = start, None
    while True:
        newline = text.find("\n", cursor, end)
        if newline < 0:
            break
        line = text[cursor:newline].strip()
        if not line:
            cursor = newline + 1
            continue
        following = text[newline + 1:end].lstrip()
        # a wrapped sentence goes on in lower case on the next line; a headline is followed by a new sentence
        if (len(line) > 100 or line[-1] in ".,;:" or not is_title_case(line) or re.fullmatch(r"[\d\s.]+", line)
                or not re.match(r"[A-Z0-9‘“\"'(]", following) or SENTENCE_OPENING.match(line)
                or re.search(r",\s+[a-z]", line)):
            break
        heading_end = newline
        cursor = newline + 1
    if heading_end is None:
        return None, start
    body = cursor + len(text[cursor:end]) - len(text[cursor:end].lstrip())
    return (start, heading_end), body


def sentence_items(text: str, kind: str = "sentence") -> list[Item]:
    """One item per sentence; a headline glued in front of a sentence becomes the item's heading."""
    items = []
    for s, e in sentence_spans(text):
        heading, body = split_heading(text, s, e)
        if body >= e:
            continue
        fields = {"heading": heading} if heading else {}
        items.append(Item(start=body, end=e, kind_hint=kind, fields=fields,
                          heading=re.sub(r"\s+", " ", text[heading[0]:heading[1]]).strip() if heading else None))
    return items
