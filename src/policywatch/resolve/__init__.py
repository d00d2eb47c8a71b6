"""Resolution: mentions of one policy across documents become one Policy; lifecycle relations link policies;
targets restated by later versions form a history; companies and people are grouped by name.

Everything here is a pure function of mention records and manual overrides, so the result is the same however
often, in whatever batches and order, documents are ingested: ``clustering`` decides which mentions are one
policy, ``lifecycle`` how policies relate. A store resolves the same way one component at a time.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from policywatch.resolve.clustering import (
    MentionRecord,
    PolicyCluster,
    Prepared,
    cluster_policies,
    dates_compatible,
    describe,
    review_pairs,
    scored_pairs,
)
from policywatch.resolve.lifecycle import RelationLink, link_lifecycle, target_history

__all__ = ["MentionRecord", "PolicyCluster", "RelationLink", "Resolution", "dates_compatible", "describe",
           "group_companies", "group_people", "resolve", "target_history"]


@dataclass
class Resolution:
    """Policies, their relations, and the pairs left for a person to decide."""

    policies: list[PolicyCluster]
    relations: list[RelationLink]
    review: list[tuple[str, str, float, str]]


def resolve(records: list[MentionRecord], must_link: set[frozenset[str]] = frozenset(),
            cannot_link: set[frozenset[str]] = frozenset(), preferred: frozenset[str] | set[str] = frozenset()) -> Resolution:
    """Policies with their mentions and relations, from every policy mention stored."""
    policy_records = [r for r in records if r.kind == "policy"]
    pairs = scored_pairs([Prepared.of(r) for r in policy_records])
    clusters = cluster_policies(policy_records, pairs, must_link, cannot_link, preferred)
    by_id = {r.id: r.key for r in policy_records}
    cluster_of = {by_id[mid]: c.key for c in clusters for mid in c.mention_ids}
    review = review_pairs(pairs, cluster_of, cannot_link)
    clusters, links = link_lifecycle(clusters, policy_records)
    return Resolution(clusters, links, review)


def _company_key(name: str) -> str:
    name = unicodedata.normalize("NFKC", name).lower()
    name = re.sub(r"[’'`]s\b|[.,()]", " ", name)
    name = re.sub(r"\b(?:co|ltd|limited|inc|corp|corporation|group|holdings?|plc|ag|se|gmbh|technologies|technology|"
                  r"company)\b", " ", name)
    return re.sub(r"\s+", " ", name).strip()


def group_companies(records: list[MentionRecord]) -> list[dict[str, Any]]:
    """Companies named by event mentions, one entry per firm (suffixes like Co., Ltd., Group ignored)."""
    groups: dict[str, dict[str, Any]] = {}
    for r in records:
        for name in r.data.get("companies", []):
            key = _company_key(name)
            if not key:
                continue
            entry = groups.setdefault(key, {"key": key, "name": name, "aliases": set(), "mention_ids": set()})
            entry["aliases"].add(name)
            entry["mention_ids"].add(r.id)
            if len(name) < len(entry["name"]):
                entry["name"] = name
    return [{**g, "aliases": sorted(g["aliases"]), "mention_ids": sorted(g["mention_ids"])}
            for g in sorted(groups.values(), key=lambda g: g["key"])]


def group_people(records: list[MentionRecord]) -> list[dict[str, Any]]:
    """People of personnel mentions, one entry per person (the Chinese name decides when it is given)."""
    groups: dict[str, dict[str, Any]] = {}
    for r in sorted((r for r in records if r.kind == "personnel"), key=lambda r: r.id):
        d = r.data
        english = re.sub(r"\s+", " ", (d.get("person_en") or "").lower()).strip()
        key = d.get("person_zh") or english
        if not key:
            continue
        entry = groups.get(key) or next((g for g in groups.values() if english and g["english"] == english), None)
        if entry is None:
            entry = groups.setdefault(key, {"key": key, "person_en": d.get("person_en"), "person_zh": d.get("person_zh"),
                                            "english": english, "changes": []})
        entry["person_zh"] = entry["person_zh"] or d.get("person_zh")
        entry["changes"].append({"mention_id": r.id, "change": d.get("change"), "role": d.get("role"),
                                 "organization": d.get("organization"), "date": d.get("date")})
    return [{k: v for k, v in g.items() if k != "english"} for g in groups.values()]
