"""A view per record kind with readable columns, for browsing the SQLite file (Datasette, sqlite3, a notebook).

Revision ID: 0009
Revises: 0008
"""

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

VIEWS = {
    "documents_view": """SELECT id, source, format, language, title, published, layout, ocr_confidence, parent_id,
        length(text) AS characters, ingested_at FROM documents""",
    "policies_view": """SELECT p.id, p.title_en, p.title_zh, json_extract(p.data, '$.doc_number') AS doc_number,
        p.status, p.date, p.date_effective, json_extract(p.data, '$.instrument') AS instrument,
        json_extract(p.data, '$.level') AS level, p.issuers, p.technologies, p.implied,
        (SELECT count(*) FROM policy_mentions pm WHERE pm.policy_id = p.id) AS sources FROM policies p""",
    "targets_view": """SELECT p.id AS policy_id, coalesce(p.title_en, p.title_zh) AS policy_title, p.status AS policy_status,
        json_extract(t.value, '$.metric') AS metric, json_extract(t.value, '$.value') AS value,
        json_extract(t.value, '$.value_max') AS value_max, json_extract(t.value, '$.unit') AS unit,
        json_extract(t.value, '$.year') AS year, json_extract(t.value, '$.mention_id') AS mention_id
        FROM policies p, json_each(p.data, '$.targets') t""",
    "relations_view": """SELECT r.from_policy_id, coalesce(a.title_en, a.title_zh) AS from_title, r.type, r.to_policy_id,
        coalesce(b.title_en, b.title_zh) AS to_title, r.mention_id FROM policy_relations r
        JOIN policies a ON a.id = r.from_policy_id JOIN policies b ON b.id = r.to_policy_id""",
    "events_view": """SELECT m.id, m.date, json_extract(m.data, '$.event_type') AS event_type,
        json_extract(m.data, '$.companies') AS companies, json_extract(m.data, '$.summary') AS summary,
        m.document_id, d.source FROM mentions m JOIN documents d ON d.id = m.document_id WHERE m.kind = 'event'""",
    "people_view": """SELECT m.id, json_extract(m.data, '$.person_en') AS person_en,
        json_extract(m.data, '$.person_zh') AS person_zh, json_extract(m.data, '$.organization') AS organization,
        json_extract(m.data, '$.role') AS role, json_extract(m.data, '$.change') AS change, m.date, m.document_id
        FROM mentions m WHERE m.kind = 'personnel'""",
}


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return  # PostgreSQL users have psql and their own tools; the views use SQLite's JSON functions
    for name, body in VIEWS.items():
        op.execute(f"CREATE VIEW {name} AS {body}")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in VIEWS:
            op.execute(f"DROP VIEW IF EXISTS {name}")
