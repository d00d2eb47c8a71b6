"""Data files shipped with the package: the agency registry and the technology taxonomy."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib.resources import files


@dataclass(frozen=True)
class Agency:
    """One issuing body of the registry."""

    id: str
    abbrev: str
    name_en: str
    name_zh: str
    level: str
    parent: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class Technology:
    """One technology of the taxonomy, with the regular-expression keywords that tag it."""

    id: str
    name: str
    group: str
    keywords: tuple[str, ...]


def _rows(name: str) -> list[dict[str, str]]:
    text = files("policywatch.data").joinpath(name).read_text(encoding="utf-8")
    return list(csv.DictReader(line for line in text.splitlines() if not line.startswith("#")))


@cache
def agencies() -> dict[str, Agency]:
    """The agency registry by id."""
    return {r["id"]: Agency(r["id"], r["abbrev"], r["name_en"], r["name_zh"], r["level"], r["parent"],
                            tuple(a for a in r["aliases_en"].split("|") if a)) for r in _rows("agencies.csv")}


def agency(agency_id: str) -> Agency | None:
    """A registry agency, or a local body by its compositional id (`jiangsu-miit`, `shenzhen-government`)."""
    if (found := agencies().get(agency_id)) is not None:
        return found
    from policywatch import places
    from policywatch.extract.localities import counterparts

    if not agency_id.isascii():
        return _written(agency_id)

    slug, _, counterpart = agency_id.partition("-")
    place = places.by_slug(slug)
    row = next((r for r in counterparts() if r["counterpart"] == counterpart), None)
    if place is None or row is None:
        return None
    national = agencies().get(counterpart)
    # Beijing, Shanghai, Tianjin and Chongqing are provinces in rank but cities in name: their bodies are 局, not 厅
    city = place.name.endswith("市")
    suffix = "局" if city else {"provincial": "厅", "municipal": "局"}.get(place.level, "")
    names = row["zh"].split("|")
    zh = "人民政府" if counterpart == "government" else next((n for n in names if n.endswith(suffix)), names[0])
    kind = "Municipal" if city else {"provincial": "Provincial", "municipal": "Municipal"}.get(place.level, "County")
    name_en = f"{place.english} {kind} People's Government" if counterpart == "government" else \
        f"{place.english} {kind} counterpart of the {national.name_en if national else counterpart}"
    parent = "" if place.level == "provincial" or counterpart == "government" else f"{place.slug}-government"
    return Agency(agency_id, "", name_en, place.name + zh, place.level, parent, ())


def _written(name: str) -> Agency:
    """A body the registry lacks, as the text wrote it (江苏省某某中心): its level from the place it opens with."""
    from policywatch import places

    place = next((places.by_name()[name[:n]] for n in range(min(len(name), 12), 1, -1)
                  if name[:n] in places.by_name()), None)
    return Agency(name, "", "", name, place.level if place else "national", "", ())


@cache
def technologies() -> list[Technology]:
    """The technology taxonomy (the 16 ATI technologies and further policy fields)."""
    return [Technology(r["id"], r["name"], r["group"], tuple(k for k in r["keywords"].split("|") if k))
            for r in _rows("technologies.csv")]
