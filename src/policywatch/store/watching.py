"""Stored sources to watch, their leases and schedule, and what was fetched from them."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import Engine, and_, delete, func, insert, or_, select, update

from policywatch.errors import PolicywatchError
from policywatch.masking import mask_url
from policywatch.store.schema import documents, fetched, sources

KINDS = ("page", "list", "feed", "sitemap")
EVERY = re.compile(r"^(\d+)\s*([smhdw])$")
UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_every(text: str) -> int:
    """Seconds in an interval written as 30m, 6h, 1d, 1w."""
    m = EVERY.match(text.strip().lower())
    if not m or int(m.group(1)) == 0:
        raise PolicywatchError(f"--every {text}: expected a number and a unit, e.g. 30m, 6h, 1d")
    return int(m.group(1)) * UNITS[m.group(2)]


def guess_kind(url: str) -> str:
    """A source's kind from its address: sitemap.xml, a feed's rss/atom/feed, else a list page."""
    path = urlsplit(url).path.lower()
    if "sitemap" in path and path.endswith(".xml"):
        return "sitemap"
    if re.search(r"(?:rss|atom|feed)(?:\.xml)?/?$|\.(?:rss|atom)$", path):
        return "feed"
    return "list"


def now() -> datetime:
    return datetime.now(UTC)


def _aware(value: datetime | None) -> datetime | None:
    """SQLite gives naive datetimes back; every stored time is UTC."""
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


def add_source(engine: Engine, url: str, kind: str | None = None, every: str = "6h", name: str | None = None,
               follow: str | None = None) -> int:
    """Store a source to watch; its first run is due at once."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise PolicywatchError(f"{mask_url(url)}: expected an http or https address")
    kind = kind or guess_kind(url)
    if kind not in KINDS:
        raise PolicywatchError(f"--kind {kind}: expected one of {', '.join(KINDS)}")
    if follow:
        try:
            re.compile(follow)
        except re.error as exc:
            raise PolicywatchError(f"--follow {follow}: not a regular expression ({exc})") from None
    name = name or parts.netloc.rsplit("@", 1)[-1] + parts.path.rstrip("/")  # never the address's credentials
    with engine.begin() as connection:
        if connection.execute(select(sources.c.id).where(sources.c.name == name)).first():
            raise PolicywatchError(f"source '{name}' exists already (choose another --name)")
        return connection.execute(insert(sources).values(
            name=name, url=url, kind=kind, every_seconds=parse_every(every), follow=follow, created_at=now(),
            next_run_at=now(), failures=0)).inserted_primary_key[0]


def _find(connection, key: str) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    condition = sources.c.id == int(key) if key.isdigit() else sources.c.name == key
    row = connection.execute(select(sources).where(condition)).mappings().first()
    if row is None:
        raise PolicywatchError(f"source '{key}': no such source (see `sources list`)")
    return {**row, "last_run_at": _aware(row["last_run_at"]), "next_run_at": _aware(row["next_run_at"])}


def list_sources(engine: Engine) -> list[dict[str, Any]]:
    """Every source with its schedule, state and number of documents fetched."""
    with engine.connect() as connection:
        counts = dict(connection.execute(select(fetched.c.source_id, func.count(fetched.c.document_id))
                                         .group_by(fetched.c.source_id)).all())
        rows = connection.execute(select(sources).order_by(sources.c.id)).mappings().all()
    return [{**{k: v for k, v in r.items() if not k.startswith("lease")}, "url": mask_url(r["url"]),
             "last_run_at": _aware(r["last_run_at"]),
             "next_run_at": _aware(r["next_run_at"]), "documents": counts.get(r["id"], 0)} for r in rows]


def get_source(engine: Engine, key: str) -> dict[str, Any]:
    """One source, by id or name, with the documents fetched from it."""
    with engine.connect() as connection:
        source = _find(connection, key)
        docs = connection.execute(select(fetched.c.url, fetched.c.status, fetched.c.fetched_at, documents.c.id,
                                         documents.c.title)
                                  .join(documents, documents.c.id == fetched.c.document_id, isouter=True)
                                  .where(fetched.c.source_id == source["id"]).order_by(fetched.c.id)).mappings().all()
    return {**{k: v for k, v in source.items() if not k.startswith("lease")}, "url": mask_url(source["url"]),
            "fetched": [dict(d) for d in docs]}  # credentials in the address stay stored for fetching, never shown


def remove_source(engine: Engine, key: str) -> str:
    """Forget a source (the documents fetched from it stay)."""
    with engine.begin() as connection:
        source = _find(connection, key)
        connection.execute(delete(sources).where(sources.c.id == source["id"]))
    return source["name"]


def due_sources(engine: Engine, at: datetime | None = None, every_source: bool = False) -> list[dict[str, Any]]:
    """Sources whose next run has come (all of them with ``every_source``)."""
    at = at or now()
    with engine.connect() as connection:
        query = select(sources).order_by(sources.c.id)
        if not every_source:
            query = query.where(or_(sources.c.next_run_at.is_(None), sources.c.next_run_at <= at))
        return [dict(r) for r in connection.execute(query).mappings()]


def take_lease(engine: Engine, source_id: int, owner: str, seconds: int = 900) -> bool:
    """Whether this watcher may fetch the source now: one watcher at a time, a lease that runs out if it dies."""
    at = now()
    with engine.begin() as connection:
        taken = connection.execute(update(sources).where(and_(
            sources.c.id == source_id,
            or_(sources.c.lease_until.is_(None), sources.c.lease_until < at, sources.c.lease_owner == owner)))
            .values(lease_owner=owner, lease_until=at + timedelta(seconds=seconds)))
        return taken.rowcount == 1


def finish(engine: Engine, source_id: int, owner: str, status: str, ok: bool) -> None:
    """Release the lease, note how the run went and when the next is due (sooner after a failure, backing off)."""
    at = now()
    with engine.begin() as connection:
        row = connection.execute(select(sources.c.every_seconds, sources.c.failures)
                                 .where(sources.c.id == source_id)).first()
        if row is None:
            return
        failures = 0 if ok else row.failures + 1
        wait = row.every_seconds if ok else min(row.every_seconds, 300 * 2 ** min(failures - 1, 6))
        connection.execute(update(sources).where(and_(sources.c.id == source_id, sources.c.lease_owner == owner))
                           .values(lease_owner=None, lease_until=None, last_run_at=at, last_status=status,
                                   failures=failures, next_run_at=at + timedelta(seconds=wait)))


def url_key(url: str) -> str:
    return hashlib.sha256(url.encode("utf-8")).hexdigest()


def fetch_state(engine: Engine, url: str) -> dict[str, Any] | None:
    """What the last fetch of a URL left: its ETag, Last-Modified, bytes' hash and document."""
    with engine.connect() as connection:
        row = connection.execute(select(fetched).where(fetched.c.url_hash == url_key(url))).mappings().first()
    return dict(row) if row else None


def record_fetch(engine: Engine, url: str, source_id: int | None, status: int, etag: str | None = None,
                 last_modified: str | None = None, sha256: str | None = None, document_id: int | None = None) -> None:
    """Remember a fetch, for the next conditional request (a 304 keeps what the earlier one left)."""
    values: dict[str, Any] = {"status": status, "fetched_at": now()}
    if status != 304:
        values.update(etag=etag, last_modified=last_modified, sha256=sha256)
        if document_id is not None:
            values["document_id"] = document_id
    with engine.begin() as connection:
        updated = connection.execute(update(fetched).where(fetched.c.url_hash == url_key(url)).values(**values))
        if updated.rowcount == 0:
            connection.execute(insert(fetched).values(url=url, url_hash=url_key(url), source_id=source_id, **values))


def link_attachment(engine: Engine, document_id: int, parent_id: int) -> None:
    """Note the page an attachment was linked from."""
    with engine.begin() as connection:
        connection.execute(update(documents).where(documents.c.id == document_id).values(parent_id=parent_id))
