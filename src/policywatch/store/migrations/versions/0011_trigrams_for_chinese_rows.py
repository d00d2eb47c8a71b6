"""SQLite: the trigram index holds only the search rows with Chinese characters.

Only a query with Chinese characters is answered by trigrams, and a row without any cannot match it (where a
query's other terms could match alone, through OR or NOT, the search reads the rows themselves). Trigrams were
two thirds of the cost of indexing English text. PostgreSQL's trigram indexes are unchanged.

Revision ID: 0011
Revises: 0010
"""

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

# the characters policywatch.segmenter.CJK matches; insert and delete must agree on which rows are indexed
CHINESE = "GLOB '*[\u3400-\u9fff\uf900-\ufaff]*'"


def _triggers(condition: str) -> None:
    """The triggers that keep search_tri in step with search_rows, for rows where ``condition`` holds."""
    op.execute("DROP TRIGGER IF EXISTS search_tri_ai")
    op.execute("DROP TRIGGER IF EXISTS search_tri_ad")
    new, old = (f"WHEN (new.title || new.body) {condition} ", f"WHEN (old.title || old.body) {condition} ") \
        if condition else ("", "")
    op.execute(f"CREATE TRIGGER search_tri_ai AFTER INSERT ON search_rows {new}BEGIN "
               "INSERT INTO search_tri(rowid, title, body) VALUES (new.id, new.title, new.body); END")
    op.execute(f"CREATE TRIGGER search_tri_ad AFTER DELETE ON search_rows {old}BEGIN "
               "INSERT INTO search_tri(search_tri, rowid, title, body) VALUES ('delete', old.id, old.title, old.body); "
               "END")


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    _triggers(CHINESE)
    op.execute("INSERT INTO search_tri(search_tri) VALUES ('delete-all')")
    op.execute(f"INSERT INTO search_tri(rowid, title, body) SELECT id, title, body FROM search_rows "
               f"WHERE (title || body) {CHINESE}")


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    _triggers("")
    op.execute("INSERT INTO search_tri(search_tri) VALUES ('rebuild')")
