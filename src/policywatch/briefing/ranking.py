"""The Top ranking: what an analyst weighs, read from a policy as signals, weighted by a file a team can tune.

Each signal has a value between 0 and 1 and a weight (``data/ranking.csv``, or a fitted file of the same shape);
a policy's score is the sum of weight x value, and every Top entry can show that sum term by term. The words the
signals look for are in ``data/ranking_terms.csv``.
"""

from __future__ import annotations

import csv
import os
import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from policywatch.errors import PolicywatchError
from policywatch.extract.technologies import tag_technologies
from policywatch.extract.titles import instrument as instrument_named
from policywatch.hanzi import HAN, to_simplified
from policywatch.registry import agency

SIGNALS = ("technology", "industry", "duties", "foreign", "new_plan", "draft", "interpretation", "revision",
           "national", "local", "instrument", "targets", "money", "sources", "off_topic")
PLANS = frozenset({"plan", "action plan", "strategy", "outline", "programme", "work plan", "implementation plan"})
RULES = frozenset({"law", "regulation", "regulations", "measures", "provisions", "rules", "decision"})
GUIDANCE = frozenset({"opinions", "guideline", "guidelines", "guiding opinions", "guidance", "standard"})
NOTICES = frozenset({"notice", "announcement", "list", "catalogue", "circular", "interpretation"})
# how far a source's text is read for words: a law's whole text would make every duty word count
TEXT_LIMIT = 20_000
WEIGHTS_ENV = "POLICYWATCH_RANKING"


@dataclass(frozen=True)
class Weight:
    """One row of the weights file."""

    signal: str
    weight: float
    description: str


@dataclass(frozen=True)
class Contribution:
    """What one signal adds to a policy's score, and the words or facts it was read from."""

    signal: str
    value: float
    weight: float
    why: str

    @property
    def points(self) -> float:
        return self.value * self.weight


def user_weights() -> Path:
    """Where ``briefing fit`` writes the team's weights by default: ranking.csv in the user's data folder."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("policywatch")) / "ranking.csv"


def weights_path(path: Path | None) -> Path | None:
    """The weights file to rank with: ``path``, else $POLICYWATCH_RANKING, else the fitted ranking.csv in the
    user's data folder when there is one, else None (the packaged ``data/ranking.csv``)."""
    if path is not None:
        return path
    if os.environ.get(WEIGHTS_ENV):
        return Path(os.environ[WEIGHTS_ENV])
    return user_weights() if user_weights().is_file() else None


def read_weights(path: Path | None = None) -> dict[str, Weight]:
    """The weights by signal: ``path``, else the packaged ``data/ranking.csv``. Signals missing from a file weigh 0."""
    try:
        text = path.read_text(encoding="utf-8") if path else files("policywatch.data").joinpath("ranking.csv").read_text(
            encoding="utf-8")
    except OSError as exc:
        raise PolicywatchError(f"{path}: {exc.strerror}") from None
    weights: dict[str, Weight] = {}
    for row in csv.DictReader(line for line in text.splitlines() if line.strip() and not line.startswith("#")):
        name = (row.get("signal") or "").strip()
        if name not in SIGNALS:
            raise PolicywatchError(f"{path or 'ranking.csv'}: unknown signal '{name}' (known: {', '.join(SIGNALS)})")
        try:
            weights[name] = Weight(name, float(row["weight"]), (row.get("description") or "").strip())
        except (TypeError, ValueError):
            raise PolicywatchError(f"{path or 'ranking.csv'}: weight of '{name}' is not a number") from None
    return weights


def write_weights(weights: dict[str, float], path: Path, header: str = "") -> None:
    """Write weights in the shape ``read_weights`` reads, with the packaged descriptions."""
    described = read_weights()
    lines = [f"# {line}" for line in header.splitlines()] + ["signal,weight,description"]
    for name in SIGNALS:
        description = described[name].description if name in described else ""
        quoted = '"' + description.replace('"', '""') + '"' if ("," in description or '"' in description) else description
        lines.append(f"{name},{weights.get(name, 0.0):.3f},{quoted}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@cache
def terms() -> dict[str, tuple[tuple[str, ...], re.Pattern[str] | None]]:
    """For each signal with words: its Chinese terms and one pattern of its English ones."""
    text = files("policywatch.data").joinpath("ranking_terms.csv").read_text(encoding="utf-8")
    found: dict[str, tuple[list[str], list[str]]] = {}
    for row in csv.DictReader(line for line in text.splitlines() if line.strip() and not line.startswith("#")):
        chinese, english = found.setdefault(row["signal"].strip(), ([], []))
        term = row["term"].strip()
        (chinese if HAN.search(term) else english).append(term)
    result = {}
    for signal, (chinese, english) in found.items():
        longest = sorted(english, key=len, reverse=True)
        pattern = re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, longest)) + r")(?![\w-])", re.I) if english else None
        result[signal] = (tuple(to_simplified(t) for t in chinese), pattern)
    return result


def words_of(signal: str, text: str) -> list[str]:
    """The distinct words of ``signal``'s list found in ``text`` (Chinese as Simplified, English lower-cased)."""
    chinese, pattern = terms().get(signal, ((), None))
    simple = to_simplified(text) if HAN.search(text) else text
    found = [t for t in chinese if t in simple]
    if pattern is not None:
        found += [m.group().lower() for m in pattern.finditer(text)]
    return list(dict.fromkeys(found))


def _instrument_value(instrument: str | None) -> float:
    name = (instrument or "").lower()
    if name in PLANS:
        return 1.0
    if name in RULES:
        return 0.8
    if name in GUIDANCE:
        return 0.6
    if name in NOTICES:
        return 0.4
    return 0.2


def _titles(policy: dict[str, Any]) -> str:
    return " ".join(t for t in (policy.get("title_zh"), policy.get("title_en"), policy.get("label")) if t)


def _texts(policy: dict[str, Any]) -> list[str]:
    """What the sources say of the policy (summaries, evidence, and the whole text of a document about it, which
    ``compose.with_context`` adds), each cut at TEXT_LIMIT characters."""
    texts = []
    for source in policy.get("sources", []):
        text = " ".join([source.get("summary") or "", *source.get("evidence_text", []), source.get("context") or ""])
        texts.append(text[:TEXT_LIMIT])
    return texts


def _heads(policy: dict[str, Any]) -> str:
    """Where a text says what it is (a revision, an interpretation): the opening of each source's summary, of its
    evidence, and of the document about the policy (a law's history, a news story's first paragraph)."""
    heads = []
    for source in policy.get("sources", []):
        heads += [(source.get("summary") or "")[:300], " ".join(source.get("evidence_text", []))[:300],
                  (source.get("context") or "")[:400]]
    return " ".join(h for h in heads if h)


def _count(n: int, noun: str) -> str:
    return "" if not n else f"1 {noun}" if n == 1 else f"{n} {noun}s"


def _listed(words: list[str], limit: int = 4) -> str:
    return ", ".join(words[:limit]) + (f" (+{len(words) - limit})" if len(words) > limit else "")


def _instrument(policy: dict[str, Any]) -> tuple[str | None, str]:
    """The policy's instrument, else the instrument word of the sentences naming it ("released the work plan for
    …"), with a note saying so."""
    instrument = policy.get("instrument") or (policy.get("data") or {}).get("instrument")
    if instrument:
        return instrument, ""
    named = " ".join(" ".join(s.get("evidence_text", []))[:500] for s in policy.get("sources", []))
    return (instrument_named(named) if named else None), " (as its sources call it)"


def _relevance(policy: dict[str, Any], titles: str, texts: list[str]) -> dict[str, tuple[float, str]]:
    """Technology, industry, duties for companies, the foreign angle, and whether it is off the topic."""
    values: dict[str, tuple[float, str]] = {}
    body = " ".join(texts)
    tags = policy.get("technologies") or []
    in_name = [t for t in tag_technologies(to_simplified(titles)) if t in tags] if tags else []
    if in_name:  # the policy is about a technology its title names
        values["technology"] = (1.0, _listed(in_name))
    elif tags:  # a technology its text mentions somewhere (a law's hundred articles name many)
        values["technology"] = (0.5, _listed(tags) + " (in its text)")
    else:  # a story about the policy names its technologies in sentences its record does not hold: half the signal
        story = tag_technologies(" ".join(s.get("context") or "" for s in policy.get("sources", [])))
        values["technology"] = (0.5 if story else 0.0, _listed(story) + " (in a story about it)" if story else "")
    in_title = words_of("industry", titles)
    in_text = [] if in_title else words_of("industry", " ".join(t[:2000] for t in texts))
    values["industry"] = (1.0 if in_title else 0.5 if in_text else 0.0, _listed(in_title or in_text))
    duties = words_of("duties", body)
    values["duties"] = (min(1.0, len(duties) / 3), _listed(duties))
    # one passing word (境外, overseas) is half the signal; the title, or two words of it, all of it
    foreign_title = words_of("foreign", titles)
    foreign = list(dict.fromkeys(foreign_title + words_of("foreign", body)))
    values["foreign"] = (1.0 if foreign_title or len(foreign) >= 2 else 0.5 if foreign else 0.0, _listed(foreign))
    # off topic by what the policy is called; only without any title by the opening of what it says
    off = words_of("off_topic", titles or " ".join(t[:200] for t in texts))
    values["off_topic"] = (1.0 if off else 0.0, _listed(off))
    return values


def _novelty(policy: dict[str, Any], titles: str, instrument: str | None, told: str) -> dict[str, tuple[float, str]]:
    """A first issue, a draft, an interpretation, or a revision of an earlier text."""
    data = policy.get("data") or {}
    heads = _heads(policy)
    relations = policy.get("relations") or []
    # a plan of a new period superseding the last one is a new edition, not a revision
    revising = ("revises",) if (data.get("period") or policy.get("period")) else ("revises", "supersedes")
    revises = [r for r in relations if r.get("direction") == "to" and r.get("type") in revising]
    versions = data.get("versions") or [v for s in policy.get("sources", []) for v in (s.get("fields") or {}).get(
        "versions", [])]
    revision = [f"{r['type']} policy {r['policy_id']}" for r in revises] + \
        ([f"{len(versions)} earlier versions"] if versions else []) + words_of("revision", titles + " " + heads)
    interpretation = [f"{'interprets' if r.get('direction') == 'to' else 'interpreted by'} policy {r['policy_id']}"
                      for r in relations if r.get("type") == "interprets"] + \
        words_of("interpretation", titles + " " + heads)
    first = (instrument or "").lower() in PLANS | GUIDANCE | RULES and not revision  # a first plan, law or rules
    draft = policy.get("status") == "draft"
    return {"revision": (1.0 if revision else 0.0, _listed(revision)),
            "interpretation": (1.0 if interpretation else 0.0, _listed(interpretation)),
            "new_plan": (1.0 if first else 0.0, f"a new {instrument}{told}" if first else ""),
            "draft": (1.0 if draft else 0.0, "draft for comment" if draft else "")}


def _standing(policy: dict[str, Any], instrument: str | None, told: str) -> dict[str, tuple[float, str]]:
    """Issuer level, instrument, targets and money stated, and how many documents report it."""
    data = policy.get("data") or {}
    levels = {found.level for i in policy.get("issuers") or [] if (found := agency(i)) is not None}
    national = "national" in levels
    local = bool(levels & {"provincial", "municipal"}) and not national
    names = ", ".join(policy.get("issuers") or [])
    targets, amounts = data.get("targets") or [], data.get("amounts") or []
    documents = policy.get("documents") or len({s.get("document_id") for s in policy.get("sources", [])}) or 1
    return {"national": (1.0 if national else 0.0, names if national else ""),
            "local": (1.0 if local else 0.0, names if local else ""),
            "instrument": (_instrument_value(instrument), f"{instrument}{told}" if instrument else "not stated"),
            "targets": (1.0 if targets else 0.0, _count(len(targets), "target")),
            "money": (1.0 if amounts else 0.0, _count(len(amounts), "sum")),
            "sources": (min(1.0, max(0, documents - 1) / 3), f"{documents} documents")}


def signals(policy: dict[str, Any]) -> dict[str, tuple[float, str]]:
    """Each signal's value (0-1) for a policy as ``get_policy`` returns it (plus ``documents`` and ``instrument``
    as ``list_policies`` gives them), with what it was read from."""
    instrument, told = _instrument(policy)
    titles = _titles(policy)
    values = {**_relevance(policy, titles, _texts(policy)), **_novelty(policy, titles, instrument, told),
              **_standing(policy, instrument, told)}
    return {name: values[name] for name in SIGNALS}


def explain(policy: dict[str, Any], weights: dict[str, Weight]) -> list[Contribution]:
    """Every signal with a value, with its weight and why: the terms of the policy's score, largest first."""
    found = [Contribution(name, value, weights[name].weight if name in weights else 0.0, why)
             for name, (value, why) in signals(policy).items() if value]
    return sorted(found, key=lambda c: (-abs(c.points), c.signal))


def total(contributions: list[Contribution]) -> float:
    """The score: the sum of the contributions."""
    return round(sum(c.points for c in contributions), 4)


def is_off_topic(contributions: list[Contribution]) -> bool:
    """Whether the policy is off the briefing's topic (it stays in policy news, never in the Top)."""
    return any(c.signal == "off_topic" and c.value for c in contributions)


def vector(policy: dict[str, Any]) -> list[float]:
    """The signal values in SIGNALS order: a row of the fitting's features."""
    values = signals(policy)
    return [values[name][0] for name in SIGNALS]
