"""Title and publication date a document states about itself."""

from __future__ import annotations

import re

from policywatch.extract.dates import find_dates
from policywatch.read.address import address_date, is_address, sidecar_address

HEADER_CHARS = 800


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
    full = [d for d in find_dates(text[:HEADER_CHARS]) if len(d.value) == 10 and d.explicit_year]
    return full[0].value if full else None

__all__ = ["HEADER_CHARS", "address_date", "find_published", "find_title", "is_address", "sidecar_address"]
