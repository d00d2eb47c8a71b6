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
