"""News reports in English, wire style: headline, date line, a dateline ("BEIJING --", "SHANGHAI, March 3 (Xinhua) --")
opening the first paragraph, then paragraphs. Items are the body's sentences; the headline and the article's
date are fields of the first item.
"""

from __future__ import annotations

import re

from policywatch.extract.dates import find_dates
from policywatch.model import Item, Span
from policywatch.segment.lines import lines, trimmed
from policywatch.segment.sentences import sentence_spans

DATELINE = re.compile(r"^\s*(?P<place>[A-Z][A-Z .'’-]{2,40}?)(?:,\s*(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,\s*\d{4})?))?"
                      r"\s*(?:\((?:Xinhua|Reuters|AP|AFP|Bloomberg|CGTN|China Daily|Caixin|SCMP)\)\s*)?(?:--|—|–|-)\s+(?=\S)")
DATE_LINE = re.compile(r"^\s*(?:(?:Updated|Published|Posted|Date|Time)\s*:?\s*)?(?P<date>[^|]{6,40}?)"
                       r"(?:\s+\d{1,2}:\d{2}(?::\d{2})?(?:\s*(?:BJT|GMT|UTC|CST))?)?\s*(?:\|.*)?$", re.I)


def _article_date(text: str, head: list) -> Span | None:
    for line in head:
        m = DATE_LINE.match(line.text)
        if m and (dates := find_dates(m.group("date"))) and len(dates[0].value) == 10 \
                and len(m.group("date").strip()) - (dates[0].end - dates[0].start) <= 2:
            return trimmed(text, line.start + m.start("date"), line.start + m.end("date"))
    return None


def _dateline_index(content: list) -> int | None:
    return next((i for i, ln in enumerate(content[:8]) if DATELINE.match(ln.text)), None)


def detect(text: str) -> bool:
    """English text whose first paragraph opens with a wire dateline."""
    content = [ln for ln in lines(text[:3000]) if not ln.blank]
    if not content or len(re.findall(r"[\u4e00-\u9fff]", text[:3000])) > 50:
        return False
    return _dateline_index(content) is not None


def segment(text: str) -> list[Item]:
    """The body's sentences; the first carries the headline and the article's date as fields."""
    content = [ln for ln in lines(text) if not ln.blank]
    index = _dateline_index(content)
    if index is None:
        return []
    fields: dict[str, Span] = {}
    if index > 0:
        fields["headline"] = trimmed(text, content[0].start, content[0].end)
    if date := _article_date(text, content[:index]):
        fields["article_date"] = date
    dateline = DATELINE.match(content[index].text)
    body_start = content[index].start + (dateline.end() if dateline else 0)
    fields["dateline"] = (content[index].start, body_start)
    items = []
    for start, end in sentence_spans(text, body_start):
        items.append(Item(start=start, end=end, kind_hint="news-sentence", section="news",
                          fields=fields if not items else {}))
    return items
