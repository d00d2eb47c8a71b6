"""Engine creation, automatic migration, and the transactional writes and reads of documents."""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from platformdirs import user_data_dir
from sqlalchemy import Engine, Table, create_engine, event, func, insert, select
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import ArgumentError, IntegrityError, OperationalError

from policywatch.errors import PolicywatchError
from policywatch.model import Document, Item, Mention
from policywatch.store import rows
from policywatch.store.schema import MENTION_COLUMNS, documents, items, mentions
from policywatch.store.search import index_rows

ALEMBIC_INI = Path(__file__).with_name("alembic.ini")


def default_url() -> str:
    """POLICYWATCH_DB, else a SQLite file in the user's data directory."""
    if url := os.environ.get("POLICYWATCH_DB"):
        return url
    return "sqlite:///" + str(Path(user_data_dir("policywatch")) / "policywatch.db")


def _as_url(target: str) -> str:
    """Accept a SQLAlchemy URL or a bare file path (taken as SQLite); PostgreSQL URLs use psycopg 3."""
    if "://" not in target:
        return "sqlite:///" + str(Path(target).expanduser())
    for scheme in ("postgresql://", "postgres://"):
        if target.startswith(scheme):
            return "postgresql+psycopg://" + target[len(scheme):]
    return target


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    # in WAL mode NORMAL never corrupts the file; a power cut may undo the last commits, which a re-ingest of the
    # same files redoes (ingest is idempotent), while a sync per document would halve ingest speed
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _alembic_config(connection: Connection) -> Config:
    cfg = Config(str(ALEMBIC_INI))
    cfg.attributes["connection"] = connection
    return cfg


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest migration (a no-op when it is there already)."""
    with engine.begin() as connection:
        cfg = _alembic_config(connection)
        head = ScriptDirectory.from_config(cfg).get_current_head()
        if MigrationContext.configure(connection).get_current_revision() != head:
            command.upgrade(cfg, "head")


def connect(target: str | None = None, *, migrate: bool = True) -> Engine:
    """An engine for ``target`` (URL or SQLite path; default: default_url()), migrated on first use."""
    url_text = _as_url(target or default_url())
    try:
        url = make_url(url_text)
    except ArgumentError:
        raise PolicywatchError(f"{url_text}: not a database URL") from None
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        folder = Path(url.database).expanduser().parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise PolicywatchError(f"{url_text}: cannot create the folder {folder} ({exc.strerror})") from None
    try:
        engine = create_engine(url)
    except ModuleNotFoundError as exc:
        hint = " (pip install 'policywatch[postgres]')" if url.get_backend_name() == "postgresql" else ""
        raise PolicywatchError(f"{url.render_as_string(hide_password=True)}: driver {exc.name} is missing{hint}") from None
    except Exception as exc:  # bad options: one line for the user
        raise PolicywatchError(f"{url.render_as_string(hide_password=True)}: {exc}") from None
    if url.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    if migrate:
        try:
            upgrade(engine)
        except OperationalError as exc:
            reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
            raise PolicywatchError(f"{url.render_as_string(hide_password=True)}: {reason}") from None
    return engine


T = TypeVar("T")
BUSY = ("database is locked", "deadlock detected", "could not serialize")


def retrying(action: Callable[[], T], attempts: int = 8) -> T:
    """Run a write transaction again when another process held the database (SQLite's lock upgrade, a
    PostgreSQL deadlock): concurrent ingests wait their turn instead of failing."""
    for attempt in range(attempts):
        try:
            return action()
        except OperationalError as exc:
            if attempt == attempts - 1 or not any(word in str(exc.orig) for word in BUSY):
                raise
            time.sleep(0.05 * 2**attempt + random.random() * 0.05)
    raise AssertionError("unreachable")


@dataclass(frozen=True)
class Saved:
    """Outcome of saving one document."""

    document_id: int
    added: bool  # False: a document with the same sha256 was there already


def find_document_id(connection: Connection, sha256: str) -> int | None:
    """The id of the stored document with these bytes, if any."""
    return connection.execute(select(documents.c.id).where(documents.c.sha256 == sha256)).scalar_one_or_none()


def save_document(engine: Engine, document: Document, layout: str | None, found_items: list[Item],
                  found_mentions: list[tuple[int | None, Mention]], words: dict[bytes, str] | None = None) -> Saved:
    """Store a document with its items and mentions in one transaction; idempotent on the bytes' sha256.

    ``found_mentions`` pairs each mention with the index of its item in ``found_items`` (or None); ``words`` are
    the word index's words of its Chinese texts where its analysis computed them (``rows.search_words``).
    """
    # no probe first: the unique sha256 refuses a second copy, whoever stored the first one
    try:
        doc_id = retrying(lambda: _insert_document(engine, document, layout, found_items, found_mentions, words))
    except IntegrityError:
        # These bytes are stored already (by an earlier ingest, or by another process just now).
        with engine.connect() as probe:
            existing = find_document_id(probe, document.sha256)
        if existing is None:
            raise
        return Saved(existing, False)
    return Saved(doc_id, True)


def _insert_document(engine: Engine, document: Document, layout: str | None, found_items: list[Item],
                     found_mentions: list[tuple[int | None, Mention]], words: dict[bytes, str] | None) -> int:
    with engine.begin() as connection:
        doc_id = connection.execute(insert(documents).values(
            sha256=document.sha256, source=document.source, format=document.format,
            language=document.language, encoding=document.encoding, title=document.title,
            published=document.published, layout=layout, pages=document.pages, text=document.text,
            ocr_confidence=document.ocr_confidence, ingested_at=datetime.now(UTC),
        )).inserted_primary_key[0]
        item_rows = rows.item_rows(doc_id, found_items)
        for row, item_id in zip(item_rows, _insert_with_ids(connection, items, item_rows), strict=True):
            row["id"] = item_id
        keys = mention_keys(document.sha256, [m for _, m in found_mentions])
        mention_rows = [{**rows.mention_row(doc_id, item_rows[i]["id"] if i is not None else None, m), "key": key}
                        for (i, m), key in zip(found_mentions, keys, strict=True)]
        for row, mention_id in zip(mention_rows, _insert_with_ids(connection, mentions, mention_rows), strict=True):
            row["id"] = mention_id
        # the search rows from what was just written, without reading it back
        index_rows(connection, {"id": doc_id, "text": document.text, "title": document.title,
                                "published": document.published}, item_rows, mention_rows, words)
    return doc_id


def _insert_with_ids(connection: Connection, table: Table, rows: list[dict[str, Any]]) -> list[int]:
    """Insert rows in one statement; their ids, in the order given."""
    if not rows:
        return []
    if connection.dialect.name == "sqlite":
        # SQLite numbers a new row one above the largest id, row after row, and this transaction holds the write
        # lock: the rows just inserted are the last len(rows) ids (RETURNING in order would cost a statement a row)
        connection.execute(insert(table), rows)
        last = connection.execute(select(func.max(table.c.id))).scalar_one()
        return list(range(last - len(rows) + 1, last + 1))
    return list(connection.execute(insert(table).returning(table.c.id, sort_by_parameter_order=True), rows).scalars())


def mention_keys(sha256: str, found: list[Mention]) -> list[str]:
    """Each mention's identity that survives re-ingest and database moves: its document's bytes and place
    (sha256 prefix, first evidence offset, kind), with ~2, ~3 … on a repeat within the document."""
    seen: set[str] = set()
    keys = []
    for mention in found:
        key = base = f"{sha256[:16]}:{mention.evidence[0][0] if mention.evidence else 0}:{mention.kind}"
        n = 1
        while key in seen:
            n += 1
            key = f"{base}~{n}"
        seen.add(key)
        keys.append(key)
    return keys


DOCUMENT_SUMMARY = (documents.c.id, documents.c.sha256, documents.c.source, documents.c.format,
                    documents.c.language, documents.c.title, documents.c.published, documents.c.layout,
                    documents.c.ingested_at)


def list_documents(engine: Engine) -> list[dict[str, Any]]:
    """Every stored document, without its text, with counts of items and mentions."""
    item_count = select(func.count()).where(items.c.document_id == documents.c.id).scalar_subquery()
    mention_count = select(func.count()).where(mentions.c.document_id == documents.c.id).scalar_subquery()
    query = select(*DOCUMENT_SUMMARY, item_count.label("items"), mention_count.label("mentions")) \
        .order_by(documents.c.id)
    with engine.connect() as connection:
        return [dict(row._mapping) for row in connection.execute(query)]


def get_document(engine: Engine, document_id: int) -> dict[str, Any] | None:
    """One document with its text, items and mentions, or None."""
    with engine.connect() as connection:
        row = connection.execute(select(documents).where(documents.c.id == document_id)).first()
        if row is None:
            return None
        result = dict(row._mapping)
        result["items"] = [dict(r._mapping) for r in connection.execute(
            select(items).where(items.c.document_id == document_id).order_by(items.c.position))]
        result["mentions"] = [dict(r._mapping) for r in connection.execute(
            select(*MENTION_COLUMNS).where(mentions.c.document_id == document_id).order_by(mentions.c.id))]
    return result
