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


LABELLED_DATE = re.compile(r"\b(?:Updated|Published|Posted|Date)\s*:?\s*(?P<date>(?:19|20)\d{2}-\d{1,2}-\d{1,2}|"
                           r"[A-Z][a-z]{2,8}\.? \d{1,2},? (?:19|20)\d{2}|\d{1,2} [A-Z][a-z]{2,8} (?:19|20)\d{2})", re.I)


def _article_date(text: str, head: list) -> Span | None:
    """The article's date: a line that is only a date (and a time), or a labelled one ("Updated: 2021-07-13")."""
    for line in head:
        m = DATE_LINE.match(line.text)
        if m and (dates := find_dates(m.group("date"))) and len(dates[0].value) == 10 \
                and len(m.group("date").strip()) - (dates[0].end - dates[0].start) <= 2:
            return trimmed(text, line.start + m.start("date"), line.start + m.end("date"))
        if (labelled := LABELLED_DATE.search(line.text)) and find_dates(labelled.group("date")):
            return line.start + labelled.start("date"), line.start + labelled.end("date")
    return None


def _is_headline(line) -> bool:  # type: ignore[no-untyped-def]
    return 10 <= len(line.stripped) <= 150 and not line.stripped.endswith((".", ":", ";")) and line.stripped[0].isupper()


def _body_index(text: str, content: list) -> int | None:
    """Where the report's body starts: the paragraph with the dateline, or the first paragraph after a headline
    and a date line."""
    if (index := next((i for i, ln in enumerate(content[:8]) if DATELINE.match(ln.text)), None)) is not None:
        return index
    if len(content) >= 3 and _is_headline(content[0]) and (date := _article_date(text, content[1:3])) is not None:
        after = next(i for i, ln in enumerate(content) if ln.end >= date[1]) + 1
        # a wire story's lead is a sentence or two (a short one of 80 characters still makes a report)
        if after < len(content) and len(content[after].stripped) > 80 and re.search(r"[.!?][\"”'’)]*$",
                                                                                   content[after].stripped):
            return after
    return None


def detect(text: str) -> bool:
    """English text shaped as a report: a wire dateline, or a headline and a date line over paragraphs."""
    content = [ln for ln in lines(text[:3000]) if not ln.blank]
    if not content or len(re.findall(r"[\u4e00-\u9fff]", text[:3000])) > 50:
        return False
    return _body_index(text, content) is not None


def segment(text: str) -> list[Item]:
    """The body's sentences; the first carries the headline and the article's date as fields."""
    content = [ln for ln in lines(text) if not ln.blank]
    index = _body_index(text, content)
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
