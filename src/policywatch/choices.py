"""The values a filter accepts (issuer and technology ids, statuses, dates) and, for a wrong one, the nearest
right ones: a mistyped filter is an error that says what was meant, never an empty result without a word."""

from __future__ import annotations

import re
from datetime import date

from policywatch.errors import PolicywatchError

STATUSES = ("draft", "final")
DATE = re.compile(r"(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?")


def issuers() -> dict[str, str]:
    """The registry's issuer ids and English names (local bodies are ids too: `jiangsu-miit`)."""
    from policywatch.registry import agencies

    return {a.id: a.name_en for a in agencies().values()}


def technologies() -> dict[str, str]:
    """The taxonomy's technology ids and names."""
    from policywatch.registry import technologies as taxonomy

    return {t.id: t.name for t in taxonomy()}


def _initials(name: str) -> str:
    return "".join(word[0] for word in re.findall(r"[A-Za-z0-9]+", name)).lower()


def nearest(value: str, choices: dict[str, str], limit: int = 3) -> list[str]:
    """The ids closest to ``value`` by id, name, abbreviation or initials (case ignored): the best and those
    scoring nearly as well, at most ``limit``."""
    from rapidfuzz import fuzz

    from policywatch.registry import agencies

    wanted = value.lower()
    abbrevs = {a.id: a.abbrev.lower() for a in agencies().values() if a.abbrev}
    scores = {}
    for key, name in choices.items():
        exact = wanted in (abbrevs.get(key), _initials(name))  # MIIT, AI (Artificial Intelligence)
        scores[key] = 200.0 if exact else max(fuzz.WRatio(wanted, key.lower()), fuzz.WRatio(wanted, name.lower()))
    ranked = sorted(scores, key=lambda key: (-scores[key], key))[:limit]
    return [key for key in ranked if scores[key] >= 0.85 * scores[ranked[0]]]


def _unknown(option: str, value: str, what: str, choices: dict[str, str], listing: str | None) -> PolicywatchError:
    near = ", ".join(nearest(value, choices))
    where = f" (`policywatch {listing}` lists them)" if listing else f" ({what}: {', '.join(choices)})"
    return PolicywatchError(f"{option} {value}: no such {what}; did you mean {near}?{where}")


def check_issuer(value: str | None, option: str = "--issuer") -> None:
    """An issuer id of the registry or a local body's id (`beijing-miit`); a body's own Chinese name passes."""
    if not value:
        return
    from policywatch.registry import agency

    if value in issuers() or (not value.isascii() and value.strip()) or agency(value) is not None:
        return
    raise _unknown(option, value, "issuer", issuers(), "issuers")


def check_technology(value: str | None, option: str = "--technology") -> None:
    if value and value not in technologies():
        raise _unknown(option, value, "technology", technologies(), "technologies")


def check_status(value: str | None, option: str = "--status") -> None:
    if value and value not in STATUSES:
        raise _unknown(option, value, "status", {s: s for s in STATUSES}, None)


def check_date(value: str | None, option: str) -> None:
    """YYYY, YYYY-MM or YYYY-MM-DD, and a real month and day."""
    if not value:
        return
    found = DATE.fullmatch(value)
    if found is None:
        raise PolicywatchError(f"{option} {value}: expected a date as YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = int(found["year"]), int(found["month"] or 1), int(found["day"] or 1)
    if not 1 <= month <= 12:
        raise PolicywatchError(f"{option} {value}: no month {found['month']}; months run from 01 to 12")
    try:
        date(year, month, day)
    except ValueError:
        raise PolicywatchError(f"{option} {value}: {year}-{month:02d} has no day {found['day']}") from None


def check_filters(issuer: str | None = None, status: str | None = None, technology: str | None = None,
                  date_from: str | None = None, date_to: str | None = None) -> None:
    """Every filter value given, checked; the first wrong one raises PolicywatchError naming it."""
    check_issuer(issuer)
    check_status(status)
    check_technology(technology)
    check_date(date_from, "--from")
    check_date(date_to, "--to")


def technology_name(technology_id: str) -> str:
    """A technology's name for labels (the id itself when the taxonomy lacks it)."""
    return technologies().get(technology_id, technology_id)


def issuer_label(issuer_id: str) -> str:
    """A short name for labels: the abbreviation or English name, and for a local body its place and its national
    counterpart's abbreviation (beijing-miit: Beijing MIIT); a body outside the registry as written."""
    from policywatch import places
    from policywatch.registry import agencies

    registry = agencies()
    if issuer_id in registry:
        return registry[issuer_id].abbrev or registry[issuer_id].name_en
    slug, _, counterpart = issuer_id.partition("-")
    place = places.by_slug(slug) if issuer_id.isascii() else None
    if place is None:
        return issuer_id
    if counterpart == "government":
        return f"{place.english} government"
    national = registry.get(counterpart)
    return f"{place.english} {national.abbrev or national.name_en if national else counterpart}"
