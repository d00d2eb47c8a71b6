"""Incremental resolution: documents ingested in random batches give the policies, relations and review pairs of one
full resolution, on SQLite and PostgreSQL; manual decisions resolve only what they touch and agree with a full run."""

from __future__ import annotations

import random
from collections import defaultdict
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from policywatch import api
from policywatch.resolve import resolve
from policywatch.resolve.clustering import MentionRecord, Prepared, scored_pairs
from policywatch.store import database
from policywatch.store.schema import mentions, policies, policy_mentions, policy_relations
from tests.conftest import EXAMPLES, SHARED

pytestmark = pytest.mark.skipif(not (SHARED / "primary").is_dir(), reason="../shared is not beside the project")


@pytest.fixture
def db_url(backend_url: str) -> str:
    return backend_url


def library() -> list[Path]:
    """Briefings, a report, primary sources and the bundled examples: every layout, both languages."""
    files = sorted((SHARED / "corpus").glob("*.txt")) + sorted((SHARED / "primary").glob("*.txt"))
    return files + sorted(p for p in EXAMPLES.iterdir() if p.suffix in (".md", ".txt", ".html", ".docx"))


def snapshot(engine: Engine) -> dict:
    """Everything resolution decides, by stable keys (ids differ between databases)."""
    with engine.connect() as connection:
        key_of = dict(connection.execute(select(mentions.c.id, mentions.c.key)).all())
        rows = {r.id: r for r in connection.execute(select(policies))}
        members: dict[int, set[str]] = defaultdict(set)
        for mention_id, policy_id in connection.execute(select(policy_mentions.c.mention_id,
                                                               policy_mentions.c.policy_id)):
            members[policy_id].add(key_of[mention_id])
        relations = sorted((rows[r.from_policy_id].key, rows[r.to_policy_id].key, r.type, key_of.get(r.mention_id))
                           for r in connection.execute(select(policy_relations)))
    found = {r.key: (frozenset(members[pid]), r.implied, r.title_en, r.title_zh, r.status, r.date, r.stem,
                     tuple(r.issuers), len(r.data.get("targets", []))) for pid, r in rows.items()}
    review = sorted((rows[p["policy_a"]].key, rows[p["policy_b"]].key, p["score"]) for p in api.review(engine))
    return {"policies": found, "relations": relations, "review": review}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_batches_resolve_as_one_full_run(seed: int, db_url: str, tmp_path: Path) -> None:
    files = library()
    random.Random(seed).shuffle(files)
    batched = database.connect(db_url)
    cut = sorted(random.Random(seed).sample(range(1, len(files)), 3))
    for start, end in zip([0, *cut], [*cut, len(files)], strict=True):
        results = api.ingest(files[start:end], batched)
        assert all(r.status == "added" for r in results), [r.reason for r in results if r.status != "added"]
    incremental = snapshot(batched)
    whole = database.connect(f"sqlite:///{tmp_path / 'whole.db'}")
    api.ingest(sorted(files), whole)
    assert snapshot(whole) == incremental
    api.resolve(batched, full=True)
    assert snapshot(batched) == incremental
    assert any(len(members) > 1 for members, *_ in incremental["policies"].values())
    assert {"final_of", "supersedes", "forwarded_by"} <= {r[2] for r in incremental["relations"]}


def test_store_agrees_with_resolving_the_records_in_memory(db_url: str) -> None:
    engine = database.connect(db_url)
    api.ingest(library(), engine)
    with engine.connect() as connection:
        records = [MentionRecord(r.id, r.key, r.document_id, r.kind, {**r.data, "issuers": r.issuers})
                   for r in connection.execute(select(mentions).where(mentions.c.kind == "policy"))]
    expected = resolve(records)
    stored = snapshot(engine)
    assert {c.key: frozenset(k for r in records if r.id in c.mention_ids for k in [r.key])
            for c in expected.policies} == {key: found[0] for key, found in stored["policies"].items()}
    key_of = {r.id: r.key for r in records}
    assert sorted((link.from_key, link.to_key, link.type, key_of.get(link.mention_id))
                  for link in expected.relations) == stored["relations"]


def test_manual_decisions_touch_only_their_policies_and_survive_a_full_run(db_url: str) -> None:
    engine = database.connect(db_url)
    api.ingest(library(), engine)
    listed = [p for p in api.policies(engine) if not p["implied"]]
    single = [p for p in listed if p["mentions"] == 1]
    first, second = single[0]["id"], single[-1]["id"]
    merged = api.merge_policies(first, second, engine)
    assert merged == first
    several = next(p for p in api.policies(engine) if p["mentions"] > 1 and p["id"] != merged)
    mention = api.policy(several["id"], engine)["sources"][-1]["mention_id"]
    api.split_policy(several["id"], mention, engine)
    after_decisions = snapshot(engine)
    api.resolve(engine, full=True)
    assert snapshot(engine) == after_decisions
    assert api.policy(merged, engine)["id"] == first


def test_blocks_find_the_pairs_that_matter_across_date_precisions() -> None:
    def record(i: int, **data: object) -> MentionRecord:
        return MentionRecord(i, f"doc{i}:0:policy", i, "policy", dict(data))

    title = "Measures on the Administration of Drone Flight Zones"
    found = scored_pairs([Prepared.of(r) for r in [
        record(1, title_en=title, issuers=["caac"], date="2024-03-05"),
        record(2, title_en=title, issuers=["caac"], date="2024-03"),     # a month meets the full dates inside it
        record(3, title_en=title, issuers=["caac"]),                     # an undated title meets every dated one
        record(4, title_en=title, issuers=["caac"], date="2023-12-30"),
        record(7, title_en=title, issuers=["caac"], date="2024-01-02"),  # another year, but three days later
        record(5, title_zh="工业互联网创新发展行动计划", date="2021-01-13"),
        record(6, title_en="Industrial Internet Innovation and Development Action Plan", date="2021-01-15"),
    ]])
    pairs = {(a, b) for a, b, *_ in found}
    assert {("doc1:0:policy", "doc2:0:policy"), ("doc1:0:policy", "doc3:0:policy"),
            ("doc2:0:policy", "doc3:0:policy"), ("doc4:0:policy", "doc7:0:policy")} <= pairs
    assert ("doc1:0:policy", "doc4:0:policy") not in pairs  # the dates, two months apart, fail the gate
    assert ("doc5:0:policy", "doc6:0:policy") in pairs  # the Chinese title's terms rendered in English


def test_upgrade_keeps_policy_ids_and_resolves_in_full(db_url: str) -> None:
    from alembic import command

    engine = database.connect(db_url)
    api.ingest(library()[:6], engine)
    before = snapshot(engine)
    ids = {p["key"]: p["id"] for p in api.policies(engine)}
    with engine.begin() as connection:
        command.downgrade(database._alembic_config(connection), "0009")
    database.upgrade(engine)
    api.ingest(library()[6:], engine)  # the first resolution after the upgrade is a full one
    assert {p["key"]: p["id"] for p in api.policies(engine) if p["key"] in ids} == \
        {key: pid for key, pid in ids.items() if key in {p["key"] for p in api.policies(engine)}}
    whole = snapshot(engine)
    api.resolve(engine, full=True)
    assert snapshot(engine) == whole and set(before["policies"]) & set(whole["policies"])


def test_cli_resolve_new_and_all(db_url: str) -> None:
    from typer.testing import CliRunner

    from policywatch.cli import app

    runner = CliRunner()
    nothing = runner.invoke(app, ["--db", db_url, "resolve"])
    assert nothing.exit_code == 0 and "0 policy mentions" in nothing.output
    runner.invoke(app, ["--db", db_url, "ingest", str(EXAMPLES)])
    again = runner.invoke(app, ["--db", db_url, "resolve"])
    assert again.exit_code == 0 and "0 policy mentions" in again.output  # ingest resolved them already
    full = runner.invoke(app, ["--db", db_url, "resolve", "--all"])
    policies_count = len(api.policies(db_url, include_implied=False))
    assert full.exit_code == 0 and "(full resolution)" in full.output and f"into {policies_count} policies" in full.output


def test_a_new_document_resolves_only_what_it_touches(db_url: str, tmp_path: Path) -> None:
    from policywatch.stage import read_and_analyse

    engine = database.connect(db_url)
    api.ingest(library(), engine)
    with engine.connect() as connection:
        stored = len(connection.execute(select(mentions.c.id).where(mentions.c.kind == "policy")).all())
    note = tmp_path / "note.md"
    note.write_text("# Weekly note\n\n- *March 4, 2024:* The MIIT issued guidelines on humanoid robot standards "
                    "covering joint modules, dexterous hands and safety testing.\n", encoding="utf-8")
    assert api.store(engine, read_and_analyse(note)).status == "added"
    counts = api.resolve(engine)
    assert 1 <= counts["mentions"] < stored / 10
    assert api.resolve(engine) == {"mentions": 0, "policies": 0}  # nothing new: nothing done


def test_companies_and_people_are_grouped_when_asked(db_url: str) -> None:
    from typer.testing import CliRunner

    from policywatch.cli import app

    engine = database.connect(db_url)
    api.ingest(library(), engine)
    companies = api.entities("company", engine)
    with engine.connect() as connection:
        kinds = dict(connection.execute(select(mentions.c.id, mentions.c.kind)).all())
    assert companies and len({c["key"] for c in companies}) == len(companies)
    assert all(kinds[m] != "policy" for c in companies for m in c["mention_ids"])
    assert [c["name"] for c in companies] == sorted(c["name"] for c in companies)
    people = api.entities("person", engine)
    assert people and all(p["changes"] and kinds[p["changes"][0]["mention_id"]] == "personnel" for p in people)
    printed = CliRunner().invoke(app, ["--db", db_url, "companies", "--json"])
    assert printed.exit_code == 0 and '"aliases"' in printed.output


def lookalikes(folder: Path, count: int) -> list[Path]:
    """Notices of one issuer in one month whose bullets differ in a word or a figure: every mention shares its blocks
    with dozens of others. Some give only the month, so they probe the month's full dates."""
    rng = random.Random(4)
    subjects = ["robot safety standards", "battery recycling pilots", "computing power hubs", "5G factory upgrades"]
    folder.mkdir()
    files = []
    for n in range(count):
        lines = [f"# Circular digest {n}", ""]
        for _ in range(4):
            when = "In March" if rng.random() < 0.1 else f"*March {rng.randint(1, 28)}:*"
            lines.append(f"- {when} MIIT issues a notice on {rng.choice(subjects)} in {rng.choice(['Hubei', 'Hunan'])} "
                         f"with a target of {rng.randint(5, 90)} percent by 2027")
        files.append(folder / f"digest-{n:03d}.md")
        files[-1].write_text("MARCH 30, 2024\n\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return files


def stored_pairs(engine: Engine) -> set[tuple[str, str, float]]:
    from policywatch.store.schema import mention_pairs

    with engine.connect() as connection:
        key_of = dict(connection.execute(select(mentions.c.id, mentions.c.key)).all())
        return {(*sorted((key_of[a], key_of[b])), score) for a, b, score in connection.execute(
            select(mention_pairs.c.mention_a, mention_pairs.c.mention_b, mention_pairs.c.score))}


@pytest.mark.parametrize("seed", [1, 2])
def test_lookalikes_in_large_blocks_resolve_incrementally_as_one_full_run(
        seed: int, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # a small window, so that thirty notices make blocks many times larger than it: each batch's mentions come in
    # between stored ones and push some of their pairs out of the window, which must then be dropped
    from policywatch.resolve import clustering
    from policywatch.store import resolution

    monkeypatch.setattr(clustering, "WINDOW", 3)
    candidates: list[int] = []
    loosened = resolution._loosened

    def spying(connection, blocks, lost):  # type: ignore[no-untyped-def]
        candidates.append(len(lost))
        return loosened(connection, blocks, lost)

    monkeypatch.setattr(resolution, "_loosened", spying)
    files = lookalikes(tmp_path / "notices", 30)
    whole = database.connect(f"sqlite:///{tmp_path / 'whole.db'}")
    api.ingest(files, whole)
    random.Random(seed).shuffle(files)
    batched = database.connect(db_url)
    for start in range(0, len(files), 4):
        api.ingest(files[start:start + 4], batched)
    assert sum(candidates) > 0  # the window did push pairs apart
    assert stored_pairs(batched) == stored_pairs(whole)
    assert snapshot(batched) == snapshot(whole)
    pairs = stored_pairs(whole)
    mentioned = {key for a, b, _ in pairs for key in (a, b)}
    assert len(pairs) <= 2 * clustering.WINDOW * len(mentioned)  # bounded: not every look-alike with every other
