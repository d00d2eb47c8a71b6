"""Weekly brief: "In Brief" lists of bullets under agency headings, "Unpacked" analyses under headlines,
and a personnel section; text often comes from PDF, so bullets wrap over several lines and link lists
(bare URLs) interrupt the flow."""

from __future__ import annotations

import re
from collections import Counter

from policywatch.extract.agencies import find_agencies
from policywatch.model import Item
from policywatch.segment.lines import URL_LINE, Line, is_bullet, is_title_case, lines, personnel_items, trimmed

SECTIONS = [
    (re.compile(r"^(?:policy\s+)?in brief$|^policy(?: news)?$|^regulation$", re.I), "brief"),
    (re.compile(r"^(?:corporate|companies|business|industry|markets?)(?: in brief| news)?$", re.I), "corporate"),
    (re.compile(r"^unpacked$|^analysis$|^in focus$|^deep dive$|^spotlight$", re.I), "analysis"),
    (re.compile(r"^personnel(?: changes)?$|^people$|^appointments$|^personnel moves$", re.I), "personnel"),
    (re.compile(r"^signal receiver$|^signals?$|^in depth$|^executive summary$|^summary$|^outlook$|^contents$",
                re.I), "skip"),
]


def section_of(line: Line) -> str | None:
    """The section a line opens, when it is a section heading."""
    label = line.stripped.rstrip(":").strip()
    if len(label) > 40:
        return None
    for pattern, kind in SECTIONS:
        if pattern.match(label):
            return kind
    return None


def detect(text: str) -> bool:
    """An "In Brief" list and an analysis or personnel section."""
    found = {section_of(ln) for ln in lines(text)}
    return "brief" in found and bool(found & {"analysis", "personnel", "corporate"})


def _is_heading(line: Line, following: Line | None) -> bool:
    """An agency (or other issuer) heading inside a brief list: a short title-case line followed by a bullet."""
    text = line.stripped.removesuffix(":").strip()  # "Ministry of Commerce:" heads its bullets too
    if not text or is_bullet(line) or URL_LINE.match(text) or len(text) > 90 or text[-1] in ".,;:":
        return False
    agencies = find_agencies(text)
    if agencies and agencies[0].start == 0 and agencies[0].end >= len(text) - 1:
        return True
    return is_title_case(text) and following is not None and is_bullet(following)


def _next_content(all_lines: list[Line], i: int) -> Line | None:
    for line in all_lines[i + 1:]:
        if not line.blank:
            return line
    return None


def _brief_items(text: str, block: list[Line], kind: str, section: str) -> list[Item]:
    items: list[Item] = []
    heading: Line | None = None
    current: list[Line] = []

    def flush() -> None:
        if current:
            start, end = trimmed(text, current[0].start, current[-1].end)
            fields = {"agency": (heading.start, heading.start + len(heading.text.rstrip()))} if heading else {}
            items.append(Item(start=start, end=end, heading=heading.stripped if heading else None,
                              section=section, kind_hint=kind, fields=fields))
            current.clear()

    for i, line in enumerate(block):
        if URL_LINE.match(line.text):
            continue
        if is_bullet(line):
            flush()
            current.append(line)
        elif _is_heading(line, _next_content(block, i)):
            flush()
            heading = line
        elif current and not line.blank:
            current.append(line)
    flush()
    return items


def _headline(line: Line, previous: Line | None) -> bool:
    text = line.stripped
    return (8 <= len(text) <= 100 and text[-1] not in ".,;:" and is_title_case(text) and not URL_LINE.match(text)
            and (previous is None or previous.blank or previous.stripped.endswith((".", "”", ")", '"'))))


def _analysis_items(text: str, block: list[Line]) -> list[Item]:
    items: list[Item] = []
    start_line: Line | None = None
    last: Line | None = None
    previous: Line | None = None
    for line in block:
        if line.blank or URL_LINE.match(line.text):
            continue
        if _headline(line, previous) and not line.stripped.lower().startswith("takeaway"):
            if start_line is not None and last is not None:
                items.append(Item(start=start_line.start, end=last.end, heading=start_line.stripped,
                                  section="analysis", kind_hint="analysis"))
            start_line = line
        last = line
        previous = line
    if start_line is not None and last is not None:
        items.append(Item(start=start_line.start, end=last.end, heading=start_line.stripped,
                          section="analysis", kind_hint="analysis"))
    return [Item(**{**it.model_dump(), "end": trimmed(text, it.start, it.end)[1]}) for it in items]




def _running_lines(all_lines: list[Line]) -> set[str]:
    """Page headers and footers of a PDF: lines repeated three times or more, and bare page numbers."""
    counts = Counter(ln.stripped for ln in all_lines if ln.stripped and not is_bullet(ln))
    repeated = {t for t, n in counts.items() if n >= 3 and not find_agencies(t)}
    return repeated | {t for t in counts if re.fullmatch(r"(?:page\s*)?\d{1,3}(?:\s*/\s*\d{1,3})?", t, re.I)}


def segment(text: str) -> list[Item]:
    """Items of a weekly brief, by section."""
    every_line = lines(text)
    running = _running_lines(every_line)
    # a running header between two bullets would otherwise pass for the heading of the second
    all_lines = [Line("", ln.start) if ln.stripped in running else ln for ln in every_line]
    bounds: list[tuple[int, str]] = []
    for i, line in enumerate(all_lines):
        if kind := section_of(line):
            previous = bounds[-1] if bounds else None
            # "In Brief" right under "Corporate" lists corporate news: it keeps the section it subdivides
            if kind == "brief" and previous and previous[1] == "corporate" and \
                    all(ln.blank for ln in all_lines[previous[0] + 1:i]):
                kind = "corporate"
            bounds.append((i, kind))
    items: list[Item] = []
    for n, (i, kind) in enumerate(bounds):
        block = all_lines[i + 1:bounds[n + 1][0] if n + 1 < len(bounds) else len(all_lines)]
        if kind == "brief":
            items += _brief_items(text, block, "brief-policy", "brief")
        elif kind == "corporate":
            items += _brief_items(text, block, "event", "corporate")
        elif kind == "analysis":
            items += _analysis_items(text, block)
        elif kind == "personnel":
            items += personnel_items(text, block)
    return items
