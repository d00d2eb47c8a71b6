"""CLI: ingest with a summary and exit codes, documents list/show, --json, --version, clear errors."""

from __future__ import annotations

import json
import os
from pathlib import Path

from typer.testing import CliRunner

from policywatch import __version__
from policywatch.cli import app
from tests.conftest import EXAMPLES

runner = CliRunner()


def run(db_url: str, *args: str):
    return runner.invoke(app, ["--db", db_url, *args])


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and __version__ in result.output


def test_ingest_examples_then_list_json(db_url: str) -> None:
    first = run(db_url, "ingest", str(EXAMPLES))
    assert first.exit_code == 0, first.output
    assert "added" in first.output
    listed = json.loads(run(db_url, "documents", "list", "--json").stdout)
    assert len(listed) >= 5
    assert {"sha256", "format", "language"} <= set(listed[0])
    assert {d["format"] for d in listed} >= {"md", "txt", "html", "pdf", "docx"}
    again = run(db_url, "ingest", str(EXAMPLES), "--json")
    assert {r["status"] for r in json.loads(again.stdout)} == {"present"}
    assert len(json.loads(run(db_url, "documents", "list", "--json").stdout)) == len(listed)


def test_failure_exits_non_zero_with_one_line(db_url: str, tmp_path: Path) -> None:
    (tmp_path / "locked.pdf").write_bytes(b"%PDF-1.7 nonsense")
    result = run(db_url, "ingest", str(tmp_path / "locked.pdf"))
    assert result.exit_code == 1
    assert "locked.pdf: corrupt PDF" in result.output
    assert "Traceback" not in result.output


def test_show_document_and_missing_id(db_url: str) -> None:
    run(db_url, "ingest", str(EXAMPLES / "news-page.html"))
    shown = run(db_url, "documents", "show", "1", "--json")
    assert shown.exit_code == 0
    assert "27 million" in json.loads(shown.stdout)["text"]
    missing = run(db_url, "documents", "show", "99")
    assert missing.exit_code == 1 and "document 99: not in the database" in missing.output


def test_help_explains_commands() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("ingest", "documents", "db"):
        assert command in result.output


def test_extract_jsonl_is_the_prediction_format(tmp_path: Path) -> None:
    out = tmp_path / "pred.jsonl"
    result = runner.invoke(app, ["extract", str(EXAMPLES / "briefing-2023-07.md"), "-f", "jsonl", "-o", str(out)])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert {r["kind"] for r in lines} == {"policy", "event", "personnel"}
    text = (EXAMPLES / "briefing-2023-07.md").read_text(encoding="utf-8")
    first = lines[0]
    start, end = first["evidence"][0]
    assert first["title_en"] in " ".join(text[start:end].split())


def test_extract_reports_unreadable_files(tmp_path: Path) -> None:
    (tmp_path / "empty.md").write_text("", encoding="utf-8")
    result = runner.invoke(app, ["extract", str(tmp_path / "empty.md")])
    assert result.exit_code == 1 and "empty.md: empty file" in result.output


def test_evaluate_scores_a_gold_file(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "b.md").write_text((EXAMPLES / "briefing-2023-07.md").read_text(encoding="utf-8"), encoding="utf-8")
    gold = tmp_path / "gold.jsonl"
    gold.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in [
        {"doc": "b.md", "kind": "document", "complete": False},
        {"doc": "b.md", "kind": "event", "anchor": "Volkswagen agrees to invest", "companies": ["Volkswagen", "XPeng"],
         "date": "2023-07-26", "amounts": [{"value": 7e8, "currency": "USD"}]},
        {"doc": "b.md", "kind": "policy", "anchor": "sets up a bureau", "issuers": ["ndrc"], "date": "2023-07-11"},
    ]), encoding="utf-8")
    result = runner.invoke(app, ["evaluate", "--gold", str(gold), "--corpus", str(corpus), "--json"])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.stdout)
    assert scores["records"]["recall"] == 1.0
    assert scores["by_field"]["date"] == {"precision": 0.5, "recall": 0.5, "f1": 0.5, "tp": 1, "fn": 1, "fp": 1}


def test_evaluate_missing_document_is_one_line(tmp_path: Path) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text('{"doc": "absent.md", "kind": "document"}\n', encoding="utf-8")
    result = runner.invoke(app, ["evaluate", "--gold", str(gold), "--corpus", str(tmp_path)])
    assert result.exit_code == 1 and "absent.md: document of the gold file not found" in result.output


def test_ingest_stores_extracted_records(db_url: str) -> None:
    run(db_url, "ingest", str(EXAMPLES / "briefing-2023-07.md"))
    shown = json.loads(run(db_url, "documents", "show", "1", "--json").stdout)
    assert shown["layout"] == "monthly"
    kinds = [m["kind"] for m in shown["mentions"]]
    assert kinds.count("policy") >= 3 and "event" in kinds and "personnel" in kinds


def test_documents_list_fits_80_columns_and_missing_extras_keep_their_brackets(tmp_path, monkeypatch) -> None:
    import sys

    runner = CliRunner()
    db = str(tmp_path / "narrow.db")
    runner.invoke(app, ["--db", db, "ingest", str(EXAMPLES)])
    monkeypatch.setenv("COLUMNS", "80")
    listed = runner.invoke(app, ["--db", db, "documents", "list"], env={"COLUMNS": "80"})
    assert listed.exit_code == 0
    lines = listed.stdout.splitlines()
    assert lines and max(len(line) for line in lines) <= 80 and "sha256" not in listed.stdout and "…" in listed.stdout
    assert "sha256" in runner.invoke(app, ["--db", db, "documents", "list", "--sha256"], env={"COLUMNS": "200"}).stdout
    monkeypatch.setitem(sys.modules, "pandas", None)  # as if the extra were not installed
    missing = runner.invoke(app, ["--db", db, "indicators", "patents", str(tmp_path / "x.csv")])
    assert missing.exit_code == 1 and "pip install 'policywatch[indicators]'" in missing.output


def test_files_over_the_size_limit_are_refused_in_one_line(tmp_path, monkeypatch) -> None:
    from policywatch import api

    big = tmp_path / "big.txt"
    big.write_text("The MIIT issued a plan on robots. " * 40_000, encoding="utf-8")  # 1.4 MB
    runner = CliRunner()
    result = runner.invoke(app, ["--db", str(tmp_path / "size.db"), "ingest", str(big), "--max-size", "1", "--json"])
    assert result.exit_code == 1
    (row,) = json.loads(result.stdout)
    assert row["status"] == "failed" and "larger than the limit of 1 MB" in row["reason"] and "\n" not in row["reason"]
    monkeypatch.setenv("POLICYWATCH_MAX_MB", "1")
    uploaded = api.ingest_bytes(api._engine(str(tmp_path / "upload.db")), big.read_bytes(), "big.txt")
    assert uploaded.status == "failed" and "larger than the limit" in uploaded.reason


def test_two_ingests_in_one_process_keep_their_own_size_limits(tmp_path, monkeypatch) -> None:
    from policywatch import api

    monkeypatch.delenv("POLICYWATCH_MAX_MB", raising=False)
    big = tmp_path / "big.txt"
    big.write_text("The MIIT issued a plan on robots. " * 40_000, encoding="utf-8")  # 1.4 MB
    runner = CliRunner()
    small = runner.invoke(app, ["--db", str(tmp_path / "a.db"), "ingest", str(big), "--max-size", "1", "--json"])
    assert small.exit_code == 1 and "larger than the limit of 1 MB" in json.loads(small.stdout)[0]["reason"]
    assert "POLICYWATCH_MAX_MB" not in os.environ  # the limit was passed as data, nothing left behind
    default = runner.invoke(app, ["--db", str(tmp_path / "b.db"), "ingest", str(big), "--json"])
    assert default.exit_code == 0 and json.loads(default.stdout)[0]["status"] == "added"
    # the Python API: each call's limit is its own, in either order
    assert api.ingest([big], str(tmp_path / "c.db"), max_bytes=2 * 1024 * 1024)[0].status == "added"
    refused = api.ingest([big], str(tmp_path / "d.db"), max_bytes=1024 * 1024)[0]
    assert refused.status == "failed" and "limit of 1 MB" in refused.reason
    assert api.ingest([big], str(tmp_path / "e.db"))[0].status == "added"


def test_a_record_with_many_places_shows_the_first_few(db_url: str, tmp_path: Path) -> None:
    sentence = "The MIIT issued a plan to build 300 digital workshops by 2026. "
    (tmp_path / "repeated.txt").write_text(sentence * 12, encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(app, ["--db", db_url, "ingest", str(tmp_path / "repeated.txt")]).exit_code == 0
    document = runner.invoke(app, ["--db", db_url, "documents", "show", "1"], terminal_width=200)
    assert "(+7)" in document.output
    policies = json.loads(runner.invoke(app, ["--db", db_url, "policies", "list", "--json"]).stdout)
    shown = runner.invoke(app, ["--db", db_url, "policies", "show", str(policies[0]["id"])], terminal_width=200)
    places = [line for line in shown.output.splitlines() if line.startswith("    [")]
    assert shown.exit_code == 0 and len(places) == 5 and all("digital workshops" in line for line in places)
    assert "and 7 more places in this document" in shown.output


def test_a_database_folder_that_does_not_exist_is_named_not_made(tmp_path: Path) -> None:
    missing = tmp_path / "no" / "such" / "dir" / "x.db"
    for path in (str(missing), f"sqlite:///{missing}"):
        result = runner.invoke(app, ["--db", path, "documents", "list"])
        assert result.exit_code == 1 and f"the folder {missing.parent} does not exist" in result.output
        assert len(result.output.strip().splitlines()) == 1 and not (tmp_path / "no").exists()
    made = runner.invoke(app, ["--db", str(missing), "db", "upgrade"])
    assert made.exit_code == 0 and missing.exists() and "created" in made.output


def test_wrong_filter_values_name_the_nearest_ids(db_url: str) -> None:
    for args, expected in ((("search", "chips", "--issuer", "MIIT"), "--issuer MIIT: no such issuer; did you mean miit?"),
                           (("policies", "list", "--status", "finall"), "--status finall: no such status; did you mean final?"),
                           (("export", "policies", "--technology", "robot"), "did you mean robotics?"),
                           (("policies", "list", "--from", "2021-99"), "--from 2021-99: no month 99"),
                           (("watchlist", "add", "chips", "chips", "--issuer", "ndcr"), "did you mean ndrc")):
        result = run(db_url, *args)
        assert result.exit_code == 1 and expected in result.output, result.output
        assert len(result.output.strip().splitlines()) == 1
    assert run(db_url, "policies", "list", "--issuer", "jiangsu-miit", "--from", "2021-02").exit_code == 0


def test_issuers_and_technologies_list_the_ids() -> None:
    issuers = json.loads(runner.invoke(app, ["issuers", "--json"]).stdout)
    assert {"id": "miit", "abbrev": "MIIT"}.items() <= next(i for i in issuers if i["id"] == "miit").items()
    technologies = json.loads(runner.invoke(app, ["technologies", "--json"]).stdout)
    assert {"id": "nev", "name": "New Energy Vehicles", "group": next(t["group"] for t in technologies
                                                                       if t["id"] == "nev")} in technologies


def test_help_shows_no_types_for_flags_and_plain_argument_names() -> None:
    text = runner.invoke(app, ["sources", "add", "--help"], env={"COLUMNS": "120"}).output
    assert "<bool>" not in text and "{url}" not in text and "[OPTIONS] URL" in text
    assert "marked as translated" in runner.invoke(app, ["search", "--help"], env={"COLUMNS": "120"}).output


def test_markdown_on_stdout_links_no_chart_files(db_url: str, tmp_path: Path) -> None:
    assert run(db_url, "ingest", str(EXAMPLES / "briefing-2023-07.md")).exit_code == 0
    printed = run(db_url, "briefing", "--month", "2023-07")
    assert printed.exit_code == 0 and ".svg" not in printed.stdout
    written = run(db_url, "briefing", "--month", "2023-07", "-o", str(tmp_path / "july.md"))
    linked = [line for line in (tmp_path / "july.md").read_text(encoding="utf-8").splitlines() if ".svg)" in line]
    assert written.exit_code == 0 and linked
    assert all((tmp_path / line.split("](")[1].rstrip(")")).exists() and "2023-07" in line for line in linked)
    labels = (tmp_path / "technologies-2023-07.svg").read_text(encoding="utf-8")
    assert "Artificial Intelligence" in labels and ">artificial-intelligence<" not in labels  # names, not ids


def test_figures_read_as_written_with_euros_in_exports(db_url: str, tmp_path: Path) -> None:
    from policywatch.figures import amount, figure, span

    assert (figure(1.5e11), figure(12.5), span(6, 8), amount(7e8, "USD", 6.2e8)) == \
        ("150,000,000,000", "12.5", "6–8", "700,000,000 USD (620,000,000 EUR)")
    note = tmp_path / "news.md"
    note.write_text("MARCH 2, 2022 (REPORTING PERIOD: FEBRUARY 1 - 28)\n\n## WORTH NOTING\n\n### Corporate news\n\n"
                    "- *February 3:* Demo Robotics raises USD 700 million in a Series C round.\n", encoding="utf-8")
    assert run(db_url, "ingest", str(note)).exit_code == 0
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(run(db_url, "export", "events").stdout)))
    assert rows[0]["amounts"].startswith("700,000,000 USD (") and rows[0]["amounts"].endswith(" EUR)")
    assert rows[0]["amounts_eur"].isdigit() and "e+" not in rows[0]["amounts"]


def test_show_commands_answer_json_or_one_line(tmp_path) -> None:
    """documents/policies show and the listings share one path: JSON on stdout, or a missing record in one line."""
    from policywatch.cli.common import folded_table

    db = str(tmp_path / "show.db")
    runner = CliRunner()
    for args in (["documents", "show", "7"], ["policies", "show", "7", "--json"]):
        missing = runner.invoke(app, ["--db", db, *args])
        assert missing.exit_code == 1 and "not in the database" in missing.output
        assert len(missing.output.strip().splitlines()) == 1 and "Traceback" not in missing.output
    for args in (["documents", "list"], ["policies", "list"], ["companies"], ["sources", "list"], ["watchlist", "list"]):
        listed = runner.invoke(app, ["--db", db, *args, "--json"])
        assert listed.exit_code == 0 and json.loads(listed.stdout) == [], (args, listed.output)
    table = folded_table("2 rows", ("a", "b"))
    assert table.title == "2 rows" and [c.header for c in table.columns] == ["a", "b"]
    assert all(c.overflow == "fold" for c in table.columns)
