"""A watch run: every due source fetched once (list pages, feeds and sitemaps read for notices, notices and their
attachments ingested), then policies resolved, watchlists matched and their alerts sent. A failing source is
reported and tried again later; it never stops the others. ``forever`` repeats this on a schedule."""

from __future__ import annotations

import os
import signal
import socket
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit

from sqlalchemy import Engine

from policywatch.errors import ReadError
from policywatch.model import Document
from policywatch.read.html import decode_html
from policywatch.store import watching
from policywatch.store import watchlists as watchlist_store
from policywatch.watch import alerts, links
from policywatch.watch.fetcher import Fetcher, FetchError, Response, check_type
from policywatch.watch.pages import page_document

EXTENSIONS = {"pdf": ".pdf", "zip": ".docx", "ole": ".doc", "html": ".html", "text": ".txt"}


@dataclass
class SourceReport:
    """How one source's run went, for a line of output."""

    name: str
    status: str = "ok"  # ok, failed, busy (another watcher holds it)
    added: int = 0
    unchanged: int = 0
    known: int = 0
    disallowed: int = 0  # links robots.txt keeps policywatch from
    errors: list[str] = field(default_factory=list)

    def line(self) -> str:
        if self.status == "busy":
            return f"{self.name}: skipped, another watcher is fetching it"
        if self.status == "failed":
            return f"{self.name}: failed: {self.errors[0]}"
        text = f"{self.name}: {self.added} added, {self.unchanged} unchanged, {self.known} already fetched"
        text += f", {self.disallowed} disallowed by robots.txt" if self.disallowed else ""
        return text + (f", {len(self.errors)} failed ({self.errors[0]})" if self.errors else "")


@dataclass
class RunReport:
    """A whole run: the sources, the watchlists' new matches, the alerts sent and pending."""

    sources: list[SourceReport]
    matches: dict[str, int]
    delivered: int
    pending: list[str]


def watcher_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _name_for(url: str, kind: str) -> str:
    """A file name for fetched bytes: the URL's own, or one with the extension the bytes call for."""
    name = PurePosixPath(unquote(urlsplit(url).path)).name or "index"
    expected = EXTENSIONS.get(kind, ".txt")
    suffix = PurePosixPath(name).suffix.lower()
    keep = {"pdf": (".pdf",), "zip": (".docx", ".xlsx"), "ole": (".doc", ".wps", ".xls"), "text": (".txt", ".md"),
            "html": (".html", ".htm")}
    return name if suffix in keep.get(kind, ()) else name + expected


class SourceRun:
    """Fetches one source's notices and attachments into the database."""

    def __init__(self, engine: Engine, fetcher: Fetcher, source: dict[str, Any]) -> None:
        self.engine, self.fetcher, self.source = engine, fetcher, source
        self.report = SourceReport(source["name"])

    def discover(self) -> list[str]:
        """The notices the source lists now; [] when its list, feed or sitemap is unchanged since last time."""
        url, kind, follow = self.source["url"], self.source["kind"], self.source["follow"]
        if kind == "page":
            return [url]
        response = self._get(url)
        if response.unchanged:
            self.report.unchanged += 1
            return []
        if kind == "feed":
            found = links.feed_links(response.content, response.url, follow)
        elif kind == "sitemap":
            found = []
            for location in links.sitemap_links(response.content, follow):
                if location.endswith(".xml"):  # a sitemap index names further sitemaps
                    child = self._get(location)
                    found += [] if child.unchanged else [u for u in links.sitemap_links(child.content, follow)
                                                         if not u.endswith(".xml")]
                else:
                    found.append(location)
        else:
            found = links.list_links(decode_html(response.content, response.charset), response.url, follow)
        self._remember(url, response)
        allowed = [u for u in dict.fromkeys(found) if self.fetcher.allowed(u)]
        self.report.disallowed += len(set(found)) - len(allowed)
        return allowed

    def _get(self, url: str) -> Response:
        state = watching.fetch_state(self.engine, url) or {}
        return self.fetcher.get(url, state.get("etag"), state.get("last_modified"))

    def _remember(self, url: str, response: Response, document_id: int | None = None, sha256: str | None = None) -> None:
        watching.record_fetch(self.engine, url, self.source["id"], response.status, response.etag,
                              response.last_modified, sha256, document_id)

    def _fresh(self, url: str, refetch: bool) -> Response | None:
        """The URL fetched, or None when it is known already (and not to be fetched again) or unchanged."""
        state = watching.fetch_state(self.engine, url)
        if state and state["document_id"] and not refetch:
            self.report.known += 1
            return None
        response = self._get(url)
        if response.unchanged:
            self.report.unchanged += 1
            self._remember(url, response)
            return None
        return response

    def notice(self, url: str, refetch: bool) -> None:
        """Fetch a notice (a page, or a file linked directly) and its attachments; known ones are skipped."""
        response = self._fresh(url, refetch)
        if response is None:
            return
        kind = check_type(response)
        if kind == "html":
            html = decode_html(response.content, response.charset)
            document = page_document(html, response.url, response.charset)
            document_id = self._ingest(document)
            self._remember(url, response, document_id, document.sha256)
            for attachment in links.attachment_links(html, response.url):
                try:
                    self.attachment(attachment, document_id)
                except (FetchError, ReadError, ValueError) as exc:
                    self.report.errors.append(str(exc))
        else:
            self._file(url, response, kind, None)

    def attachment(self, url: str, parent_id: int | None) -> None:
        if (response := self._fresh(url, refetch=False)) is not None:
            self._file(url, response, check_type(response), parent_id)

    def _file(self, url: str, response: Response, kind: str, parent_id: int | None) -> None:
        from policywatch.read import read_bytes

        document = read_bytes(response.content, _name_for(response.url, kind))
        document = document.model_copy(update={"source": url})
        document_id = self._ingest(document)
        if parent_id is not None:
            watching.link_attachment(self.engine, document_id, parent_id)
        self._remember(url, response, document_id, document.sha256)

    def _ingest(self, document: Document) -> int:
        from policywatch import api

        result = api.ingest_document(self.engine, document)
        if result.status == "failed":
            raise ValueError(f"{document.source}: {result.reason}")
        if result.status == "added":
            self.report.added += 1
        return int(result.document_id)


def run_source(engine: Engine, fetcher: Fetcher, source: dict[str, Any], owner: str) -> SourceReport:
    """One source, under its lease; every failure becomes part of the report."""
    if not watching.take_lease(engine, source["id"], owner):
        return SourceReport(source["name"], status="busy")
    run = SourceRun(engine, fetcher, source)
    try:
        for url in run.discover():
            try:
                run.notice(url, refetch=source["kind"] == "page")
            except (FetchError, ReadError, ValueError) as exc:
                run.report.errors.append(str(exc))
    except (FetchError, ValueError) as exc:
        run.report.status = "failed"
        run.report.errors.insert(0, str(exc))
    watching.finish(engine, source["id"], owner, run.report.line(), run.report.status != "failed")
    return run.report


def deliver(engine: Engine) -> tuple[int, list[str]]:
    """Send every pending alert; (sent, one line per failure). Failed ones stay pending for the next run."""
    sent, failures = 0, []
    smtp = alerts.SmtpSettings.from_environment()
    secret = os.environ.get("POLICYWATCH_WEBHOOK_SECRET")
    for delivery in watchlist_store.pending_deliveries(engine):
        try:
            if delivery["channel"] == "email":
                if smtp is None:
                    raise OSError("POLICYWATCH_SMTP_HOST is not set")
                alerts.send_email(smtp, delivery["target"], delivery["payload"])
            else:
                alerts.send_webhook(delivery["target"], delivery["payload"], secret)
        except Exception as exc:
            message = f"{delivery['channel']} to {delivery['target']}: {exc.__class__.__name__}: {exc}".splitlines()[0]
            watchlist_store.mark_delivery(engine, delivery["id"], message)
            failures.append(message)
            continue
        watchlist_store.mark_delivery(engine, delivery["id"], None)
        sent += 1
    return sent, failures


def run_once(engine: Engine, fetcher: Fetcher | None = None, every_source: bool = False, owner: str | None = None,
             progress: Callable[[SourceReport], None] | None = None) -> RunReport:
    """Every due source (or every source), then resolution, watchlists and alerts."""
    from policywatch import api

    owner = owner or watcher_id()
    own_fetcher = fetcher is None
    fetcher = fetcher or Fetcher()
    reports = []
    try:
        for source in watching.due_sources(engine, every_source=every_source):
            report = run_source(engine, fetcher, source, owner)
            reports.append(report)
            if progress:
                progress(report)
    finally:
        if own_fetcher:
            fetcher.close()
    if any(r.added for r in reports):
        api.resolve(engine)
    matches = {name: len(found) for name, found in watchlist_store.collect_matches(engine).items()}
    delivered, pending = deliver(engine)
    return RunReport(reports, matches, delivered, pending)


def run_forever(engine: Engine, tick_seconds: int = 60, on_run: Callable[[RunReport], None] | None = None,
                fetcher_factory: Callable[[], Fetcher] = Fetcher) -> None:
    """Run due sources every ``tick_seconds`` until SIGTERM or SIGINT; a run under way is finished first."""
    from apscheduler.schedulers.blocking import BlockingScheduler

    scheduler = BlockingScheduler()
    owner = watcher_id()
    lock = threading.Lock()

    def tick() -> None:
        if not lock.acquire(blocking=False):
            return  # the previous run is still going
        try:
            with fetcher_factory() as fetcher:
                report = run_once(engine, fetcher, owner=owner)
            if on_run:
                on_run(report)
        finally:
            lock.release()

    def stop(signum: int, frame: object) -> None:
        scheduler.shutdown(wait=True)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    scheduler.add_job(tick, "interval", seconds=tick_seconds, max_instances=1, coalesce=True,
                      next_run_time=datetime.now())
    scheduler.start()
