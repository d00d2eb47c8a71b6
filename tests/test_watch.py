"""Watching sources against real servers on loopback: a mock ministry site (list pages, UTF-8 and GBK notices,
attachments, a feed, a sitemap, robots.txt, ETag/304, errors, slow answers, a redirect loop, an oversized file),
an SMTP server that takes the digests over STARTTLS, and a webhook receiver that checks the signature."""

from __future__ import annotations

import email
import email.policy
import hashlib
import itertools
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from sqlalchemy import select, text
from typer.testing import CliRunner

from policywatch import api
from policywatch.cli import app
from policywatch.store import database, watching
from policywatch.store.schema import documents
from policywatch.watch import alerts
from policywatch.watch.fetcher import Fetcher, FetchError
from tests.conftest import QuietServer, make_docx

PAGE = """<!doctype html><html><head><meta charset="{charset}"><title>{title}</title></head><body>
<nav><a href="/">首页</a> | <a href="/notices/">通知公告</a></nav>
<div class="article"><h1>{title}</h1>{body}</div>
<footer>版权所有 示例部 网站地图</footer></body></html>"""
NOTICE_ONE = ("工业和信息化部关于开展算力基础设施试点工作的通知",
              "<p>工信部信发〔2024〕31号</p><p>各省、自治区工业和信息化主管部门：</p>"
              "<p>为推动算力基础设施高质量发展，决定开展试点工作。到2026年，培育10个以上算力枢纽示范项目。"
              "（policywatch 团队为测试编写）</p><p>附件：<a href=\"/files/guide.docx\">试点申报指南</a></p>"
              "<p>工业和信息化部</p><p>2024年5月6日</p>")
NOTICE_TWO = ("工业和信息化部关于印发《工业数据分类分级指南》的通知",
              "<p>工信部信发〔2024〕40号</p><p>各省、自治区工业和信息化主管部门：</p>"
              "<p>现将《工业数据分类分级指南》印发给你们，请认真贯彻执行。数据分类分级是工业数据安全的基础。"
              "（policywatch 团队为测试编写）</p><p>工业和信息化部</p><p>2024年6月3日</p>")
NOTICE_THREE = ("工业和信息化部关于推进人形机器人创新发展的指导意见",
                "<p>工信部科〔2024〕55号</p><p>各省、自治区工业和信息化主管部门：</p>"
                "<p>到2027年，人形机器人关键部件实现安全可靠供给，培育3至5家具有全球影响力的企业。"
                "（policywatch 团队为测试编写）</p><p>工业和信息化部</p><p>2024年7月1日</p>")
NEWS = ("<p>BEIJING -- The Ministry of Industry and Information Technology on Tuesday published guidelines "
        "on grading industrial data, the ministry said in a notice written by the policywatch team for tests. "
        "The guidelines aim to cover 80 percent of large firms by 2026.</p>")


class Site:
    """The mock ministry site: pages by path, with ETags, a request log, and switches for bad behaviour."""

    def __init__(self) -> None:
        self.pages: dict[str, tuple[bytes, str]] = {}
        self.log: list[tuple[float, str]] = []
        self.lock = threading.Lock()
        self.publish()

    def page(self, path: str, title: str, body: str, charset: str = "utf-8") -> None:
        html = PAGE.format(charset=charset, title=title, body=body)
        self.pages[path] = (html.encode(charset), f"text/html; charset={charset}")

    def publish(self, third: bool = False) -> None:
        notices = [("/notices/n1.html", NOTICE_ONE[0]), ("/notices/n2.html", NOTICE_TWO[0])]
        if third:
            notices.insert(0, ("/notices/n3.html", NOTICE_THREE[0]))
            self.page("/notices/n3.html", *NOTICE_THREE)
        items = "".join(f'<li><a href="{path}">{title}</a></li>' for path, title in notices)
        items += '<li><a href="/private/draft.html">内部</a></li><li><a href="https://example.invalid/x">外部</a></li>'
        self.page("/notices/", "通知公告", f"<ul>{items}</ul>")
        self.page("/notices/n1.html", *NOTICE_ONE)
        self.page("/notices/n2.html", *NOTICE_TWO, charset="gbk")
        self.page("/news/data-guidelines.html", "MIIT issues data grading guidelines", NEWS)
        self.pages["/files/guide.docx"] = (make_docx([("p", "试点申报指南"), ("p", "申报单位应当于2024年8月前提交材料。")]),
                                           "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        self.pages["/robots.txt"] = (b"User-agent: *\nDisallow: /private/\n", "text/plain")
        rss = ('<?xml version="1.0"?><rss version="2.0"><channel><title>News</title>'
               '<item><title>Data guidelines</title><link>http://HOST/news/data-guidelines.html</link></item>'
               '</channel></rss>')
        self.pages["/feed.xml"] = (rss.encode(), "application/rss+xml")
        sitemap = ('<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                   '<url><loc>http://HOST/notices/n1.html</loc></url></urlset>')
        self.pages["/sitemap.xml"] = (sitemap.encode(), "application/xml")
        self.pages["/fake.pdf"] = (b"<html><body>not found</body></html>", "application/pdf")


def _handler(site: Site, host: str):  # type: ignore[no-untyped-def]
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            with site.lock:
                site.log.append((time.monotonic(), self.path))
            if self.path == "/broken/":
                return self._send(500, b"error", "text/plain")
            if self.path == "/slow/":
                time.sleep(8.0)  # well past the 2 s timeout of the failing-sources test
                return self._send(200, b"late", "text/plain")
            if self.path in ("/loop/a", "/loop/b"):
                self.send_response(302)
                self.send_header("Location", "/loop/b" if self.path == "/loop/a" else "/loop/a")
                self.end_headers()
                return None
            if self.path == "/big.pdf":
                self.send_response(200)
                self.send_header("Content-Type", "application/pdf")
                self.send_header("Content-Length", str(10_000_000))
                self.end_headers()
                return None
            if self.path not in site.pages:
                return self._send(404, b"not found", "text/plain")
            content, content_type = site.pages[self.path]
            content = content.replace(b"HOST", host.encode())
            etag = '"' + hashlib.sha1(content).hexdigest() + '"'
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return None
            return self._send(200, content, content_type, etag)

        def _send(self, status: int, content: bytes, content_type: str, etag: str | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(content)))
            if etag:
                self.send_header("ETag", etag)
            self.end_headers()
            self.wfile.write(content)

    return Handler


def serve(handler_factory) -> tuple[ThreadingHTTPServer, str]:  # type: ignore[no-untyped-def]
    server = QuietServer(("127.0.0.1", 0), None)  # type: ignore[arg-type]
    host = f"127.0.0.1:{server.server_address[1]}"
    server.RequestHandlerClass = handler_factory(host)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://{host}"


@pytest.fixture
def site() -> Iterator[tuple[Site, str]]:
    mock = Site()
    server, base = serve(lambda host: _handler(mock, host))
    yield mock, base
    server.shutdown()


def fast_fetcher(**overrides: float) -> Fetcher:
    # a timeout generous for a loaded machine; the slow source below is slower still
    return Fetcher(**{"delay": 0.02, "timeout": 5.0, "retries": 1, "backoff": 0.01, **overrides})


def doc_sources(engine) -> dict[str, int | None]:
    with engine.connect() as connection:
        return {r.source.rsplit("/", 1)[-1]: r.parent_id
                for r in connection.execute(select(documents.c.source, documents.c.parent_id))}


def test_watch_ingests_every_notice_and_attachment_once(site, tmp_path: Path) -> None:
    mock, base = site
    engine = database.connect(f"sqlite:///{tmp_path / 'watch.db'}")
    api.add_source(f"{base}/notices/", engine, every="1h", name="ministry", follow=r"/notices/")
    api.add_source(f"{base}/feed.xml", engine, name="news")
    api.add_source(f"{base}/sitemap.xml", engine, name="map")
    with fast_fetcher() as fetcher:
        report = api.watch(engine, fetcher=fetcher)
    assert [r.status for r in report.sources] == ["ok", "ok", "ok"], [r.line() for r in report.sources]
    stored = doc_sources(engine)
    assert set(stored) == {"n1.html", "n2.html", "guide.docx", "data-guidelines.html"}
    with engine.connect() as connection:
        ids = dict(connection.execute(select(documents.c.source, documents.c.id)).all())
    assert stored["guide.docx"] == ids[f"{base}/notices/n1.html"]  # the attachment points at its page
    # the GBK page was read in its own charset, and its policy extracted
    (gbk,) = [p for p in api.policies(engine) if p["title_zh"] == "工业数据分类分级指南"]
    assert gbk["issuers"] == ["miit"]
    assert not any(path.startswith("/private/") for _, path in mock.log)  # robots.txt honoured
    assert not any("example.invalid" in path for _, path in mock.log)
    # a second run fetches nothing new: the list, feed and sitemap answer 304 and add nothing
    before = len(mock.log)
    with fast_fetcher() as fetcher:
        again = api.watch(engine, every_source=True, fetcher=fetcher)
    assert sum(r.added for r in again.sources) == 0
    assert all(r.unchanged == 1 for r in again.sources), [r.line() for r in again.sources]
    assert len(mock.log) - before <= 4  # robots.txt once, and one conditional request per source
    assert len(doc_sources(engine)) == 4


class Webhook:
    """Receives webhook posts and checks their signature; can be told to fail."""

    def __init__(self, secret: str) -> None:
        self.secret, self.received, self.fail_next = secret, [], 0

    def factory(self, host: str):  # type: ignore[no-untyped-def]
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if receiver.fail_next:
                    receiver.fail_next -= 1
                    self.send_response(503)
                    self.end_headers()
                    return
                ok = self.headers.get(alerts.SIGNATURE_HEADER) == alerts.signature(receiver.secret, body)
                if ok:
                    receiver.received.append(json.loads(body))
                self.send_response(204 if ok else 401)
                self.end_headers()

        return Handler


@pytest.fixture
def smtp_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """An SMTP server on loopback that takes mail only over STARTTLS and with the right password."""
    import ssl

    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult, LoginPassword

    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make the test server's certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
                    "-days", "1", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
                   check=True, capture_output=True)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    messages: list[str] = []

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            messages.append(envelope.content.decode("utf-8", "replace"))
            return "250 OK"

    def authenticate(server, session, envelope, mechanism, data):  # type: ignore[no-untyped-def]
        return AuthResult(success=isinstance(data, LoginPassword) and data.login == b"analyst"
                          and data.password == b"s3cret")

    with socket.socket() as probe:  # a free port on loopback (aiosmtpd checks its own readiness on it)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Handler(), hostname="127.0.0.1", port=port, tls_context=context, require_starttls=True,
                            authenticator=authenticate, auth_required=True)
    controller.start()
    for name, value in {"HOST": "localhost", "PORT": str(port), "USER": "analyst", "PASSWORD": "s3cret",
                        "FROM": "watch@policywatch.test", "CAFILE": str(cert)}.items():
        monkeypatch.setenv(f"POLICYWATCH_SMTP_{name}", value)
    yield messages
    controller.stop()


def test_new_notice_matches_a_watchlist_and_alerts_once(site, smtp_server, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    mock, base = site
    receiver = Webhook("hook-secret")
    hook_server, hook_base = serve(receiver.factory)
    monkeypatch.setenv("POLICYWATCH_WEBHOOK_SECRET", "hook-secret")
    engine = database.connect(f"sqlite:///{tmp_path / 'alerts.db'}")
    api.add_source(f"{base}/notices/", engine, name="ministry", every="1h")
    with fast_fetcher() as fetcher:
        api.watch(engine, fetcher=fetcher)
    api.add_watchlist("robots", "人形机器人", engine, email="analyst@policywatch.test", webhook=f"{hook_base}/hook")
    receiver.fail_next = 1  # the first webhook delivery fails: it must be retried, not lost
    mock.publish(third=True)
    with fast_fetcher() as fetcher:
        report = api.watch(engine, every_source=True, fetcher=fetcher)
    assert report.matches["robots"] >= 1 and report.sources[0].added == 1
    (mail,) = [email.message_from_string(m, policy=email.policy.default) for m in smtp_server]
    assert mail["To"] == "analyst@policywatch.test" and "robots" in mail["Subject"]
    assert "人形机器人" in mail.get_content()
    assert receiver.received == [] and report.pending  # the webhook answered 503
    with fast_fetcher() as fetcher:
        retry = api.watch(engine, every_source=True, fetcher=fetcher)
    assert retry.delivered == 1 and not retry.pending
    (posted,) = receiver.received
    assert posted["watchlist"] == "robots" and any("人形机器人" in m["title"] for m in posted["matches"])
    assert len(smtp_server) == 1  # nothing new, no second digest
    from fastapi.testclient import TestClient

    from policywatch.web.app import create_app

    feed = TestClient(create_app(engine)).get("/watchlists/robots.atom")
    assert feed.status_code == 200 and feed.headers["content-type"].startswith("application/atom+xml")
    assert "人形机器人" in feed.text and "<entry>" in feed.text.replace("ns0:", "")
    hook_server.shutdown()


def test_failing_sources_are_reported_and_leave_the_others_done(site, tmp_path: Path) -> None:
    mock, base = site
    engine = database.connect(f"sqlite:///{tmp_path / 'fail.db'}")
    for name, path, kind in [("broken", "/broken/", "list"), ("slow", "/slow/", "list"), ("loop", "/loop/a", "page"),
                             ("big", "/big.pdf", "page"), ("fake", "/fake.pdf", "page"), ("good", "/notices/", "list")]:
        api.add_source(base + path, engine, kind=kind, name=name)
    with fast_fetcher(max_bytes=1_000_000, timeout=2.0) as fetcher:
        report = api.watch(engine, fetcher=fetcher)
    by_name = {r.name: r for r in report.sources}
    assert by_name["good"].status == "ok" and by_name["good"].added == 3
    assert "server error 500" in by_name["broken"].line()
    assert "no answer within" in by_name["slow"].line()
    assert "redirects" in by_name["loop"].line()
    assert "larger than the limit" in by_name["big"].line()
    assert "declared application/pdf but the bytes are html" in by_name["fake"].line()
    assert all("\n" not in r.line() for r in report.sources)
    assert sum(path == "/broken/" for _, path in mock.log) == 2  # retried once, then given up for this run
    listed = {s["name"]: s for s in api.sources(engine)}
    assert listed["broken"]["failures"] == 1 and listed["good"]["failures"] == 0
    assert listed["broken"]["next_run_at"] < listed["good"]["next_run_at"]  # retried sooner than the schedule


def test_watch_exit_code_says_a_notice_failed(site, tmp_path: Path) -> None:
    """One broken attachment: the source's other notices are stored, and `watch` exits 1, as `ingest` does."""
    mock, base = site
    mock.pages["/files/guide.docx"] = (b"PK\x03\x04 a truncated DOCX", mock.pages["/files/guide.docx"][1])
    db = str(tmp_path / "exit.db")
    api.add_source(f"{base}/notices/", db, name="ministry", follow=r"/notices/")
    runner = CliRunner()
    broken = runner.invoke(app, ["--db", db, "watch"], env={"COLUMNS": "200"})
    assert broken.exit_code == 1, broken.output
    assert "ministry: 2 added" in broken.output and "1 failed (" in broken.output and "guide.docx" in broken.output
    assert "Traceback" not in broken.output, broken.output
    mock.pages["/files/guide.docx"] = (make_docx([("p", "试点申报指南")]), mock.pages["/files/guide.docx"][1])
    mock.page("/notices/n1.html", NOTICE_ONE[0], NOTICE_ONE[1] + "<p>（修订）</p>")  # fetched again, attachment too
    fixed = runner.invoke(app, ["--db", db, "watch", "--all"], env={"COLUMNS": "200"})
    assert fixed.exit_code == 0, fixed.output


def test_a_failed_alert_delivery_fails_the_run() -> None:
    from policywatch.watch.runner import RunReport, SourceReport

    assert not RunReport([SourceReport("a"), SourceReport("b", status="busy")], {}, 0, []).failed
    assert RunReport([SourceReport("a")], {}, 0, ["webhook to https://hooks.example/x: ConnectError"]).failed
    assert RunReport([SourceReport("a", errors=["x.pdf: empty file"])], {}, 0, []).failed
    assert RunReport([SourceReport("a", status="failed", errors=["server error 500"])], {}, 0, []).failed


def test_rate_limit_per_host_is_kept(site) -> None:
    mock, base = site
    with Fetcher(delay=0.25, timeout=2.0) as fetcher:
        for path in ("/notices/", "/notices/n1.html", "/notices/n2.html", "/feed.xml"):
            fetcher.get(base + path)
    times = [t for t, path in mock.log if path != "/robots.txt"]
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert len(gaps) == 3 and min(gaps) >= 0.24


def test_robots_disallowed_pages_are_never_requested(site) -> None:
    mock, base = site
    with fast_fetcher() as fetcher, pytest.raises(FetchError, match=r"robots\.txt"):
        fetcher.get(f"{base}/private/draft.html")
    assert [path for _, path in mock.log] == ["/robots.txt"]


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_two_watchers_never_hold_one_source(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    url = f"sqlite:///{tmp_path / 'lease.db'}" if backend == "sqlite" else request.getfixturevalue("postgres_url")
    engine = database.connect(url)
    source_id = api.add_source("http://127.0.0.1:9/notices/", engine, name="lease")
    assert watching.take_lease(engine, source_id, "watcher-a")
    assert not watching.take_lease(engine, source_id, "watcher-b")
    watching.finish(engine, source_id, "watcher-a", "ok", True)
    assert watching.take_lease(engine, source_id, "watcher-b")
    assert watching.due_sources(engine) == []  # the finished run scheduled the next one


def test_cli_sources_and_watchlists(tmp_path: Path) -> None:
    runner = CliRunner()
    db = str(tmp_path / "cli.db")
    added = runner.invoke(app, ["--db", db, "sources", "add", "https://www.example.gov.cn/zwgk/", "--every", "12h",
                                "--name", "ministry", "--follow", "/zwgk/"])
    assert added.exit_code == 0, added.output
    listed = json.loads(runner.invoke(app, ["--db", db, "sources", "list", "--json"]).stdout)
    assert listed[0]["name"] == "ministry" and listed[0]["kind"] == "list" and listed[0]["every_seconds"] == 43200
    for args, message in [(["sources", "add", "ftp://example.com/x"], "http or https"),
                          (["sources", "add", "https://a.example/", "--every", "soon"], "--every soon"),
                          (["sources", "add", "https://a.example/", "--follow", "("], "not a regular expression"),
                          (["sources", "add", "https://www.example.gov.cn/zwgk/", "--name", "ministry"], "exists already"),
                          (["sources", "show", "nothing"], "no such source"),
                          (["watchlist", "add", "bad name", "数据"], "watchlist name"),
                          (["watchlist", "add", "w", "数据", "--email", "not-an-address"], "not an e-mail"),
                          (["watchlist", "show", "missing"], "no such watchlist")]:
        result = runner.invoke(app, ["--db", db, *args])
        assert result.exit_code == 1 and message in result.output, (args, result.output)
    assert runner.invoke(app, ["--db", db, "watchlist", "add", "data", "数据安全", "--kind", "policy"]).exit_code == 0
    shown = json.loads(runner.invoke(app, ["--db", db, "watchlist", "show", "data", "--json"]).stdout)
    assert shown["query"] == "数据安全" and shown["filters"]["kinds"] == ["policy"]
    assert runner.invoke(app, ["--db", db, "sources", "remove", "ministry"]).exit_code == 0
    assert json.loads(runner.invoke(app, ["--db", db, "sources", "list", "--json"]).stdout) == []


def test_watch_forever_stops_cleanly_on_sigterm(site, tmp_path: Path) -> None:
    _, base = site
    db = str(tmp_path / "forever.db")
    api.add_source(f"{base}/notices/", db, name="ministry")
    command = [sys.executable, "-c", "from policywatch.cli import app; app()", "--db", db, "watch", "--forever",
               "--tick", "1"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "COLUMNS": "200"})
    deadline = time.monotonic() + 60
    engine = database.connect(db)
    while time.monotonic() < deadline:
        with engine.connect() as connection:
            if connection.execute(text("SELECT count(*) FROM documents")).scalar_one() >= 3:
                break
        time.sleep(0.2)
    process.send_signal(signal.SIGTERM)
    _out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert "ministry: 3 added" in err and err.rstrip().endswith("stopped")


def test_credentials_are_never_shown_and_unsigned_webhooks_warn(site, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    mock, base = site
    monkeypatch.delenv("POLICYWATCH_WEBHOOK_SECRET", raising=False)
    receiver = Webhook("not-used")
    hook_server, hook_base = serve(receiver.factory)
    engine = database.connect(f"sqlite:///{tmp_path / 'secrets.db'}")
    with_credentials = base.replace("http://", "http://analyst:hunter2@")
    api.add_source(f"{with_credentials}/notices/", engine, name="ministry")
    api.add_source(f"{with_credentials}/missing/?token=abc123", engine)  # named after its address
    with fast_fetcher() as fetcher:
        first = api.watch(engine, fetcher=fetcher)
    api.add_watchlist("robots", "人形机器人", engine,
                      webhook=hook_base.replace("http://", "http://hook:hunter2@") + "/hook?token=abc123")
    mock.publish(third=True)
    with fast_fetcher() as fetcher:
        second = api.watch(engine, every_source=True, fetcher=fetcher)
    shown = json.dumps([api.sources(engine), api.source("ministry", engine), api.watchlists(engine),
                        [r.line() for r in first.sources + second.sources], second.pending,
                        [d["source"] for d in api.documents(engine)]], default=str)
    assert "hunter2" not in shown and "abc123" not in shown
    assert "***@127.0.0.1" in shown and "token=***" in shown
    assert first.sources[0].added >= 2 and first.sources[1].status == "failed"  # the credentials still work
    assert first.sources[1].name == base.removeprefix("http://") + "/missing"
    assert any("unsigned" in w for w in second.warnings) and second.pending  # sent unsigned, and refused
    hook_server.shutdown()
