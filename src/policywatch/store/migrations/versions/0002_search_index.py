"""Search rows and their full-text indexes (FTS5 on SQLite), filled for documents already stored.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

FTS_TABLES = {"search_en": "porter unicode61 remove_diacritics 2", "search_tri": "trigram"}


def upgrade() -> None:
    op.create_table(
        "search_rows",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("ref_id", sa.Integer, nullable=False),
        sa.Column("document_id", sa.Integer, sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("issuers", sa.Text, nullable=False),
        sa.Column("technologies", sa.Text, nullable=False),
        sa.Column("status", sa.String(8)),
        sa.Column("date", sa.String(10)),
    )
    op.create_index("ix_search_rows_document_id", "search_rows", ["document_id"])
    op.create_index("ix_search_rows_kind_date", "search_rows", ["kind", "date"])
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for table, tokenizer in FTS_TABLES.items():
            op.execute(f"CREATE VIRTUAL TABLE {table} USING fts5(title, body, content='search_rows', "
                       f"content_rowid='id', tokenize='{tokenizer}')")
            # titles weigh five times as much as bodies in the BM25 rank
            op.execute(f"INSERT INTO {table}({table}, rank) VALUES ('rank', 'bm25(5.0, 1.0)')")
            op.execute(f"CREATE TRIGGER {table}_ai AFTER INSERT ON search_rows BEGIN "
                       f"INSERT INTO {table}(rowid, title, body) VALUES (new.id, new.title, new.body); END")
            op.execute(f"CREATE TRIGGER {table}_ad AFTER DELETE ON search_rows BEGIN "
                       f"INSERT INTO {table}({table}, rowid, title, body) VALUES ('delete', old.id, old.title, old.body); END")
    if bind.dialect.name == "postgresql":
        # English with stemming (titles weigh more), and trigrams for Chinese and parts of words
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute("ALTER TABLE search_rows ADD COLUMN tsv tsvector GENERATED ALWAYS AS ("
                   "setweight(to_tsvector('english', coalesce(title, '')), 'A') || "
                   "setweight(to_tsvector('english', left(coalesce(body, ''), 500000)), 'B')) STORED")
        op.execute("CREATE INDEX ix_search_rows_tsv ON search_rows USING gin (tsv)")
        op.execute("CREATE INDEX ix_search_rows_body_trgm ON search_rows USING gin (body gin_trgm_ops)")
        op.execute("CREATE INDEX ix_search_rows_title_trgm ON search_rows USING gin (title gin_trgm_ops)")
    # documents stored before search existed are indexed by 0007, which rebuilds every row with its Chinese words


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for table in FTS_TABLES:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_ai")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_ad")
            op.execute(f"DROP TABLE IF EXISTS {table}")
    op.drop_table("search_rows")
