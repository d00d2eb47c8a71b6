"""Dates in English and Chinese text, at the precision the text states (YYYY, YYYY-MM, YYYY-MM-DD)."""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|" \
         r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
_ORD = r"(?:st|nd|rd|th)?"
ZH_DIGITS = {"〇": 0, "零": 0, "○": 0, "Ｏ": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
             "八": 8, "九": 9}
_ZH_NUM = r"[〇零○Ｏ一二三四五六七八九十]"

PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(r"(?<![\d/])(?P<y>(?:19|20)\d{2})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?![\d/])")),
    ("zh", re.compile(rf"(?P<y>(?:19|20)\d{{2}}|{_ZH_NUM}{{4}})\s*年\s*(?P<m>\d{{1,2}}|{_ZH_NUM}{{1,2}})\s*月"
                      rf"(?:\s*(?P<d>\d{{1,2}}|{_ZH_NUM}{{1,3}})\s*日)?")),
    ("zh", re.compile(rf"(?<![\d年])(?P<m>\d{{1,2}}|{_ZH_NUM}{{1,2}})月(?P<d>\d{{1,2}}|{_ZH_NUM}{{1,3}})日")),
    ("mdy", re.compile(rf"(?i)\b(?P<mon>{_MONTH})\s+(?P<d>\d{{1,2}}){_ORD}(?!\d)(?:\s*,?\s*(?P<y>(?:19|20)\d{{2}})\b)?")),
    ("dmy", re.compile(rf"(?i)\b(?P<d>\d{{1,2}}){_ORD}\s+(?:of\s+)?(?P<mon>{_MONTH})(?:\s*,?\s*(?P<y>(?:19|20)\d{{2}})\b)?")),
    ("my", re.compile(rf"(?i)\b(?P<mon>{_MONTH})\s*,?\s+(?P<y>(?:19|20)\d{{2}})\b")),
    # A month name alone is a date only after a preposition and capitalised ("in December", not "may").
    ("m", re.compile(r"\b(?:[Ii]n|[Ss]ince|[Oo]n|[Ff]rom|[Uu]ntil|[Bb]y|[Ll]ate|[Ee]arly|[Mm]id-?|[Ee]nd of)\s+"
                     r"(?P<mon>(?:January|February|March|April|May|June|July|August|September|October|November|December))\b")),
    ("y", re.compile(r"(?<![\d.,/-])(?P<y>(?:19|20)\d{2})(?![\d%.,]\d|年)")),
]


# Every match of these families holds a month's name, or 月: where a text has none, they are not run on it.
_MONTH_NAME = re.compile(r"(?i)\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)")
_NAMED = frozenset({"mdy", "dmy", "my", "m"})


@dataclass(frozen=True)
class DateMatch:
    """A date found in text: its ISO value at the stated precision and where it stands."""

    value: str
    start: int
    end: int
    explicit_year: bool
    kind: str  # which pattern family matched; "y" marks a bare year


def _zh_int(token: str) -> int:
    if token.isdigit():
        return int(token)
    if len(token) == 4 and "十" not in token:  # 二〇二一 is read digit by digit
        return int("".join(str(ZH_DIGITS[c]) for c in token))
    if "十" in token:
        tens, _, units = token.partition("十")
        return (ZH_DIGITS[tens] if tens else 1) * 10 + (ZH_DIGITS[units] if units else 0)
    return int("".join(str(ZH_DIGITS[c]) for c in token))


def infer_year(month: int, reference: str | None) -> int | None:
    """The year of a month named without one: the reference's, or the year before for a later month."""
    if not reference:
        return None
    ref_year = int(reference[:4])
    ref_month = int(reference[5:7]) if len(reference) >= 7 else 12
    return ref_year - 1 if month > ref_month + 2 else ref_year


def find_dates(text: str, reference: str | None = None) -> list[DateMatch]:
    """All dates in ``text``; yearless ones take their year from ``reference`` (YYYY[-MM[-DD]]) or are dropped."""
    taken: list[tuple[int, int]] = []  # sorted, never overlapping: a bisection finds a clash in log time
    found: list[DateMatch] = []
    absent = set(_NAMED) if _MONTH_NAME.search(text) is None else set()
    if "月" not in text:
        absent.add("zh")
    for kind, pattern in PATTERNS:
        if kind in absent:
            continue
        for m in pattern.finditer(text):
            start, end = m.span()
            at = bisect.bisect_left(taken, (start, start))
            if (at < len(taken) and taken[at][0] < end) or (at and taken[at - 1][1] > start):
                continue
            groups = m.groupdict()
            try:
                month = MONTHS[groups["mon"].lower().rstrip(".")] if groups.get("mon") else (
                    _zh_int(groups["m"]) if groups.get("m") else None)
                day = _zh_int(groups["d"]) if groups.get("d") else None
                year = _zh_int(groups["y"]) if groups.get("y") else None
            except (KeyError, ValueError):
                continue
            explicit = year is not None
            if year is None and month is not None:
                year = infer_year(month, reference)
            if year is None or not 1900 <= year <= 2100:
                continue
            if (month is not None and not 1 <= month <= 12) or (day is not None and not 1 <= day <= 31):
                continue
            value = f"{year:04d}" + (f"-{month:02d}" if month else "") + (f"-{day:02d}" if month and day else "")
            bisect.insort(taken, (start, end))
            found.append(DateMatch(value, start, end, explicit, kind))
    return sorted(found, key=lambda d: d.start)


_URL_DATE = re.compile(r"(?<!\d)((?:19|20)\d{2})[-/]?(0[1-9]|1[0-2])(?:[-/]?(?:[0-2]\d|3[01]))?(?!\d)")


def infer_reference(text: str, published: str | None = None) -> str | None:
    """The date a document speaks from: its stated publication date, else the commonest year-month it cites."""
    if published:
        return published
    months = Counter(f"{m.group(1)}-{m.group(2)}" for m in _URL_DATE.finditer(text))
    if months:
        return max(months.items(), key=lambda kv: (kv[1], kv[0]))[0]
    # goal years ("by 2025") say nothing about when a document was written
    years = Counter(d.value[:4] for d in find_dates(text) if d.explicit_year
                    and not re.search(r"\b(?:by|until|before|through)\s*$", text[max(0, d.start - 12):d.start]))
    return max(years.items(), key=lambda kv: (kv[1], kv[0]))[0] if years else None


WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}
RELATIVE = re.compile(r"\b(?:on\s+)?(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
                      r"|\b(?P<rel>yesterday|today|last year|this year|last month|this month)\b", re.I)


def relative_dates(text: str, reference: str | None) -> list[DateMatch]:
    """Dates a news report gives relative to its own date: "on Tuesday" is the latest Tuesday on or before the
    article's date; "last year" is the year before. Weekdays need a full reference date."""
    import datetime

    if not reference:
        return []
    found = []
    day = datetime.date.fromisoformat(reference) if len(reference) == 10 else None
    year = int(reference[:4])
    for m in RELATIVE.finditer(text):
        value = None
        if m.group("wd") and day:
            value = (day - datetime.timedelta(days=(day.weekday() - WEEKDAYS[m.group("wd").lower()]) % 7)).isoformat()
        elif (rel := (m.group("rel") or "").lower()) in ("yesterday", "today") and day:
            value = (day - datetime.timedelta(days=1 if rel == "yesterday" else 0)).isoformat()
        elif rel == "last year":
            value = str(year - 1)
        elif rel == "this year":
            value = str(year)
        elif rel in ("last month", "this month") and len(reference) >= 7:
            month = int(reference[5:7]) - (rel == "last month")
            value = f"{year - (month == 0):04d}-{(month - 1) % 12 + 1:02d}"
        if value:
            found.append(DateMatch(value, m.start(), m.end(), True, "relative"))
    return found
