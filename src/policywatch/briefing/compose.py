"""What goes into a month's briefing, and in which order.

A policy belongs to the month of its stated date; a policy without one (or with only a year) belongs to the
month it was first reported in (its sources' ``reported`` date, else their documents' dates, else the day
they were stored), so none is silently dropped; a text signed at the end of a month and first reported in
the next belongs to the next (``month_of``). One entry per policy, citing every source document.

Top items are ranked by the signals of ``briefing/ranking.py`` weighted by ``data/ranking.csv`` (or a file
of that shape: ``weights``), highest first, ties by date then id; each entry keeps the terms of its score
(``Entry.explanation``). Off-topic policies (defence, courts, civil affairs …) stay in policy news. An
analyst's ``--pin`` adds 100 and puts a policy in the Top whatever its topic; ``--exclude`` removes it.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date as Date
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, select

from policywatch.briefing.ranking import TEXT_LIMIT, Contribution, Weight, explain, is_off_topic, read_weights, total
from policywatch.briefing.titles import english_title
from policywatch.errors import PolicywatchError
from policywatch.extract.agencies import find_agencies
from policywatch.extract.context import drop_links
from policywatch.registry import agency
from policywatch.shorten import shorten
from policywatch.store.notes import notes_by_policy
from policywatch.store.policies import get_policy, list_policies
from policywatch.store.resolution import chunks
from policywatch.store.schema import documents, mentions, policy_mentions

PIN = 100.0
PERIOD = re.compile(r"REPORTING PERIOD:\s*(?P<month>[A-Za-z]+)\s+\d", re.I)
MONTHS = {name.upper(): number for number, name in enumerate(calendar.month_name) if name}
PUBLICATION_LAG = 31  # days from a text's signing to its first report that still make it news of the later month


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
    title_translated: bool = False  # the English title is policywatch's translation of the Chinese one
    reported: str | None = None  # when the policy was first reported (what places it when no date is stated)
    explanation: list[Contribution] = field(default_factory=list)  # the terms of its score, largest first
    off_topic: bool = False

    @property
    def in_english(self) -> bool:
        """Whether the summary is English (else a news line names the policy by its English title)."""
        return _english_text(self.summary)

    @property
    def why(self) -> str:
        """The score as its terms: "7.50 = foreign +2.00 (外资, foreign-invested); technology +1.50 (5G); …"."""
        terms = [f"{c.signal} {c.points:+.2f}" + (f" ({c.why})" if c.why else "") for c in self.explanation if c.points]
        return f"{self.score:.2f} = " + ("; ".join(terms) if terms else "0")


def _english_text(text: str) -> bool:
    """Whether a text is mostly English: twice as many Latin letters as Chinese characters or more."""
    return len(re.findall(r"[A-Za-z]", text)) >= 2 * len(re.findall(r"[\u4e00-\u9fff]", text))


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
    explain: bool = False  # show why each Top entry ranks where it does

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
    """Issuers as a reader knows them: abbreviation where there is one, else the English name (a local body's
    too: `beijing-miit` is the Beijing Municipal counterpart of MIIT), else the name as written."""
    found = [agency(i) for i in ids]
    names = [(a.abbrev or a.name_en or a.name_zh) if a else i for i, a in zip(ids, found, strict=True)]
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


def score(policy: dict[str, Any], weights: dict[str, Weight] | None = None) -> float:
    """The ranking score of a policy as ``get_policy`` gives it (with ``documents`` and ``instrument``)."""
    return total(explain(policy, weights if weights is not None else read_weights()))


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
    goal = shorten((t.get("metric") or "").strip(" -"), 140)  # after a whole word, not "device com"
    when = f" by {t['year']}" if t.get("year") else ""
    return f"{amount.strip()}{when}: {goal}" if amount.strip() else f"{goal}{when}"


def _english(listed: dict[str, Any], full: dict[str, Any]) -> tuple[str, bool]:
    """The entry's English title and whether it is policywatch's translation: an English title a source gives,
    else the Chinese title translated, else what the sources say was issued."""
    if listed["title_en"]:
        return listed["title_en"], False
    given = next((s["fields"].get("title_en") for s in full["sources"] if s["fields"].get("title_en")), None)
    if given:
        return given, False
    if (translated := english_title(listed["title_zh"])) is not None:
        return translated, True
    return _sentence_case(listed["label"] or "policy"), False


def with_context(engine: Engine, full: dict[str, Any], most: int = 2) -> dict[str, Any]:
    """A policy as ``get_policy`` gives it, each source with the text of its document (``context``) when that
    document is about this policy: it reports at most ``most`` policies. A news story's duties and foreign angle
    are often told sentences after the one naming the policy; a briefing of twenty items is not one story."""
    ids = sorted({s["document_id"] for s in full["sources"]})
    with engine.connect() as connection:
        counts = dict(connection.execute(
            select(mentions.c.document_id, func.count(func.distinct(policy_mentions.c.policy_id)))
            .join(policy_mentions, policy_mentions.c.mention_id == mentions.c.id)
            .where(mentions.c.document_id.in_(ids)).group_by(mentions.c.document_id)).all())
        about = [i for i in ids if counts.get(i, 0) <= most]
        texts = dict(connection.execute(select(documents.c.id, func.substr(documents.c.text, 1, TEXT_LIMIT))
                                        .where(documents.c.id.in_(about))).all()) if about else {}
    return {**full, "sources": [{**s, "context": texts.get(s["document_id"])} for s in full["sources"]]}


def _entry(engine: Engine, listed: dict[str, Any], notes: dict[int, list[dict[str, Any]]], pinned: set[int],
           weights: dict[str, Weight], reported: str | None) -> Entry:
    full = with_context(engine, get_policy(engine, listed["id"]))
    sources = full["sources"]
    # the fullest description among the sources, which is what a reader needs at a glance: an English one first,
    # since the briefing is in English
    def told(source: dict[str, Any]) -> str:
        return source["summary"] or " ".join(source["evidence_text"])

    best = max(sources, key=lambda s: (_english_text(told(s)), len(told(s))), default=None)
    summary = glance(clean_text(best["summary"] or " ".join(best["evidence_text"]))) if best else ""
    comment = "\n\n".join(f"{n['text']} ({n['author']}, {n['created_at']:%Y-%m-%d})" for n in notes.get(listed["id"], []))
    explanation = explain({**full, "documents": listed["documents"], "instrument": listed["instrument"]}, weights)
    title, translated = _english(listed, full)
    return Entry(
        policy_id=listed["id"], score=total(explanation) + (PIN if listed["id"] in pinned else 0.0),
        title=title, title_zh=listed["title_zh"], issuers=listed["issuers"], issuer_names=issuer_names(listed["issuers"]),
        lead="" if find_agencies(summary[:80]) else issuer_names(listed["issuers"]),
        date=listed["date_stated"], status=listed["status"], summary=summary,
        targets=[_target_line(t) for t in full["data"].get("targets", [])][:6], comment=comment or None,
        sources=sorted({source_link(s["source"], s["document_id"]) for s in sources}), technologies=listed["technologies"],
        title_translated=translated, reported=reported, explanation=explanation, off_topic=is_off_topic(explanation))


def first_reports(engine: Engine, policy_ids: list[int]) -> dict[int, str]:
    """When each policy was first reported: the earliest ``reported`` date of its mentions, else of their
    documents' dates, else the day its first document was stored (so every policy has one)."""
    found: dict[int, tuple[str | None, str | None, str]] = {}
    with engine.connect() as connection:
        for chunk in chunks(sorted(policy_ids)):
            rows = connection.execute(
                select(policy_mentions.c.policy_id, mentions.c.data, documents.c.published, documents.c.ingested_at,
                       documents.c.layout, func.substr(documents.c.text, 1, 3000))
                .join(mentions, mentions.c.id == policy_mentions.c.mention_id)
                .join(documents, documents.c.id == mentions.c.document_id)
                .where(policy_mentions.c.policy_id.in_(chunk)))
            for pid, data, published, ingested, layout, head in rows:
                reported = (data or {}).get("reported") or None
                if layout == "monthly":  # a monthly briefing looks back: it reports its period, not its own date
                    reported = published = briefing_month(head, published)
                stored = f"{ingested:%Y-%m-%d}" if ingested else ""
                old = found.get(pid, (None, None, stored or "9999"))
                found[pid] = (min(filter(None, (old[0], reported)), default=None),
                              min(filter(None, (old[1], published)), default=None), min(old[2], stored or "9999"))
    return {pid: reported or published or stored for pid, (reported, published, stored) in found.items()}


def briefing_month(text: str, published: str | None) -> str | None:
    """The month a monthly briefing reports on: its "REPORTING PERIOD: FEBRUARY 1 - 28", else the month before
    its date."""
    if not published or len(published) < 7:
        return None
    year, number = int(published[:4]), int(published[5:7])
    if (m := PERIOD.search(text[:3000])) and m.group("month").upper() in MONTHS:
        reported = MONTHS[m.group("month").upper()]
        return f"{year - (1 if reported > number else 0)}-{reported:02d}"
    return f"{year - 1}-12" if number == 1 else f"{year}-{number - 1:02d}"


def month_of(stated: str | None, reported: str | None) -> str | None:
    """The month a policy belongs to: its stated date's, else (no date, or only a year) its first report's.

    A text signed at the end of one month and first made public in the next (its first report later than its
    month, within PUBLICATION_LAG days) belongs to the month it became public, as a briefing reports what was
    published in its period."""
    if stated and len(stated) >= 7:
        if len(stated) == 10 and reported and len(reported) == 10 and reported[:7] > stated[:7]:
            try:
                lag = (Date.fromisoformat(reported) - Date.fromisoformat(stated)).days
            except ValueError:
                lag = PUBLICATION_LAG + 1
            if lag <= PUBLICATION_LAG:
                return reported[:7]
        return stated[:7]
    return reported[:7] if reported and len(reported) >= 7 else None


def policies_of_month(engine: Engine, month: str) -> list[tuple[dict[str, Any], str | None]]:
    """The month's policies (not implied ones) as ``list_policies`` gives them, each with its first report."""
    every = list_policies(engine, include_implied=False)
    undated = [p["id"] for p in every if not p["date_stated"] or len(p["date_stated"]) < 7]
    # a dated policy's first report places it only when it was signed the month before (PUBLICATION_LAG)
    year, number = map(int, month.split("-"))
    before = f"{year - 1}-12" if number == 1 else f"{year}-{number - 1:02d}"
    dated = [p["id"] for p in every if p["date_stated"] and p["date_stated"][:7] in (month, before)]
    reports = first_reports(engine, undated + dated)
    return [(p, reports.get(p["id"])) for p in every if month_of(p["date_stated"], reports.get(p["id"])) == month]


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
            exclude: list[int] | None = None, title: str = "China Industry and Technology Policy Briefing",
            weights: Path | dict[str, Weight] | None = None, explain: bool = False) -> Briefing:
    """The briefing of ``month`` (YYYY-MM) from what the database holds, ranked with ``weights`` (a file like
    ``data/ranking.csv``, or read weights; default: the packaged file)."""
    if not re.fullmatch(r"(19|20)\d{2}-(0[1-9]|1[0-2])", month):
        raise PolicywatchError(f"--month {month}: expected YYYY-MM between 1900 and 2099, e.g. 2021-02")
    if top < 0:
        raise PolicywatchError("--top must be zero or more")
    read = weights if isinstance(weights, dict) else read_weights(weights)
    pinned, excluded = set(pin or []), set(exclude or [])
    listed = [(p, reported) for p, reported in policies_of_month(engine, month) if p["id"] not in excluded]
    known = {p["id"] for p, _ in listed}
    for pid in pinned - known:
        raise PolicywatchError(f"--pin {pid}: no policy of {month} has this id")
    notes = notes_by_policy(engine)
    entries = [_entry(engine, p, notes, pinned, read, reported) for p, reported in listed]
    ranked = sorted(entries, key=lambda e: (-e.score, e.date or e.reported or "", e.policy_id))
    # off-topic policies are news, never Top items, unless an analyst pins them
    eligible = [e for e in ranked if not e.off_topic or e.policy_id in pinned]
    top_entries = eligible[:top]
    chosen = {e.policy_id for e in top_entries}
    rest = sorted((e for e in ranked if e.policy_id not in chosen), key=lambda e: (e.date or e.reported or "", e.policy_id))
    for entry in rest:  # a news line says what happened in a sentence or two
        entry.summary = glance(entry.summary, 300)
        if not entry.in_english and " of the " in entry.title:  # the line names the policy, with its issuer
            entry.lead = ""
    year, number = map(int, month.split("-"))
    published = Date(year + number // 12, number % 12 + 1, 1)
    return Briefing(month, title, published, top_entries, rest, _news(engine, month, "event"),
                    _news(engine, month, "personnel"), explain)
