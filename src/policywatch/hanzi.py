"""Traditional Chinese characters folded to Simplified for matching and search, one character for one.

The stored text is never changed: a folded copy has the same length, so every offset found in it points
into the original too.
"""

from __future__ import annotations

import re
from functools import cache

# The one class of Chinese characters in policywatch: CJK Unified Ideographs with Extension A, and the
# Compatibility Ideographs some Traditional and Korean-encoded texts use. As text for a regex class, so a
# module can combine it with more (punctuation, letters); migration 0011 writes the same range for SQLite.
HAN_CHARS = r"\u3400-\u9fff\uf900-\ufaff"
HAN = re.compile(f"[{HAN_CHARS}]")


@cache
def _converter():  # type: ignore[no-untyped-def]
    import opencc

    return opencc.OpenCC("t2s")


@cache
def _mainland():  # type: ignore[no-untyped-def]
    import opencc

    return opencc.OpenCC("tw2sp")


@cache
def _char(ch: str) -> str:
    folded = _converter().convert(ch)
    return folded if len(folded) == 1 else ch


def to_simplified(text: str) -> str:
    """``text`` with Traditional characters replaced by Simplified ones; the length never changes."""
    if not HAN.search(text):
        return text
    folded = _converter().convert(text)
    if len(folded) == len(text):
        return folded
    # OpenCC's phrase tables may change the length of a phrase: fold character by character instead
    return "".join(_char(ch) if HAN.match(ch) else ch for ch in text)


def is_traditional(text: str) -> bool:
    """Whether ``text`` has characters that fold to other Simplified ones."""
    return to_simplified(text) != text


def to_mainland(text: str) -> str:
    """``text`` in Simplified characters with mainland vocabulary (OpenCC's tw2sp): Taiwan's 資料 as 数据, 軟體 as
    软件, so that regional usage finds the same words. For matching only: the length may change. Simplified text
    comes back as it is."""
    if not HAN.search(text):
        return text
    return _mainland().convert(text)


def own_characters(fragment: str, text: str, folded_text: str | None = None) -> str:
    """``fragment`` as ``text`` writes it: a Simplified copy of a Traditional passage (an extracted summary) is
    replaced by the passage itself, found through the folded text, which has the same length."""
    if not fragment or fragment in text or not HAN.search(fragment):
        return fragment
    folded_text = to_simplified(text) if folded_text is None else folded_text
    # a summary joins lines and spaces with one plain space where the text may have a newline or an ideographic space
    pattern = r"\s+".join(re.escape(chunk) for chunk in to_simplified(fragment).split())
    found = re.search(pattern, folded_text) if pattern else None
    return text[found.start():found.end()] if found else fragment
