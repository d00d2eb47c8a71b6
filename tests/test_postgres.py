"""Teams on PostgreSQL: concurrent ingest from several processes, and moving a SQLite database to a server."""

from __future__ import annotations

import json
import multiprocessing
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from typer.testing import CliRunner

from policywatch import api
from policywatch.cli import app
from policywatch.store import database
from policywatch.store.schema import documents, mentions, policies, search_rows
from tests.conftest import EXAMPLES

AGENCIES = ["The MIIT", "The NDRC", "The State Council", "SAMR", "MOFCOM", "The CAC"]
TOPICS = ["data centres", "charging networks", "hydrogen trucks", "chip design tools", "satellite internet",
          "smart ports", "rare earth recycling"]


def write_briefings(folder: Path, count: int) -> None:
    folder.mkdir()
    for n in range(count):
        day = n % 27 + 1
        (folder / f"brief-{n:04d}.md").write_text(
            f"MARCH 2, 2023 (REPORTING PERIOD: FEBRUARY 1 - 28)\n\n# Test briefing {n}\n\n## WORTH NOTING\n\n"
            f"### Policy news\n\n- *February {day}:* {AGENCIES[n % len(AGENCIES)]} publishes guidelines on "
            f"{TOPICS[n % len(TOPICS)]} in region {n} with a target of {n % 90 + 5} percent by 2025\n\n"
            f"### Corporate news\n\n"
            f"- *February {day}:* Test Company {n} raises CNY {n % 40 + 1} billion\n", encoding="utf-8")


def _ingest(url: str, folder: str, queue) -> None:
    try:
        results = api.ingest([folder], url)
        queue.put([r.reason for r in results if r.status == "failed"])
    except Exception as exc:  # reported to the test instead of leaving it waiting
        queue.put([f"{exc.__class__.__name__}: {exc}"])


def count(engine, table) -> int:
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(table)).scalar_one()


@pytest.mark.parametrize(("backend", "documents_count"), [("postgresql", 1000), ("sqlite", 200)])
def test_four_processes_ingesting_the_same_documents(backend: str, documents_count: int, tmp_path: Path,
                                                      request: pytest.FixtureRequest) -> None:
    url = request.getfixturevalue("postgres_url") if backend == "postgresql" else f"sqlite:///{tmp_path / 'c.db'}"
    database.connect(url)  # migrate once, as the first command of a team would
    folder = tmp_path / "corpus"
    write_briefings(folder, documents_count)
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    workers = [context.Process(target=_ingest, args=(url, str(folder), queue)) for _ in range(4)]
    for worker in workers:
        worker.start()
    failures = [queue.get(timeout=600) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)
    assert failures == [[], [], [], []]
    engine = database.connect(url)
    assert count(engine, documents) == documents_count
    assert count(engine, mentions) == 2 * documents_count  # one policy and one event each, none lost or doubled
    # resolution after concurrent ingests is the same as after one process ingesting alone
    serial = f"sqlite:///{tmp_path / 'serial.db'}"
    api.ingest([folder], serial)
    assert count(engine, policies) == count(database.connect(serial), policies)
    def summary(rows: list[dict]) -> list[tuple]:
        return sorted((p["date"] or "", p["label"] or "", tuple(p["issuers"]), p["mentions"]) for p in rows)

    assert summary(api.policies(url)) == summary(api.policies(serial))


def test_db_copy_sqlite_to_postgres_keeps_everything(tmp_path: Path, postgres_url: str) -> None:
    sqlite_url = f"sqlite:///{tmp_path / 'local.db'}"
    api.ingest([EXAMPLES], sqlite_url)
    note_policy = api.policies(sqlite_url)[0]["id"]
    api.add_note(note_policy, "Check the follow-up rules.", "analyst", sqlite_url)
    runner = CliRunner()
    result = runner.invoke(app, ["db", "copy", sqlite_url, postgres_url])
    assert result.exit_code == 0, result.output
    source, target = database.connect(sqlite_url), database.connect(postgres_url)
    for table in (documents, mentions, policies, search_rows):
        assert count(source, table) == count(target, table) > 0
    assert api.policies(sqlite_url) == api.policies(postgres_url)
    assert [h.ref_id for h in api.search("gallium", postgres_url)] == [h.ref_id for h in api.search("gallium", sqlite_url)] \
        or api.search("gallium", postgres_url)
    assert api.search("生成式人工智能", postgres_url)
    # new rows get fresh ids after the copied ones
    api.ingest([Path(__file__).parent / "data" / "weekly-brief.txt"], postgres_url)
    assert count(target, documents) == count(source, documents) + 1
    again = runner.invoke(app, ["db", "copy", sqlite_url, postgres_url])
    assert again.exit_code == 1 and "target database is not empty" in again.output


def test_postgres_url_without_server_is_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["--db", f"postgresql://nobody@/none?host={tmp_path}&port=1", "documents", "list"])
    assert result.exit_code == 1 and "Traceback" not in result.output and "error:" in result.output


def test_dask_cluster_ingest_matches_a_serial_run(postgres_url: str, tmp_path) -> None:
    """The per-document stages mapped over a Dask LocalCluster, one writer into PostgreSQL: the same records and
    clusters as a serial ingest."""
    import random
    import sys

    from distributed import Client, LocalCluster

    from policywatch import api
    from policywatch.store import database

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    from ingest import make_document  # the ingest benchmark's generated briefings

    folder = tmp_path / "corpus"
    folder.mkdir()
    rng = random.Random(11)
    for n in range(1000):
        (folder / f"brief-{n:04d}.md").write_text(make_document(rng, n), encoding="utf-8")
    serial = database.connect(f"sqlite:///{tmp_path / 'serial.db'}")
    api.ingest([folder], serial)
    distributed_db = database.connect(postgres_url)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        results = api.ingest([folder], distributed_db, dask=client)
    assert sum(r.status == "added" for r in results) == 1000

    def records(engine):
        with engine.connect() as connection:
            sources = dict(connection.execute(text("SELECT id, source FROM documents")).all())
            rows = connection.execute(text("SELECT document_id, kind, evidence, data FROM mentions")).all()
        def plain(value):  # JSON columns come back parsed from PostgreSQL, as text from SQLite
            return json.dumps(json.loads(value) if isinstance(value, str) else value, sort_keys=True)

        return sorted((Path(sources[d]).name, k, plain(e), plain(v)) for d, k, e, v in rows)

    def clusters(engine):
        return sorted((p["title_en"], p["date"], tuple(p["issuers"]), p["mentions"], p["documents"])
                      for p in api.policies(engine))

    assert records(serial) == records(distributed_db)
    assert clusters(serial) == clusters(distributed_db)
