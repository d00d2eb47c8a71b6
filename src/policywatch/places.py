"""Places of China (provinces, prefecture-level cities, counties) from the shipped list, with pinyin slugs.

Local bodies get compositional ids from them (`jiangsu-miit`, `shenzhen-government`): the place list is data,
the bodies are not listed one by one.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

LEVELS = {"provincial": "provincial", "municipal": "municipal", "county": "county"}
# English names that are not the pinyin of the short name, as international reports write them.
ENGLISH = {"neimenggu": "Inner Mongolia", "xizang": "Tibet", "xianggang": "Hong Kong", "aomen": "Macao",
           "shaanxi": "Shaanxi"}


@dataclass(frozen=True)
class Place:
    """One administrative division: its names, level, parent and slug."""

    adcode: str
    name: str  # full name: 江苏省, 深圳市, 延边朝鲜族自治州
    short: str  # without its suffix: 江苏, 深圳, 延边
    level: str  # provincial, municipal or county
    parent: str  # adcode of the division above, "" for a province
    abbrev: str  # one-character abbreviation of a province (苏), used in document numbers
    slug: str  # lower-case pinyin: jiangsu

    @property
    def english(self) -> str:
        return ENGLISH.get(self.slug) or self.slug.title()


@cache
def places() -> list[Place]:
    """Every place of the list."""
    text = files("policywatch.data").joinpath("places.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    return [Place(**row) for row in rows]


@cache
def by_adcode() -> dict[str, Place]:
    return {p.adcode: p for p in places()}


@cache
def by_name() -> dict[str, Place]:
    """Full names of every place, and short names of provinces and cities (a province wins a shared short name:
    吉林 is the province, 吉林市 the city)."""
    found: dict[str, Place] = {}
    for place in sorted(places(), key=lambda p: ("provincial", "municipal", "county").index(p.level)):
        found.setdefault(place.name, place)
        if place.level != "county":
            found.setdefault(place.short, place)
    return found


@cache
def by_english() -> dict[str, Place]:
    """Provinces and cities by their English name ("Guangdong", "Inner Mongolia"); provinces win."""
    found: dict[str, Place] = {}
    for place in sorted(places(), key=lambda p: ("provincial", "municipal", "county").index(p.level)):
        if place.level != "county":
            found.setdefault(place.english, place)
    return found


@cache
def by_abbrev() -> dict[str, Place]:
    """Provinces by their one-character abbreviation (苏 -> 江苏)."""
    return {p.abbrev: p for p in places() if p.abbrev}


def slug(name: str) -> str:
    """The slug of a place name: from the list, else pypinyin's reading of it."""
    if (place := by_name().get(name)) is not None:
        return place.slug
    from pypinyin import lazy_pinyin

    return "".join(lazy_pinyin(name)).lower().replace("ü", "v")


def by_slug(value: str) -> Place | None:
    """The province or city whose slug this is (provinces first)."""
    return _slugs().get(value)


@cache
def _slugs() -> dict[str, Place]:
    found: dict[str, Place] = {}
    for place in sorted(places(), key=lambda p: ("provincial", "municipal", "county").index(p.level)):
        found.setdefault(place.slug, place)
    return found
