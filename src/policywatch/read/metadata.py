"""Title and publication date a document states about itself."""

from __future__ import annotations

import calendar
import re

from policywatch.extract.dates import find_dates
from policywatch.read.address import address_date, is_address, sidecar_address

HEADER_CHARS = 800
# Dates of a header that are not the page's: when a text takes effect or a period closes ("实施日期为2020年10月1日",
# "自2021年5月1日起施行", "effective from", "deadline")
NOT_PUBLISHED_BEFORE = re.compile(r"(?:实施|施行|生效|截止|截至)(?:日期|时间)?\s*(?:为|是|[:：])?\s*自?\s*$"
                                  r"|(?:effective|in force|implementation|deadline)\W*(?:date|from|on|as of)?\W*$", re.I)
NOT_PUBLISHED_AFTER = re.compile(r"\s*(?:起)?(?:施行|实施|生效)")
# A date set as a calendar leaf at the top of a news page: the day large, the year and month small beside it
# ("24" / "2020" / "-" / "02", or "2020-02" / "24")
STACKED_DATE = re.compile(r"\A\s*(?:(?P<d>\d{1,2})\s*\n\s*(?P<y>(?:19|20)\d{2})\s*[-./]\s*(?P<m>\d{1,2})"
                          r"|(?P<y2>(?:19|20)\d{2})\s*[-./]\s*(?P<m2>\d{1,2})\s*\n\s*(?P<d2>\d{1,2}))\s*\n")


def find_title(text: str) -> str | None:
    """The first Markdown heading, or the first short non-empty line."""
    lines = [ln.strip() for ln in text[:3000].splitlines() if ln.strip()]
    for ln in lines:
        if ln.startswith("#"):
            return ln.lstrip("#").strip() or None
    for ln in lines[:5]:
        if 3 <= len(ln) <= 120 and not re.match(r"^(https?://|[-*•])", ln):
            return ln
    return None


def find_published(text: str) -> str | None:
    """The 成文日期 on its own line closing an official document, else a full date in the header."""
    tail = text[-400:]
    for line in reversed(tail.splitlines()):
        line = line.strip()
        if line:
            closing = find_dates(line)
            if len(closing) == 1 and closing[0].end - closing[0].start == len(line) and len(closing[0].value) == 10:
                return closing[0].value
            break
    header = text[:HEADER_CHARS]
    full = [d for d in find_dates(header) if len(d.value) == 10 and d.explicit_year
            and not NOT_PUBLISHED_BEFORE.search(header[max(0, d.start - 20):d.start])
            and not NOT_PUBLISHED_AFTER.match(header[d.end:d.end + 8])]
    if full:
        return full[0].value
    if leaf := STACKED_DATE.match(text[:HEADER_CHARS]):
        year, month, day = (int(leaf.group(g) or leaf.group(g + "2")) for g in ("y", "m", "d"))
        if 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]:
            return f"{year:04d}-{month:02d}-{day:02d}"
    return None

__all__ = ["HEADER_CHARS", "address_date", "find_published", "find_title", "is_address", "sidecar_address"]
