"""A real headless Chromium (Debian's package, driven by Playwright) through search, a policy page and an upload."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

from policywatch import api
from policywatch.store import database
from tests.conftest import EXAMPLES

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    if CHROMIUM is None:
        message = "Debian's chromium is not installed (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    import uvicorn

    from policywatch.web.app import create_app

    engine = database.connect(f"sqlite:///{tmp_path_factory.mktemp('browser') / 'b.db'}")
    api.ingest([EXAMPLES], engine)
    token = api.create_token("browser", engine)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    uv = uvicorn.Server(uvicorn.Config(create_app(engine), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    for _ in range(100):
        if uv.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", token
    uv.should_exit = True
    thread.join(timeout=5)


@pytest.fixture(scope="module")
def browser(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield instance
        instance.close()


def test_search_open_policy_with_highlighted_evidence(server, browser) -> None:
    base, _ = server
    page = browser.new_page()
    page.goto(base + "/")
    page.fill("input[name=q]", "gallium")
    page.click("button[type=submit]")
    first = page.locator("ol.results li.hit").first
    assert "gallium" in first.inner_text().lower()
    page.locator("ol.results a.title[href^='/policies/']").first.click()  # documents and items link too
    page.wait_for_url("**/policies/*")
    assert "Gallium" in page.locator("h1").inner_text()
    marks = page.locator("blockquote.excerpt mark")
    assert marks.count() >= 1 and "Policy name" in marks.first.inner_text()
    page.close()


def test_search_hit_opens_its_document_with_every_record_marked(server, browser) -> None:
    base, _ = server
    page = browser.new_page()
    page.goto(base + "/?q=gallium&kind=document")
    page.locator("ol.results li.hit a.title").first.click()
    page.wait_for_url("**/documents/*")
    records = page.locator("table.records tbody tr")
    assert records.count() >= 2  # a briefing reports several records
    marks = page.locator(".document-text mark.record")
    assert marks.count() >= 1 and any("gallium" in marks.nth(n).inner_text().lower() for n in range(marks.count()))
    # a record's evidence link scrolls to where the record starts in the text
    anchor = records.first.locator("a", has_text="evidence").get_attribute("href")
    assert anchor and page.locator(f".document-text {anchor}").count() == 1
    page.close()


def test_upload_after_signing_in_with_a_token(server, browser, tmp_path: Path) -> None:
    base, token = server
    page = browser.new_page()
    page.goto(base + "/upload")
    assert "sign in with a token" in page.content().lower()
    page.goto(base + "/token")
    page.fill("input[name=token]", token)
    page.click("button[type=submit]")
    page.wait_for_url("**/upload")
    document = tmp_path / "hostile-note.md"
    document.write_text("# Note\n\nThe MIIT issued a notice <script>window.hacked = 1</script> on quantum sensors "
                        "on June 3, 2024.\n", encoding="utf-8")
    page.set_input_files("input[type=file]", str(document))
    page.click("#upload button[type=submit]")
    page.wait_for_selector("#result .ok")
    assert "added" in page.locator("#result").inner_text()
    page.goto(base + "/?q=quantum")
    assert "<script>window.hacked" in page.locator("ol.results").inner_text()  # shown as text
    assert page.evaluate("window.hacked") is None  # and never run
    page.close()
