"""Numbers as written in briefings: 1,000 / 100 000 / 1.5 / six / 6-8 / 两千 / 1.5万 / 3亿."""

from __future__ import annotations

import re

WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
         "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40,
         "fifty": 50, "hundred": 100, "a hundred": 100, "a dozen": 12, "dozens": 24}
SCALES = {"thousand": 1e3, "k": 1e3, "million": 1e6, "mn": 1e6, "m": 1e6, "mio": 1e6, "billion": 1e9, "bn": 1e9,
          "b": 1e9, "trillion": 1e12, "tn": 1e12, "万": 1e4, "亿": 1e8, "万亿": 1e12, "千": 1e3, "百万": 1e6,
          "千万": 1e7}
ZH_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
ZH_UNITS = {"十": 10, "百": 100, "千": 1000}

# A figure: digits with thousands separators (comma or a single space) and decimals, or a spelled-out number.
NUMBER = (r"(?:\d{1,3}(?:,\d{3})+|\d{1,3}(?: \d{3})+(?![\d,])|\d+)(?:\.\d+)?"
          r"|\b(?:" + "|".join(sorted(WORDS, key=len, reverse=True)) + r")\b")
ZH_NUMBER = r"[零〇一二两三四五六七八九十百千]+"


def parse_number(token: str) -> float:
    """The value of one number token (digits, separators, English number words or Chinese numerals)."""
    token = token.strip().lower()
    if token in WORDS:
        return float(WORDS[token])
    if re.fullmatch(ZH_NUMBER, token):
        return float(parse_zh_number(token))
    return float(token.replace(",", "").replace(" ", ""))


def parse_zh_number(token: str) -> int:
    """Chinese numerals below ten thousand: 二十 = 20, 三百五十 = 350, 两千 = 2000, 一二三 read digit by digit."""
    if not any(u in token for u in ZH_UNITS):
        return int("".join(str(ZH_DIGITS[c]) for c in token))
    total, current = 0, 0
    for ch in token:
        if ch in ZH_DIGITS:
            current = ZH_DIGITS[ch]
        else:
            total += (current or 1) * ZH_UNITS[ch]
            current = 0
    return total + current


def scale(word: str | None) -> float:
    """The multiplier of a scale word (million, bn, 亿…); 1 when there is none."""
    return SCALES.get((word or "").lower().strip(), 1.0)
