"""Policies resolved across documents, their relations, overrides, review pairs, companies and people.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "policies",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("key", sa.String(200), nullable=False, unique=True),
        sa.Column("implied", sa.Boolean, nullable=False),
        sa.Column("title_en", sa.Text),
        sa.Column("title_zh", sa.Text),
        sa.Column("status", sa.String(8)),
        sa.Column("date", sa.String(10)),
        sa.Column("date_effective", sa.String(10)),
        sa.Column("issuers", sa.JSON, nullable=False),
        sa.Column("technologies", sa.JSON, nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
    )
    op.create_table(
        "policy_mentions",
        sa.Column("mention_id", sa.Integer, sa.ForeignKey("mentions.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("policy_id", sa.Integer, sa.ForeignKey("policies.id", ondelete="CASCADE"), nullable=False),
    )
    op.create_index("ix_policy_mentions_policy_id", "policy_mentions", ["policy_id"])
    op.create_table(
        "policy_relations",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("from_policy_id", sa.Integer, sa.ForeignKey("policies.id", ondelete="CASCADE"), nullable=False),
        sa.Column("to_policy_id", sa.Integer, sa.ForeignKey("policies.id", ondelete="CASCADE"), nullable=False),
        sa.Column("type", sa.String(16), nullable=False),
        sa.Column("mention_id", sa.Integer, sa.ForeignKey("mentions.id", ondelete="SET NULL")),
        sa.Column("evidence", sa.JSON, nullable=False),
    )
    op.create_table(
        "resolution_overrides",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("action", sa.String(8), nullable=False),
        sa.Column("key_a", sa.String(200), nullable=False),
        sa.Column("key_b", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
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


def downgrade() -> None:
    for table in ("entities", "review_pairs", "resolution_overrides", "policy_relations", "policy_mentions", "policies"):
        op.drop_table(table)
