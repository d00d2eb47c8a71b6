"""Resolved policies in the store: rebuilt from every mention (with manual overrides) in one transaction,
listed with filters, shown with sources, evidence, relations and target history, merged and split by hand."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, delete, insert, or_, select, text, update

from policywatch.errors import PolicywatchError
from policywatch.resolve import (
    MentionRecord,
    PolicyCluster,
    RelationLink,
    group_companies,
    group_people,
    resolve,
    target_history,
)
from policywatch.store.schema import (
    documents,
    entities,
    mentions,
    policies,
    policy_mentions,
    policy_relations,
    resolution_overrides,
    review_pairs,
)


def mention_key(sha256: str, evidence: list[list[int]], kind: str) -> str:
    """A mention's identity that survives re-ingest and database moves: its document's bytes and place."""
    start = evidence[0][0] if evidence else 0
    return f"{sha256[:16]}:{start}:{kind}"


def load_records(connection: Connection) -> list[MentionRecord]:
    """Every stored mention, as resolution reads it."""
    rows = connection.execute(select(mentions.c.id, mentions.c.document_id, mentions.c.kind, mentions.c.issuers,
                                     mentions.c.data, mentions.c.evidence, documents.c.sha256)
                              .join(documents, documents.c.id == mentions.c.document_id)
                              .order_by(mentions.c.id)).mappings()
    records = [MentionRecord(r["id"], mention_key(r["sha256"], r["evidence"], r["kind"]), r["document_id"], r["kind"],
                             {**r["data"], "issuers": r["issuers"]}) for r in rows]
    # in the order of their stable keys, not of their ids: the same mentions give the same policies whatever order
    # they were stored in (a serial ingest, workers, a Dask cluster, a copied database)
    return sorted(records, key=lambda r: (r.key, str(r.data.get("summary") or r.data.get("title_en") or "")))


def load_overrides(connection: Connection) -> tuple[set[frozenset[str]], set[frozenset[str]], set[str]]:
    """Manual decisions: (must link, cannot link) pairs of mention keys, the latest decision on a pair winning,
    and the keys a merge keeps (the first policy's: `policies merge A B` keeps A)."""
    latest: dict[frozenset[str], tuple[str, str]] = {}
    for action, a, b in connection.execute(select(resolution_overrides.c.action, resolution_overrides.c.key_a,
                                                  resolution_overrides.c.key_b).order_by(resolution_overrides.c.id)):
        latest[frozenset((a, b))] = (action, a)
    return ({p for p, (a, _) in latest.items() if a == "merge"}, {p for p, (a, _) in latest.items() if a == "split"},
            {first for action, first in latest.values() if action == "merge"})


def _policy_row(cluster: PolicyCluster) -> dict[str, Any]:
    f = cluster.fields
    data = {k: v for k, v in f.items() if k not in ("title_en", "title_zh", "status", "date", "date_effective",
                                                      "issuers", "technologies")}
    data["conflicts"] = cluster.conflicts
    return {"key": cluster.key, "implied": cluster.implied, "title_en": f.get("title_en"), "title_zh": f.get("title_zh"),
            "status": f.get("status"), "date": f.get("date"), "date_effective": f.get("date_effective"),
            "issuers": f.get("issuers", []), "technologies": f.get("technologies", []), "data": data}


def resolve_store(connection: Connection) -> dict[str, int]:
    """Rebuild policies, relations, review pairs, companies and people from the stored mentions.

    Policies keep their ids across runs when their key (their first mention) stays the same.
    """
    # One resolution at a time: processes ingesting together must not rebuild the tables at once, and each must
    # read what the one before it wrote. PostgreSQL: an advisory lock. SQLite: a first write takes the database's
    # write lock before anything is read (pysqlite only opens the transaction at the first write).
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(7401)"))
    connection.execute(delete(review_pairs))
    records = load_records(connection)
    must, cannot, preferred = load_overrides(connection)
    result = resolve(records, must, cannot, preferred)
    existing = dict(connection.execute(select(policies.c.key, policies.c.id)).all())
    wanted = {c.key for c in result.policies}
    stale = [pid for key, pid in existing.items() if key not in wanted]
    connection.execute(delete(policy_relations))
    connection.execute(delete(policy_mentions))
    if stale:
        connection.execute(delete(policies).where(policies.c.id.in_(stale)))
    ids: dict[str, int] = {}
    for cluster in result.policies:
        row = _policy_row(cluster)
        if cluster.key in existing:
            connection.execute(update(policies).where(policies.c.id == existing[cluster.key]).values(**row))
            ids[cluster.key] = existing[cluster.key]
        else:
            ids[cluster.key] = connection.execute(insert(policies).values(**row)).inserted_primary_key[0]
    links = [{"mention_id": mid, "policy_id": ids[c.key]} for c in result.policies for mid in c.mention_ids]
    if links:
        connection.execute(insert(policy_mentions), links)
    relation_rows = [{"from_policy_id": ids[r.from_key], "to_policy_id": ids[r.to_key], "type": r.type,
                      "mention_id": r.mention_id, "evidence": r.evidence} for r in result.relations]
    if relation_rows:
        connection.execute(insert(policy_relations), relation_rows)
    if result.review:
        connection.execute(insert(review_pairs), [{"key_a": a, "key_b": b, "score": s, "reason": why}
                                                  for a, b, s, why in result.review])
    connection.execute(delete(entities))
    entity_rows = [{"kind": "company", "key": c["key"], "name": c["name"], "data": c} for c in group_companies(records)]
    entity_rows += [{"kind": "person", "key": p["key"], "name": p["person_en"] or p["person_zh"], "data": p}
                    for p in group_people(records)]
    if entity_rows:
        connection.execute(insert(entities), entity_rows)
    return {"policies": len(result.policies), "relations": len(result.relations), "review": len(result.review)}


def list_policies(engine: Engine, issuer: str | None = None, status: str | None = None, date_from: str | None = None,
                  date_to: str | None = None, technology: str | None = None,
                  include_implied: bool = True) -> list[dict[str, Any]]:
    """Policies with the number of mentions and documents behind each, filtered; oldest first."""
    with engine.connect() as connection:
        counts: dict[int, tuple[int, set[int]]] = {}
        for pid, doc in connection.execute(select(policy_mentions.c.policy_id, mentions.c.document_id)
                                           .join(mentions, mentions.c.id == policy_mentions.c.mention_id)):
            n, docs = counts.get(pid, (0, set()))
            counts[pid] = (n + 1, docs | {doc})
        rows = sorted((dict(r) for r in connection.execute(select(policies)).mappings()),
                      key=lambda r: (r["date"] is None, r["date"] or "", r["id"]))
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
                                             "date_effective", "issuers", "technologies")},
                       "period": r["data"].get("period"), "instrument": r["data"].get("instrument"),
                       "label": r["data"].get("label") or r["title_en"] or r["title_zh"],
                       "mentions": n, "documents": len(docs), "conflicts": len(r["data"].get("conflicts", []))})
    return result


def _label(data: dict[str, Any], title_en: str | None) -> str | None:
    """How a policy is named to a reader: its label (title, or what the sources say was issued)."""
    return data.get("label") or title_en


LINEAGE = ("final_of", "revises", "supersedes", "repeals")  # versions of one policy, for its target history


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
    rows = connection.execute(select(policies).where(policies.c.id.in_(lineage))).mappings().all()
    key_of = {r["id"]: r["key"] for r in rows}
    labels = {r["id"]: _label(r["data"], r["title_en"]) for r in rows}
    clusters = [PolicyCluster(r["key"], [], {**r["data"], "title_en": r["title_en"], "status": r["status"],
                                             "date": r["date"]}) for r in rows]
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
    rows = connection.execute(select(mentions.c.id, mentions.c.kind, mentions.c.evidence, documents.c.sha256)
                              .join(policy_mentions, policy_mentions.c.mention_id == mentions.c.id)
                              .join(documents, documents.c.id == mentions.c.document_id)
                              .where(policy_mentions.c.policy_id == policy_id).order_by(mentions.c.id)).all()
    return [(mid, mention_key(sha, ev, kind)) for mid, kind, ev, sha in rows]


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
        resolve_store(connection)
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
        resolve_store(connection)
        return _policy_of(connection, mention_id)


def review(engine: Engine) -> list[dict[str, Any]]:
    """Pairs of policies that look alike but were kept apart, for a person to decide."""
    with engine.connect() as connection:
        ids = dict(connection.execute(select(policies.c.key, policies.c.id)).all())
        titles = {pid: _label(data, title) for pid, title, data in
                  connection.execute(select(policies.c.id, policies.c.title_en, policies.c.data))}
        pairs = connection.execute(select(review_pairs).order_by(review_pairs.c.score.desc())).mappings().all()
    return [{"policy_a": ids.get(p["key_a"]), "policy_b": ids.get(p["key_b"]), "title_a": titles.get(ids.get(p["key_a"])),
             "title_b": titles.get(ids.get(p["key_b"])), "score": p["score"], "reason": p["reason"]}
            for p in pairs if p["key_a"] in ids and p["key_b"] in ids]


def list_entities(engine: Engine, kind: str) -> list[dict[str, Any]]:
    """Companies or people, as grouped from the mentions."""
    with engine.connect() as connection:
        return [{"id": r["id"], "name": r["name"], **r["data"]} for r in connection.execute(
            select(entities).where(entities.c.kind == kind).order_by(entities.c.name)).mappings()]
