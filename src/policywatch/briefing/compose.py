"""What goes into a month's briefing, and in which order.

Top items are ranked by a documented, deterministic score (highest first; ties by date, then id):

    level        national 3, provincial or municipal 1, association 0.5 (the highest of the issuers)
  + instrument   law 3; plan, action plan, strategy 2.5; regulation, measures, provisions, decision 2;
                 opinions, guideline 1.5; standard, notice, announcement, interpretation, list 1; other 0.5
  + new targets  1 when the policy states targets, + new money 1 when it states amounts
  + sources      0.5 for every document beyond the first that reports it
  + analyst pin  100 (``--pin``); ``--exclude`` removes a policy from the briefing
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date as Date
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select

from policywatch.errors import PolicywatchError
from policywatch.extract.agencies import find_agencies
from policywatch.extract.context import drop_links
from policywatch.registry import agencies
from policywatch.store.notes import notes_by_policy
from policywatch.store.policies import get_policy, list_policies
from policywatch.store.schema import documents, mentions

LEVELS = {"national": 3.0, "provincial": 1.0, "municipal": 1.0, "association": 0.5}
INSTRUMENTS = {"law": 3.0, "plan": 2.5, "action plan": 2.5, "strategy": 2.5, "regulation": 2.0, "measures": 2.0,
               "provisions": 2.0, "decision": 2.0, "opinions": 1.5, "guideline": 1.5, "standard": 1.0, "notice": 1.0,
               "announcement": 1.0, "interpretation": 1.0, "list": 1.0}
PIN = 100.0


@dataclass
class Entry:
    """One policy of the briefing with what the reader sees about it."""

    policy_id: int
    score: float
    title: str
    title_zh: str | None
    issuers: list[str]
    issuer_names: str
    lead: str  # what opens the news line: the issuers, unless the summary already names them first
    date: str | None
    status: str | None
    summary: str
    targets: list[str]
    comment: str | None
    sources: list[SourceLink]
    technologies: list[str]


@dataclass(frozen=True, order=True)
class SourceLink:
    """A source named in the briefing and where a reader finds it: the page it came from, the file on disk, or
    the document in policywatch's web interface."""

    name: str
    url: str

    def __str__(self) -> str:
        return self.name


def source_link(source: str, document_id: int) -> SourceLink:
    """The link of a stored document's source."""
    name = source.rstrip("/").rsplit("/", 1)[-1] or source
    if re.match(r"https?://", source):
        return SourceLink(name, source)
    path = Path(source)
    if path.is_absolute() or path.exists():
        return SourceLink(name, path.resolve().as_uri())
    return SourceLink(name, f"/api/v1/documents/{document_id}")


@dataclass
class NewsItem:
    """A dated line of the news lists (corporate news, personnel)."""

    date: str | None
    text: str
    sources: list[SourceLink]
    companies: list[str] = field(default_factory=list)
    technologies: list[str] = field(default_factory=list)


@dataclass
class Briefing:
    """A month's briefing, ready to render."""

    month: str
    title: str
    published: Date
    top: list[Entry]
    policy_news: list[Entry]
    corporate_news: list[NewsItem]
    personnel: list[NewsItem]

    @property
    def period(self) -> str:
        year, month = map(int, self.month.split("-"))
        last = calendar.monthrange(year, month)[1]
        return f"{calendar.month_name[month].upper()} 1 - {last}"

    @property
    def month_name(self) -> str:
        year, month = map(int, self.month.split("-"))
        return f"{calendar.month_name[month]} {year}"


def format_date(value: str | None) -> str:
    """ISO date at any precision as analysts write it: "February 7, 2021", "February 2021", "2021"."""
    if not value:
        return "date not stated"
    parts = value.split("-")
    if len(parts) == 3:
        return f"{calendar.month_name[int(parts[1])]} {int(parts[2])}, {parts[0]}"
    if len(parts) == 2:
        return f"{calendar.month_name[int(parts[1])]} {parts[0]}"
    return parts[0]


def day_label(value: str | None) -> str:
    """The "February 7" label of a news bullet (no year: the briefing's period gives it)."""
    if value and len(value) == 10:
        return f"{calendar.month_name[int(value[5:7])]} {int(value[8:])}"
    return ""


def issuer_names(ids: list[str]) -> str:
    """Issuers as a reader knows them: abbreviation where there is one, else the English name."""
    registry = agencies()
    names = [registry[i].abbrev or registry[i].name_en if i in registry else i for i in ids]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def clean_text(text: str) -> str:
    """A source's summary without list marks, date labels, Markdown links and emphasis."""
    text = drop_links(text.split(" | ")[0])
    text = re.sub(r"^[\s\-*•]*(?:[A-Z][a-z]+\.? \d{1,2}(?:, \d{4})?:)?[\s*]*", "", text)
    text = re.sub(r"\*\*|#+\s|\*", "", text)
    return re.sub(r"\s+", " ", text).strip()


def glance(text: str, limit: int = 600) -> str:
    """A summary short enough to read at a glance, cut after a whole sentence; list marks become semicolons."""
    text = re.sub(r"\s+-\s+", "; ", text).replace(":;", ":")
    if len(text) <= limit:
        return text
    cut = max(text.rfind(". ", 0, limit), text.rfind("; ", 0, limit))
    return text[:cut + 1].rstrip(";") if cut > limit // 3 else text[:limit].rsplit(" ", 1)[0] + " …"


def score(policy: dict[str, Any]) -> float:
    """The ranking score of a policy for the Top items (see the module's docstring)."""
    registry = agencies()
    level = max((LEVELS.get(registry[i].level, 0.5) for i in policy["issuers"] if i in registry), default=0.5)
    instrument = INSTRUMENTS.get(policy.get("instrument") or "", 0.5)
    data = policy.get("data", {})
    extras = (1.0 if data.get("targets") else 0.0) + (1.0 if data.get("amounts") else 0.0)
    return level + instrument + extras + 0.5 * max(0, policy.get("documents", 1) - 1)


def _sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:]


def _figure(value: float) -> str:
    """A figure as people write it: 27,000,000 and 1.5, not 2.7e+07."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0").rstrip(".")


def _target_line(t: dict[str, Any]) -> str:
    if t.get("value") is None:
        amount = ""
    else:
        amount = _figure(t["value"]) + (f"-{_figure(t['value_max'])}" if t.get("value_max") else "") + \
            f" {t.get('unit') or ''}"
    goal = re.sub(r"\s+", " ", (t.get("metric") or "").strip(" -"))[:140]
    when = f" by {t['year']}" if t.get("year") else ""
    return f"{amount.strip()}{when}: {goal}" if amount.strip() else f"{goal}{when}"


def _entry(engine: Engine, listed: dict[str, Any], notes: dict[int, list[dict[str, Any]]], pinned: set[int]) -> Entry:
    full = get_policy(engine, listed["id"])
    sources = full["sources"]
    # the fullest description among the sources, which is what a reader needs at a glance
    best = max(sources, key=lambda s: len(s["summary"] or " ".join(s["evidence_text"])), default=None)
    summary = glance(clean_text(best["summary"] or " ".join(best["evidence_text"]))) if best else ""
    comment = "\n\n".join(f"{n['text']} ({n['author']}, {n['created_at']:%Y-%m-%d})" for n in notes.get(listed["id"], []))
    entry_score = score({**full, "documents": listed["documents"], "instrument": listed["instrument"]})
    return Entry(
        policy_id=listed["id"], score=entry_score + (PIN if listed["id"] in pinned else 0.0),
        title=listed["title_en"] or _sentence_case(listed["label"] or "policy"),
        title_zh=listed["title_zh"], issuers=listed["issuers"], issuer_names=issuer_names(listed["issuers"]),
        lead="" if find_agencies(summary[:80]) else issuer_names(listed["issuers"]),
        date=listed["date"], status=listed["status"], summary=summary,
        targets=[_target_line(t) for t in full["data"].get("targets", [])][:6], comment=comment or None,
        sources=sorted({source_link(s["source"], s["document_id"]) for s in sources}), technologies=listed["technologies"])


def _news(engine: Engine, month: str, kind: str) -> list[NewsItem]:
    with engine.connect() as connection:
        rows = connection.execute(select(mentions.c.data, mentions.c.date, documents.c.source, documents.c.id)
                                  .join(documents, documents.c.id == mentions.c.document_id)
                                  .where(mentions.c.kind == kind, mentions.c.date.like(f"{month}%"))
                                  .order_by(mentions.c.date, mentions.c.id)).all()
    items: dict[tuple, NewsItem] = {}
    for data, when, source, document_id in rows:
        name = source_link(source, document_id)
        if kind == "event":
            key: tuple = (when, tuple(sorted(c.lower() for c in data.get("companies", []))) or data.get("summary"))
            text = clean_text(data.get("summary") or "")
        else:
            key = (data.get("person_zh") or data.get("person_en"), data.get("change"))
            text = clean_text(data.get("summary") or "")
        if key in items:
            items[key].sources = sorted(set(items[key].sources) | {name})
            continue
        items[key] = NewsItem(when, text, [name], data.get("companies", []), data.get("technologies", []))
    return list(items.values())


def compose(engine: Engine, month: str, top: int = 5, pin: list[int] | None = None,
            exclude: list[int] | None = None, title: str = "China Industry and Technology Policy Briefing") -> Briefing:
    """The briefing of ``month`` (YYYY-MM) from what the database holds."""
    if not re.fullmatch(r"(19|20)\d{2}-(0[1-9]|1[0-2])", month):
        raise PolicywatchError(f"--month {month}: expected YYYY-MM between 1900 and 2099, e.g. 2021-02")
    if top < 0:
        raise PolicywatchError("--top must be zero or more")
    pinned, excluded = set(pin or []), set(exclude or [])
    listed = [p for p in list_policies(engine, date_from=month, date_to=month, include_implied=False)
              if p["id"] not in excluded]
    known = {p["id"] for p in listed}
    for pid in pinned - known:
        raise PolicywatchError(f"--pin {pid}: no policy of {month} has this id")
    notes = notes_by_policy(engine)
    entries = [_entry(engine, p, notes, pinned) for p in listed]
    ranked = sorted(entries, key=lambda e: (-e.score, e.date or "", e.policy_id))
    top_entries = ranked[:top]
    rest = sorted(ranked[top:], key=lambda e: (e.date or "", e.policy_id))
    for entry in rest:  # a news line says what happened in a sentence or two
        entry.summary = glance(entry.summary, 300)
    year, number = map(int, month.split("-"))
    published = Date(year + number // 12, number % 12 + 1, 1)
    return Briefing(month, title, published, top_entries, rest, _news(engine, month, "event"),
                    _news(engine, month, "personnel"))
