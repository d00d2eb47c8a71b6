"""Local bodies (provincial, municipal, county) named in text, with compositional ids `{place}-{counterpart}`.

The counterpart is the national body whose portfolio a local one mirrors (江苏省工业和信息化厅 -> jiangsu-miit,
深圳市人民政府 -> shenzhen-government); both the places and the portfolio names are data files, so no list of
local bodies is kept by hand.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from policywatch import places
from policywatch.extract.trie import trie_regex


@dataclass(frozen=True)
class LocalBody:
    """A local body named in text; ``place`` is None where the text leaves it out (省工业和信息化厅)."""

    place: places.Place | None
    counterpart: str
    start: int
    end: int

    @property
    def id(self) -> str | None:
        return f"{self.place.slug}-{self.counterpart}" if self.place else None


@cache
def counterparts() -> list[dict[str, str]]:
    """The portfolio table: counterpart id, Chinese names, English patterns."""
    text = files("policywatch.data").joinpath("counterparts.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(line for line in text.splitlines() if not line.startswith("#")))


@cache
def _zh_counterpart() -> dict[str, str]:
    return {name: row["counterpart"] for row in counterparts() for name in row["zh"].split("|")}


@cache
def _zh_pattern() -> re.Pattern[str]:
    names, bodies = trie_regex(list(places.by_name())), trie_regex(list(_zh_counterpart()))
    return re.compile(rf"(?:(?P<place>{names})|(?P<generic>自治区|省|市|县|区))(?P<body>{bodies})")


@cache
def _en_pattern() -> re.Pattern[str]:
    bodies = "|".join(f"(?P<c_{i}>{row['en']})" for i, row in enumerate(counterparts()))
    place = trie_regex(list(places.by_english()))
    qualifier = r"(?:(?i:provincial|municipal|city|regional|autonomous\s+region(?:al)?|people['’]s|local)\s+)*"
    return re.compile(
        rf"(?<![\w-])(?P<place>{place})(?:['’]s)?\s+{qualifier}(?i:{bodies})(?![\w-])"
        rf"|(?<![\w-]){qualifier}(?i:{bodies.replace('(?P<c_', '(?P<d_')})\s+of\s+(?:the\s+)?(?P<place2>{place})"
        rf"(?:\s+(?i:province|municipality|city|autonomous region))?(?![\w-])")


def find_local_bodies(text: str) -> list[LocalBody]:
    """Local bodies named in ``text`` (Chinese or English), in order of appearance."""
    found: list[LocalBody] = []
    if re.search(r"[\u4e00-\u9fff]", text):
        for m in _zh_pattern().finditer(text):
            place = places.by_name().get(m.group("place")) if m.group("place") else None
            found.append(LocalBody(place, _zh_counterpart()[m.group("body")], m.start(), m.end()))
    if re.search(r"[A-Za-z]", text):
        rows = counterparts()
        for m in _en_pattern().finditer(text):
            name = m.group("place") or m.group("place2")
            index = next(int(k[2:]) for k, v in m.groupdict().items() if v is not None and k[:2] in ("c_", "d_"))
            found.append(LocalBody(places.by_english()[re.sub(r"\s+", " ", name)], rows[index]["counterpart"],
                                   m.start(), m.end()))
    return sorted(found, key=lambda b: b.start)
