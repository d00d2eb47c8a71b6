"""Lifecycle: relations between policies (final of a draft, interpretation of a plan, successor, revision,
forwarding, repeal), editions of one plan, and the history of a target across versions.

A mention's relation ("the final version of a draft released on 10 November") is a claim with one lookup key
("draft:2020-11-10"); every policy has the lookup keys it answers to. A claim links to the first policy, in key
order, that answers to its key and matches it, or to a policy implied by the claim alone. So a claim's target
changes only when a policy with its key changes, which lets a store re-link just those claims.
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz

from policywatch.extract.context import content_words
from policywatch.resolve.clustering import MERGE_TITLE, REVIEW_TITLE, MentionRecord, PolicyCluster, number_key, zh_key

PERIOD = re.compile(r"((?:19|20)\d{2})\s*[-–—]\s*((?:19|20)\d{2})")
LINEAGE = ("final_of", "revises", "supersedes", "repeals")  # versions of one policy, for its target history


@dataclass
class RelationLink:
    """A lifecycle link between two clusters (by key), with the mention whose text states it."""

    from_key: str
    to_key: str
    type: str
    mention_id: int | None
    evidence: list[list[int]]


def title_stem(title: str) -> str:
    """A title without its period and brackets: the same plan across its editions."""
    return re.sub(r"\s+", " ", re.sub(r"\(?\s*(?:19|20)\d{2}\s*[-–—]\s*(?:19|20)\d{2}\s*\)?|[“”\"]", " ", title)).strip().lower()


def _overlapping_issuers(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return not a.get("issuers") or not b.get("issuers") or bool(set(a["issuers"]) & set(b["issuers"]))


def _interpreted_plan(f: dict[str, Any], source: dict[str, Any], rel: dict[str, Any]) -> bool:
    title = f.get("title_en") or ""
    return not title.lower().startswith("interpretation") and \
        fuzz.token_set_ratio(title.lower(), rel["title_en"].lower()) >= MERGE_TITLE


def _earlier_draft(f: dict[str, Any], source: dict[str, Any], rel: dict[str, Any]) -> bool:
    return _overlapping_issuers(f, source)


def _predecessor(f: dict[str, Any], source: dict[str, Any], rel: dict[str, Any]) -> bool:
    stem = title_stem(source.get("title_en") or "")
    return _overlapping_issuers(f, source) and \
        (not stem or fuzz.token_set_ratio(title_stem(f.get("title_en") or ""), stem) >= REVIEW_TITLE)


def _revised(f: dict[str, Any], source: dict[str, Any], rel: dict[str, Any]) -> bool:
    return _overlapping_issuers(f, source) and (not rel.get("status") or f.get("status") == rel["status"])


def _same_key(f: dict[str, Any], source: dict[str, Any], rel: dict[str, Any]) -> bool:
    return True  # the lookup key (document number, Chinese title) is the whole match


RELATION_MATCHERS = {"interprets": _interpreted_plan, "final_of": _earlier_draft, "supersedes": _predecessor,
                     "revises": _revised, "forwarded_by": _same_key, "repeals": _same_key}


def lookup_keys(fields: dict[str, Any]) -> set[str]:
    """The claim lookups a policy answers to: its date as a draft, its date at each precision, its period,
    document number, Chinese title and English title words."""
    keys: set[str] = set()
    date = fields.get("date") or ""
    if date and fields.get("status") == "draft":
        keys.add(f"draft:{date}")
    keys.update(f"date:{date[:n]}" for n in (4, 7, 10) if len(date) >= n)
    if fields.get("period"):
        keys.add("period:{}-{}".format(*fields["period"]))
    if fields.get("doc_number"):
        keys.add(f"number:{number_key(fields['doc_number'])}")
    if fields.get("title_zh"):
        keys.add(f"zh:{zh_key(fields['title_zh'])}")
    keys.update(f"word:{w}" for w in content_words(fields.get("title_en") or ""))
    return keys


def claim_lookup(rel: dict[str, Any]) -> str | None:
    """The one lookup key a stated relation is matched by, or None when it states too little to match."""
    kind = rel.get("type")
    if kind == "final_of" and rel.get("date"):
        return f"draft:{rel['date']}"
    if kind == "revises" and rel.get("date"):
        return f"date:{rel['date']}"
    if kind == "supersedes" and rel.get("period"):
        return "period:{}-{}".format(*rel["period"])
    if kind == "forwarded_by" and rel.get("doc_number"):
        return f"number:{number_key(rel['doc_number'])}"
    if kind == "repeals" and rel.get("title_zh"):
        return f"zh:{zh_key(rel['title_zh'])}"
    if kind == "interprets" and rel.get("title_en"):
        words = sorted(content_words(rel["title_en"]), key=lambda w: (-len(w), w))
        return f"word:{words[0]}" if words else None
    return None


def claim_lookups(record: MentionRecord) -> list[str]:
    """The lookup keys of every relation a mention states."""
    return [key for rel in record.data.get("relations", []) if (key := claim_lookup(rel))]


def _implied_fields(kind: str, source: dict[str, Any], rel: dict[str, Any]) -> dict[str, Any]:
    """What a relation tells about a policy that no mention describes."""
    title = source.get("title_en")
    if kind == "interprets":
        title = rel["title_en"]
        period = PERIOD.search(title)
        return {"title_en": title, "status": "final", "instrument": "plan" if "plan" in title.lower() else None,
                "period": [int(period.group(1)), int(period.group(2))] if period else None}
    if kind == "final_of":
        return {"title_en": title, "status": "draft", "date": rel.get("date"), "instrument": source.get("instrument")}
    if kind == "supersedes":
        period = list(rel["period"])
        if title:
            title = PERIOD.sub(f"{period[0]}-{period[1]}", title)
        return {"title_en": title, "period": period, "status": "final", "instrument": source.get("instrument")}
    if kind == "forwarded_by":
        return {"title_zh": rel.get("title_zh"), "doc_number": rel["doc_number"], "status": "final",
                "instrument": "notice"}
    if kind == "repeals":
        return {"title_zh": rel["title_zh"], "status": "final"}
    return {"status": rel.get("status"), "date": rel.get("date")}


Finder = Callable[[str], list[PolicyCluster]]  # the policies (not implied ones) answering to a lookup, in key order


def link_claims(record: MentionRecord, source: PolicyCluster,
                find: Finder) -> tuple[list[RelationLink], list[PolicyCluster]]:
    """The links a mention's stated relations make from its policy, and the implied policies they need."""
    links: list[RelationLink] = []
    implied: list[PolicyCluster] = []
    interpreted: PolicyCluster | None = None
    for rel in record.data.get("relations", []):
        lookup = claim_lookup(rel)
        if lookup is None:
            continue
        kind = rel["type"]
        # a predecessor named in an interpretation's text is the interpreted plan's predecessor
        subject = interpreted if kind == "supersedes" and interpreted is not None else source
        matches = RELATION_MATCHERS[kind]
        target = next((c for c in find(lookup) if c.key != subject.key and matches(c.fields, subject.fields, rel)),
                      None)
        if target is None:
            detail = rel.get("date") or rel.get("period") or rel.get("title_en") or rel.get("title_zh") \
                or rel.get("doc_number")
            target = PolicyCluster(key=f"implied:{kind}:{subject.key}:{detail}", mention_ids=[], implied=True,
                                   fields={"issuers": subject.fields.get("issuers", []), "targets": [], "amounts": [],
                                           "technologies": subject.fields.get("technologies", []),
                                           **_implied_fields(kind, subject.fields, rel)})
            implied.append(target)
        if kind == "interprets":
            interpreted = target
        links.append(RelationLink(subject.key, target.key, kind, record.id, rel.get("evidence") or []))
    return links, implied


def edition(fields: dict[str, Any]) -> tuple[str, tuple[int, int]] | None:
    """A plan's title stem and period (stated, or read from its title), or None when it has not both."""
    title = fields.get("title_en")
    in_title = PERIOD.findall(title or "")
    found = fields.get("period") or (in_title[-1] if in_title else None)
    if not title or not found:
        return None
    return title_stem(title), (int(found[0]), int(found[1]))


def edition_links(series: Iterable[PolicyCluster], linked: set[tuple[str, str]]) -> list[RelationLink]:
    """Editions of one plan (same title stem), consecutive periods: the later supersedes the earlier, unless a
    source already says how the two relate."""
    editions = sorted(((found[1], c) for c in series if (found := edition(c.fields))), key=lambda e: (e[0], e[1].key))
    links = []
    for (earlier_period, earlier), (later_period, later) in itertools.pairwise(editions):
        if later_period[0] >= earlier_period[1] and (later.key, earlier.key) not in linked \
                and _overlapping_issuers(earlier.fields, later.fields):
            links.append(RelationLink(later.key, earlier.key, "supersedes", None, []))
    return links


def link_lifecycle(clusters: list[PolicyCluster], records: list[MentionRecord]) -> tuple[list[PolicyCluster],
                                                                                             list[RelationLink]]:
    """Relations stated by mentions and successions of editions, over every policy at once; policies known only
    from a statement are added as implied policies."""
    by_mention = {mid: c for c in clusters for mid in c.mention_ids}
    answering: dict[str, list[PolicyCluster]] = defaultdict(list)
    for c in sorted(clusters, key=lambda c: c.key):
        for key in lookup_keys(c.fields):
            answering[key].append(c)
    implied: dict[str, PolicyCluster] = {}
    links: list[RelationLink] = []
    for record in sorted((r for r in records if r.id in by_mention and r.data.get("relations")), key=lambda r: r.key):
        found, needed = link_claims(record, by_mention[record.id], lambda key: answering.get(key, []))
        links += found
        implied.update((c.key, c) for c in needed if c.key not in implied)
    everything = list(clusters) + list(implied.values())
    series: dict[str, list[PolicyCluster]] = defaultdict(list)
    for c in everything:
        if (found_edition := edition(c.fields)) is not None:
            series[found_edition[0]].append(c)
    claimed = {(link.from_key, link.to_key) for link in links}
    for stem in sorted(series):
        links += edition_links(series[stem], claimed)
    return everything, links


def target_history(key: str, clusters: list[PolicyCluster], links: list[RelationLink]) -> list[dict[str, Any]]:
    """Targets of a policy and of its other versions (draft, final, predecessor, revised), oldest first.

    Rows with the same unit across versions show how a goal moved (a draft's 2020 goal, a final's 2025 goal).
    """
    by_key = {c.key: c for c in clusters}
    lineage, frontier = {key}, [key]
    while frontier:
        current = frontier.pop()
        for link in links:
            if link.type in LINEAGE:
                for a, b in ((link.from_key, link.to_key), (link.to_key, link.from_key)):
                    if a == current and b not in lineage:
                        lineage.add(b)
                        frontier.append(b)
    rows = []
    for k in lineage:
        c = by_key.get(k)
        if c is None:
            continue
        for t in c.fields.get("targets", []):
            rows.append({"policy_key": k, "date": c.fields.get("date"), "status": c.fields.get("status"),
                         "title_en": c.fields.get("title_en"), **{f: t.get(f) for f in
                         ("metric", "value", "value_max", "unit", "year", "comparator", "mention_id")}})
    return sorted(rows, key=lambda r: (r["unit"] or "", r["date"] or "", r["year"] or 0))
