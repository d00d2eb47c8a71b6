"""Resolution in the store, batch by batch: a batch's new mentions are blocked and scored against the stored
mentions that share a block, and only the components they join are clustered again; only the relations whose
lookup keys those policies answer to are linked again. The result is the one a full resolution gives
(``resolve_store(connection, full=True)``, ``policywatch resolve --all``), which rebuilds everything.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import Connection, Table, bindparam, delete, exists, insert, select, text, update

from policywatch.resolve.clustering import (
    MERGE_TEXT,
    Entry,
    MentionRecord,
    PolicyCluster,
    Prepared,
    ScoredPair,
    as_cluster,
    block_pairs,
    cluster_policies,
    group_mentions,
    lost_pairs,
    meet,
    places,
    score,
)
from policywatch.resolve.lifecycle import RelationLink, claim_lookups, edition, edition_links, link_claims, lookup_keys
from policywatch.store.schema import (
    mention_blocks,
    mention_pairs,
    mentions,
    policies,
    policy_lookups,
    policy_mentions,
    policy_relations,
    relation_claims,
    resolution_overrides,
)

CHUNK = 500  # ids per IN (...) list: well under every backend's limit on bound parameters


def chunks(values: Iterable[Any]) -> Iterator[list[Any]]:
    """Values in lists of at most ``CHUNK``, for IN (...) lists."""
    batch: list[Any] = []
    for value in values:
        batch.append(value)
        if len(batch) == CHUNK:
            yield batch
            batch = []
    if batch:
        yield batch


def _compact(key: str) -> str:
    """A block or lookup key short enough for its column: long Chinese titles are cut and end in a hash of the
    whole."""
    return key if len(key) <= 120 else f"{key[:100]}#{hashlib.blake2b(key.encode(), digest_size=8).hexdigest()}"


def load_records(connection: Connection, ids: Iterable[int] | None = None) -> list[MentionRecord]:
    """Policy mentions (all, or those with these ids) as resolution reads them, in key order."""
    columns = (mentions.c.id, mentions.c.key, mentions.c.document_id, mentions.c.kind, mentions.c.issuers,
               mentions.c.data)
    # by ids, the kind is checked here: asked in SQL, SQLite would walk the kind's index over every policy mention
    batches = [connection.execute(select(*columns).where(mentions.c.kind == "policy"))] if ids is None else \
        (connection.execute(select(*columns).where(mentions.c.id.in_(chunk))) for chunk in chunks(ids))
    records = [MentionRecord(r.id, r.key, r.document_id, r.kind, {**r.data, "issuers": r.issuers})
               for rows in batches for r in rows.all() if r.kind == "policy"]
    return sorted(records, key=lambda r: r.key)


def _comparable(connection: Connection, ids: Iterable[int]) -> tuple[list[MentionRecord], dict[int, set[str] | None]]:
    """Stored mentions with only what comparing them reads (titles, number, summary, gates' facts): the JSON fields
    are picked out by the database instead of whole records decoded here; and their stored words."""
    data = mentions.c.data
    words: dict[int, set[str] | None] = {}
    columns = (mentions.c.id, mentions.c.key, mentions.c.document_id, mentions.c.title_en, mentions.c.title_zh,
               mentions.c.status, mentions.c.date, mentions.c.issuers, data["doc_number"].as_string().label("number"),
               data["summary"].as_string().label("summary"), data["period"].label("period"), mentions.c.words)
    records: list[MentionRecord] = []
    for chunk in chunks(ids):
        for r in connection.execute(select(*columns).where(mentions.c.id.in_(chunk))).all():
            fields = {"title_en": r.title_en, "title_zh": r.title_zh, "status": r.status, "date": r.date,
                      "issuers": r.issuers, "doc_number": r.number, "summary": r.summary, "period": r.period}
            records.append(MentionRecord(r.id, r.key, r.document_id, "policy",
                                         {k: v for k, v in fields.items() if v is not None}))
            words[r.id] = set(r.words.split()) if r.words is not None else None
    return records, words


def load_overrides(connection: Connection) -> tuple[set[frozenset[str]], set[frozenset[str]], set[str]]:
    """Manual decisions: (must link, cannot link) pairs of mention keys, the latest decision on a pair winning,
    and the keys a merge keeps (the first policy's: `policies merge A B` keeps A)."""
    latest: dict[frozenset[str], tuple[str, str]] = {}
    for action, a, b in connection.execute(select(resolution_overrides.c.action, resolution_overrides.c.key_a,
                                                  resolution_overrides.c.key_b).order_by(resolution_overrides.c.id)):
        latest[frozenset((a, b))] = (action, a)
    return ({p for p, (a, _) in latest.items() if a == "merge"}, {p for p, (a, _) in latest.items() if a == "split"},
            {first for action, first in latest.values() if action == "merge"})


def _pending(connection: Connection) -> list[int]:
    """Policy mentions not yet in any policy: stored since the last resolution."""
    linked = exists().where(policy_mentions.c.mention_id == mentions.c.id)
    return list(connection.execute(select(mentions.c.id).where(mentions.c.kind == "policy", ~linked)).scalars())


def _stored_entries(connection: Connection, keys: list[str], probing: set[str]) -> dict[str, list[tuple[int, str]]]:
    """The stored (mention, role) entries of these blocks. Indexed entries meet probes only: they are read only for
    blocks that have a probe, stored or in ``probing``."""
    found: dict[str, list[tuple[int, str]]] = defaultdict(list)
    blocks = select(mention_blocks.c.block, mention_blocks.c.mention_id, mention_blocks.c.role)
    for chunk in chunks(keys):
        for block, mention_id, role in connection.execute(blocks.where(mention_blocks.c.block.in_(chunk),
                                                                       mention_blocks.c.role != "i")).all():
            found[block].append((mention_id, role))
    probed = [key for key in keys if key in probing or any(role == "p" for _, role in found.get(key, ()))]
    for chunk in chunks(probed):
        for block, mention_id, role in connection.execute(blocks.where(mention_blocks.c.block.in_(chunk),
                                                                       mention_blocks.c.role == "i")).all():
            found[block].append((mention_id, role))
    return found


class _Blocks:
    """Blocks in rank order, over the new mentions (indexes below ``fresh``) and the stored ones they meet."""

    def __init__(self, connection: Connection, prepared: list[Prepared]) -> None:
        self.connection = connection
        self.everyone = list(prepared)
        self.fresh = len(prepared)
        self.index_of = {p.record.id: i for i, p in enumerate(prepared)}
        self.orders: dict[str, list[Entry]] = {}

    def add(self, entries: dict[str, list[tuple[int, str]]]) -> None:
        """Sort these blocks, given by (mention id, role) entries, reading the stored mentions not read yet."""
        missing = sorted({mid for found in entries.values() for mid, _ in found} - set(self.index_of))
        records, words = _comparable(self.connection, missing)
        for record in records:
            self.index_of[record.id] = len(self.everyone)
            self.everyone.append(Prepared.of(record, blocks=False, words=words[record.id]))
        for block, found in entries.items():
            self.orders[block] = sorted((self.everyone[self.index_of[mid]].rank, self.index_of[mid], role)
                                        for mid, role in found)

    @property
    def document(self) -> list[int]:
        return [p.record.document_id for p in self.everyone]


def _index(connection: Connection, new: list[MentionRecord]) -> tuple[list[ScoredPair], set[int]]:
    """Store the blocks and claims of new mentions, and the pairs they make with each other and with stored
    mentions; drop the stored pairs the new mentions pushed apart (see ``_loosened``). Returns the new pairs and
    the mentions of dropped pairs that could merge, whose policies must be clustered again."""
    prepared = [Prepared.of(r) for r in new]
    blocks = {p.record.id: {(_compact(key), role) for key, role in p.blocks} for p in prepared}
    entries: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for mid, found in blocks.items():
        for block, role in found:
            entries[block].append((mid, role))
    probing = {block for block, found in entries.items() if any(role == "p" for _, role in found)}
    for block, found in _stored_entries(connection, sorted(entries), probing).items():
        entries[block] += found
    sorted_blocks = _Blocks(connection, prepared)
    sorted_blocks.add({block: found for block, found in entries.items() if len(found) > 1})
    document = sorted_blocks.document
    made: set[tuple[int, int]] = set()
    lost: set[tuple[int, int]] = set()
    for order in sorted_blocks.orders.values():
        made.update(block_pairs(order, document, sorted_blocks.fresh))
        lost.update(lost_pairs(order, document, sorted_blocks.fresh))
    everyone = sorted_blocks.everyone
    found_pairs = sorted(pair for a, b in made if (pair := score(everyone[a], everyone[b])) is not None)
    loosened = _loosened(connection, sorted_blocks, lost) if lost else set()
    _insert(connection, mention_blocks, [(b, role, mid) for mid, found in blocks.items() for b, role in found])
    if prepared:
        connection.execute(update(mentions).where(mentions.c.id == bindparam("b_id")).values(words=bindparam("b_words")),
                           [{"b_id": p.record.id, "b_words": " ".join(sorted(p.words))} for p in prepared])
    _insert(connection, relation_claims, sorted({(_compact(key), r.id) for r in new for key in claim_lookups(r)}))
    id_of = {p.record.key: p.record.id for p in everyone}
    _insert(connection, mention_pairs, [(min(id_of[a], id_of[b]), max(id_of[a], id_of[b]), value, reason)
                                        for a, b, value, reason in found_pairs])
    return found_pairs, loosened


def _loosened(connection: Connection, sorted_blocks: _Blocks, lost: set[tuple[int, int]]) -> set[int]:
    """Drop the stored pairs that new mentions pushed more than ``WINDOW`` places apart in a block, unless another
    block they share still pairs them: the pairs left are those a full resolution makes. Returns the mentions of
    dropped pairs that could merge."""
    everyone = sorted_blocks.everyone
    wanted = {(min(ids), max(ids)) for a, b in lost for ids in [(everyone[a].record.id, everyone[b].record.id)]}
    stored: dict[tuple[int, int], float] = {}
    for chunk in chunks(sorted({a for a, _ in wanted})):
        for a, b, value in connection.execute(select(mention_pairs.c.mention_a, mention_pairs.c.mention_b,
                                                     mention_pairs.c.score).where(mention_pairs.c.mention_a.in_(chunk))):
            if (a, b) in wanted:
                stored[a, b] = value
    if not stored:
        return set()
    blocks_of: dict[int, set[str]] = defaultdict(set)
    for chunk in chunks(sorted({m for pair in stored for m in pair})):
        for block, mention_id in connection.execute(select(mention_blocks.c.block, mention_blocks.c.mention_id)
                                                    .where(mention_blocks.c.mention_id.in_(chunk))):
            blocks_of[mention_id].add(block)
    shared = {pair: blocks_of[pair[0]] & blocks_of[pair[1]] for pair in stored}
    unread = sorted({block for found in shared.values() for block in found} - set(sorted_blocks.orders))
    if unread:  # blocks without new mentions: as they were, and read whole, all roles
        sorted_blocks.add(_stored_entries(connection, unread, set(unread)))
    place = {block: places(sorted_blocks.orders[block]) for block in set().union(*shared.values())}
    index_of = sorted_blocks.index_of
    dropped = [pair for pair, found in shared.items()
               if not any(meet(place[block], index_of[pair[0]], index_of[pair[1]]) for block in found)]
    if dropped:
        connection.execute(delete(mention_pairs).where(mention_pairs.c.mention_a == bindparam("b_a"),
                                                       mention_pairs.c.mention_b == bindparam("b_b")),
                           [{"b_a": a, "b_b": b} for a, b in dropped])
    return {m for pair in dropped if stored[pair] >= MERGE_TEXT for m in pair}


MergePair = tuple[int, int, float]  # two mention ids (smaller first) and a score that may merge


def _merge_neighbours(connection: Connection, ids: list[int]) -> set[MergePair]:
    """The pairs that may merge of these mentions, either side. Read through the driver's own cursor: a huge
    component has hundreds of thousands of them, and plain tuples cost a fraction of result rows."""
    found: set[MergePair] = set()
    mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    cursor = connection.connection.cursor()
    try:
        for chunk in chunks(ids):
            marks = ", ".join([mark] * len(chunk))
            for side in ("mention_a", "mention_b"):
                cursor.execute(f"SELECT mention_a, mention_b, score FROM {mention_pairs.name} "
                               f"WHERE {side} IN ({marks}) AND score >= {mark}", [*chunk, MERGE_TEXT])
                found.update((a, b, value) for a, b, value in cursor.fetchall())
    finally:
        cursor.close()
    return found


def _component(connection: Connection, seeds: set[int],
               must_link: set[frozenset[str]]) -> tuple[set[int], set[MergePair]]:
    """Every mention joined to the seeds by pairs that may merge, or by manual merges: what must be clustered again;
    and those pairs, read once on the way (each is read from both its mentions, so all of them are found)."""
    keys = {k for pair in must_link for k in pair}
    id_of: dict[str, int] = {}
    for chunk in chunks(sorted(keys)):
        id_of.update(connection.execute(select(mentions.c.key, mentions.c.id).where(mentions.c.key.in_(chunk))).all())
    forced: dict[int, set[int]] = defaultdict(set)
    for a, b in (sorted(p) for p in must_link if len(p) == 2):
        if a in id_of and b in id_of:
            forced[id_of[a]].add(id_of[b])
            forced[id_of[b]].add(id_of[a])
    seen, frontier = set(seeds), set(seeds)
    pairs: set[MergePair] = set()
    while frontier:
        found = _merge_neighbours(connection, sorted(frontier))
        pairs |= found
        step = {m for a, b, _ in found for m in (a, b)}
        step.update(other for mid in frontier for other in forced.get(mid, ()))
        frontier = step - seen
        seen |= frontier
    return seen, pairs


def _policy_row(cluster: PolicyCluster) -> dict[str, Any]:
    f = cluster.fields
    data = {k: v for k, v in f.items() if k not in ("title_en", "title_zh", "status", "date", "date_effective",
                                                      "issuers", "technologies")}
    data["conflicts"] = cluster.conflicts
    found = edition(f)
    return {"key": cluster.key, "implied": cluster.implied, "title_en": f.get("title_en"), "title_zh": f.get("title_zh"),
            "status": f.get("status"), "date": f.get("date"), "date_effective": f.get("date_effective"),
            "issuers": f.get("issuers", []), "technologies": f.get("technologies", []), "data": data,
            "stem": found[0] if found else None}


def cluster_of_row(row: Any) -> PolicyCluster:
    """A stored policy row as the cluster lifecycle functions read."""
    fields = {**row.data, "title_en": row.title_en, "title_zh": row.title_zh, "status": row.status, "date": row.date,
              "date_effective": row.date_effective, "issuers": row.issuers, "technologies": row.technologies}
    return PolicyCluster(row.key, [], fields, row.data.get("conflicts", []), row.implied)


def _write_policies(connection: Connection, clusters: Iterable[PolicyCluster], existing: dict[str, int]) -> dict[str, int]:
    """Update the policies whose key exists, insert the others, in two statements; the id of each by key."""
    ids: dict[str, int] = {}
    updates, inserts = [], []
    for cluster in clusters:
        row = _policy_row(cluster)
        if cluster.key in existing:
            ids[cluster.key] = existing[cluster.key]
            updates.append({"b_id": existing[cluster.key], **{f"b_{k}": v for k, v in row.items()}})
        else:
            inserts.append(row)
    if updates:
        columns = [c for c in policies.c if c.name != "id"]
        connection.execute(update(policies).where(policies.c.id == bindparam("b_id"))
                           .values({c.name: bindparam(f"b_{c.name}", type_=c.type) for c in columns}), updates)
    if inserts:
        ids.update(connection.execute(insert(policies).returning(policies.c.key, policies.c.id), inserts).all())
    return ids


def _insert(connection: Connection, table: Table, rows: list[tuple[Any, ...]]) -> None:
    """Many plain rows (no JSON, no defaults) in one statement, without building a dict per row."""
    if rows:
        marks = ", ".join(["?" if connection.dialect.paramstyle == "qmark" else "%s"] * len(rows[0]))
        connection.exec_driver_sql(f"INSERT INTO {table.name} ({', '.join(c.name for c in table.c)}) VALUES ({marks})",
                                   rows)


def _keys_of(connection: Connection, ids: set[int]) -> dict[int, str]:
    return {pid: key for chunk in chunks(sorted(ids))
            for pid, key in connection.execute(select(policies.c.id, policies.c.key).where(policies.c.id.in_(chunk)))}


def _ids_by_key(connection: Connection, keys: Iterable[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for chunk in chunks(sorted(set(keys))):
        found.update(connection.execute(select(policies.c.key, policies.c.id).where(policies.c.key.in_(chunk))).all())
    return found


def _write_clusters(connection: Connection, clusters: list[PolicyCluster], old_ids: set[int]) -> tuple[set[str], set[str]]:
    """Replace the old policies by these clusters (an unchanged key keeps its id); returns the lookup keys and stems
    of both, for re-linking."""
    lookups: set[str] = set()
    stems = _stems(connection, old_ids)
    for chunk in chunks(sorted(old_ids)):
        lookups.update(connection.execute(select(policy_lookups.c.lookup)
                                          .where(policy_lookups.c.policy_id.in_(chunk))).scalars())
        connection.execute(delete(policy_lookups).where(policy_lookups.c.policy_id.in_(chunk)))
    ids = _write_policies(connection, clusters, _ids_by_key(connection, (c.key for c in clusters)))
    links, lookup_rows = [], []
    for cluster in clusters:
        pid = ids[cluster.key]
        links += [(mid, pid) for mid in cluster.mention_ids]
        own = {_compact(k) for k in lookup_keys(cluster.fields)}
        lookups |= own
        lookup_rows += [(k, pid) for k in sorted(own)]
        if (found := edition(cluster.fields)) is not None:
            stems.add(found[0])
    for chunk in chunks(sorted(old_ids - set(ids.values()))):
        connection.execute(delete(policies).where(policies.c.id.in_(chunk)))
    _insert(connection, policy_mentions, links)
    _insert(connection, policy_lookups, lookup_rows)
    return lookups, stems


class _Finder:
    """The policies answering to a lookup key, read once per key per run."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.cache: dict[str, list[PolicyCluster]] = {}

    def __call__(self, key: str) -> list[PolicyCluster]:
        if key not in self.cache:
            rows = self.connection.execute(select(policies).join(policy_lookups, policy_lookups.c.policy_id == policies.c.id)
                                           .where(policy_lookups.c.lookup == _compact(key), ~policies.c.implied))
            # in Python's order of keys, which a server's collation need not follow
            self.cache[key] = sorted((cluster_of_row(r) for r in rows), key=lambda c: c.key)
        return self.cache[key]


def _relink(connection: Connection, claimants: set[int] | None, stems: set[str]) -> None:
    """Link again the relations the claimant mentions state (all when None), drop implied policies no claim needs,
    and link again the editions of the plans with these title stems (all when the claimants are all)."""
    relation_ends = select(policy_relations.c.from_policy_id, policy_relations.c.to_policy_id)
    if claimants is None:
        connection.execute(delete(policy_relations))
        records = load_records(connection, connection.execute(select(relation_claims.c.mention_id).distinct()).scalars())
    else:
        ends = {pid for chunk in chunks(sorted(claimants)) for row in connection.execute(
            relation_ends.where(policy_relations.c.mention_id.in_(chunk))) for pid in row}
        stems |= _stems(connection, ends)
        for chunk in chunks(sorted(claimants)):
            connection.execute(delete(policy_relations).where(policy_relations.c.mention_id.in_(chunk)))
        records = load_records(connection, claimants)
    source_of: dict[int, int] = {}
    for chunk in chunks([r.id for r in records]):
        source_of.update(connection.execute(select(policy_mentions.c.mention_id, policy_mentions.c.policy_id)
                                            .where(policy_mentions.c.mention_id.in_(chunk))).all())
    sources = _clusters(connection, set(source_of.values()))
    find = _Finder(connection)
    links: list[RelationLink] = []
    implied: dict[str, PolicyCluster] = {}
    for record in records:
        if record.id in source_of:
            found, needed = link_claims(record, sources[source_of[record.id]], find)
            links += found
            implied.update((c.key, c) for c in needed if c.key not in implied)
    ids = _ids_by_key(connection, {link.from_key for link in links} | {link.to_key for link in links})
    ids.update(_write_policies(connection, implied.values(), ids))
    if links:
        connection.execute(insert(policy_relations), [
            {"from_policy_id": ids[link.from_key], "to_policy_id": ids[link.to_key], "type": link.type,
             "mention_id": link.mention_id, "evidence": link.evidence} for link in links])
    stems |= _stems(connection, set(ids.values()))
    # an implied policy lives as long as a claim points at it
    claimed = exists().where(policy_relations.c.to_policy_id == policies.c.id, policy_relations.c.mention_id.isnot(None))
    orphans = list(connection.execute(select(policies.c.id, policies.c.stem).where(policies.c.implied, ~claimed)))
    stems |= {stem for _, stem in orphans if stem}
    for chunk in chunks([pid for pid, _ in orphans]):
        connection.execute(delete(policies).where(policies.c.id.in_(chunk)))
    if claimants is None:
        stems = set(connection.execute(select(policies.c.stem).where(policies.c.stem.isnot(None)).distinct()).scalars())
    _link_editions(connection, stems)


def _stems(connection: Connection, ids: set[int]) -> set[str]:
    return {s for chunk in chunks(sorted(ids))
            for s in connection.execute(select(policies.c.stem).where(policies.c.id.in_(chunk))).scalars() if s}


def _clusters(connection: Connection, ids: set[int]) -> dict[int, PolicyCluster]:
    return {row.id: cluster_of_row(row) for chunk in chunks(sorted(ids))
            for row in connection.execute(select(policies).where(policies.c.id.in_(chunk)))}


def _link_editions(connection: Connection, stems: set[str]) -> None:
    for chunk in chunks(sorted(stems)):
        rows = connection.execute(select(policies).where(policies.c.stem.in_(chunk))).all()
        by_stem: dict[str, list[Any]] = defaultdict(list)
        for row in rows:
            by_stem[row.stem].append(row)
        ids = [row.id for row in rows]
        key_of = {row.id: row.key for row in rows}
        claimed: set[tuple[str, str]] = set()
        for inner in chunks(ids):
            connection.execute(delete(policy_relations).where(policy_relations.c.mention_id.is_(None),
                                                              policy_relations.c.from_policy_id.in_(inner)))
            claimed |= {(key_of[a], key_of[b]) for a, b in connection.execute(
                select(policy_relations.c.from_policy_id, policy_relations.c.to_policy_id)
                .where(policy_relations.c.from_policy_id.in_(inner))) if b in key_of}
        id_of = {row.key: row.id for row in rows}
        found = [link for stem in sorted(by_stem)
                 for link in edition_links([cluster_of_row(r) for r in by_stem[stem]], claimed)]
        if found:
            connection.execute(insert(policy_relations), [
                {"from_policy_id": id_of[link.from_key], "to_policy_id": id_of[link.to_key], "type": link.type,
                 "mention_id": None, "evidence": []} for link in found])


def resolve_store(connection: Connection, full: bool = False, touched: Iterable[int] = ()) -> dict[str, int]:
    """Resolve the mentions stored since the last run, and those ``touched`` (by a manual decision), with every
    mention they can join; ``full`` rebuilds everything from the mentions. Returns counts of what was done."""
    # One resolution at a time: processes ingesting together must not resolve at once, and each must read what the
    # one before it wrote. PostgreSQL: an advisory lock. SQLite: a first write takes the database's write lock
    # before anything is read (pysqlite only opens the transaction at the first write).
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(7401)"))
    else:
        connection.execute(delete(mention_blocks).where(mention_blocks.c.mention_id == -1))
    # a database without any policy links (new, or just migrated) is resolved in full
    full = full or connection.execute(select(policy_mentions.c.mention_id).limit(1)).first() is None
    must, cannot, preferred = load_overrides(connection)
    if full:
        for table in (mention_blocks, mention_pairs, relation_claims, policy_mentions, policy_relations):
            connection.execute(delete(table))
        records = load_records(connection)
        pairs, _ = _index(connection, records)
        old_ids = set(connection.execute(select(policies.c.id).where(~policies.c.implied)).scalars())
        clusters = cluster_policies(records, pairs, must, cannot, preferred)
        _write_clusters(connection, clusters, old_ids)
        _relink(connection, None, set())
        return {"mentions": len(records), "policies": len(clusters)}
    pending = _pending(connection)
    _, loosened = _index(connection, load_records(connection, pending))
    affected, strong = _component(connection, set(pending) | set(touched) | loosened, must)
    if not affected:
        return {"mentions": 0, "policies": 0}
    slim, _ = _comparable(connection, sorted(affected))
    key_of = {r.id: r.key for r in slim}
    groups = group_mentions(slim, [(key_of[a], key_of[b], value, "") for a, b, value in strong
                                   if a in key_of and b in key_of], must, cannot, preferred)
    old_of: dict[int, int] = {}
    for chunk in chunks(sorted(affected)):
        old_of.update(connection.execute(select(policy_mentions.c.mention_id, policy_mentions.c.policy_id)
                                         .where(policy_mentions.c.mention_id.in_(chunk))).all())
    members_of: dict[int, set[int]] = defaultdict(set)
    for mention_id, policy_id in old_of.items():
        members_of[policy_id].add(mention_id)
    old_keys = _keys_of(connection, set(members_of))
    # a group with the same mentions and key as a stored policy is that policy, unchanged: it is not rewritten
    unchanged = set()
    changed_groups = []
    for key, members in groups:
        ids = {m.id for m in members}
        policy_id = old_of.get(members[0].id)
        if policy_id is not None and members_of[policy_id] == ids and old_keys.get(policy_id) == key:
            unchanged.add(policy_id)
        else:
            changed_groups.append((key, ids))
    rewritten = {mid for _, ids in changed_groups for mid in ids}
    full_records = {r.id: r for r in load_records(connection, rewritten)}
    clusters = [as_cluster(key, sorted((full_records[i] for i in ids), key=lambda r: r.key))
                for key, ids in changed_groups]
    old_ids = set(members_of) - unchanged
    for chunk in chunks(sorted(rewritten)):
        connection.execute(delete(policy_mentions).where(policy_mentions.c.mention_id.in_(chunk)))
    lookups, stems = _write_clusters(connection, clusters, old_ids)
    claimants = {mid for chunk in chunks(sorted(rewritten)) for mid in connection.execute(
        select(relation_claims.c.mention_id).where(relation_claims.c.mention_id.in_(chunk))).scalars()}
    for chunk in chunks(sorted(lookups)):
        claimants.update(connection.execute(select(relation_claims.c.mention_id)
                                            .where(relation_claims.c.lookup.in_(chunk))).scalars())
    _relink(connection, claimants, stems)
    return {"mentions": len(affected), "policies": len(groups)}

