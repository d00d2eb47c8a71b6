"""A watch run: every due source fetched once (list pages, feeds and sitemaps read for notices, notices and their
attachments ingested), then policies resolved, watchlists matched and their alerts sent. A failing source is
reported and tried again later; it never stops the others, and a failing notice never stops its source: whatever
a reader or a fetch raises becomes one line of the source's report. Every address but the source's own is fetched
under the fetch policy (watch/policy.py); a run fetches at most ``pages_per_source`` addresses of a source and
renews the source's lease as it goes. ``forever`` repeats this on a schedule."""

from __future__ import annotations

import os
import signal
import socket
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit

from sqlalchemy import Engine

from policywatch.errors import PolicywatchError
from policywatch.limits import current
from policywatch.masking import mask, mask_url
from policywatch.model import Document
from policywatch.read.html import decode_html
from policywatch.store import watching
from policywatch.store import watchlists as watchlist_store
from policywatch.watch import alerts, links
from policywatch.watch.fetcher import Fetcher, FetchError, Forbidden, Response, check_type
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
    refused: int = 0  # links the fetch policy refuses (internal addresses outside the source's site)
    limited: bool = False  # the run stopped at the limit of pages per source
    errors: list[str] = field(default_factory=list)

    def line(self) -> str:
        if self.status == "busy":
            return f"{self.name}: skipped, another watcher is fetching it"
        if self.status == "failed":
            return f"{self.name}: failed: {self.errors[0]}"
        text = f"{self.name}: {self.added} added, {self.unchanged} unchanged, {self.known} already fetched"
        text += f", {self.disallowed} disallowed by robots.txt" if self.disallowed else ""
        text += f", {self.refused} refused (internal addresses)" if self.refused else ""
        text += ", stopped at the limit of pages per source (POLICYWATCH_PAGES_PER_SOURCE)" if self.limited else ""
        return text + (f", {len(self.errors)} failed ({self.errors[0]})" if self.errors else "")


@dataclass
class RunReport:
    """A whole run: the sources, the watchlists' new matches, the alerts sent and pending."""

    sources: list[SourceReport]
    matches: dict[str, int]
    delivered: int
    pending: list[str]
    warnings: list[str] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        """True when anything failed: a whole source, a notice or attachment of one, or an alert's delivery (kept
        pending). `watch` then exits 1, as `ingest` does when a file failed; a source another watcher holds is not
        a failure."""
        return any(r.status == "failed" or r.errors for r in self.sources) or bool(self.pending)


def failure(exc: BaseException, url: str | None = None) -> str:
    """Any exception as one line without secrets, naming the address it came from: a reader's or a fetch's own
    message, else the class and message."""
    from policywatch.read import reason

    text = str(exc) if isinstance(exc, (FetchError, PolicywatchError)) else reason(exc)
    lines = text.strip().splitlines()
    line = lines[0] if lines else exc.__class__.__name__
    if url and not line.startswith((url, mask_url(url))):
        line = f"{url}: {line}"
    return mask(line)[:500]


class PageLimit(Exception):
    """The source's pages for this run are used up."""


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

    def __init__(self, engine: Engine, fetcher: Fetcher, source: dict[str, Any], max_pages: int | None = None) -> None:
        self.engine, self.fetcher, self.source = engine, fetcher, source
        self.report = SourceReport(source["name"])
        self.origin = source["url"]  # trusted as given; every other address is checked
        self.max_pages = max_pages or current().pages_per_source
        self.pages = 0

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
                    try:
                        child = self._get(location)
                    except FetchError as exc:
                        self._refused_or_failed(exc)
                        continue
                    found += [] if child.unchanged else [u for u in links.sitemap_links(child.content, follow)
                                                         if not u.endswith(".xml")]
                else:
                    found.append(location)
        else:
            found = links.list_links(decode_html(response.content, response.charset), response.url, follow)
        self._remember(url, response)
        allowed = []
        for link in dict.fromkeys(found):
            try:
                if self.fetcher.allowed(link, self.origin):
                    allowed.append(link)
                else:
                    self.report.disallowed += 1
            except FetchError as exc:
                self._refused_or_failed(exc)
        return allowed

    def _refused_or_failed(self, exc: Exception) -> None:
        """Count a link the fetch policy refused, or note why it failed."""
        if isinstance(exc, Forbidden):
            self.report.refused += 1
        else:
            self.report.errors.append(failure(exc))

    def _get(self, url: str) -> Response:
        if self.pages >= self.max_pages:
            raise PageLimit()
        self.pages += 1
        state = watching.fetch_state(self.engine, mask_url(url)) or {}  # fetches are recorded without credentials
        return self.fetcher.get(url, state.get("etag"), state.get("last_modified"), origin=self.origin)

    def _remember(self, url: str, response: Response, document_id: int | None = None, sha256: str | None = None) -> None:
        """Note the fetch: every address of the redirect chain, and the final one, lead to the document."""
        for hop, status in response.chain:
            watching.record_fetch(self.engine, mask_url(hop), self.source["id"], status, None, None, None, document_id)
        final = mask_url(response.url)
        watching.record_fetch(self.engine, final, self.source["id"], response.status, response.etag,
                              response.last_modified, sha256, document_id)
        if mask_url(url) not in (final, *(hop for hop, _ in response.chain)):
            watching.record_fetch(self.engine, mask_url(url), self.source["id"], response.status, response.etag,
                                  response.last_modified, sha256, document_id)

    def _fresh(self, url: str, refetch: bool) -> Response | None:
        """The URL fetched, or None when it is known already (and not to be fetched again) or unchanged."""
        state = watching.fetch_state(self.engine, mask_url(url))
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
            document = page_document(html, mask_url(response.url), response.charset)  # stored without credentials
            document_id = self._ingest(document)
            self._remember(url, response, document_id, document.sha256)
            for attachment in links.attachment_links(html, response.url):
                try:
                    self.attachment(attachment, document_id)
                except PageLimit:
                    raise
                except FetchError as exc:
                    self._refused_or_failed(exc)
                except Exception as exc:  # a bad attachment is one line; the notice and the run go on
                    self.report.errors.append(failure(exc, attachment))
        else:
            self._file(url, response, kind, None)

    def attachment(self, url: str, parent_id: int | None) -> None:
        if (response := self._fresh(url, refetch=False)) is not None:
            self._file(url, response, check_type(response), parent_id)

    def _file(self, url: str, response: Response, kind: str, parent_id: int | None) -> None:
        from policywatch.read import read_bytes

        document = read_bytes(response.content, _name_for(response.url, kind))
        document = document.model_copy(update={"source": mask_url(response.url)})  # its final address
        document_id = self._ingest(document)
        if parent_id is not None:
            watching.link_attachment(self.engine, document_id, parent_id)
        self._remember(url, response, document_id, document.sha256)

    def _ingest(self, document: Document) -> int:
        from policywatch import ingestion

        result = ingestion.ingest_document(self.engine, document)
        if result.status == "failed":
            raise ValueError(f"{mask_url(document.source)}: {result.reason}")
        if result.status == "added":
            self.report.added += 1
        return int(result.document_id)


def run_source(engine: Engine, fetcher: Fetcher, source: dict[str, Any], owner: str,
               max_pages: int | None = None, lease_seconds: int | None = None) -> SourceReport:
    """One source, under its lease (renewed while the run goes on, released at its end whatever happens); every
    failure becomes a line of the report, and a failing notice never stops the next."""
    lease = lease_seconds or current().lease_seconds
    if not watching.take_lease(engine, source["id"], owner, lease):
        return SourceReport(source["name"], status="busy")
    run = SourceRun(engine, fetcher, source, max_pages)
    renewed = time.monotonic()
    try:
        for url in run.discover():
            if time.monotonic() - renewed > lease / 3:  # keep the lease while a long run goes on
                if not watching.take_lease(engine, source["id"], owner, lease):
                    run.report.errors.append("the lease was lost to another watcher; the run stopped")
                    break
                renewed = time.monotonic()
            try:
                run.notice(url, refetch=source["kind"] == "page")
            except PageLimit:
                raise
            except FetchError as exc:
                run._refused_or_failed(exc)
            except Exception as exc:  # a bad notice is one line of the source's report; the run goes on
                run.report.errors.append(failure(exc, url))
    except PageLimit:
        run.report.limited = True
    except Exception as exc:  # the list, feed or sitemap itself failed
        run.report.status = "failed"
        run.report.errors.insert(0, failure(exc))
    finally:
        watching.finish(engine, source["id"], owner, run.report.line(), run.report.status != "failed")
    return run.report


UNSIGNED = ("webhooks sent unsigned: POLICYWATCH_WEBHOOK_SECRET is not set, so a receiver cannot tell them from "
            "forged ones")


def deliver(engine: Engine, warnings: list[str] | None = None) -> tuple[int, list[str]]:
    """Send every pending alert; (sent, one line per failure). Failed ones stay pending for the next run; a webhook
    sent without a secret adds a warning to ``warnings``."""
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
                if not secret and warnings is not None and UNSIGNED not in warnings:
                    warnings.append(UNSIGNED)
                alerts.send_webhook(delivery["target"], delivery["payload"], secret)
        except Exception as exc:
            message = mask(f"{delivery['channel']} to {mask_url(delivery['target'])}: {exc.__class__.__name__}: "
                           f"{exc}".splitlines()[0])
            watchlist_store.mark_delivery(engine, delivery["id"], message)
            failures.append(message)
            continue
        watchlist_store.mark_delivery(engine, delivery["id"], None)
        sent += 1
    return sent, failures


def run_once(engine: Engine, fetcher: Fetcher | None = None, every_source: bool = False, owner: str | None = None,
             progress: Callable[[SourceReport], None] | None = None) -> RunReport:
    """Every due source (or every source), then resolution, watchlists and alerts."""
    from policywatch import ingestion

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
        ingestion.resolve(engine)
    matches = {name: len(found) for name, found in watchlist_store.collect_matches(engine).items()}
    warnings: list[str] = []
    delivered, pending = deliver(engine, warnings)
    return RunReport(reports, matches, delivered, pending, warnings)


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
