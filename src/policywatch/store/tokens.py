"""Write tokens: created once and shown once; only their SHA-256 is stored."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import UTC, datetime

from sqlalchemy import Engine, insert, select

from policywatch.store.schema import api_tokens


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(engine: Engine, name: str) -> str:
    """A new write token (returned once; the database keeps only its hash)."""
    token = "pw_" + secrets.token_urlsafe(32)
    with engine.begin() as connection:
        connection.execute(insert(api_tokens).values(name=name, token_hash=_digest(token), created_at=datetime.now(UTC)))
    return token


def token_valid(engine: Engine, token: str | None) -> bool:
    """Whether a presented token is one that was created."""
    if not token:
        return False
    digest = _digest(token)
    with engine.connect() as connection:
        stored = connection.execute(select(api_tokens.c.token_hash).where(api_tokens.c.token_hash == digest)).first()
    return stored is not None and hmac.compare_digest(stored[0], digest)
