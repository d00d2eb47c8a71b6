"""Analyst notes on policies, kept by the policy's stable key so they outlive re-resolution."""

from __future__ import annotations

import getpass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, insert, select

from policywatch.errors import PolicywatchError
from policywatch.store.schema import notes, policies


def add_note(engine: Engine, policy_id: int, text: str, author: str | None = None) -> int:
    """Store a note on a policy; returns the note's id."""
    if not text.strip():
        raise PolicywatchError("a note needs some text")
    with engine.begin() as connection:
        key = connection.execute(select(policies.c.key).where(policies.c.id == policy_id)).scalar_one_or_none()
        if key is None:
            raise PolicywatchError(f"policy {policy_id}: not in the database")
        return connection.execute(insert(notes).values(
            policy_key=key, author=author or getpass.getuser(), text=text.strip(), created_at=datetime.now(UTC),
        )).inserted_primary_key[0]


def notes_by_policy(engine: Engine) -> dict[int, list[dict[str, Any]]]:
    """Every note, grouped by the id of the policy it is about, oldest first."""
    with engine.connect() as connection:
        ids = dict(connection.execute(select(policies.c.key, policies.c.id)).all())
        result: dict[int, list[dict[str, Any]]] = {}
        for row in connection.execute(select(notes).order_by(notes.c.id)).mappings():
            if row["policy_key"] in ids:
                result.setdefault(ids[row["policy_key"]], []).append(dict(row))
    return result
