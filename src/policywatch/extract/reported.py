"""The date of the document that reports a policy (``Mention.reported``): its page date, dateline or 发布时间, else
the date its web address carries, else the date it states as published. Every policy record of a document carries
it, so that a policy whose text states no date of its own still belongs to the month it was reported in."""

from __future__ import annotations

import re

from policywatch.extract.dates import find_dates
from policywatch.model import Item, Mention
from policywatch.read.address import address_date


def _full(text: str, reference: str | None = None) -> str | None:
    found = find_dates(re.sub(r"\s+", "", text), reference)
    return found[0].value if found else None


def document_date(text: str, items: list[Item], published: str | None, source: str | None) -> str | None:
    """The day the document speaks from: a page date its layout labels (发布时间, a site's 发布日期), a dateline
    (新华社北京2月22日电) completed with the year its address or publication date gives, the date in its address,
    else its stated publication date."""
    from_address = address_date(source)
    fields = items[0].fields if items else {}
    for name in ("published", "meta_published"):
        if (span := fields.get(name)) and (day := _full(text[span[0]:span[1]])) and len(day) == 10:
            return day
    reference = from_address or published
    if (span := fields.get("dateline")) and reference and (day := _full(text[span[0]:span[1]], reference)):
        return day
    return from_address or published


def stamp(mentions: list[tuple[int | None, Mention]], reported: str | None) -> list[tuple[int | None, Mention]]:
    """Every policy record takes the document's date as ``reported`` (one it already has is kept)."""
    if reported:
        for _, mention in mentions:
            if mention.kind == "policy" and mention.reported is None:
                mention.reported = reported
    return mentions
