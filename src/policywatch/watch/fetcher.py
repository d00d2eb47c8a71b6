"""Polite fetching: robots.txt honoured, a per-host rate limit, a User-Agent naming the project, conditional
requests (ETag / Last-Modified), timeouts, retries with backoff on server errors and timeouts, a size cap,
a redirect limit, and the content type checked against the bytes."""

from __future__ import annotations

import re
import time
import urllib.robotparser
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from policywatch import __version__

USER_AGENT = f"policywatch/{__version__} (+https://pypi.org/project/policywatch/; policy research crawler)"


class FetchError(Exception):
    """A page that could not be fetched; the message is one line naming the reason."""


@dataclass
class Response:
    """What a fetch gave: the final URL, status (304 when unchanged), bytes, headers that matter."""

    url: str
    status: int
    content: bytes = b""
    content_type: str = ""
    etag: str | None = None
    last_modified: str | None = None

    @property
    def unchanged(self) -> bool:
        return self.status == 304

    @property
    def charset(self) -> str | None:
        m = re.search(r"charset=([\w-]+)", self.content_type, re.I)
        return m.group(1).lower() if m else None


@dataclass
class Fetcher:
    """An HTTP client that behaves: one instance per watch run, shared by every source.

    ``delay`` is the least time between two requests to one host; ``clock`` and ``sleep`` are injectable so
    that tests measure the limit without waiting.
    """

    delay: float = 1.0
    timeout: float = 20.0
    retries: int = 2
    backoff: float = 1.0
    max_bytes: int = 50 * 1024 * 1024
    max_redirects: int = 5
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    _robots: dict[str, urllib.robotparser.RobotFileParser] = field(default_factory=dict)
    _last: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        import httpx

        self._client = httpx.Client(headers={"User-Agent": USER_AGENT}, timeout=self.timeout,
                                    follow_redirects=True, max_redirects=self.max_redirects)

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _wait_turn(self, host: str) -> None:
        """Keep ``delay`` seconds between two requests to one host."""
        if host in self._last:
            wait = self._last[host] + self.delay - self.clock()
            if wait > 0:
                self.sleep(wait)
        self._last[host] = self.clock()

    def allowed(self, url: str) -> bool:
        """Whether the site's robots.txt lets policywatch fetch ``url`` (a missing robots.txt allows all)."""
        parts = urlsplit(url)
        root = f"{parts.scheme}://{parts.netloc}"
        parser = self._robots.get(root)
        if parser is None:
            parser = urllib.robotparser.RobotFileParser()
            try:
                response = self._get(urljoin(root, "/robots.txt"), {}, refuse_errors=False)
                if response.status >= 400:
                    parser.allow_all = True
                else:
                    parser.parse(response.content.decode("utf-8", "replace").splitlines())
            except FetchError:
                parser.allow_all = True
            self._robots[root] = parser
        return parser.can_fetch(USER_AGENT, url)

    def get(self, url: str, etag: str | None = None, last_modified: str | None = None) -> Response:
        """GET ``url``, conditionally when an ETag or Last-Modified is known; FetchError with a one-line reason."""
        if not urlsplit(url).scheme.startswith("http"):
            raise FetchError(f"{url}: only http and https addresses are fetched")
        if not self.allowed(url):
            raise FetchError(f"{url}: disallowed by the site's robots.txt")
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        return self._get(url, headers)

    def _get(self, url: str, headers: dict[str, str], refuse_errors: bool = True) -> Response:
        import httpx

        last_error = ""
        for attempt in range(self.retries + 1):
            if attempt:
                self.sleep(self.backoff * 2 ** (attempt - 1))
            self._wait_turn(urlsplit(url).netloc)
            try:
                with self._client.stream("GET", url, headers=headers) as response:
                    if response.status_code >= 500:
                        last_error = f"server error {response.status_code}"
                        continue
                    if refuse_errors and response.status_code >= 400:
                        raise FetchError(f"{url}: HTTP {response.status_code} {response.reason_phrase}".rstrip())
                    declared = response.headers.get("content-length")
                    if declared and declared.isdigit() and int(declared) > self.max_bytes:
                        raise FetchError(f"{url}: larger than the limit of {self.max_bytes} bytes")
                    content = bytearray()
                    for chunk in response.iter_bytes():
                        content += chunk
                        if len(content) > self.max_bytes:
                            raise FetchError(f"{url}: larger than the limit of {self.max_bytes} bytes")
                    return Response(str(response.url), response.status_code, bytes(content),
                                    response.headers.get("content-type", ""), response.headers.get("etag"),
                                    response.headers.get("last-modified"))
            except httpx.TooManyRedirects:
                raise FetchError(f"{url}: more than {self.max_redirects} redirects (a redirect loop?)") from None
            except httpx.TimeoutException:
                last_error = f"no answer within {self.timeout:g} s"
            except httpx.TransportError as exc:
                last_error = f"connection failed ({exc.__class__.__name__})"
        raise FetchError(f"{url}: {last_error} after {self.retries + 1} attempts")


SIGNATURES = [(b"%PDF", "pdf"), (b"PK\x03\x04", "zip"), (b"\xd0\xcf\x11\xe0", "ole")]
DECLARED = {"application/pdf": "pdf", "application/msword": "ole", "application/vnd.ms-excel": "ole",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "zip",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "zip",
            "text/html": "html", "application/xhtml+xml": "html"}


def sniff(data: bytes) -> str:
    """What the bytes are: pdf, zip (docx, xlsx), ole (doc, xls, wps), html or text."""
    for signature, kind in SIGNATURES:
        if data.startswith(signature):
            return kind
    head = data[:1024].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")) or b"<body" in head or b"<head" in head:
        return "html"
    return "text"


def check_type(response: Response) -> str:
    """The kind of the bytes, after checking them against the declared content type (a PDF that is really an
    error page is refused)."""
    kind = sniff(response.content)
    declared = DECLARED.get(response.content_type.split(";")[0].strip().lower())
    if declared in ("pdf", "zip", "ole") and kind != declared:
        raise FetchError(f"{response.url}: declared {response.content_type.split(';')[0]} but the bytes are {kind}")
    return kind
