"""CLI: ingest with a summary and exit codes, documents list/show, --json, --version, clear errors."""

from __future__ import annotations

import json
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
