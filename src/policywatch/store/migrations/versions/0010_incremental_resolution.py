"""Incremental resolution: mentions keep their stable key; blocks, scored pairs, relation claims and policy lookup
keys are stored so that a batch resolves only what its mentions touch; review pairs and companies and people
are computed when asked for, not stored. Policies keep their rows: the first resolution after this migration is
a full one (its policy-mention links are cleared here) and keeps each policy's id by its key.

Revision ID: 0010
Revises: 0009
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def _keys(connection: sa.Connection) -> None:
    """Each mention's key, as the store writes it: sha256 prefix, first evidence offset, kind; ~n on a repeat."""
    rows = connection.execute(sa.text("SELECT m.id, m.kind, m.evidence, d.sha256 FROM mentions m "
                                      "JOIN documents d ON d.id = m.document_id ORDER BY m.document_id, m.id"))
    seen: set[str] = set()
    updates = []
    for mention_id, kind, evidence, sha256 in rows:
        spans = json.loads(evidence) if isinstance(evidence, str) else evidence
        key = base = f"{sha256[:16]}:{spans[0][0] if spans else 0}:{kind}"
        n = 1
        while key in seen:
            n += 1
            key = f"{base}~{n}"
        seen.add(key)
        updates.append({"id": mention_id, "key": key})
    if updates:
        connection.execute(sa.text("UPDATE mentions SET key = :key WHERE id = :id"), updates)


def upgrade() -> None:
    op.add_column("mentions", sa.Column("key", sa.String(200), nullable=True))
    op.add_column("mentions", sa.Column("words", sa.Text, nullable=True))
    _keys(op.get_bind())
    op.create_index("ix_mentions_key", "mentions", ["key"])
    op.add_column("policies", sa.Column("stem", sa.Text, nullable=True))
    op.create_index("ix_policies_stem", "policies", ["stem"])
    op.create_index("ix_policy_relations_from", "policy_relations", ["from_policy_id"])
    op.create_index("ix_policy_relations_to", "policy_relations", ["to_policy_id"])
    op.create_index("ix_policy_relations_mention_id", "policy_relations", ["mention_id"])
    op.create_table(
        "mention_blocks",
        sa.Column("block", sa.String(200), primary_key=True),
        sa.Column("role", sa.String(1), primary_key=True),
        sa.Column("mention_id", sa.Integer, sa.ForeignKey("mentions.id", ondelete="CASCADE"), primary_key=True),
    )
    op.create_index("ix_mention_blocks_mention_id", "mention_blocks", ["mention_id"])
    op.create_table(
        "mention_pairs",
        sa.Column("mention_a", sa.Integer, sa.ForeignKey("mentions.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("mention_b", sa.Integer, sa.ForeignKey("mentions.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
    )
    op.create_index("ix_mention_pairs_mention_b", "mention_pairs", ["mention_b"])
    op.create_table(
        "relation_claims",
        sa.Column("lookup", sa.String(200), primary_key=True),
        sa.Column("mention_id", sa.Integer, sa.ForeignKey("mentions.id", ondelete="CASCADE"), primary_key=True),
    )
    op.create_index("ix_relation_claims_mention_id", "relation_claims", ["mention_id"])
    op.create_table(
        "policy_lookups",
        sa.Column("lookup", sa.String(200), primary_key=True),
        sa.Column("policy_id", sa.Integer, sa.ForeignKey("policies.id", ondelete="CASCADE"), primary_key=True),
    )
    op.create_index("ix_policy_lookups_policy_id", "policy_lookups", ["policy_id"])
    op.drop_table("review_pairs")
    op.drop_index("ix_entities_kind_key", "entities")
    op.drop_table("entities")
    # the next resolution rebuilds blocks, pairs and links from every mention
    op.execute("DELETE FROM policy_relations")
    op.execute("DELETE FROM policy_mentions")


def downgrade() -> None:
    op.create_table(
        "review_pairs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("key_a", sa.String(200), nullable=False),
        sa.Column("key_b", sa.String(200), nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
    )
    op.create_table(
        "entities",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
    )
    op.create_index("ix_entities_kind_key", "entities", ["kind", "key"], unique=True)
    for table in ("policy_lookups", "relation_claims", "mention_pairs", "mention_blocks"):
        op.drop_table(table)
    for index in ("ix_policy_relations_mention_id", "ix_policy_relations_to", "ix_policy_relations_from"):
        op.drop_index(index, "policy_relations")
    # plain ALTER TABLE … DROP COLUMN (SQLite 3.35 and later): a batch copy of the table would break the views on it
    op.drop_index("ix_policies_stem", "policies")
    op.drop_column("policies", "stem")
    op.drop_index("ix_mentions_key", "mentions")
    op.drop_column("mentions", "key")
    op.drop_column("mentions", "words")
