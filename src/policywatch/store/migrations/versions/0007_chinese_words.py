"""A word index for Chinese (jieba's words, Traditional folded to Simplified) beside the English and trigram ones.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("search_rows") as batch:
        batch.add_column(sa.Column("title_words", sa.Text, nullable=False, server_default=""))
        batch.add_column(sa.Column("body_words", sa.Text, nullable=False, server_default=""))
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        # the words are separated by spaces already; unicode61 only splits on them
        op.execute("CREATE VIRTUAL TABLE search_zh USING fts5(title_words, body_words, content='search_rows', "
                   "content_rowid='id', tokenize='unicode61 remove_diacritics 0')")
        # a title counts ten times a body in the BM25 rank
        op.execute("INSERT INTO search_zh(search_zh, rank) VALUES ('rank', 'bm25(10.0, 1.0)')")
        op.execute("CREATE TRIGGER search_zh_ai AFTER INSERT ON search_rows BEGIN "
                   "INSERT INTO search_zh(rowid, title_words, body_words) VALUES (new.id, new.title_words, new.body_words); END")
        op.execute("CREATE TRIGGER search_zh_ad AFTER DELETE ON search_rows BEGIN "
                   "INSERT INTO search_zh(search_zh, rowid, title_words, body_words) "
                   "VALUES ('delete', old.id, old.title_words, old.body_words); END")
    if bind.dialect.name == "postgresql":
        op.execute("ALTER TABLE search_rows ADD COLUMN tsv_zh tsvector GENERATED ALWAYS AS ("
                   "setweight(to_tsvector('simple', coalesce(title_words, '')), 'A') || "
                   "setweight(to_tsvector('simple', left(coalesce(body_words, ''), 500000)), 'B')) STORED")
        op.execute("CREATE INDEX ix_search_rows_tsv_zh ON search_rows USING gin (tsv_zh)")
    from policywatch.store.search import reindex_all

    reindex_all(bind)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS search_zh_ai")
        op.execute("DROP TRIGGER IF EXISTS search_zh_ad")
        op.execute("DROP TABLE IF EXISTS search_zh")
    if bind.dialect.name == "postgresql":
        op.execute("ALTER TABLE search_rows DROP COLUMN tsv_zh")
    with op.batch_alter_table("search_rows") as batch:
        batch.drop_column("body_words")
        batch.drop_column("title_words")
