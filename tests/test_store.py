"""Store: migrations on first use, idempotent ingest, one transaction per document."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, inspect, select

from policywatch import api
from policywatch.model import Item, Mention
from policywatch.read import read_bytes
from policywatch.store import database
from policywatch.store.schema import documents, items, mentions
from tests.conftest import CHINESE, ENGLISH, EXAMPLES


@pytest.fixture
def db_url(backend_url: str) -> str:
    """This suite runs on SQLite and on PostgreSQL."""
    return backend_url


def count(engine, table) -> int:
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(table)).scalar_one()


def test_first_use_creates_schema_in_wal_mode(db_url: str) -> None:
    engine = database.connect(db_url)
    assert {"documents", "items", "mentions", "alembic_version"} <= set(inspect(engine).get_table_names())
    if engine.dialect.name == "sqlite":
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_ingesting_examples_twice_keeps_one_copy_each(db_url: str, tmp_path: Path) -> None:
    first = api.ingest([EXAMPLES], db_url)
    engine = database.connect(db_url)
    stored = count(engine, documents)
    assert stored == sum(r.status == "added" for r in first) >= 5
    # the same bytes under another name are still the same document
    copy = tmp_path / "copy.md"
    shutil.copy(EXAMPLES / "briefing-2023-07.md", copy)
    second = api.ingest([EXAMPLES, copy], db_url)
    assert {r.status for r in second} == {"present"}
    assert count(engine, documents) == stored


def test_corrupt_file_is_reported_and_the_rest_stored(db_url: str, tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(ENGLISH, encoding="utf-8")
    (tmp_path / "bad.pdf").write_bytes(b"%PDF-1.7\ntruncated")
    results = {Path(r.source).name: r for r in api.ingest([tmp_path], db_url)}
    assert results["good.txt"].status == "added"
    assert results["bad.pdf"].status == "failed" and "corrupt PDF" in results["bad.pdf"].reason
    assert count(database.connect(db_url), documents) == 1


def test_failed_write_leaves_no_half_document(db_url: str) -> None:
    engine = database.connect(db_url)
    doc = read_bytes(ENGLISH.encode(), "a.txt")
    good = Item(start=0, end=10)
    bad_mention = Mention(kind="policy", evidence=[(0, 5)])
    # an item index that does not exist makes the write fail half-way through
    with pytest.raises(IndexError):
        database.save_document(engine, doc, "generic", [good], [(3, bad_mention)])
    assert count(engine, documents) == count(engine, items) == count(engine, mentions) == 0
    assert database.save_document(engine, doc, "generic", [good], [(0, bad_mention)]).added


def test_glob_and_missing_paths(db_url: str) -> None:
    results = api.ingest([str(EXAMPLES / "*.md"), str(EXAMPLES / "absent.txt")], db_url)
    assert [r.status for r in results] == ["failed", "added"]
    assert results[0].reason == "no such file or folder"


def test_bad_database_url_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(database.PolicywatchError, match="not a database URL"):
        database.connect("not a url://")
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    with pytest.raises(database.PolicywatchError, match="cannot create the folder"):
        database.connect(str(blocker / "sub" / "x.db"))


def test_parallel_ingest_gives_the_same_records_as_serial(tmp_path) -> None:
    from policywatch import api
    from policywatch.store import database
    from tests.conftest import EXAMPLES

    serial = database.connect(f"sqlite:///{tmp_path / 'serial.db'}")
    parallel = database.connect(f"sqlite:///{tmp_path / 'parallel.db'}")
    api.ingest([EXAMPLES, tmp_path / "missing.txt"], serial)
    results = api.ingest([EXAMPLES, tmp_path / "missing.txt"], parallel, workers=2)
    assert [r.status for r in results].count("failed") == 1  # the missing file, reported, the rest stored
    assert [(p["title_en"], p["title_zh"], p["date"]) for p in api.policies(serial)] == \
        [(p["title_en"], p["title_zh"], p["date"]) for p in api.policies(parallel)]
    again = api.ingest([EXAMPLES], parallel, workers=2)
    assert {r.status for r in again} == {"present"}


def test_the_writer_looks_up_the_words_its_analysis_cut(db_url: str, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from policywatch.stage import read_and_analyse
    from policywatch.store import rows
    from policywatch.store.schema import search_rows

    source = tmp_path / "notice.txt"
    source.write_text(CHINESE + "\n一、加快建设5G全连接工厂，推动工业互联网平台应用。\n", encoding="utf-8")
    expected = database.connect(f"sqlite:///{tmp_path / 'serial.db'}")
    api.ingest([source], expected)
    analysed = read_and_analyse(source)
    assert not isinstance(analysed, api.IngestResult) and analysed[1].words
    (tmp_path / "english.txt").write_text(ENGLISH, encoding="utf-8")
    english = read_and_analyse(tmp_path / "english.txt")
    assert not isinstance(english, api.IngestResult) and english[1].words == {}  # nothing to cut

    def refuse(text: str) -> str:
        raise AssertionError(f"the writer cut {text[:20]!r} again")

    monkeypatch.setattr(rows, "index_words", refuse)
    engine = database.connect(db_url)
    assert api.store(engine, analysed).status == "added"

    def words(engine) -> list[tuple[str, str, str]]:
        with engine.connect() as connection:
            return [tuple(r) for r in connection.execute(select(search_rows.c.kind, search_rows.c.title_words,
                                                                search_rows.c.body_words).order_by(search_rows.c.id))]

    assert words(engine) == words(expected) and any(body for _, _, body in words(engine))
