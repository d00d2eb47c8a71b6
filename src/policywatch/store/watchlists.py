"""Watchlists: saved searches whose new results after each watch run are their matches; the alerts owed for them
are kept as deliveries until they are sent, so a failed delivery is retried and no match is lost."""

from __future__ import annotations

import re
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, delete, func, insert, select, update

from policywatch.errors import PolicywatchError
from policywatch.masking import mask_url
from policywatch.store.schema import deliveries, documents, mentions, watchlist_matches, watchlists
from policywatch.store.search import SNIPPET_CLOSE, SNIPPET_OPEN, Filters, search

NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")
RECORD_KINDS = ["policy", "event", "personnel", "document"]
MAX_MATCHES = 500  # per watchlist and run: a query that matches everything is a mistake, not a digest


def _now() -> datetime:
    return datetime.now(UTC)


def add_watchlist(engine: Engine, name: str, query: str, filters: Filters | None = None, email: str | None = None,
                  webhook: str | None = None) -> int:
    """Save a search; what is stored from now on and matches it are its matches."""
    if not NAME.match(name):
        raise PolicywatchError(f"watchlist name '{name}': use letters, digits, '-', '_' or '.' (it names a feed URL)")
    if email and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
        raise PolicywatchError(f"--email {email}: not an e-mail address")
    if webhook and not re.match(r"https?://", webhook):
        raise PolicywatchError(f"--webhook {mask_url(webhook)}: expected an http or https address")
    filters = filters or Filters()
    search(engine, query, filters, limit=1)  # a query that cannot be read fails now, not at every run
    with engine.begin() as connection:
        if connection.execute(select(watchlists.c.id).where(watchlists.c.name == name)).first():
            raise PolicywatchError(f"watchlist '{name}' exists already")
        seen_mention = connection.execute(select(func.coalesce(func.max(mentions.c.id), 0))).scalar_one()
        seen_document = connection.execute(select(func.coalesce(func.max(documents.c.id), 0))).scalar_one()
        return connection.execute(insert(watchlists).values(
            name=name, query=query, filters=asdict(filters), email=email, webhook=webhook,
            seen_mention_id=seen_mention, seen_document_id=seen_document, created_at=_now())).inserted_primary_key[0]


def _find(connection, name: str) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    row = connection.execute(select(watchlists).where(watchlists.c.name == name)).mappings().first()
    if row is None:
        raise PolicywatchError(f"watchlist '{name}': no such watchlist (see `watchlist list`)")
    return dict(row)


def list_watchlists(engine: Engine) -> list[dict[str, Any]]:
    with engine.connect() as connection:
        counts = dict(connection.execute(select(watchlist_matches.c.watchlist_id, func.count())
                                         .group_by(watchlist_matches.c.watchlist_id)).all())
        pending = dict(connection.execute(select(deliveries.c.watchlist_id, func.count())
                                          .where(deliveries.c.delivered_at.is_(None))
                                          .group_by(deliveries.c.watchlist_id)).all())
        rows = connection.execute(select(watchlists).order_by(watchlists.c.name)).mappings().all()
    return [{**r, "webhook": r["webhook"] and mask_url(r["webhook"]), "matches": counts.get(r["id"], 0),
             "pending_alerts": pending.get(r["id"], 0)} for r in rows]


def get_watchlist(engine: Engine, name: str, limit: int = 50) -> dict[str, Any]:
    """A watchlist with its latest matches, newest first."""
    with engine.connect() as connection:
        watchlist = _find(connection, name)
        matches = connection.execute(select(watchlist_matches).where(watchlist_matches.c.watchlist_id == watchlist["id"])
                                     .order_by(watchlist_matches.c.id.desc()).limit(limit)).mappings().all()
    return {**watchlist, "webhook": watchlist["webhook"] and mask_url(watchlist["webhook"]),
            "matches": [dict(m) for m in matches]}  # a webhook's credentials are kept for sending, never shown


def remove_watchlist(engine: Engine, name: str) -> None:
    with engine.begin() as connection:
        watchlist = _find(connection, name)
        connection.execute(delete(watchlists).where(watchlists.c.id == watchlist["id"]))


def collect_matches(engine: Engine) -> dict[str, list[dict[str, Any]]]:
    """Each watchlist's records stored since it last ran that match its search; stored, and queued as alerts."""
    found: dict[str, list[dict[str, Any]]] = {}
    with engine.connect() as connection:
        top_mention = connection.execute(select(func.coalesce(func.max(mentions.c.id), 0))).scalar_one()
        top_document = connection.execute(select(func.coalesce(func.max(documents.c.id), 0))).scalar_one()
        rows = connection.execute(select(watchlists)).mappings().all()
    for watchlist in rows:
        filters = Filters(**{**watchlist["filters"], "kinds": watchlist["filters"].get("kinds") or RECORD_KINDS})
        hits = search(engine, watchlist["query"], filters, limit=MAX_MATCHES)
        new = [h for h in hits if (h.ref_id > watchlist["seen_document_id"] if h.kind == "document"
                                   else h.ref_id > watchlist["seen_mention_id"])]
        matches = [{"kind": h.kind, "ref_id": h.ref_id, "document_id": h.document_id, "title": h.title or "",
                    "snippet": h.snippet.replace(SNIPPET_OPEN, "").replace(SNIPPET_CLOSE, ""), "source": h.source}
                   for h in new]
        with engine.begin() as connection:
            for match in matches:
                exists = connection.execute(select(watchlist_matches.c.id).where(
                    watchlist_matches.c.watchlist_id == watchlist["id"], watchlist_matches.c.kind == match["kind"],
                    watchlist_matches.c.ref_id == match["ref_id"])).first()
                if not exists:
                    connection.execute(insert(watchlist_matches).values(watchlist_id=watchlist["id"], created_at=_now(),
                                                                        **match))
            payload = {"watchlist": watchlist["name"], "query": watchlist["query"], "matches": matches}
            for channel, target in (("email", watchlist["email"]), ("webhook", watchlist["webhook"])):
                if target and matches:
                    connection.execute(insert(deliveries).values(watchlist_id=watchlist["id"], channel=channel,
                                                                 target=target, payload=payload, attempts=0,
                                                                 created_at=_now()))
            connection.execute(update(watchlists).where(watchlists.c.id == watchlist["id"]).values(
                seen_mention_id=top_mention, seen_document_id=top_document, last_run_at=_now()))
        found[watchlist["name"]] = matches
    return found


def pending_deliveries(engine: Engine) -> list[dict[str, Any]]:
    with engine.connect() as connection:
        return [dict(r) for r in connection.execute(select(deliveries).where(deliveries.c.delivered_at.is_(None))
                                                    .order_by(deliveries.c.id)).mappings()]


def mark_delivery(engine: Engine, delivery_id: int, error: str | None) -> None:
    """Note an attempt: delivered, or the error (the delivery stays pending and is tried at the next run)."""
    with engine.begin() as connection:
        values: dict[str, Any] = {"attempts": deliveries.c.attempts + 1, "last_error": error}
        if error is None:
            values["delivered_at"] = _now()
        connection.execute(update(deliveries).where(deliveries.c.id == delivery_id).values(**values))
