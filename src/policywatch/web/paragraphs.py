"""Text laid out for reading: a PDF's hard line breaks inside a paragraph joined, offsets kept.

A PDF's text layer ends every printed line with a break (and our reader puts a blank line after each), so an
excerpt shows as a narrow column. reflow() replaces a break that continues a sentence by spaces of the same
length (zero-width ones between Chinese characters), so evidence offsets still point at the same characters."""

from __future__ import annotations

import re

from policywatch.hanzi import HAN

# a line break and the blank lines after it, up to the next line's first character
BREAK = re.compile(r"[ \t]*\n(?:[ \t]*\n)?[ \t]*(?=\S)")
ENDS_SENTENCE = re.compile(r"[.!?:;。！？：；」』”)）]\s*$")
STARTS_BLOCK = re.compile(r"(?:[-•*·▪]\s|\d{1,2}[.)、]\s?|[（(][一二三四五六七八九十\d]{1,3}[)）]|第[一二三四五六七八九十百\d]+[条章节]|https?://|#)")
WIDE_LINE = 40  # shorter lines are headings and list entries, kept as they are


def reflow(text: str) -> str:
    """``text`` with each line break inside a paragraph replaced by blanks of the same length."""
    pieces: list[str] = []
    cursor = 0
    for found in BREAK.finditer(text):
        start = text.rfind("\n", 0, found.start()) + 1
        line = text[start:found.start()].strip()
        following = text[found.end():found.end() + 12]
        if _continues(line, following):
            pieces.append(text[cursor:found.start()])
            joiner = "\u200b" if HAN.match(line[-1]) and HAN.match(following[0]) else " "
            pieces.append(joiner * (found.end() - found.start()))
            cursor = found.end()
    pieces.append(text[cursor:])
    return "".join(pieces)


def _continues(line: str, following: str) -> bool:
    """Whether the next line goes on with this one's sentence."""
    if len(line) < WIDE_LINE or ENDS_SENTENCE.search(line) or line.startswith(("http://", "https://")):
        return False
    words = [w for w in re.findall(r"[A-Za-z]+", line) if len(w) > 3]
    if words and all(w[0].isupper() for w in words):  # a headline: Huawei Launches New Phone Amid Sanctions
        return False
    return not STARTS_BLOCK.match(following)
