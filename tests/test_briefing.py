"""The monthly briefing: content and ranking, each format, notes, pins, templates, and the round trip
(a briefing ingested again yields the records it was made from)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from policywatch import api, evaluate
from policywatch.briefing.compose import compose, day_label, format_date, glance
from policywatch.cli import app
from policywatch.errors import PolicywatchError
from policywatch.store import database
from tests.conftest import EXAMPLES, SHARED

DATA = Path(__file__).parent / "data"
runner = CliRunner()


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory):
    path = tmp_path_factory.mktemp("briefing") / "b.db"
    engine = database.connect(f"sqlite:///{path}")
    api.ingest([DATA / "monthly-2022-01.md", DATA / "weekly-brief.txt", EXAMPLES], engine)
    return engine


def test_month_content_and_order(engine) -> None:
    b = compose(engine, "2021-12", top=2)
    assert b.period == "DECEMBER 1 - 31" and b.published.isoformat() == "2022-01-01"
    titles = [e.title for e in b.top]
    assert titles[0].startswith("14th Five-Year Plan for Robot")  # a national plan with targets ranks first
    assert all(e.date.startswith("2021-12") for e in b.top + b.policy_news)
    assert [n.companies for n in b.corporate_news] == [["Didi"], ["SenseTime"]]
    assert b.top[0].title_zh.startswith("“十四五”机器人")


def test_pin_exclude_and_bad_input(engine) -> None:
    listed = {p["title_en"] or p["label"]: p["id"] for p in api.policies(engine, date_from="2022-01", date_to="2022-01")}
    algorithms = next(i for t, i in listed.items() if "Algorithmic" in (t or ""))
    pinned = compose(engine, "2022-01", top=1, pin=[algorithms])
    assert pinned.top[0].policy_id == algorithms
    left_out = compose(engine, "2022-01", top=5, exclude=[algorithms])
    assert algorithms not in [e.policy_id for e in left_out.top + left_out.policy_news]
    with pytest.raises(PolicywatchError, match="expected YYYY-MM"):
        compose(engine, "2022/01")
    with pytest.raises(PolicywatchError, match="no policy of 2022-01"):
        compose(engine, "2022-01", pin=[10**6])


def test_notes_become_the_comment(engine) -> None:
    digital = next(p for p in api.policies(engine) if p["title_en"] and "Digital Economy" in p["title_en"])
    api.add_note(digital["id"], "Watch the provincial follow-up plans.", "analyst", engine)
    text, _ = api.briefing("2022-01", engine, "md", with_charts=False)
    assert "**Comment:** Watch the provincial follow-up plans. (analyst," in text
    with pytest.raises(PolicywatchError, match="needs some text"):
        api.add_note(digital["id"], "  ", None, engine)


def round_trip(engine, month: str, tmp_path: Path) -> dict:
    """Render a month, extract it again, and score the extraction against what the briefing was made from."""
    b = compose(engine, month, top=2)
    text, _ = api.briefing(month, engine, "md", top=2, with_charts=False)
    name = f"briefing-{month}.md"
    (tmp_path / name).write_text(text, encoding="utf-8")
    gold = [{"doc": name, "kind": "document", "complete": True}]
    for e in b.top:
        gold.append({"doc": name, "kind": "policy", "anchor": f"**Policy name:** {e.title}", "title_en": e.title,
                     "issuers": e.issuers, "date": e.date})
    for e in b.policy_news:
        gold.append({"doc": name, "kind": "policy", "anchor": e.summary[:50], "issuers": e.issuers, "date": e.date})
    for n in b.corporate_news:
        gold.append({"doc": name, "kind": "event", "anchor": n.text[:50], "date": n.date, "companies": n.companies})
    records, failed = api.predictions([tmp_path / name])
    assert not failed
    return {**evaluate.score(gold, records, tmp_path), "count": len(gold) - 1}


def test_round_trip_yields_the_same_records(engine, tmp_path: Path) -> None:
    scores = round_trip(engine, "2021-12", tmp_path)
    assert scores["count"] >= 4
    assert scores["records"]["f1"] >= 0.95, scores["errors"]
    assert scores["fields"]["f1"] >= 0.9, scores["errors"]


@pytest.mark.skipif(not (SHARED / "corpus").is_dir(), reason="../shared/corpus is not beside the project")
def test_round_trip_of_the_shared_february_2021(tmp_path: Path) -> None:
    engine = database.connect(f"sqlite:///{tmp_path / 'feb.db'}")
    api.ingest([SHARED / "corpus"], engine)
    scores = round_trip(engine, "2021-02", tmp_path)
    assert scores["count"] >= 20
    assert scores["records"]["f1"] >= 0.95, scores["errors"]


def test_html_escapes_text_and_embeds_charts(engine, tmp_path: Path) -> None:
    hostile = tmp_path / "hostile.md"
    hostile.write_text("MARCH 2, 2022 (REPORTING PERIOD: FEBRUARY 1 - 28)\n\n## WORTH NOTING\n\n### Corporate news\n\n"
                       "- *February 3:* Demo Robotics <script>alert(1)</script> raises CNY 2 billion\n", encoding="utf-8")
    api.ingest([hostile], engine)
    html, charts = api.briefing("2022-02", engine, "html")
    assert "<script>alert(1)" not in html and "&lt;script&gt;" in html
    assert set(charts) >= {"timeline-2022-02"} and "data:image/svg+xml;base64," in html


def test_own_template(engine, tmp_path: Path) -> None:
    template = tmp_path / "mine.md.j2"
    template.write_text("{{ b.month_name }}: {% for e in b.top %}{{ e.title }}; {% endfor %}", encoding="utf-8")
    text, _ = api.briefing("2022-01", engine, "md", top=1, template=template, with_charts=False)
    assert text.startswith("January 2022: ")
    with pytest.raises(PolicywatchError, match="no such template"):
        api.briefing("2022-01", engine, "md", template=tmp_path / "absent.j2")


@pytest.mark.skipif(not (SHARED / "corpus").is_dir() or shutil.which("pdftoppm") is None,
                    reason="needs ../shared/corpus and poppler-utils (pdftoppm, pdftotext)")
def test_pdf_of_february_2021_has_content_charts_and_chinese(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'pdf.db'}"
    api.ingest([SHARED / "corpus"], db)
    out = tmp_path / "feb.pdf"
    result = runner.invoke(app, ["--db", db, "briefing", "--month", "2021-02", "--format", "pdf", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF")
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    flat = "".join(text.split())  # pdftotext breaks long lines
    assert "工业互联网创新发展行动计划" in flat and "医疗装备产业发展规划" in flat
    subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", str(out), str(tmp_path / "page")], check=True)
    from PIL import Image

    page = Image.open(next(tmp_path.glob("page*.png"))).convert("L")
    dark = sum(1 for pixel in page.getdata() if pixel < 128)
    assert dark > 500  # the cover with its charts is not blank
    images = subprocess.run(["pdfimages", "-list", str(out)], capture_output=True, text=True).stdout
    assert "Policies by issuing body" in text or len(images.splitlines()) > 2


def test_cli_markdown_with_chart_files_and_errors(engine, tmp_path: Path) -> None:
    db = str(engine.url)
    out = tmp_path / "jan.md"
    result = runner.invoke(app, ["--db", db, "briefing", "--month", "2022-01", "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "## WORTH NOTING" in text and (tmp_path / "issuers-2022-01.svg").exists()
    assert "](issuers-2022-01.svg)" in text  # the Markdown links the file written beside it
    assert runner.invoke(app, ["--db", db, "briefing", "--month", "2022-01", "--format", "pdf"]).exit_code == 1
    bad = runner.invoke(app, ["--db", db, "briefing", "--month", "2022-01", "--format", "docx"])
    assert bad.exit_code == 1 and "expected one of md, html, pdf" in bad.output


def test_helpers() -> None:
    assert format_date("2021-02-07") == "February 7, 2021" and format_date("2021-02") == "February 2021"
    assert day_label("2021-02-07") == "February 7" and day_label("2021-02") == ""
    assert glance("One. " * 200).endswith("One.") and len(glance("One. " * 200)) <= 600


def test_briefing_source_links_lead_to_the_source(tmp_path) -> None:
    from policywatch.briefing.compose import source_link

    page = source_link("https://www.miit.gov.cn/zwgk/art_1.html", 3)
    assert (page.name, page.url) == ("art_1.html", "https://www.miit.gov.cn/zwgk/art_1.html")
    local = tmp_path / "note.txt"
    local.write_text("x", encoding="utf-8")
    assert source_link(str(local), 4).url == local.resolve().as_uri()
    assert source_link("upload.pdf", 5).url == "/api/v1/documents/5"  # known only by name: its page in the web app


def test_untitled_policy_labels_and_target_figures() -> None:
    from policywatch.briefing.compose import _target_line
    from policywatch.resolve import describe

    # a heading glued to the text makes its verb's object a date: the next verb names what was issued
    assert describe("## What was announced On May 6, 2024 the MOF announced a higher deduction for chip design firms") \
        == "higher deduction for chip design firms"
    line = _target_line({"value": 27_000_000.0, "unit": "vehicles", "year": 2023, "metric": "annual vehicle sales"})
    assert line.startswith("27,000,000 vehicles by 2023") and "e+" not in line
    assert _target_line({"value": 1.5, "value_max": 2.0, "unit": "percent", "year": 2025, "metric": "growth"}) \
        .startswith("1.5-2 percent")


# Three reports of one month, written for these tests: a plan told twice, a local plan, an off-topic law.
MONTH_TEXTS = {
    "plan-a.md": "March 5, 2021\n\n# MIIT sets out a plan for industrial software\n\nThe Ministry of Industry and "
                 "Information Technology on March 4, 2021 issued the Action Plan for Industrial Software Development "
                 "(2021-2023). It aims for 20 application platforms by 2023, and foreign-invested enterprises may "
                 "take part.\n",
    "plan-b.md": "March 8, 2021\n\n# Software plan welcomed\n\nOn March 4, 2021 the Ministry of Industry and "
                 "Information Technology issued the Action Plan for Industrial Software Development (2021-2023). "
                 "Makers must file their products with a new catalogue.\n",
    "robots.md": "March 9, 2021\n\n# Robot makers in Shenzhen get a new plan\n\nThe Shenzhen Municipal Bureau of "
                 "Industry and Information Technology has issued the Action Plan for Service Robot Innovation. Makers "
                 "must file safety test reports before sales.\n",
    "law.md": "March 2, 2021\n\n# Legislators pass a conscription law\n\nThe Standing Committee of the National "
              "People's Congress adopted the Military Service Law of the People's Republic of China on March 1, 2021. "
              "Citizens must register for military service, and employers shall grant leave for it, the law says.\n",
}


@pytest.fixture(scope="module")
def month_db(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("month")
    for name, text in MONTH_TEXTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    engine = database.connect(f"sqlite:///{folder / 'm.db'}")
    api.ingest([folder], engine)
    return engine


def _by_title(b, words: str):
    return [e for e in b.top + b.policy_news if words in e.title]


def test_an_undated_policy_lands_in_the_month_it_was_reported(month_db) -> None:
    from sqlalchemy import update

    from policywatch.store.schema import policies

    robots = next(p for p in api.policies(month_db) if "Service Robot" in (p["title_en"] or ""))
    with month_db.begin() as connection:  # as a report that names no date would leave it
        connection.execute(update(policies).where(policies.c.id == robots["id"]).values(date=None))
    b = compose(month_db, "2021-03", top=5)
    [entry] = _by_title(b, "Service Robot")
    assert entry.date is None and entry.reported == "2021-03-09"
    assert not _by_title(compose(month_db, "2021-04", top=5), "Service Robot")
    text, _ = api.briefing("2021-03", month_db, "md", with_charts=False)
    assert "date not stated (first reported March 9, 2021)" in text


def test_an_off_topic_law_stays_out_of_the_top(month_db) -> None:
    b = compose(month_db, "2021-03", top=5)
    [law] = _by_title(b, "Military Service")
    assert law in b.policy_news and law.off_topic and len(b.top) >= 2
    pinned = compose(month_db, "2021-03", top=1, pin=[law.policy_id])
    assert pinned.top[0].policy_id == law.policy_id  # an analyst's pin still decides


def test_two_sources_of_one_plan_make_one_entry_citing_both(month_db) -> None:
    b = compose(month_db, "2021-03", top=5)
    [plan] = _by_title(b, "Industrial Software")
    assert {s.name for s in plan.sources} == {"plan-a.md", "plan-b.md"}
    assert b.top[0] is plan  # national, a new plan, a foreign angle, duties, targets, two sources


def test_explain_lists_the_signals_of_each_top_entry(month_db) -> None:
    result = runner.invoke(app, ["--db", str(month_db.url), "briefing", "--month", "2021-03", "--explain"])
    assert result.exit_code == 0, result.output
    why = result.output.split("Why it ranks here")
    assert len(why) == 3  # the two Top entries; the law is in policy news
    assert "- foreign +1.00: foreign-invested" in why[1] and "- new_plan +1.50: a new action plan" in why[1]
    html, _ = api.briefing("2021-03", month_db, "html", explain=True, with_charts=False)
    assert html.count('class="why"') == 2


def test_web_briefing_shows_why(month_db) -> None:
    from fastapi.testclient import TestClient

    from policywatch.web.app import create_app

    client = TestClient(create_app(month_db))
    html = client.get("/api/v1/briefing", params={"month": "2021-03", "format": "html", "explain": "true"}).text
    assert html.count('class="why"') == 2 and "new_plan" in html
    assert 'class="why"' not in client.get("/api/v1/briefing", params={"month": "2021-03", "format": "html"}).text
    assert "explain=true" in client.get("/month/2021-03").text


def test_a_team_tunes_the_weights(month_db, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tuned = tmp_path / "local-first.csv"
    tuned.write_text("signal,weight,description\nlocal,10,we follow Shenzhen\noff_topic,-6,\n", encoding="utf-8")
    assert compose(month_db, "2021-03", top=1).top[0].title.startswith("Action Plan for Industrial Software")
    assert compose(month_db, "2021-03", top=1, weights=tuned).top[0].title == "Action Plan for Service Robot Innovation"
    monkeypatch.setenv("POLICYWATCH_RANKING", str(tuned))  # what the CLI and the web use unless told otherwise
    text, _ = api.briefing("2021-03", month_db, "md", top=1, with_charts=False)
    assert "### 1. Action Plan for Service Robot Innovation" in text
    result = runner.invoke(app, ["--db", str(month_db.url), "briefing"])
    assert result.exit_code == 1 and "--month" in result.output


def test_policies_list_dates_an_undated_policy_by_its_first_report(tmp_path: Path) -> None:
    # a portal's report written for this test: the page says when it was published, the text names no issue date
    page = tmp_path / "report.txt"
    page.write_text("工信部印发服务机器人创新行动计划\n发布时间：2021-03-09 10:20  来源：本网\n\n"
                    "日前，工业和信息化部印发《服务机器人创新发展行动计划（2021-2023年）》，提出到2023年培育10家"
                    "以上具有国际竞争力的骨干企业。\n", encoding="utf-8")
    engine = database.connect(f"sqlite:///{tmp_path / 'p.db'}")
    api.ingest([page], engine)
    [plan] = [p for p in api.policies(engine) if "服务机器人" in (p["title_zh"] or "")]
    assert (plan["date"], plan["dated_by"], plan["date_stated"]) == ("2021-03-09", "reported", None)
    assert [p["id"] for p in api.policies(engine, date_from="2021-03-01", date_to="2021-03-31")] == [plan["id"]]
    assert not api.policies(engine, date_from="2021-04-01")
    [entry] = [e for e in compose(engine, "2021-03", top=5).top if e.policy_id == plan["id"]]
    assert entry.date is None and entry.reported == "2021-03-09"


def test_issuers_are_named_never_shown_as_ids() -> None:
    from policywatch.briefing.compose import issuer_names
    from policywatch.registry import agency

    beijing, jiangsu = agency("beijing-miit"), agency("jiangsu-miit")
    assert beijing is not None and beijing.name_zh.endswith("局") and beijing.name_en.startswith("Beijing Municipal")
    assert jiangsu is not None and jiangsu.name_zh == "江苏省工业和信息化厅"
    named = issuer_names(["miit", "beijing-miit", "国务院某某工作领导小组"])
    assert named == ("MIIT, Beijing Municipal counterpart of the Ministry of Industry and Information Technology and "
                     "国务院某某工作领导小组")
