"""The database schema (SQLAlchemy Core), one definition for SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import JSON, Column, DateTime, ForeignKey, Index, Integer, MetaData, String, Table, Text

metadata = MetaData(naming_convention={
    "ix": "ix_%(table_name)s_%(column_0_name)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
})

documents = Table(
    "documents", metadata,
    Column("id", Integer, primary_key=True),
    Column("sha256", String(64), nullable=False, unique=True),
    Column("source", Text, nullable=False),
    Column("format", String(16), nullable=False),
    Column("language", String(8), nullable=False),
    Column("encoding", String(32)),
    Column("title", Text),
    Column("published", String(10)),
    Column("layout", String(16)),
    Column("pages", JSON, nullable=False, default=list),
    Column("text", Text, nullable=False),
    Column("ingested_at", DateTime(timezone=True), nullable=False),
)

items = Table(
    "items", metadata,
    Column("id", Integer, primary_key=True),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("heading", Text),
    Column("section", Text),
    Column("kind_hint", String(16)),
    Index("ix_items_document_id", "document_id"),
)

mentions = Table(
    "mentions", metadata,
    Column("id", Integer, primary_key=True),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("item_id", Integer, ForeignKey("items.id", ondelete="CASCADE")),
    Column("kind", String(16), nullable=False),
    Column("title_en", Text),
    Column("title_zh", Text),
    Column("status", String(8)),
    Column("date", String(10)),
    Column("issuers", JSON, nullable=False, default=list),
    Column("data", JSON, nullable=False),
    Column("evidence", JSON, nullable=False),
    Index("ix_mentions_document_id", "document_id"),
    Index("ix_mentions_kind_date", "kind", "date"),
)

# One row per searchable thing (a document, an item, a mention), with the attributes search filters on.
# On SQLite, FTS5 indexes (English with stemming, and trigrams for Chinese and partial words) follow
# this table through triggers; on PostgreSQL, a tsvector and pg_trgm indexes do the same work.
search_rows = Table(
    "search_rows", metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("ref_id", Integer, nullable=False),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("title", Text, nullable=False, default=""),
    Column("body", Text, nullable=False, default=""),
    Column("issuers", Text, nullable=False, default=" "),
    Column("technologies", Text, nullable=False, default=" "),
    Column("status", String(8)),
    Column("date", String(10)),
    Index("ix_search_rows_document_id", "document_id"),
    Index("ix_search_rows_kind_date", "kind", "date"),
)
