"""The web API and pages: reads, token-guarded writes, limits, CSRF, escaping, exports; schemathesis fuzzing."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

warnings.filterwarnings("ignore", category=DeprecationWarning)
from fastapi.testclient import TestClient  # noqa: E402

from policywatch import api  # noqa: E402
from policywatch.store import database  # noqa: E402
from policywatch.web.app import create_app  # noqa: E402
from policywatch.web.security import CSRF_COOKIE  # noqa: E402
from tests.conftest import EXAMPLES  # noqa: E402

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory):
    engine = database.connect(f"sqlite:///{tmp_path_factory.mktemp('web') / 'web.db'}")
    api.ingest([EXAMPLES, DATA / "monthly-2022-01.md"], engine)
    application = create_app(engine, max_upload=64 * 1024)
    application.state.token = api.create_token("tests", engine)
    return application


@pytest.fixture
def client(app) -> TestClient:
    return TestClient(app)


def auth(app) -> dict[str, str]:
    return {"Authorization": f"Bearer {app.state.token}"}


def test_reads_are_open(client: TestClient) -> None:
    policies = client.get("/api/v1/policies", params={"issuer": "cac"}).json()
    assert policies and all("cac" in p["issuers"] for p in policies)
    policy = client.get(f"/api/v1/policies/{policies[0]['id']}").json()
    assert policy["sources"][0]["evidence_text"]
    hits = client.get("/api/v1/search", params={"q": "生成式人工智能"}).json()
    assert hits and "\x02" not in hits[0]["snippet"]
    assert client.get("/api/v1/agencies/miit").json()["name_zh"] == "工业和信息化部"
    assert client.get("/api/v1/briefing", params={"month": "2022-01"}).text.startswith("FEBRUARY 1, 2022")
    assert client.get("/api/v1/documents/9999").status_code == 404
    assert client.get("/api/v1/search", params={"q": "AND OR ("}).status_code == 400


def test_writes_need_a_token(app, client: TestClient) -> None:
    upload = {"file": ("note.md", b"# Note\n\nThe MIIT issued a notice on robot safety standards on May 3, 2024.\n")}
    assert client.post("/api/v1/documents", files=upload).status_code == 401
    assert client.post("/api/v1/documents", files=upload, headers={"Authorization": "Bearer wrong"}).status_code == 401
    created = client.post("/api/v1/documents", files=upload, headers=auth(app))
    assert created.status_code == 201 and created.json()["status"] == "added"
    assert client.post("/api/v1/policies/1/notes", data={"text": "x"}).status_code == 401
    note = client.post("/api/v1/policies/1/notes", data={"text": "Worth a closer look."}, headers=auth(app))
    assert note.status_code == 201


def test_upload_limits(app, client: TestClient) -> None:
    too_big = client.post("/api/v1/documents", files={"file": ("big.txt", b"a" * (64 * 1024 + 1))}, headers=auth(app))
    assert too_big.status_code == 413
    wrong_type = client.post("/api/v1/documents", files={"file": ("x.exe", b"MZ")}, headers=auth(app))
    assert wrong_type.status_code == 415
    broken = client.post("/api/v1/documents", files={"file": ("x.pdf", b"%PDF-1.4 nothing")}, headers=auth(app))
    assert broken.status_code == 422 and "corrupt PDF" in broken.json()["detail"]


def test_uploaded_script_shows_as_text(app, client: TestClient) -> None:
    hostile = b"# Notice\n\nThe MIIT issued a notice <script>alert('x')</script> on cloud security on June 2, 2024.\n"
    assert client.post("/api/v1/documents", files={"file": ("h.md", hostile)}, headers=auth(app)).status_code == 201
    page = client.get("/", params={"q": "cloud security"}).text
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page
    (hit,) = client.get("/api/v1/search", params={"q": "cloud security", "kind": "policy"}).json()
    html = client.get(f"/policies/by-mention/{hit['ref_id']}").text  # the search result's link
    assert "<script>alert" not in html and "<mark>" in html
    assert "script-src 'self'" in client.get("/").headers["content-security-policy"]


def test_forms_need_csrf_and_a_token_cookie(app, client: TestClient) -> None:
    page = client.get("/token")
    csrf = page.cookies[CSRF_COOKIE]
    assert client.post("/token", data={"token": app.state.token}).status_code == 403  # no CSRF field
    assert client.post("/token", data={"token": "nope", "csrf": csrf}).status_code == 401
    signed_in = client.post("/token", data={"token": app.state.token, "csrf": csrf}, follow_redirects=False)
    assert signed_in.status_code == 303
    upload = client.post("/upload", data={"csrf": csrf},
                         files={"file": ("w.txt", b"The NDRC released guidelines on hydrogen on July 1, 2024.")})
    assert upload.status_code == 201 and "added" in upload.text


def test_pages_and_exports(client: TestClient) -> None:
    assert "Search" in client.get("/").text
    month = client.get("/month/2022-01").text
    assert "Algorithmic" in month and "/api/v1/export/policies.csv?date_from=2022-01" in month
    assert client.get("/month/2022-13").status_code == 400
    assert "工业和信息化部" in client.get("/agencies/miit").text
    csv_text = client.get("/api/v1/export/policies.csv", params={"issuer": "cac"}).text
    assert csv_text.splitlines()[0].startswith("id,title_en,title_zh,doc_number,issuers")
    lines = client.get("/api/v1/export/search.jsonl", params={"q": "gallium"}).text.splitlines()
    assert lines and json.loads(lines[0])["kind"]
    events = client.get("/api/v1/export/events.csv", params={"date_from": "2021-12", "date_to": "2021-12"}).text
    assert "SenseTime" in events and events.splitlines()[0].startswith("id,date,event_type,companies")
    assert client.get("/api/v1/export/secrets.csv").status_code == 422


def test_api_fuzzing_finds_no_server_error(app) -> None:
    """Every operation of the OpenAPI schema, fuzzed: no input makes the server answer 5xx.

    Driven by Hypothesis directly rather than schemathesis's pytest plugin, which breaks with each pytest
    release that renames its node internals.
    """
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 10
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def fuzz(case) -> None:
            case.call_and_validate(checks=[not_a_server_error])

        fuzz()


def test_search_page_marks_translated_hits_and_groups(client: TestClient) -> None:
    # an English query also finds the Chinese notice among the examples, marked as found in translation
    page = client.get("/", params={"q": "generative artificial intelligence"}).text
    assert "translated" in page and "生成式人工智能" in page
    exact = client.get("/", params={"q": "generative artificial intelligence", "exact": "1"}).text
    assert 'class="expanded"' not in exact
    grouped = client.get("/api/v1/search", params={"q": "人工智能", "group_by": "document", "exact": True}).json()
    assert len({h["document_id"] for h in grouped}) == len(grouped)


def test_evidence_far_apart_is_shown_near_the_first_place() -> None:
    from policywatch.web.app import highlighted

    text = "A plan on robots. " + "x" * 50_000 + " A plan on robots."
    excerpt = str(highlighted(text, [[0, 17], [50_019, 50_036]]))
    assert excerpt.startswith("<mark>A plan on robots.</mark>") and len(excerpt) < 1_000
    assert excerpt.endswith("(1 more places further on)")


def test_cookie_writes_to_the_api_must_come_from_this_site(app) -> None:
    from policywatch.web.security import TOKEN_COOKIE

    browser = TestClient(app)
    browser.cookies.set(TOKEN_COOKIE, app.state.token)
    note = {"text": "Added from another page."}
    foreign = browser.post("/api/v1/policies/1/notes", data=note, headers={"Origin": "http://testserver:8001"})
    assert foreign.status_code == 403 and "Origin" in foreign.json()["detail"]
    assert browser.post("/api/v1/policies/1/notes", data=note).status_code == 403  # neither Origin nor Referer
    own = browser.post("/api/v1/policies/1/notes", data=note, headers={"Origin": "http://testserver"})
    assert own.status_code == 201
    # a header token is no ambient credential: another site cannot make a browser send it
    tool = TestClient(app).post("/api/v1/policies/1/notes", data=note,
                                headers={**auth(app), "Origin": "http://elsewhere.example"})
    assert tool.status_code == 201


def test_huge_upload_is_refused_before_its_body_is_read(app) -> None:
    sent: list[int] = []

    def two_gigabytes():  # yields 1 MB at a time, and counts how much the server asked for
        for _ in range(2048):
            sent.append(1)
            yield b"\0" * (1024 * 1024)

    headers = {"Content-Length": str(2 * 1024**3), "Content-Type": "multipart/form-data; boundary=x"}
    anonymous = TestClient(app).post("/api/v1/documents", content=two_gigabytes(), headers=headers)
    assert anonymous.status_code in (401, 413) and len(sent) <= 1, (anonymous.status_code, len(sent))
    sent.clear()
    no_token = TestClient(app).post("/api/v1/documents", content=two_gigabytes(),
                                    headers={**headers, "Content-Length": str(60 * 1024)})
    assert no_token.status_code == 401 and len(sent) <= 1, len(sent)
    sent.clear()
    sign_in = TestClient(app).post("/token", content=two_gigabytes(), headers=headers)  # open, but not unbounded
    assert sign_in.status_code == 413 and len(sent) <= 1, len(sent)


def test_cookies_are_secure_behind_https(client: TestClient) -> None:
    plain = client.get("/token").headers["set-cookie"]
    proxied = TestClient(client.app).get("/token", headers={"X-Forwarded-Proto": "https"}).headers["set-cookie"]
    assert "secure" not in plain.lower() and "secure" in proxied.lower() and "samesite=strict" in proxied.lower()


def test_exports_never_carry_live_formulas() -> None:
    import csv
    import io

    import openpyxl

    from policywatch.export import Column, write_csv, write_xlsx

    titles = ["=HYPERLINK(\"http://evil.example\",\"x\")", "+1+2", "-2+3", "@SUM(A1)", "\tlead", "\rlead",
              "Notice on data grading"]
    columns = [Column("id", "int"), Column("title")]
    records = [{"id": i, "title": t} for i, t in enumerate(titles)]
    text = io.StringIO()
    write_csv(records, columns, text)
    cells = [row["title"] for row in csv.DictReader(io.StringIO(text.getvalue()))]
    assert cells[:6] == ["'" + t for t in titles[:6]] and cells[6] == "Notice on data grading"
    binary = io.BytesIO()
    write_xlsx(lambda: records, columns, binary)
    sheet = openpyxl.load_workbook(io.BytesIO(binary.getvalue())).active
    written = [(row[1].value, row[1].data_type, row[0].data_type) for row in sheet.iter_rows(min_row=2)]
    assert [value for value, _, _ in written] == titles  # kept as written, but as text
    assert all(kind == "s" for _, kind, _ in written) and all(kind == "n" for _, _, kind in written)


def test_serving_beyond_loopback_without_a_token_warns(tmp_path: Path) -> None:
    from policywatch.web.security import exposure_warning

    engine = database.connect(f"sqlite:///{tmp_path / 'open.db'}")
    assert "no write token exists" in (exposure_warning(engine, "0.0.0.0") or "")
    assert exposure_warning(engine, "127.0.0.1") is None and exposure_warning(engine, "localhost") is None
    api.create_token("team", engine)
    assert exposure_warning(engine, "0.0.0.0") is None


def test_document_page_marks_every_record_and_hits_link_to_it(client: TestClient) -> None:
    page = client.get("/?q=gallium&kind=document").text
    link = page.split('class="title" href="', 1)[1].split('"', 1)[0]
    assert link.startswith("/documents/")
    document = client.get(link)
    assert document.status_code == 200
    html = document.text
    found = client.get("/api/v1" + link).json()
    # every record's first place has its anchor, and the records table links to it
    assert all(f'id="m{m["id"]}"' in html and f'href="#m{m["id"]}"' in html for m in found["mentions"] if m["evidence"])
    assert html.count('<mark class="record">') >= 2
    assert "e+" not in html.split("<h2>Text</h2>")[0]  # figures as people write them, not 1.5e+11
    assert client.get("/documents/99999").status_code == 404


def test_list_pages_filter_like_the_cli(client: TestClient) -> None:
    listed = client.get("/policies", params={"issuer": "cac"})
    assert listed.status_code == 200 and 'href="/policies/' in listed.text
    wrong = client.get("/policies", params={"issuer": "CAC", "date_from": "2021"}).text
    assert "issuer CAC: no such issuer; did you mean cac?" in wrong
    assert "no month 13" in client.get("/policies", params={"date_to": "2021-13"}).text
    assert "did you mean final?" in client.get("/", params={"q": "chips", "status": "finall"}).text
    assert client.get("/companies").status_code == 200 and client.get("/people").status_code == 200


def test_pdf_lines_are_joined_inside_paragraphs_with_offsets_kept() -> None:
    from policywatch.web.paragraphs import reflow

    text = ("Chip makers face a new round of export controls while the state doubles down on \n\n"
            "computing infrastructure for the coming years. \n\nPolicy \n\n- a plan on computing power of 300 EFLOPS "
            "by 2025 for every region \n\n- draft rules\n")
    flowed = reflow(text)
    assert len(flowed) == len(text) and flowed.index("computing infrastructure") == text.index("computing infrastructure")
    assert "down on" in " ".join(flowed.split()) and "years. \n\nPolicy" in flowed  # a sentence's end stays a break
    assert "\n\n- draft" in flowed  # a list entry starts its own line


@pytest.mark.parametrize(("path", "params", "message"), [
    ("/api/v1/policies", {"issuer": "MIITT"}, "issuer MIITT: no such issuer; did you mean miit?"),
    ("/api/v1/policies", {"technology": "chip"}, "technology chip: no such technology; did you mean"),
    ("/api/v1/policies", {"status": "finall"}, "status finall: no such status; did you mean final?"),
    ("/api/v1/policies", {"date_from": "2021-99"}, "date_from 2021-99: no month 99"),
    ("/api/v1/search", {"q": "chips", "date_to": "2021-02-30"}, "date_to 2021-02-30: 2021-02 has no day 30"),
    ("/api/v1/events", {"date_from": "21-03"}, "date_from 21-03: expected a date as YYYY"),
    ("/api/v1/export/policies.csv", {"status": "drafts"}, "status drafts: no such status; did you mean draft?"),
])
def test_api_names_a_wrong_filter_value_instead_of_an_empty_list(client: TestClient, path: str,
                                                                   params: dict[str, str], message: str) -> None:
    answer = client.get(path, params=params)
    assert answer.status_code == 400
    assert answer.json()["detail"].startswith(message) and "\n" not in answer.json()["detail"]


def test_api_filters_still_accept_right_values(client: TestClient) -> None:
    listed = client.get("/api/v1/policies", params={"issuer": "cac", "status": "final", "date_from": "2021"})
    assert listed.status_code == 200 and listed.json()
    assert client.get("/api/v1/search", params={"q": "gallium", "date_to": "2030-12-31"}).json()


def test_list_pages_show_a_wrong_filter_as_an_error(client: TestClient) -> None:
    for path, params in (("/policies", {"status": "finall"}), ("/", {"q": "chips", "issuer": "MIITT"})):
        page = client.get(path, params=params)
        assert page.status_code == 400
        assert '<p class="error">' in page.text and "did you mean" in page.text
