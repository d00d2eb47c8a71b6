"""The database schema (SQLAlchemy Core), one definition for SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

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
    Column("ocr_confidence", Float),  # mean word confidence (0-100) of a document read by OCR
    Column("parent_id", Integer),  # the page an attachment was linked from
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
    # stable across databases and re-ingest (document sha256, first evidence offset, kind): overrides and
    # resolution order use it
    Column("key", String(200)),
    # a policy mention's words as resolution compares them (space separated), written when it is first resolved
    Column("words", Text),
    Index("ix_mentions_document_id", "document_id"),
    Index("ix_mentions_key", "key"),
    Index("ix_mentions_kind_date", "kind", "date"),
)

# what readers of a mention see: everything but the words resolution keeps for itself
MENTION_COLUMNS = tuple(c for c in mentions.c if c.name != "words")

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
    # Chinese words of title and body (Simplified, jieba's search mode), space separated, for the word index
    Column("title_words", Text, nullable=False, default=""),
    Column("body_words", Text, nullable=False, default=""),
    Index("ix_search_rows_document_id", "document_id"),
    Index("ix_search_rows_kind_date", "kind", "date"),
)

# Resolution: policies (many mentions each), their relations and manual overrides.
policies = Table(
    "policies", metadata,
    Column("id", Integer, primary_key=True),
    Column("key", String(200), nullable=False, unique=True),
    Column("implied", Boolean, nullable=False, default=False),
    Column("title_en", Text),
    Column("title_zh", Text),
    Column("status", String(8)),
    Column("date", String(10)),
    Column("date_effective", String(10)),
    Column("issuers", JSON, nullable=False),
    Column("technologies", JSON, nullable=False),
    Column("data", JSON, nullable=False),
    Column("stem", Text),  # title without its period, for plans with a period: editions of one plan share it
    Index("ix_policies_stem", "stem"),
)

# What incremental resolution looks up: the blocks each policy mention is in, the pairs of mentions worth
# keeping with their scores, the lookup keys of the relations a mention states and those each policy answers to.
mention_blocks = Table(
    "mention_blocks", metadata,
    Column("block", String(200), primary_key=True),
    Column("role", String(1), primary_key=True),  # m(ember), i(ndexed) or p(robe): see clustering.blocking_keys
    Column("mention_id", Integer, ForeignKey("mentions.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_mention_blocks_mention_id", "mention_id"),
)

mention_pairs = Table(
    "mention_pairs", metadata,
    Column("mention_a", Integer, ForeignKey("mentions.id", ondelete="CASCADE"), primary_key=True),
    Column("mention_b", Integer, ForeignKey("mentions.id", ondelete="CASCADE"), primary_key=True),
    Column("score", Float, nullable=False),
    Column("reason", Text, nullable=False),
    Index("ix_mention_pairs_mention_b", "mention_b"),
)

relation_claims = Table(
    "relation_claims", metadata,
    Column("lookup", String(200), primary_key=True),
    Column("mention_id", Integer, ForeignKey("mentions.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_relation_claims_mention_id", "mention_id"),
)

policy_lookups = Table(
    "policy_lookups", metadata,
    Column("lookup", String(200), primary_key=True),
    Column("policy_id", Integer, ForeignKey("policies.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_policy_lookups_policy_id", "policy_id"),
)

policy_mentions = Table(
    "policy_mentions", metadata,
    Column("mention_id", Integer, ForeignKey("mentions.id", ondelete="CASCADE"), primary_key=True),
    Column("policy_id", Integer, ForeignKey("policies.id", ondelete="CASCADE"), nullable=False),
    Index("ix_policy_mentions_policy_id", "policy_id"),
)

policy_relations = Table(
    "policy_relations", metadata,
    Column("id", Integer, primary_key=True),
    Column("from_policy_id", Integer, ForeignKey("policies.id", ondelete="CASCADE"), nullable=False),
    Column("to_policy_id", Integer, ForeignKey("policies.id", ondelete="CASCADE"), nullable=False),
    Column("type", String(16), nullable=False),
    Column("mention_id", Integer, ForeignKey("mentions.id", ondelete="SET NULL")),
    Column("evidence", JSON, nullable=False),
    Index("ix_policy_relations_from", "from_policy_id"),
    Index("ix_policy_relations_to", "to_policy_id"),
    Index("ix_policy_relations_mention_id", "mention_id"),
)

resolution_overrides = Table(
    "resolution_overrides", metadata,
    Column("id", Integer, primary_key=True),
    Column("action", String(8), nullable=False),  # merge | split
    Column("key_a", String(200), nullable=False),
    Column("key_b", String(200), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

notes = Table(
    "notes", metadata,
    Column("id", Integer, primary_key=True),
    Column("policy_key", String(200), nullable=False),
    Column("author", String(100), nullable=False),
    Column("text", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index("ix_notes_policy_key", "policy_key"),
)

api_tokens = Table(
    "api_tokens", metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(100), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)


# Watching: sources to fetch on a schedule (with a lease so that two watchers never fetch one at once), what was
# fetched (for conditional requests), saved searches, their matches, and alert deliveries (kept until sent).
sources = Table(
    "sources", metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("url", Text, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("every_seconds", Integer, nullable=False),
    Column("follow", Text),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("last_run_at", DateTime(timezone=True)),
    Column("next_run_at", DateTime(timezone=True)),
    Column("last_status", Text),
    Column("failures", Integer, nullable=False, default=0),
    Column("lease_owner", String(64)),
    Column("lease_until", DateTime(timezone=True)),
)

fetched = Table(
    "fetched", metadata,
    Column("id", Integer, primary_key=True),
    Column("url", Text, nullable=False),
    Column("url_hash", String(64), nullable=False, unique=True),
    Column("source_id", Integer, ForeignKey("sources.id", ondelete="SET NULL")),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("sha256", String(64)),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="SET NULL")),
    Column("status", Integer),
    Column("fetched_at", DateTime(timezone=True), nullable=False),
)

watchlists = Table(
    "watchlists", metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(100), nullable=False, unique=True),
    Column("query", Text, nullable=False),
    Column("filters", JSON, nullable=False),
    Column("email", Text),
    Column("webhook", Text),
    Column("seen_mention_id", Integer, nullable=False, default=0),
    Column("seen_document_id", Integer, nullable=False, default=0),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("last_run_at", DateTime(timezone=True)),
)

watchlist_matches = Table(
    "watchlist_matches", metadata,
    Column("id", Integer, primary_key=True),
    Column("watchlist_id", Integer, ForeignKey("watchlists.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("ref_id", Integer, nullable=False),
    Column("document_id", Integer, nullable=False),
    Column("title", Text, nullable=False),
    Column("snippet", Text, nullable=False),
    Column("source", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("watchlist_id", "kind", "ref_id"),
)

deliveries = Table(
    "deliveries", metadata,
    Column("id", Integer, primary_key=True),
    Column("watchlist_id", Integer, ForeignKey("watchlists.id", ondelete="CASCADE"), nullable=False),
    Column("channel", String(16), nullable=False),
    Column("target", Text, nullable=False),
    Column("payload", JSON, nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    Column("delivered_at", DateTime(timezone=True)),
    Column("last_error", Text),
    Column("created_at", DateTime(timezone=True), nullable=False),
)
