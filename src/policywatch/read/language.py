"""Language of a document: en, zh or mixed, from its script mix."""

from __future__ import annotations

import re

from policywatch.hanzi import HAN

CJK = HAN
LATIN = re.compile(r"[A-Za-z]")


def detect_language(text: str) -> str:
    """Classify by weight of CJK characters against Latin letters (a Chinese character ≈ 2 letters)."""
    cjk = len(CJK.findall(text))
    latin = len(LATIN.findall(text))
    weight = cjk / (cjk + latin / 2) if cjk or latin else 0.0
    if weight >= 0.7:
        return "zh"
    if weight <= 0.15:
        return "en"
    return "mixed"
