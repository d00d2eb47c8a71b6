"""The watcher against a hostile site on loopback: two servers, the site and an "internal" service next to it that
counts every hit. Links, attachments, feed entries, sitemap children and redirects that leave the site for the
internal service are refused (it is reached only when it is a source itself); bombs, a trickling server, 429s and
broken files each cost one line of the source's report, and the good notices after the bad ones are stored."""

from __future__ import annotations

import contextlib
import gzip
import io
import resource
import threading
import time
import zipfile
import zlib
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from sqlalchemy import select

from policywatch import api
from policywatch.store import database, watching
from policywatch.store.schema import documents, fetched, sources
from policywatch.watch import runner
from policywatch.watch.fetcher import Fetcher, FetchError
from policywatch.watch.policy import Refused, checked_addresses, internal
from tests.conftest import QuietServer, make_docx

MB = 1024 * 1024
PAGE = ("<!doctype html><html><head><meta charset=\"utf-8\"><title>{title}</title></head><body>"
        "<div class=\"article\"><h1>{title}</h1>{body}</div></body></html>")


def notice(title: str, number: str, extra: str = "") -> bytes:
    body = (f"<p>工信部信发〔2024〕{number}号</p><p>各省、自治区工业和信息化主管部门：</p>"
            f"<p>为推动{title}，现就有关事项通知如下。到2026年，完成试点示范。（policywatch 团队为测试编写）</p>"
            f"{extra}<p>工业和信息化部</p><p>2024年5月{number[-1]}日</p>")
    return PAGE.format(title=f"工业和信息化部关于推进{title}的通知", body=body).encode("utf-8")


def gzip_zeros(size: int) -> bytes:
    """A gzip body inflating to ``size`` zeros, built from one flushed block repeated (milliseconds, not seconds);
    the trailer's checksum is never reached, since the cap stops the reader long before."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    block = compressor.compress(b"\0" * MB) + compressor.flush(zlib.Z_FULL_FLUSH)
    final = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS).flush()
    return b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff" + block * (size // MB) + final + b"\0" * 8


def brotli_zeros(size: int) -> bytes:
    import brotli

    compressor = brotli.Compressor(quality=1)
    block = b"\0" * MB
    return b"".join(compressor.process(block) for _ in range(size // MB)) + compressor.finish()


def docx_bomb() -> bytes:
    buffer = io.BytesIO()
    with (zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive,
          archive.open("word/document.xml", "w", force_zip64=True) as part):
        for _ in range(300):
            part.write(b"\0" * MB)
    return buffer.getvalue()


class Internal:
    """The service next to the site (a metadata endpoint, an admin port): counts every request it gets."""

    def __init__(self) -> None:
        self.hits: list[str] = []

    def handler(self, host: str) -> type[BaseHTTPRequestHandler]:
        service = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                service.hits.append(self.path)
                body = PAGE.format(title="内部服务", body="<p>secret-internal-token 内部数据，不应被抓取。</p>"
                                   "<p>（policywatch 团队为测试编写）</p>").encode()
                if self.path.endswith(".xml"):
                    body = (f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                            f'<url><loc>http://{host}/leak.html</loc></url></urlset>').encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        return Handler


class Hostile:
    """The site: good notices, and every trick the watcher must withstand."""

    def __init__(self, internal_host: str) -> None:
        self.internal = f"http://{internal_host}"
        self.busy_answered = 0

    def routes(self, host: str) -> dict[str, tuple[int, dict[str, str], bytes]]:
        html = {"Content-Type": "text/html; charset=utf-8"}
        internal, port = self.internal, self.internal.rsplit(":", 1)[1]
        links = "".join(f'<li><a href="{path}">通知{i}</a></li>' for i, path in enumerate(
            ["/n/leak.html", "/n/moved.html", "/n/good1.html"]))
        feed = ('<?xml version="1.0"?><rss version="2.0"><channel><title>通知</title>'
                f'<item><title>a</title><link>{internal}/feed-entry.html</link></item>'
                f'<item><title>b</title><link>http://localhost:{port}/feed-entry2.html</link></item>'
                f'<item><title>c</title><link>http://{host}/n/good2.html</link></item></channel></rss>')
        index = ('<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                 f'<sitemap><loc>{internal}/sitemap.xml</loc></sitemap>'
                 f'<sitemap><loc>http://{host}/map-child.xml</loc></sitemap></sitemapindex>')
        bad = ["/bad/gzip-gzip.html", "/bad/gzip-bomb.html", "/bad/brotli-bomb.html", "/bad/trickle.html",
               "/bad/busy-long.html", "/bad/bomb.docx", "/bad/truncated.docx", "/bad/deep.html", "/bad/busy.html",
               "/n/good3.html"]
        child = ('<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                 + "".join(f"<url><loc>http://{host}{path}</loc></url>" for path in bad) + "</urlset>")
        docx = {"Content-Type": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
        good_docx = make_docx([("p", "试点申报指南"), ("p", "申报单位应当于2024年8月前提交材料。（policywatch 团队为测试编写）")])
        return {
            "/robots.txt": (200, {"Content-Type": "text/plain"},
                            b"User-agent: *\nDisallow: /*.bak$\nDisallow: /drafts/*/private\nCrawl-delay: 0.5\n"),
            "/list/": (200, html, PAGE.format(title="通知公告", body=f"<ul>{links}</ul>").encode()),
            "/n/leak.html": (302, {"Location": f"{internal}/secret.html"}, b""),
            "/n/moved.html": (301, {"Location": "/n/final.html"}, b""),
            "/n/final.html": (200, html, notice("算力基础设施建设", "31")),
            "/n/good1.html": (200, html, notice("工业数据分类分级", "42", f'<p><a href="{internal}/secret.pdf">附件一</a>'
                                                 '<a href="/files/guide.docx">附件二</a></p>')),
            "/files/guide.docx": (200, docx, good_docx),
            "/n/good2.html": (200, html, notice("人形机器人创新发展", "53")),
            "/n/good3.html": (200, html, notice("工业互联网平台应用", "64")),
            "/feed.xml": (200, {"Content-Type": "application/rss+xml"}, feed.encode()),
            "/sitemap.xml": (200, {"Content-Type": "application/xml"}, index.encode()),
            "/map-child.xml": (200, {"Content-Type": "application/xml"}, child.encode()),
            "/bad/gzip-gzip.html": (200, {**html, "Content-Encoding": "gzip, gzip"},
                                    gzip.compress(gzip_zeros(64 * MB))),
            "/bad/gzip-bomb.html": (200, {**html, "Content-Encoding": "gzip"}, GZIP_BOMB),
            "/bad/brotli-bomb.html": (200, {**html, "Content-Encoding": "br"}, BROTLI_BOMB),
            "/bad/busy-long.html": (429, {"Retry-After": "3600"}, b""),
            "/bad/bomb.docx": (200, docx, DOCX_BOMB),
            "/bad/truncated.docx": (200, docx, good_docx[: len(good_docx) // 2]),
            "/bad/deep.html": (200, html, notice("深层嵌套", "86", "<div>" * 100_000 + "</div>" * 100_000)),
        }

    def handler(self, host: str) -> type[BaseHTTPRequestHandler]:
        site = self
        routes = self.routes(host)

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                if self.path.startswith("/bad/trickle.html"):  # a byte now and then, for minutes
                    # slow: a pause longer than the deadline's margin below, so that cutting at the next byte
                    # instead of at the deadline fails the test even on a loaded machine
                    pause = 4.0 if "slow" in self.path else 0.3
                    self.send_response(200)
                    self.send_header("Content-Type", "text/html")
                    self.send_header("Content-Length", "100000")
                    self.end_headers()
                    with contextlib.suppress(OSError):
                        for _ in range(400):  # 2 minutes or more: far beyond any deadline of the tests
                            self.wfile.write(b"<")
                            self.wfile.flush()
                            time.sleep(pause)
                    return
                if self.path == "/bad/busy.html":  # too many requests: come back in a second
                    site.busy_answered += 1
                    if site.busy_answered == 1:
                        return self._send(429, {"Retry-After": "1"}, b"")
                    return self._send(200, {"Content-Type": "text/html; charset=utf-8"}, notice("车联网安全", "75"))
                status, headers, body = routes.get(self.path, (404, {"Content-Type": "text/plain"}, b"not found"))
                self._send(status, headers, body)

            def _send(self, status: int, headers: dict[str, str], body: bytes) -> None:
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                with contextlib.suppress(OSError):  # the watcher hangs up, as it should on a bomb
                    self.wfile.write(body)

        return Handler


GZIP_BOMB = gzip_zeros(1024 * MB)  # 1 GB of zeros in about 1 MB
BROTLI_BOMB = brotli_zeros(1024 * MB)  # 1 GB of zeros in about 200 KB
DOCX_BOMB = docx_bomb()


pytestmark = pytest.mark.usefixtures("default_limits")  # the limits' defaults, whatever ran before


def serve(factory: Any) -> tuple[ThreadingHTTPServer, str]:
    server = QuietServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    server.daemon_threads = True
    host = f"127.0.0.1:{server.server_address[1]}"
    server.RequestHandlerClass = factory(host)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, host


@pytest.fixture
def hostile() -> Iterator[tuple[Hostile, Internal, str, str]]:
    internal = Internal()
    internal_server, internal_host = serve(internal.handler)
    site = Hostile(internal_host)
    site_server, site_host = serve(site.handler)
    yield site, internal, f"http://{site_host}", f"http://{internal_host}"
    site_server.shutdown()
    internal_server.shutdown()


def hostile_fetcher(sleeps: list[float] | None = None, **overrides: Any) -> Fetcher:
    def sleep(seconds: float) -> None:
        if sleeps is not None:
            sleeps.append(seconds)

    # generous for a loaded machine: a loopback answer is never near them; the trickle is cut at the deadline
    settings = {"delay": 0.0, "timeout": 5.0, "retries": 1, "backoff": 0.01, "deadline": 3.0,
                "max_bytes": 5 * MB, "retry_after_max": 10.0, "sleep": sleep, **overrides}
    return Fetcher(**settings)


def test_internal_addresses_are_recognised() -> None:
    for address in ("127.0.0.1", "10.1.2.3", "172.16.0.9", "192.168.1.1", "169.254.169.254", "::1", "fe80::1",
                    "224.0.0.1", "0.0.0.0", "240.0.0.1", "::ffff:127.0.0.1", "100.64.0.1"):
        assert internal(address), address
    assert not internal("93.184.216.34") and not internal("2606:4700::1111")
    # a host giving one public and one private address is refused: the connection could take either
    with pytest.raises(Refused, match=r"internal address \(10\.0\.0\.5\)"):
        checked_addresses("http://mixed.example/", lambda host, port: ["93.184.216.34", "10.0.0.5"])
    assert checked_addresses("http://public.example/", lambda host, port: ["93.184.216.34"]) == ["93.184.216.34"]


def test_hostile_site_never_reaches_the_internal_service(hostile, tmp_path) -> None:
    _, internal_service, base, _ = hostile
    engine = database.connect(f"sqlite:///{tmp_path / 'hostile.db'}")
    api.add_source(f"{base}/list/", engine, name="list", follow=r"/n/")
    api.add_source(f"{base}/feed.xml", engine, name="feed")
    api.add_source(f"{base}/sitemap.xml", engine, name="map")
    sleeps: list[float] = []
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.monotonic()
    with hostile_fetcher(sleeps) as fetcher:
        report = api.watch(engine, fetcher=fetcher)
    elapsed = time.monotonic() - started
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    lines = {r.name: r for r in report.sources}
    assert internal_service.hits == [], internal_service.hits  # not one request reached it
    assert grown_mb < 500, grown_mb  # the 1 GB bombs were cut at 5 MB
    assert elapsed < 90, elapsed  # the trickling notice alone would hold it 2 minutes
    assert [r.status for r in report.sources] == ["ok", "ok", "ok"], [r.line() for r in report.sources]
    assert lines["list"].refused == 2  # the redirect to the internal service, the attachment on it
    assert lines["feed"].refused == 2  # 127.0.0.1 and localhost on the internal port
    assert lines["map"].refused == 1  # the child sitemap on the internal port
    errors = "\n".join(lines["map"].errors)
    assert len(lines["map"].errors) == 8, errors  # each bad notice is one line of its source's report
    for reason in ("more than one content coding (gzip, gzip) refused", "gzip-bomb.html: larger than the limit",
                   "brotli-bomb.html: larger than the limit", "trickle.html: not finished within the deadline",
                   "busy-long.html: HTTP 429: the site asks to wait 3600 s", "bomb.docx: DOCX part word/document.xml",
                   "truncated.docx: corrupt DOCX", "deep.html: HTML nested 100003 elements deep"):
        assert reason in errors, (reason, errors)
    assert all("\n" not in line and "Traceback" not in line for r in report.sources for line in r.errors)
    assert 1.0 in sleeps  # the 429's Retry-After was waited for, then the notice fetched
    with engine.connect() as connection:
        stored = {r.source.removeprefix(base) for r in connection.execute(select(documents.c.source))}
        chain = dict(connection.execute(select(fetched.c.url, fetched.c.status)).all())
        leases = connection.execute(select(sources.c.lease_owner)).scalars().all()
    # the good notices, the one after the 429, and the one after every bad one, stored under their final address
    assert stored == {"/n/final.html", "/n/good1.html", "/files/guide.docx", "/n/good2.html", "/n/good3.html",
                      "/bad/busy.html"}, stored
    assert chain[f"{base}/n/moved.html"] == 301 and chain[f"{base}/n/final.html"] == 200  # the chain recorded
    assert leases == [None, None, None]  # every lease released


def test_the_internal_service_is_fetched_when_it_is_the_source(hostile, tmp_path) -> None:
    _, internal_service, _, internal_base = hostile
    engine = database.connect(f"sqlite:///{tmp_path / 'own.db'}")
    api.add_source(f"{internal_base}/own.html", engine, kind="page", name="intranet")
    with hostile_fetcher() as fetcher:
        report = api.watch(engine, fetcher=fetcher)
    assert report.sources[0].added == 1, report.sources[0].line()
    assert "/own.html" in internal_service.hits


@pytest.mark.parametrize("pause", ["", "?slow"])
def test_trickling_server_is_cut_at_the_deadline(hostile, pause: str) -> None:
    _, _, base, _ = hostile
    started = time.monotonic()
    with hostile_fetcher(deadline=1.0, timeout=5.0) as fetcher, pytest.raises(FetchError, match="deadline of 1 s"):
        fetcher.get(f"{base}/bad/trickle.html{pause}")
    assert time.monotonic() - started < 3.0  # at the deadline (1 s), not at the slow server's next byte (4 s)


def test_redirect_hops_are_checked_and_limited(hostile) -> None:
    _, internal_service, base, _ = hostile
    with hostile_fetcher() as fetcher:
        with pytest.raises(FetchError, match="internal address"):
            fetcher.get(f"{base}/n/leak.html", origin=f"{base}/list/")
        moved = fetcher.get(f"{base}/n/moved.html", origin=f"{base}/list/")
    assert moved.url == f"{base}/n/final.html" and moved.chain == [(f"{base}/n/moved.html", 301)]
    assert internal_service.hits == []


def test_robots_wildcards_end_anchor_and_crawl_delay(hostile) -> None:
    _, _, base, _ = hostile
    sleeps: list[float] = []
    with hostile_fetcher(sleeps) as fetcher:
        assert not fetcher.allowed(f"{base}/files/old.bak")
        assert fetcher.allowed(f"{base}/files/old.bak.html")
        assert not fetcher.allowed(f"{base}/drafts/2024/private")
        fetcher.get(f"{base}/n/good2.html")
        fetcher.get(f"{base}/n/good3.html")
    assert any(0.3 < wait <= 0.5 for wait in sleeps), sleeps  # the site's Crawl-delay, not the fetcher's 0 s


def test_pages_per_source_and_lease_renewal(hostile, tmp_path, monkeypatch) -> None:
    _, _, base, _ = hostile
    engine = database.connect(f"sqlite:///{tmp_path / 'limit.db'}")
    api.add_source(f"{base}/list/", engine, name="list", follow=r"/n/")
    monkeypatch.setenv("POLICYWATCH_PAGES_PER_SOURCE", "3")
    renewals: list[str] = []
    take = watching.take_lease

    def counted(*args: Any, **kwargs: Any) -> bool:
        renewals.append(args[2])
        return take(*args, **kwargs)

    monkeypatch.setattr(watching, "take_lease", counted)
    slow = hostile_fetcher()
    original = slow.get

    def slowly(*args: Any, **kwargs: Any) -> Any:
        time.sleep(0.2)
        return original(*args, **kwargs)

    monkeypatch.setattr(slow, "get", slowly)
    with slow:
        source = watching.due_sources(engine)[0]
        report = runner.run_source(engine, slow, source, "watcher-a", lease_seconds=1)
    assert report.limited and "stopped at the limit of pages per source" in report.line()
    assert report.added == 1  # the list and two notices: the redirect refused, then the moved notice
    assert len(renewals) >= 2  # taken, then renewed while the run went on


def test_bombs_are_cut_at_the_cap_in_memory(hostile) -> None:
    """With the default 50 MB cap, each 1 GB bomb costs no more than the cap (traced allocations, not the process's
    high-water mark, which earlier tests may have raised)."""
    import tracemalloc

    _, _, base, _ = hostile
    tracemalloc.start()
    try:
        with hostile_fetcher(max_bytes=50 * MB) as fetcher:
            for path, reason in [("gzip-bomb", "once decompressed"), ("brotli-bomb", "once decompressed"),
                                 ("gzip-gzip", "more than one content coding")]:
                with pytest.raises(FetchError, match=reason):
                    fetcher.get(f"{base}/bad/{path}.html")
        peak_mb = tracemalloc.get_traced_memory()[1] / MB
    finally:
        tracemalloc.stop()
    assert peak_mb < 200, peak_mb


def test_decoder_keeps_every_coding_under_the_cap() -> None:
    import brotli

    from policywatch.watch.decoding import BoundedDecoder, TooLarge, Undecodable, coding_of

    text = "工业和信息化部 notice on data grading\n".encode() * 200
    raw_deflate = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    for coding, body in [("gzip", gzip.compress(text[:3000]) + gzip.compress(text[3000:])),  # two gzip members
                         ("deflate", zlib.compress(text)),
                         ("deflate", raw_deflate.compress(text) + raw_deflate.flush()),  # without the zlib header
                         ("br", brotli.compress(text)), ("identity", text)]:
        decoder = BoundedDecoder(coding, len(text))
        assert b"".join(decoder.feed(body[i:i + 100]) for i in range(0, len(body), 100)) == text, coding
        with pytest.raises(TooLarge):
            small = BoundedDecoder(coding, len(text) - 1)
            for i in range(0, len(body), 100):
                small.feed(body[i:i + 100])
    assert coding_of("identity") == "identity" and coding_of("GZIP") == "gzip"
    for header in ("gzip, gzip", "br, gzip", "compress", "zstd"):
        with pytest.raises(Undecodable):
            coding_of(header)
    with pytest.raises(Undecodable, match="corrupt gzip"):
        BoundedDecoder("gzip", 1000).feed(b"\x1f\x8b not gzip at all")


def test_retry_after_in_seconds_or_as_a_date() -> None:
    from datetime import UTC, datetime

    from policywatch.watch.fetcher import retry_after

    now = datetime(2026, 3, 1, 12, 0, 0, tzinfo=UTC)
    assert retry_after("120") == 120.0
    assert retry_after("Sun, 01 Mar 2026 12:00:30 GMT", now) == 30.0
    assert retry_after("Sun, 01 Mar 2026 11:00:00 GMT", now) == 0.0
    assert retry_after("soon") is None and retry_after(None) is None


def test_masking_hides_credentials_and_tokens() -> None:
    from policywatch.masking import mask, mask_url

    assert mask_url("https://user:pa55@gov.example/feed?token=abc&page=2") == "https://***@gov.example/feed?token=***&page=2"
    assert mask_url("http://gov.example/list/") == "http://gov.example/list/"
    line = mask("webhook to http://hook:pa55@hooks.example/x?key=k1 failed: Authorization: Bearer pw_abcdefgh123")
    assert "pa55" not in line and "k1" not in line and "pw_abcdefgh123" not in line
