"""Exports of every record kind, read back (pandas for Parquet and XLSX) and compared with the list commands."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from policywatch import api
from policywatch import export as exporter
from policywatch.cli import app
from policywatch.store import database
from tests.conftest import SHARED

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = str(tmp_path_factory.mktemp("export") / "export.db")
    sources = [SHARED / "corpus"] if (SHARED / "corpus").is_dir() else [DATA]
    api.ingest([*sources, DATA / "primary"], database.connect(path))
    return path


def run(db: str, *args: str) -> str:
    result = CliRunner().invoke(app, ["--db", db, *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def listed(db: str) -> list[dict]:
    return json.loads(run(db, "policies", "list", "--json"))


def expected_targets(db: str) -> list[tuple]:
    engine = database.connect(db)
    return sorted(((p["id"], t.get("value"), t.get("year")) for p in listed(db)
                   for t in api.policy(p["id"], engine)["data"].get("targets", [])), key=_order)


def _none(value):  # type: ignore[no-untyped-def]
    return None if value is None or (isinstance(value, float) and value != value) else value


def _order(row: tuple) -> tuple:
    return row[0], -1 if row[1] is None else row[1], row[2] or 0


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "xlsx", "parquet"])
def test_policies_and_targets_in_every_format_match_the_list_command(db: str, fmt: str, tmp_path: Path) -> None:
    policies, targets = tmp_path / f"policies.{fmt}", tmp_path / f"targets.{fmt}"
    run(db, "export", "policies", "--format", fmt, "-o", str(policies))
    run(db, "export", "targets", "--format", fmt, "-o", str(targets))
    read = {"csv": pd.read_csv, "jsonl": lambda p: pd.read_json(p, lines=True), "xlsx": pd.read_excel,
            "parquet": pd.read_parquet}[fmt]
    frame = read(policies)
    expected = listed(db)
    assert len(frame) == len(expected) > 10
    assert list(frame["id"]) == [p["id"] for p in expected]
    titles = [None if pd.isna(t) else t for t in frame["title_en"]]
    assert titles == [p["title_en"] for p in expected]
    issuers = frame["issuers"].tolist()
    if fmt in ("csv", "xlsx"):  # lists are joined text in spreadsheets, lists in JSON lines and Parquet
        assert [("" if pd.isna(i) else i) for i in issuers] == [";".join(p["issuers"]) for p in expected]
    else:
        assert [list(i) for i in issuers] == [p["issuers"] for p in expected]
    got = read(targets)
    exported = sorted(((int(p), _none(v), None if _none(y) is None else int(y))
                       for p, v, y in zip(got["policy_id"], got["value"], got["year"], strict=True)), key=_order)
    assert exported == expected_targets(db)
    assert all(isinstance(e, str) and "-" in e for e in got["evidence"].dropna())  # traceable to the text


def test_xlsx_header_is_frozen_and_columns_fit(db: str, tmp_path: Path) -> None:
    path = tmp_path / "policies.xlsx"
    run(db, "export", "policies", "-f", "xlsx", "-o", str(path))
    sheet = load_workbook(path).active
    assert sheet.freeze_panes == "A2" and sheet["A1"].value == "id" and sheet["A1"].font.bold
    assert sheet.column_dimensions["B"].width > sheet.column_dimensions["A"].width


def test_every_kind_exports_and_rows_cite_their_source(db: str) -> None:
    engine = database.connect(db)
    for kind, columns in exporter.KINDS.items():
        rows = list(exporter.rows(engine, kind))
        assert rows, kind
        assert all(list(r) == [c.name for c in columns] for r in rows)
        if "evidence" in rows[0] and kind not in ("policies",):
            assert any(r["source"] and r["evidence"] for r in rows), kind
    text = run(db, "export", "events", "--format", "jsonl", "-o", "-")
    events = [json.loads(line) for line in text.splitlines()]
    assert events and all(isinstance(e["companies"], list) for e in events)
    documents = pd.read_csv(io.StringIO(run(db, "export", "documents")))
    assert len(documents) == len(json.loads(run(db, "documents", "list", "--json")))


def test_export_errors_are_one_line(db: str, tmp_path: Path) -> None:
    runner = CliRunner()
    for args, message in [(["export", "tweets"], "no such export"), (["export", "policies", "-f", "doc"], "--format doc"),
                          (["export", "policies", "-f", "xlsx", "-o", "-"], "binary format"),
                          (["export", "policies", "-o", str(tmp_path / "missing" / "x.csv")], "x.csv")]:
        result = runner.invoke(app, ["--db", db, *args])
        assert result.exit_code == 1 and message in result.output, (args, result.output)


def test_web_exports_every_kind(db: str) -> None:
    from fastapi.testclient import TestClient

    from policywatch.web.app import create_app

    client = TestClient(create_app(database.connect(db)))
    frame = pd.read_parquet(io.BytesIO(client.get("/api/v1/export/targets.parquet").content))
    assert len(frame) == len(expected_targets(db))
    sheet = pd.read_excel(io.BytesIO(client.get("/api/v1/export/people.xlsx").content))
    assert "person_en" in sheet.columns and len(sheet) >= 1
    assert "/api/v1/export/companies.xlsx" in client.get("/").text


def test_sqlite_views_for_browsing(db: str) -> None:
    from sqlalchemy import text

    with database.connect(db).connect() as connection:
        targets = connection.execute(text("SELECT count(*) FROM targets_view")).scalar_one()
        policies = connection.execute(text("SELECT count(*) FROM policies_view")).scalar_one()
        people = connection.execute(text("SELECT person_en FROM people_view")).scalars().all()
    assert targets == len(expected_targets(db)) and policies == len(listed(db)) and people
