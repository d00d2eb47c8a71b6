"""Lines of a text with their offsets, and the line shapes layouts are built from."""

from __future__ import annotations

import re
from dataclasses import dataclass

from policywatch.model import Item

BULLET = re.compile(r"^\s*(?:[-–•*▪●◦·]|\d{1,2}[.)])\s+")
URL_LINE = re.compile(r"^\s*(?:https?://|www\.)\S+\s*$")


@dataclass(frozen=True)
class Line:
    """One line of the text: its content (without the newline) and where it starts."""

    text: str
    start: int

    @property
    def end(self) -> int:
        return self.start + len(self.text)

    @property
    def stripped(self) -> str:
        return self.text.strip()

    @property
    def blank(self) -> bool:
        return not self.text.strip()


def lines(text: str) -> list[Line]:
    """Every line of ``text`` with its start offset."""
    result, start = [], 0
    # a form feed (a PDF page break) ends a line as a newline does; both are one character
    for raw in re.split(r"[\n\f]", text):
        result.append(Line(raw, start))
        start += len(raw) + 1
    return result


def is_bullet(line: Line) -> bool:
    """A list item line: "- …", "• …", "1. …"."""
    return bool(BULLET.match(line.text))


def is_title_case(text: str) -> bool:
    """Most words of four letters or more start with a capital (headlines, agency names)."""
    words = [w for w in re.findall(r"[A-Za-z][\w’'-]*", text) if len(w) >= 4]
    if not words:
        return bool(re.fullmatch(r"[A-Z][\w ]*", text.strip()))
    return sum(w[0].isupper() for w in words) / len(words) >= 0.6


def trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """The span with surrounding whitespace removed."""
    chunk = text[start:end]
    return start + len(chunk) - len(chunk.lstrip()), end - (len(chunk) - len(chunk.rstrip()))


PERSON_START = re.compile(r"^\s*(?:[-•*]\s+)?[A-Z][a-z]+(?:[ -][A-Z][a-z]+){1,2}\s*(?:[(（][\u4e00-\u9fff·]{2,5}[)）]|,|"
                          r"\s(?:was|has|had|is|will|retired|resigned|left|stepped|became|took|joined|returned))")


def personnel_items(text: str, block: list[Line]) -> list[Item]:
    """One item per person: each starts at a line that opens with a name (wrapped lines continue it)."""
    items: list[Item] = []
    current: list[Line] = []

    def flush() -> None:
        if current:
            start, end = trimmed(text, current[0].start, current[-1].end)
            items.append(Item(start=start, end=end, section="personnel", kind_hint="personnel"))
            current.clear()

    for line in block:
        if line.blank or URL_LINE.match(line.text):
            continue
        if PERSON_START.match(line.text) or is_bullet(line):
            flush()
        current.append(line)
    flush()
    return items
