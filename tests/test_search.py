"""Search: English with stemming, Chinese through trigrams, operators, filters, snippets, clear errors."""

from __future__ import annotations

import json

import pytest
from alembic import command
from sqlalchemy import text
from typer.testing import CliRunner

from policywatch import api
from policywatch.cli import app
from policywatch.errors import PolicywatchError
from policywatch.store import database
from policywatch.store.search import SNIPPET_OPEN, Filters
from tests.conftest import EXAMPLES
from tests.test_extract_documents import DATA


@pytest.fixture
def db_url(backend_url: str) -> str:
    """This suite runs on SQLite and on PostgreSQL."""
    return backend_url


@pytest.fixture
def engine(db_url: str):
    engine = database.connect(db_url)
    api.ingest([EXAMPLES, DATA], engine)
    return engine


def texts(engine, hits) -> list[str]:
    with engine.connect() as connection:
        docs = dict(connection.execute(text("SELECT id, text FROM documents")).all())
    return [docs[h.document_id][h.start:h.end] for h in hits]


def test_chinese_query_finds_the_notice(engine) -> None:
    hits = api.search("智能网联汽车", engine)
    assert hits and all("智能网联汽车" in t for t in texts(engine, hits))
    assert {h.kind for h in hits} >= {"policy", "document"}
    assert SNIPPET_OPEN + "智能网联汽车" in hits[0].snippet or "智能网联汽车" in hits[0].title


def test_two_character_chinese_words_and_or(engine) -> None:
    both = api.search("试点 OR 算法", engine, Filters(kinds=["document"]))
    sources = {h.source.rsplit("/", 1)[-1] for h in both}
    assert "notice-icv-gb18030.txt" in sources and "monthly-2022-01.md" in sources
    only = api.search("试点 NOT 算法", engine, Filters(kinds=["document"]))
    assert {h.source.rsplit("/", 1)[-1] for h in only} == {"notice-icv-gb18030.txt"}


def test_english_stemming_phrases_prefixes_and_not(engine) -> None:
    stemmed = api.search("regulate algorithm", engine, Filters(kinds=["policy"]))
    assert any("Algorithmic" in h.title for h in stemmed)
    phrase = api.search('"export control"', engine, Filters(kinds=["item"]))
    assert phrase and all("export control" in t.lower() for t in texts(engine, phrase))
    prefix = api.search("germ*", engine, Filters(kinds=["item"]))
    assert any("Germanium" in t for t in texts(engine, prefix))
    without = api.search("gallium NOT germanium", engine)
    assert all("germanium" not in t.lower() for t in texts(engine, without))


def test_odd_characters_are_read_as_phrases(engine) -> None:
    assert api.search("R&D", engine)
    assert api.search("self-driving OR ride-hailing", engine) is not None


def test_filters_issuer_status_technology_dates_document(engine) -> None:
    miit = api.search("plan OR rules OR measures", engine, Filters(kinds=["policy"], issuer="miit"))
    assert miit and all("miit" in h.issuers for h in miit)
    drafts = api.search("plan", engine, Filters(status="draft", kinds=["policy"]))
    assert drafts and all(h.status == "draft" for h in drafts)
    december = api.search("plan OR lists", engine, Filters(kinds=["policy"], date_from="2021-12", date_to="2021-12"))
    assert december and all(h.date.startswith("2021-12") for h in december)
    robots = api.search("robot*", engine, Filters(technology="robotics", kinds=["policy"]))
    assert robots
    first = miit[0].document_id
    assert all(h.document_id == first for h in api.search("plan", engine, Filters(document_id=first)))


def test_ranking_prefers_titles(engine) -> None:
    # both rows hold these words in their text; only the policy has them in its title
    hits = api.search("provisions management", engine, Filters(kinds=["policy", "item"]), limit=2)
    assert [h.kind for h in hits] == ["policy", "item"]


def test_bad_queries_are_clear_errors(engine) -> None:
    with pytest.raises(PolicywatchError, match="cannot read the query"):
        api.search("AND OR (", engine)
    with pytest.raises(PolicywatchError, match="empty search query"):
        api.search("  ", engine)
    with pytest.raises(PolicywatchError, match="unknown kind"):
        api.search("plan", engine, Filters(kinds=["tweet"]))


def test_paging(engine) -> None:
    everything = api.search("the", engine, limit=50)
    page_two = api.search("the", engine, limit=5, offset=5)
    assert [h.ref_id for h in page_two] == [h.ref_id for h in everything[5:10]]


def test_upgrade_indexes_documents_stored_before_search_existed(db_url: str) -> None:
    engine = database.connect(db_url, migrate=False)
    with engine.begin() as connection:
        cfg = database._alembic_config(connection)
        command.upgrade(cfg, "0001")
        connection.execute(text("INSERT INTO documents (sha256, source, format, language, pages, text, ingested_at) "
                                "VALUES ('x', 'old.txt', 'txt', 'en', '[]', 'An old note on quantum computing.', "
                                "'2024-01-01')"))
    database.upgrade(engine)
    assert [h.source for h in api.search("quantum", engine)] == ["old.txt"]


def test_cli_search_json_and_errors(db_url: str) -> None:
    runner = CliRunner()
    runner.invoke(app, ["--db", db_url, "ingest", str(EXAMPLES)])
    result = runner.invoke(app, ["--db", db_url, "search", "gallium", "--json", "--kind", "policy"])
    assert result.exit_code == 0, result.output
    hits = json.loads(result.stdout)
    assert hits and hits[0]["kind"] == "policy" and SNIPPET_OPEN not in hits[0]["snippet"]
    bad = runner.invoke(app, ["--db", db_url, "search", "NOT"])
    assert bad.exit_code == 1 and "cannot read the query" in bad.output
    table = runner.invoke(app, ["--db", db_url, "search", "生成式人工智能"])
    assert table.exit_code == 0 and "生成式人工智能" in table.output


def test_snippets_and_titles_are_cut_at_word_boundaries() -> None:
    from policywatch.shorten import clip_edges, shorten

    assert shorten("Guidelines on the standardisation of humanoid robots", 30) == "Guidelines on the…"
    assert shorten("关于推进人形机器人创新发展的指导意见", 10) == "关于推进人形机器人…"
    assert clip_edges("dardisation of robots and their parts", True, True) == "…of robots and their…"
    assert clip_edges("The plan covers robots", False, False) == "The plan covers robots"


def test_a_policy_hit_is_named_as_its_policy_is_listed(engine) -> None:
    # a news item that describes a policy without quoting its title: the hit shows the policy's label
    labels = {p["id"]: p["label"] for p in api.policies(engine)}
    hits = api.search("standards OR measures OR draft", engine, Filters(kinds=["policy"]), limit=50, exact=True)
    with engine.connect() as connection:
        policy_of = dict(connection.execute(text("SELECT mention_id, policy_id FROM policy_mentions")).all())
    named = [h for h in hits if labels.get(policy_of.get(h.ref_id))]
    assert named and all(h.title.strip() for h in named)
    assert any(h.title == labels[policy_of[h.ref_id]] for h in named)
