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


_QUALIFIER = r"(?:(?i:provincial|municipal|city|regional|autonomous\s+region(?:al)?|people['’]s|local)\s+)*"


@cache
def _en_bodies(prefix: str) -> str:
    """The English body patterns, one named group per counterpart row (``{prefix}{row}``)."""
    return "|".join(f"(?P<{prefix}{i}>{row['en']})" for i, row in enumerate(counterparts()))


@cache
def _en_places() -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-])(?:{trie_regex(list(places.by_english()))})(?![\w-])")


@cache
def _en_after() -> re.Pattern[str]:
    """A body after its place: "Jiangsu Provincial Department of Industry and Information Technology"."""
    return re.compile(rf"(?:['’]s)?\s+{_QUALIFIER}(?i:{_en_bodies('c_')})(?![\w-])")


@cache
def _en_before() -> re.Pattern[str]:
    """A body before its place, up to the place: "the Development and Reform Commission of Guangdong"."""
    return re.compile(rf"(?<![\w-]){_QUALIFIER}(?i:{_en_bodies('d_')})\s+of\s+(?:the\s+)?$")


_PLACE_KIND = re.compile(r"\s+(?i:province|municipality|city|autonomous region)(?![\w-])")


def _en_local_bodies(text: str) -> list[LocalBody]:
    """English local bodies, found from their place (a fast trie) outwards: the place names the search,
    the body before or after it is read only there."""
    rows, found, end = counterparts(), [], 0
    for m in _en_places().finditer(text):
        if m.start() < end:
            continue
        place = places.by_english()[re.sub(r"\s+", " ", m.group())]
        window = max(0, m.start() - 160)
        before = _en_before().search(text, window, m.start())
        if before is not None:
            kind = _PLACE_KIND.match(text, m.end())
            stop = kind.end() if kind else m.end()
            index = next(int(k[2:]) for k, v in before.groupdict().items() if v is not None)
        elif (after := _en_after().match(text, m.end())) is not None:
            index = next(int(k[2:]) for k, v in after.groupdict().items() if v is not None)
            stop = after.end()
        else:
            continue
        start = before.start() if before is not None else m.start()
        found.append(LocalBody(place, rows[index]["counterpart"], start, stop))
        end = stop
    return found


def find_local_bodies(text: str) -> list[LocalBody]:
    """Local bodies named in ``text`` (Chinese or English), in order of appearance."""
    found: list[LocalBody] = []
    if re.search(r"[\u4e00-\u9fff]", text):
        for m in _zh_pattern().finditer(text):
            place = places.by_name().get(m.group("place")) if m.group("place") else None
            found.append(LocalBody(place, _zh_counterpart()[m.group("body")], m.start(), m.end()))
    if re.search(r"[A-Za-z]", text):
        found += _en_local_bodies(text)
    return sorted(found, key=lambda b: b.start)
