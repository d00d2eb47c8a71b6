"""Resolved policies in the store: listed with filters, shown with sources, evidence, relations and target
history, merged and split by hand; pairs to review, companies and people, as computed from the stored mentions."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, insert, or_, select

from policywatch.errors import PolicywatchError
from policywatch.resolve import group_companies, group_people
from policywatch.resolve.clustering import MentionRecord, PolicyCluster, review_pairs
from policywatch.resolve.lifecycle import LINEAGE, RelationLink, target_history
from policywatch.store.resolution import chunks, cluster_of_row, load_overrides, resolve_store
from policywatch.store.schema import (
    documents,
    mention_pairs,
    mentions,
    policies,
    policy_mentions,
    policy_relations,
    resolution_overrides,
)


def list_policies(engine: Engine, issuer: str | None = None, status: str | None = None, date_from: str | None = None,
                  date_to: str | None = None, technology: str | None = None,
                  include_implied: bool = True) -> list[dict[str, Any]]:
    """Policies with the number of mentions and documents behind each, filtered; oldest first.

    ``date`` is the day a policy was issued as its texts state it, else the day it was first reported (``dated_by``
    says which; ``date_stated`` is the stated one alone), so no policy is undated for the month it was reported in;
    the date filters read the same date."""
    with engine.connect() as connection:
        counts: dict[int, tuple[int, set[int]]] = {}
        for pid, doc in connection.execute(select(policy_mentions.c.policy_id, mentions.c.document_id)
                                           .join(mentions, mentions.c.id == policy_mentions.c.mention_id)):
            n, docs = counts.get(pid, (0, set()))
            counts[pid] = (n + 1, docs | {doc})
        rows = [dict(r) for r in connection.execute(select(policies)).mappings()]
    for r in rows:
        r["date_stated"], r["date"] = r["date"], r["date"] or r["data"].get("reported")
    rows.sort(key=lambda r: (r["date"] is None, r["date"] or "", r["id"]))
    result = []
    for r in rows:
        if (issuer and issuer not in r["issuers"]) or (status and r["status"] != status):
            continue
        if (technology and technology not in r["technologies"]) or (not include_implied and r["implied"]):
            continue
        if (date_from and (r["date"] or "") < date_from) or (date_to and (not r["date"] or r["date"] > date_to + "\uffff")):
            continue
        n, docs = counts.get(r["id"], (0, set()))
        result.append({**{k: r[k] for k in ("id", "key", "implied", "title_en", "title_zh", "status", "date",
                                             "date_stated", "date_effective", "issuers", "technologies")},
                       "dated_by": "stated" if r["date_stated"] else "reported" if r["date"] else None,
                       "period": r["data"].get("period"), "instrument": r["data"].get("instrument"),
                       "label": r["data"].get("label") or r["title_en"] or r["title_zh"],
                       "mentions": n, "documents": len(docs), "conflicts": len(r["data"].get("conflicts", []))})
    return result


def _label(data: dict[str, Any], title_en: str | None) -> str | None:
    """How a policy is named to a reader: its label (title, or what the sources say was issued)."""
    return data.get("label") or title_en


def _clusters_and_links(connection: Connection, policy_id: int) -> tuple[list[PolicyCluster], list[RelationLink],
                                                                         dict[int, str], dict[int, str | None]]:
    """The policies linked to one (its relations, and its versions through any number of steps) as clusters, their
    relations, and each one's key and label by id: only these rows are read, however large the database."""
    relation_rows: dict[int, dict[str, Any]] = {}
    lineage, frontier = {policy_id}, {policy_id}
    while frontier:
        found = connection.execute(select(policy_relations).where(or_(policy_relations.c.from_policy_id.in_(frontier),
                                                                      policy_relations.c.to_policy_id.in_(frontier))))
        step: set[int] = set()
        for row in found.mappings():
            relation_rows[row["id"]] = dict(row)
            if row["type"] in LINEAGE or policy_id in (row["from_policy_id"], row["to_policy_id"]):
                step |= {row["from_policy_id"], row["to_policy_id"]} - lineage
        step = {p for p in step if p not in lineage}
        lineage |= step
        # beyond the policy itself only its versions are followed further
        frontier = {p for p in step if any(r["type"] in LINEAGE and p in (r["from_policy_id"], r["to_policy_id"])
                                           for r in relation_rows.values())}
    rows = connection.execute(select(policies).where(policies.c.id.in_(lineage))).all()
    key_of = {r.id: r.key for r in rows}
    labels = {r.id: _label(r.data, r.title_en) for r in rows}
    clusters = [cluster_of_row(r) for r in rows]
    links = [RelationLink(key_of[r["from_policy_id"]], key_of[r["to_policy_id"]], r["type"], r["mention_id"],
                          r["evidence"]) for r in relation_rows.values()
             if r["from_policy_id"] in key_of and r["to_policy_id"] in key_of]
    return clusters, links, key_of, labels


def get_policy(engine: Engine, policy_id: int) -> dict[str, Any]:
    """One policy: fields, every source with its evidence text, relations both ways, target history."""
    with engine.connect() as connection:
        row = connection.execute(select(policies).where(policies.c.id == policy_id)).mappings().first()
        if row is None:
            raise PolicywatchError(f"policy {policy_id}: not in the database")
        sources = []
        for m in connection.execute(
                select(mentions.c.id, mentions.c.data, mentions.c.evidence, mentions.c.date, documents.c.id.label("doc_id"),
                       documents.c.source, documents.c.text, documents.c.published)
                .join(policy_mentions, policy_mentions.c.mention_id == mentions.c.id)
                .join(documents, documents.c.id == mentions.c.document_id)
                .where(policy_mentions.c.policy_id == policy_id).order_by(mentions.c.id)).mappings():
            sources.append({"mention_id": m["id"], "document_id": m["doc_id"], "source": m["source"],
                            "published": m["published"], "date": m["date"], "evidence": m["evidence"],
                            "evidence_text": [m["text"][s:e] for s, e in m["evidence"]],
                            "summary": m["data"].get("summary"),
                            "fields": {k: v for k, v in m["data"].items() if k != "summary"}})
        clusters, links, key_of, titles = _clusters_and_links(connection, policy_id)
        id_of = {k: i for i, k in key_of.items()}
        relations = []
        for link in links:
            if key_of[policy_id] in (link.from_key, link.to_key):
                outgoing = link.from_key == key_of[policy_id]
                other = id_of[link.to_key if outgoing else link.from_key]
                relations.append({"type": link.type, "direction": "to" if outgoing else "from", "policy_id": other,
                                  "title_en": titles.get(other), "mention_id": link.mention_id,
                                  "evidence": link.evidence})
        history = [{**h, "policy_id": id_of[h.pop("policy_key")]} for h in target_history(key_of[policy_id], clusters, links)]
    return {**dict(row), "sources": sources, "relations": relations, "target_history": history}


def _sources(connection: Connection, policy_id: int) -> list[tuple[int, str]]:
    """(mention id, mention key) of each source of a policy; PolicywatchError when there is no such policy."""
    if connection.execute(select(policies.c.id).where(policies.c.id == policy_id)).first() is None:
        raise PolicywatchError(f"policy {policy_id}: not in the database")
    return [tuple(r) for r in connection.execute(
        select(mentions.c.id, mentions.c.key).join(policy_mentions, policy_mentions.c.mention_id == mentions.c.id)
        .where(policy_mentions.c.policy_id == policy_id).order_by(mentions.c.id))]


def _override(connection: Connection, action: str, pairs: list[tuple[str, str]]) -> None:
    now = datetime.now(UTC)
    connection.execute(insert(resolution_overrides), [{"action": action, "key_a": a, "key_b": b, "created_at": now}
                                                      for a, b in pairs])


def _policy_of(connection: Connection, mention_id: int) -> int:
    return connection.execute(select(policy_mentions.c.policy_id)
                              .where(policy_mentions.c.mention_id == mention_id)).scalar_one()


def merge_policies(engine: Engine, first: int, second: int) -> int:
    """Record that two policies are one, re-resolve, and return the merged policy's id.

    The decision is stored by the sources' stable keys, so it survives re-ingest and later resolutions.
    """
    if first == second:
        raise PolicywatchError(f"policy {first}: cannot merge a policy with itself")
    with engine.begin() as connection:
        anchors = []
        for pid in (first, second):
            sources = _sources(connection, pid)
            if not sources:
                raise PolicywatchError(f"policy {pid}: known only from another policy's text; merge its sources instead")
            # the policy's own key (its smallest source key) anchors it, so that the merge keeps its id
            own = connection.execute(select(policies.c.key).where(policies.c.id == pid)).scalar_one()
            anchors.append(next((s for s in sources if s[1] == own), sources[0]))
        _override(connection, "merge", [(anchors[0][1], anchors[1][1])])
        resolve_store(connection, touched=[anchors[0][0], anchors[1][0]])
        return _policy_of(connection, anchors[0][0])


def split_mention(engine: Engine, policy_id: int, mention_id: int) -> int:
    """Record that one source of a policy describes another policy, re-resolve, return the new policy's id."""
    with engine.begin() as connection:
        sources = _sources(connection, policy_id)
        ids = [mid for mid, _ in sources]
        if mention_id not in ids:
            raise PolicywatchError(f"mention {mention_id}: not a source of policy {policy_id} "
                                   f"(sources: {', '.join(map(str, ids)) or 'none'})")
        if len(ids) == 1:
            raise PolicywatchError(f"policy {policy_id}: has a single source, nothing to split")
        own = dict(sources)[mention_id]
        _override(connection, "split", [(own, key) for mid, key in sources if mid != mention_id])
        resolve_store(connection, touched=ids)
        return _policy_of(connection, mention_id)


def review(engine: Engine) -> list[dict[str, Any]]:
    """Pairs of policies that look alike but were kept apart, for a person to decide: the best pair of their
    sources, from the pairs scored when they were stored."""
    a, b = policy_mentions.alias("a"), policy_mentions.alias("b")
    ma, mb = mentions.alias("ma"), mentions.alias("mb")
    with engine.connect() as connection:
        rows = connection.execute(
            select(ma.c.key, mb.c.key, mention_pairs.c.score, mention_pairs.c.reason, a.c.policy_id, b.c.policy_id)
            .join(a, a.c.mention_id == mention_pairs.c.mention_a).join(b, b.c.mention_id == mention_pairs.c.mention_b)
            .join(ma, ma.c.id == mention_pairs.c.mention_a).join(mb, mb.c.id == mention_pairs.c.mention_b)
            .where(a.c.policy_id != b.c.policy_id)).all()
        ids = {pid for row in rows for pid in row[4:]}
        found = {r.id: r for chunk in chunks(sorted(ids)) for r in connection.execute(
            select(policies.c.id, policies.c.key, policies.c.title_en, policies.c.data).where(policies.c.id.in_(chunk)))}
        _, cannot, _ = load_overrides(connection)
    policy_of = {found[pid].key: pid for pid in found}
    cluster_of = {key: found[pid].key for key_a, key_b, _, _, pa, pb in rows for key, pid in ((key_a, pa), (key_b, pb))}
    pairs = [(min(x, y), max(x, y), value, reason) for x, y, value, reason, _, _ in rows]
    return [{"policy_a": policy_of[ka], "policy_b": policy_of[kb],
             "title_a": _label(found[policy_of[ka]].data, found[policy_of[ka]].title_en),
             "title_b": _label(found[policy_of[kb]].data, found[policy_of[kb]].title_en), "score": value, "reason": why}
            for ka, kb, value, why in review_pairs(pairs, cluster_of, cannot)]


def entities(engine: Engine, kind: str) -> list[dict[str, Any]]:
    """Companies or people, grouped from the mentions when asked for (so a batch never regroups them all)."""
    query = select(mentions.c.id, mentions.c.key, mentions.c.document_id, mentions.c.kind, mentions.c.data)
    query = query.where(mentions.c.kind == "personnel") if kind == "person" else query
    with engine.connect() as connection:
        records = [MentionRecord(r.id, r.key, r.document_id, r.kind, r.data) for r in connection.execute(query)]
    if kind == "person":
        people = sorted(group_people(records), key=lambda p: p["person_en"] or p["person_zh"])
        return [{"id": n, "name": p["person_en"] or p["person_zh"], **p} for n, p in enumerate(people, 1)]
    return [{"id": n, **c} for n, c in enumerate(sorted(group_companies(records), key=lambda c: c["name"]), 1)]
