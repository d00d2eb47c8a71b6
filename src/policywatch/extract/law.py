"""Records of Chinese laws and regulations: the law itself, the version the text is, and its history."""

from __future__ import annotations

import re

from policywatch.extract import titles
from policywatch.extract.agencies import find_agencies
from policywatch.extract.dates import find_dates
from policywatch.extract.mentions import Context
from policywatch.extract.official import _ZH_DATE, ADOPTED_BY, cited_policies, effective_date, repeals
from policywatch.extract.technologies import tag_technologies
from policywatch.model import Item, Mention


def law_mentions(item: Item, ctx: Context) -> list[Mention]:
    """A law or regulation: title, the body that adopted it and when, the date it takes effect."""
    title_span = item.fields["title"]
    note = item.fields.get("adoption")
    note_text = ctx.text[note[0]:note[1]] if note else ""
    date = None
    issuers: list[str] = []
    if note_text:
        adopted = re.search(rf"(?P<date>{_ZH_DATE})[^，。；）)]*?(?:通过|公布)", note_text)
        dates = find_dates(adopted.group("date")) if adopted else find_dates(note_text)
        date = dates[0].value if dates else None
        if by := ADOPTED_BY.search(note_text):
            issuers = [a.id for a in find_agencies(by.group("body"))][:1]
    number = None
    if note_text and (order := re.search(r"(?:^|[日\s\u3000（(])(?P<o>[\u4e00-\u9fff]{2,24}?令\s*第\s*\d+\s*号)", note_text)):
        number = re.sub(r"\s+", "", ctx.written(note[0] + order.start("o"), note[0] + order.end("o")))
    body = ctx.text[item.start:item.end]
    folded_title = ctx.text[title_span[0]:title_span[1]]
    evidence = [s for s in (title_span, note, item.fields.get("in_force")) if s]
    mention = Mention(
        kind="policy", evidence=evidence, title_zh=re.sub(r"[\s\u3000]+", "", ctx.written(*title_span)),
        doc_number=number, issuers=issuers, date=date, date_effective=effective_date(body, date),
        status="draft" if re.search(r"草案|征求意见稿", folded_title) else "final", period=titles.period(folded_title),
        instrument=titles.instrument(folded_title), level="national")
    mention.technologies = tag_technologies(folded_title + " " + body[:3000])
    mention.relations += repeals(ctx.text, item.start, body)
    return [mention, *cited_policies(ctx, (note[1] if note else title_span[1], item.end), None, set())]
