"""Monthly industry briefing: "Top N" analyses with labelled fields, then "Worth noting" lists of dated news.

Headings vary in level (##, ###, ####) and wording from issue to issue; sections are recognised by
their words ("Top", "Worth noting", "Policy news", "Corporate news"), items by their shape.
"""

from __future__ import annotations

import re

from policywatch.model import Item
from policywatch.segment.lines import Line, is_bullet, lines, personnel_items, trimmed

LABEL = re.compile(r"\*\*(?P<label>[A-Z][A-Za-z ]{1,30}):\*\*|^(?P<plain>Policy name|Issuing body|Issuing bodies|Date|"
                   r"At a glance|Status|Document number):", re.M)
NUMBERED = re.compile(r"^#{1,6}\s*(?:\*\*)?\d{1,2}[.)]\s+\S")
HEADING = re.compile(r"^#{1,6}\s+(?P<title>.+?)\s*#*\s*$")
DATE_LABEL = re.compile(r"^\s*[-•*]\s+\**(?P<date>(?:January|February|March|April|May|June|July|August|September|"
                        r"October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?\s+\d{1,2}"
                        r"(?:\s*[-–]\s*\d{1,2})?(?:,\s*\d{4})?):?\**:?", re.M)
SECTION_KINDS = [
    (re.compile(r"\btop\b|\bin focus\b|\bhighlights?\b", re.I), "top"),
    (re.compile(r"worth noting|in brief|other news|news round-?up|what else", re.I), "noting"),
    (re.compile(r"personnel|people|appointments", re.I), "personnel"),
    (re.compile(r"policy|political|regulat|government", re.I), "policy"),
    (re.compile(r"corporate|company|companies|business|industry news|market", re.I), "event"),
    (re.compile(r"authors?|editorial|publisher|contents|about|contact", re.I), "end"),
]


def detect(text: str) -> bool:
    """Labelled "Policy name" blocks or a "Worth noting" list of dated bullets."""
    return bool(re.search(r"\*\*Policy name:\*\*|^Policy name:", text, re.M)) or bool(
        re.search(r"^#{1,6}\s*worth noting", text, re.I | re.M) and DATE_LABEL.search(text))


def _section(title: str) -> str | None:
    for pattern, kind in SECTION_KINDS:
        if pattern.search(title):
            return kind
    return None


def _bullets(text: str, block: list[Line], kind: str, heading: str | None, section: str | None) -> list[Item]:
    """Dated or plain bullets of a list, each with its wrapped continuation lines."""
    items: list[Item] = []
    current: list[Line] = []

    def flush() -> None:
        if current:
            start, end = trimmed(text, current[0].start, current[-1].end)
            fields = {}
            if m := DATE_LABEL.match(current[0].text):
                fields["date"] = (current[0].start + m.start("date"), current[0].start + m.end("date"))
            items.append(Item(start=start, end=end, heading=heading, section=section, kind_hint=kind, fields=fields))
            current.clear()

    for line in block:
        if is_bullet(line):
            flush()
            current.append(line)
        elif line.blank or HEADING.match(line.text):
            flush()
        elif current:
            current.append(line)
    flush()
    return items


def _top_block(text: str, block: list[Line], heading: str) -> list[Item]:
    start, end = trimmed(text, block[0].start, block[-1].end)
    body = text[start:end]
    labels = list(LABEL.finditer(body))
    fields: dict[str, tuple[int, int]] = {}
    for i, m in enumerate(labels):
        name = (m.group("label") or m.group("plain")).lower()
        if name.endswith("comment"):
            name = "comment"
        value_end = labels[i + 1].start() if i + 1 < len(labels) else len(body)
        fields[name] = trimmed(text, start + m.end(), start + value_end)
    if "policy name" in fields:
        # the evidence is the block up to the analyst's comment: the comment cites other documents too
        item_end = fields["comment"][0] if "comment" in fields else end
        return [Item(start=start, end=item_end, heading=heading, section="top", kind_hint="policy", fields=fields)]
    dated = [ln for ln in block if DATE_LABEL.match(ln.text)]
    if dated:
        return _bullets(text, block, "dated", heading, "top")
    if "at a glance" in fields:  # a Top item about a company or an event: the glance says what happened
        item_end = fields["comment"][0] if "comment" in fields else end
        return [Item(start=start, end=item_end, heading=heading, section="top", kind_hint="top-story", fields=fields)]
    return []


def segment(text: str) -> list[Item]:
    """Items of a monthly briefing: labelled Top blocks, and the dated bullets of the news lists."""
    items: list[Item] = []
    all_lines = lines(text)
    section, subsection = None, None
    i = 0
    while i < len(all_lines):
        line = all_lines[i]
        heading = HEADING.match(line.text)
        if heading and NUMBERED.match(line.text) and section in ("top", None):
            j = i + 1
            while j < len(all_lines) and not HEADING.match(all_lines[j].text):
                j += 1
            items.extend(_top_block(text, all_lines[i:j], heading.group("title").strip("* ")))
            section = "top"
            i = j
            continue
        if heading:
            kind = _section(heading.group("title"))
            if kind in ("top", "noting", "end"):
                section, subsection = kind, None
            elif kind in ("policy", "event", "personnel") and section in ("noting", "top", None):
                section, subsection = "noting", kind
            elif section == "noting":  # a list of another name ("EU-China news"): each bullet decides
                subsection = "dated"
            i += 1
            continue
        if section == "noting" and subsection == "personnel" and not line.blank:
            j = i
            while j < len(all_lines) and not HEADING.match(all_lines[j].text):
                j += 1
            items.extend(personnel_items(text, all_lines[i:j]))
            i = j
            continue
        if section == "noting" and subsection and is_bullet(line):
            j = i
            while j < len(all_lines) and not HEADING.match(all_lines[j].text):
                j += 1
            items.extend(_bullets(text, all_lines[i:j], subsection, None, subsection))
            i = j
            continue
        i += 1
    return items
