"""Polite, bounded fetching. Polite: robots.txt read by Protego (wildcards, ``$``, Crawl-delay), a per-host rate
limit, a User-Agent naming the project, conditional requests (ETag / Last-Modified), retries with backoff on
server errors, 429 and 503 answered by waiting what Retry-After asks. Bounded: redirects followed here, hop by
hop, each hop checked against the fetch policy (watch/policy.py) and connected to the address that was checked
(no DNS rebinding between check and connection); at most one content coding, decoded with the size cap applied to
the decoded bytes; a total deadline per request besides the timeout on silence. The limits are named settings
(policywatch.limits)."""

from __future__ import annotations

import contextlib
import email.utils
import re
import socket
import threading
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

from policywatch import __version__
from policywatch.limits import current
from policywatch.masking import mask, mask_url
from policywatch.watch.decoding import BoundedDecoder, TooLarge, Undecodable, coding_of
from policywatch.watch.policy import Refused, Resolver, Unresolved, checked_addresses, same_origin, system_resolver

USER_AGENT = f"policywatch/{__version__} (+https://pypi.org/project/policywatch/; policy research crawler)"
ROBOTS_AGENT = "policywatch"
REDIRECTS = (301, 302, 303, 307, 308)
ROBOTS_BYTES = 500 * 1024


class FetchError(Exception):
    """A page that could not be fetched; the message is one line naming the reason."""


class Forbidden(FetchError):
    """An address the fetch policy refuses: internal, and outside the source's site."""


def _fail(url: str, reason: str) -> FetchError:
    return FetchError(f"{mask_url(url)}: {reason}")


@dataclass
class Response:
    """What a fetch gave: the final URL, status (304 when unchanged), bytes, headers that matter, and the addresses
    redirected from with their statuses (``chain``, first the one asked for)."""

    url: str
    status: int
    content: bytes = b""
    content_type: str = ""
    etag: str | None = None
    last_modified: str | None = None
    chain: list[tuple[str, int]] = field(default_factory=list)
    retry_after: float | None = None
    location: str | None = None

    @property
    def unchanged(self) -> bool:
        return self.status == 304

    @property
    def charset(self) -> str | None:
        m = re.search(r"charset=([\w-]+)", self.content_type, re.I)
        return m.group(1).lower() if m else None


def retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds a Retry-After header asks to wait (a number of seconds or an HTTP date); None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def _hang_up(response: Any) -> None:
    """Shut the socket under a response, so that a read blocked on it returns now."""
    stream = response.extensions.get("network_stream")
    sock = stream.get_extra_info("socket") if stream is not None else None
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)


def _setting(name: str) -> Any:
    return field(default_factory=lambda: getattr(current(), name))


@dataclass
class Fetcher:
    """An HTTP client that behaves: one instance per watch run, shared by every source.

    ``delay`` is the least time between two requests to one host; ``clock`` and ``sleep`` are injectable so
    that tests measure the limit without waiting; ``resolver`` gives a host's addresses (getaddrinfo).
    """

    delay: float = 1.0
    timeout: float = _setting("fetch_timeout")
    retries: int = 2
    backoff: float = 1.0
    max_bytes: int = _setting("fetch_max_bytes")
    max_redirects: int = _setting("max_redirects")
    deadline: float = _setting("fetch_deadline")
    retry_after_max: float = _setting("retry_after_max")
    crawl_delay_max: float = _setting("crawl_delay_max")
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    resolver: Resolver = system_resolver
    _robots: dict[str, Any] = field(default_factory=dict)
    _delays: dict[str, float] = field(default_factory=dict)
    _last: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        import httpx

        # redirects are followed here, each hop checked. Behind a proxy (HTTP_PROXY, HTTPS_PROXY) the proxy connects:
        # addresses are still checked, but cannot be pinned, since the proxy resolves the host again
        self._proxied = bool(urllib.request.getproxies())
        self._client = httpx.Client(headers={"User-Agent": USER_AGENT}, timeout=self.timeout,
                                    follow_redirects=False, trust_env=self._proxied)

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _wait_turn(self, host: str) -> None:
        """Keep ``delay`` seconds (or the site's Crawl-delay) between two requests to one host."""
        if host in self._last:
            wait = self._last[host] + max(self.delay, self._delays.get(host, 0.0)) - self.clock()
            if wait > 0:
                self.sleep(wait)
        self._last[host] = self.clock()

    def addresses(self, url: str, origin: str | None) -> list[str] | None:
        """None when ``url`` is on the trusted origin (fetched as given); else the checked public addresses to
        connect to. FetchError when the fetch policy refuses the address."""
        if origin is None or same_origin(url, origin):
            return None
        try:
            return checked_addresses(url, self.resolver)
        except Refused as exc:
            raise Forbidden(mask(str(exc))) from None
        except Unresolved as exc:
            raise FetchError(mask(str(exc))) from None

    def allowed(self, url: str, origin: str | None = None) -> bool:
        """Whether the site's robots.txt lets policywatch fetch ``url`` (a missing robots.txt allows all);
        FetchError when the fetch policy refuses the site."""
        from protego import Protego

        parts = urlsplit(url)
        root = f"{parts.scheme}://{parts.netloc}"
        parser = self._robots.get(root)
        if parser is None:
            robots = urljoin(root, "/robots.txt")
            pinned = self.addresses(robots, origin)
            text = ""
            try:
                response = self._get(robots, {}, pinned, refuse_errors=False)
                if response.status < 300:  # read as far as crawlers do: the first 500 KiB
                    text = response.content[:ROBOTS_BYTES].decode("utf-8", "replace")
            except FetchError:
                pass  # no robots.txt to be had: everything is allowed
            parser = Protego.parse(text)
            self._robots[root] = parser
            delay = parser.crawl_delay(ROBOTS_AGENT)
            if delay:
                self._delays[parts.netloc] = min(float(delay), self.crawl_delay_max)
        return bool(parser.can_fetch(url, ROBOTS_AGENT))

    def get(self, url: str, etag: str | None = None, last_modified: str | None = None,
            origin: str | None = None) -> Response:
        """GET ``url`` (conditionally when an ETag or Last-Modified is known), following redirects hop by hop.
        ``origin`` is the source's own address: a fetch leaving it is checked against the fetch policy; None
        means ``url`` is the source itself, trusted as given. FetchError with a one-line reason."""
        origin = origin or url
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        chain: list[tuple[str, int]] = []
        address = url
        for _ in range(self.max_redirects + 1):
            if urlsplit(address).scheme not in ("http", "https"):
                raise _fail(address, "only http and https addresses are fetched")
            pinned = self.addresses(address, origin)
            if not self.allowed(address, origin):
                raise _fail(address, "disallowed by the site's robots.txt")
            response = self._get(address, headers, pinned)
            if response.status in REDIRECTS and response.location:
                chain.append((address, response.status))
                address = urljoin(address, response.location.strip())
                continue
            response.chain = chain
            return response
        raise _fail(url, f"more than {self.max_redirects} redirects (a redirect loop?)")

    def _get(self, url: str, headers: dict[str, str], pinned: list[str] | None,
             refuse_errors: bool = True) -> Response:
        """One address (no redirect followed), retried on server errors, timeouts and 429."""
        last_error = ""
        for attempt in range(self.retries + 1):
            self._wait_turn(urlsplit(url).netloc)
            response, last_error = self._attempt(url, headers, pinned)
            if response is not None:
                status = response.status
                if status == 429 or (status == 503 and response.retry_after is not None):
                    wait = response.retry_after
                    if wait is not None and wait > self.retry_after_max:
                        raise _fail(url, f"HTTP {status}: the site asks to wait {wait:g} s, longer than "
                                         f"{self.retry_after_max:g} s (POLICYWATCH_RETRY_AFTER_MAX)")
                    last_error = f"HTTP {status}" + (" (too many requests)" if status == 429 else "")
                    if attempt < self.retries:
                        self.sleep(wait if wait is not None else self.backoff * 2 ** attempt)
                    continue
                if status >= 500:
                    last_error = f"server error {status}"
                elif refuse_errors and status >= 400:
                    raise _fail(url, f"HTTP {status}")
                else:
                    return response
            if attempt < self.retries:
                self.sleep(self.backoff * 2 ** attempt)
        raise _fail(url, f"{last_error} after {self.retries + 1} attempts")

    def _attempt(self, url: str, headers: dict[str, str], pinned: list[str] | None) -> tuple[Response | None, str]:
        """One request: the response, or None and why it failed in a way worth retrying; FetchError otherwise."""
        import httpx

        started = time.monotonic()
        parts = urlsplit(url)
        target, extensions, headers = url, {}, dict(headers)
        if pinned and not self._proxied:  # connect to the address checked, naming the host in Host and in TLS
            ip = pinned[0]
            host = f"[{ip}]" if ":" in ip else ip
            netloc = f"{host}:{parts.port}" if parts.port else host
            target = urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))
            headers["Host"] = parts.netloc.rsplit("@", 1)[-1]
            if parts.scheme == "https":
                extensions["sni_hostname"] = parts.hostname or ""
        timeout = httpx.Timeout(min(self.timeout, self.deadline))
        try:
            request = self._client.build_request("GET", target, headers=headers, extensions=extensions,
                                                 timeout=timeout)
            response = self._client.send(request, stream=True)
        except httpx.TimeoutException:
            return None, f"no answer within {min(self.timeout, self.deadline):g} s"
        except httpx.TransportError as exc:
            return None, f"connection failed ({exc.__class__.__name__})"
        except (httpx.HTTPError, ValueError) as exc:
            raise _fail(url, f"cannot be requested ({exc.__class__.__name__})") from None
        try:
            return self._read(url, response, started), ""
        except httpx.TimeoutException:
            return None, f"no answer within {min(self.timeout, self.deadline):g} s"
        except httpx.TransportError as exc:
            return None, f"connection failed ({exc.__class__.__name__})"
        except httpx.HTTPError as exc:
            raise _fail(url, f"unreadable answer ({exc.__class__.__name__})") from None
        finally:
            response.close()

    def _read(self, url: str, response: Any, started: float) -> Response:
        """The body, decoded under the size cap and the deadline (headers only for redirects and errors)."""
        status = response.status_code
        found = Response(url, status, b"", response.headers.get("content-type", ""), response.headers.get("etag"),
                         response.headers.get("last-modified"), retry_after=retry_after(response.headers.get("retry-after")),
                         location=response.headers.get("location"))
        if status in REDIRECTS or status == 304 or status >= 400:
            return found  # the body of a redirect or an error is not needed
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            raise _fail(url, f"larger than the limit of {self.max_bytes} bytes")
        import httpx

        late = _fail(url, f"not finished within the deadline of {self.deadline:g} s (POLICYWATCH_FETCH_DEADLINE)")
        # a server trickling a byte now and then never trips the timeout on silence: at the deadline the socket is
        # shut, which ends the read under way at once
        watchdog = threading.Timer(max(0.0, self.deadline - (time.monotonic() - started)), _hang_up, [response])
        watchdog.daemon = True
        watchdog.start()
        try:
            decoder = BoundedDecoder(coding_of(response.headers.get("content-encoding")), self.max_bytes)
            content = bytearray()
            for chunk in response.iter_raw():
                content += decoder.feed(chunk)
                if time.monotonic() - started > self.deadline:
                    raise late
        except httpx.HTTPError:
            if time.monotonic() - started >= self.deadline:
                raise late from None
            raise
        except TooLarge as exc:
            raise _fail(url, str(exc)) from None
        except Undecodable as exc:
            raise _fail(url, str(exc)) from None
        finally:
            watchdog.cancel()
        found.content = bytes(content)
        return found


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
