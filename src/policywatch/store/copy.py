"""Copy a whole database to another (a local SQLite file to a team's PostgreSQL server, or back)."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Engine, func, insert, select, text

from policywatch.errors import PolicywatchError
from policywatch.store.schema import (
    deliveries,
    documents,
    fetched,
    items,
    mention_blocks,
    mention_pairs,
    mentions,
    notes,
    policies,
    policy_lookups,
    policy_mentions,
    policy_relations,
    relation_claims,
    resolution_overrides,
    search_rows,
    sources,
    watchlist_matches,
    watchlists,
)

# parents before children, so that every foreign key finds its row
TABLES = [documents, items, mentions, search_rows, mention_blocks, mention_pairs, relation_claims, policies,
          policy_mentions, policy_lookups, policy_relations, resolution_overrides, notes, sources, fetched, watchlists,
          watchlist_matches, deliveries]
CHUNK = 1000


def copy_database(source: Engine, target: Engine, progress: Callable[[str, int], None] | None = None) -> dict[str, int]:
    """Copy every row, ids kept, into an empty target in one transaction; returns rows copied per table."""
    with target.connect() as probe:
        if probe.execute(select(func.count()).select_from(documents)).scalar_one():
            raise PolicywatchError(f"{target.url.render_as_string(hide_password=True)}: target database is not empty")
    counts: dict[str, int] = {}
    with source.connect() as reader, target.begin() as writer:
        for table in TABLES:
            result = reader.execute(select(table).order_by(*table.primary_key.columns))
            copied = 0
            while rows := result.mappings().fetchmany(CHUNK):
                writer.execute(insert(table), [dict(r) for r in rows])
                copied += len(rows)
                if progress:
                    progress(table.name, copied)
            counts[table.name] = copied
        if target.dialect.name == "postgresql":
            # ids were copied as they were: move each id sequence past them
            for table in TABLES:
                id_column = next(iter(table.primary_key.columns))
                if id_column.name == "id":
                    writer.execute(text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                                        f"coalesce((SELECT max(id) FROM {table.name}), 0) + 1, false)"))
    return counts
