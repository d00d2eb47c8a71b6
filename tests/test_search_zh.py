"""Chinese search by words on a small library of regulations the team wrote: two-character queries, compound
words, Traditional queries, bilingual expansion, titles over bodies, grouping by document; SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from policywatch import api
from policywatch.cli import app
from policywatch.segmenter import index_words
from policywatch.store import database
from policywatch.store.search import Filters, reindex_all

# Titles are those of real regulations; the bodies are the team's own short summaries.
LIBRARY = {
    "network-data.txt": ("网络数据安全管理条例", "网络数据处理者应当建立健全管理制度，采取技术措施保障处理活动安全。"),
    "software.txt": ("计算机软件保护条例", "软件著作权人享有发表权、署名权和修改权，受本条例保护。"),
    "patent-agency.txt": ("专利代理条例", "专利代理机构应当依法执业，代理师不得同时在两个以上机构执业。"),
    "telecom.txt": ("中华人民共和国电信条例", "经营电信业务，应当取得经营许可证，遵守互联互通规定。"),
    "credit.txt": ("征信业管理条例", "征信机构采集个人信息应当经本人同意，并保障信息主体的权益。"),
    "infrastructure.txt": ("关键信息基础设施安全保护条例", "运营者应当在网络安全等级保护的基础上采取措施，保障设施运行。"),
    "maps.txt": ("地图管理条例", "编制地图应当执行国家有关标准，互联网地图服务单位应当加强数据保护。"),
    "layout-designs.txt": ("集成电路布图设计保护条例", "布图设计权利人享有复制权和商业利用权，保护期为十年。"),
    "dissemination.txt": ("信息网络传播权保护条例", "权利人享有的信息网络传播权受著作权法和本条例保护。"),
    "cryptography.txt": ("商用密码管理条例", "商用密码的科研、生产、销售、服务和进出口，适用本条例。"),
    "internet-services.txt": ("互联网信息服务管理办法", "从事经营性互联网信息服务，应当向主管部门申请许可。"),
    # a long text that mentions the searched words often, none of them in its title
    "science-progress.txt": ("科学技术进步促进条例", "国家支持数据开放共享，鼓励软件研发，完善专利制度。" * 12
                             + "数据资源、软件产业和专利转化是本条例支持的重点。" * 6),
}


@pytest.fixture
def db_url(backend_url: str) -> str:
    """This suite runs on SQLite and on PostgreSQL."""
    return backend_url


@pytest.fixture
def engine(db_url: str, tmp_path: Path):
    for name, (title, body) in LIBRARY.items():
        (tmp_path / name).write_text(f"{title}\n\n第一条　{body}\n", encoding="utf-8")
    # published as an order: its first line is the order's header, its title the regulation it promulgates
    (tmp_path / "drones.txt").write_text(
        "中华人民共和国国务院令\n第761号\n\n《无人驾驶航空器飞行管理暂行条例》已经国务院常务会议通过，现予公布，"
        "自2024年1月1日起施行。\n\n总理　某某\n2023年5月31日\n\n无人驾驶航空器飞行管理暂行条例\n\n"
        "第一条　为了规范飞行活动，制定本条例。\n", encoding="utf-8")
    (tmp_path / "english-note.txt").write_text(
        "Software makers welcomed the revised rules on software copyright registration.\n", encoding="utf-8")
    engine = database.connect(db_url)
    api.ingest([tmp_path], engine)
    return engine


def top_documents(engine, query: str, n: int = 5, **options) -> list[str]:
    hits = api.search(query, engine, Filters(kinds=["document"]), limit=n, group_by_document=True, **options)
    return [Path(h.source).name for h in hits]


@pytest.mark.parametrize(("query", "expected"), [
    ("数据", "network-data.txt"), ("软件", "software.txt"), ("专利", "patent-agency.txt"), ("电信", "telecom.txt"),
    ("征信", "credit.txt"), ("基础设施", "infrastructure.txt"), ("地图", "maps.txt"), ("布图设计", "layout-designs.txt"),
    ("传播权", "dissemination.txt"), ("密码", "cryptography.txt"), ("互联网信息", "internet-services.txt"),
    ("网络安全", "infrastructure.txt"), ("航空器", "drones.txt"),
])
def test_short_queries_find_the_regulation_first(engine, query: str, expected: str) -> None:
    # the document whose own title holds the word comes before the long text that only mentions it
    assert top_documents(engine, query, exact=True)[0] == expected


def test_compound_words_are_found_by_their_parts(engine) -> None:
    assert "network-data.txt" in top_documents(engine, "安全", n=10, exact=True)
    assert top_documents(engine, "数据 AND 安全", exact=True)[0] == "network-data.txt"
    assert "network-data.txt" not in top_documents(engine, "数据 NOT 安全", n=10, exact=True)


def test_traditional_query_finds_simplified_text(engine) -> None:
    assert top_documents(engine, "軟件", exact=True)[0] == "software.txt"
    assert top_documents(engine, "網絡數據", exact=True)[0] == "network-data.txt"


def test_english_query_finds_chinese_documents_marked_as_expanded(engine) -> None:
    hits = api.search("software", engine, Filters(kinds=["document"]), limit=10, group_by_document=True)
    by_source = {Path(h.source).name: h for h in hits}
    assert by_source["english-note.txt"].expanded is None
    assert by_source["software.txt"].expanded == "软件"
    exact = api.search("software", engine, Filters(kinds=["document"]), limit=10, exact=True)
    assert {Path(h.source).name for h in exact} == {"english-note.txt"}
    chinese = api.search("软件", engine, Filters(kinds=["document"]), limit=20, group_by_document=True)
    assert any(Path(h.source).name == "english-note.txt" and h.expanded for h in chinese)


def test_grouping_keeps_one_row_per_document(engine) -> None:
    grouped = api.search("专利", engine, limit=20, group_by_document=True, exact=True)
    assert len({h.document_id for h in grouped}) == len(grouped)
    every = api.search("专利", engine, limit=50, exact=True)
    assert len(every) > len(grouped)
    assert max(h.hits for h in grouped) > 1


def test_cli_group_by_exact_and_reindex_with_a_user_dictionary(db_url: str, engine, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["--db", db_url, "search", "软件", "--group-by", "document", "--kind", "document",
                                 "--exact", "--json"])
    assert result.exit_code == 0, result.output
    assert Path(json.loads(result.stdout)[0]["source"]).name == "software.txt"
    bad = runner.invoke(app, ["--db", db_url, "search", "软件", "--group-by", "month"])
    assert bad.exit_code == 1 and "--group-by month" in bad.output
    # a domain word the shipped dictionaries lack becomes one word after the user adds it and reindexes
    (tmp_path / "new.txt").write_text("数智融合示范条例\n\n第一条　推动数智融合发展。\n", encoding="utf-8")
    api.ingest([tmp_path / "new.txt"], engine)
    dictionary = tmp_path / "userdict.txt"
    dictionary.write_text("数智融合 1000 n\n", encoding="utf-8")
    monkeypatch.setenv("POLICYWATCH_USERDICT", str(dictionary))
    reindexed = runner.invoke(app, ["--db", db_url, "db", "reindex"])
    assert reindexed.exit_code == 0 and "documents reindexed" in reindexed.output
    assert top_documents(engine, "数智融合", exact=True)[0] == "new.txt"


def test_single_character_and_traditional_substrings_rank_titles_first(engine) -> None:
    assert set(top_documents(engine, "图", n=2, exact=True)) == {"maps.txt", "layout-designs.txt"}
    assert top_documents(engine, "圖", n=2, exact=True)[0] in {"maps.txt", "layout-designs.txt"}


def test_a_chinese_phrase_or_an_english_word_finds_rows_of_either_language(engine) -> None:
    # rows without Chinese are not in the trigram index: OR and NOT with an English term still find them
    either = top_documents(engine, '"网络数据" OR registration', n=10, exact=True)
    assert {"network-data.txt", "english-note.txt"} <= set(either)
    assert top_documents(engine, 'registration NOT "网络数据"', n=10, exact=True) == ["english-note.txt"]
    assert "english-note.txt" not in top_documents(engine, '"网络数据" AND registration', n=10, exact=True)


def test_the_trigram_index_holds_the_chinese_rows_through_a_reindex(db_url: str, engine) -> None:
    if not db_url.startswith("sqlite"):
        pytest.skip("PostgreSQL indexes trigrams with pg_trgm")
    from alembic import command

    with engine.begin() as connection:
        reindex_all(connection)
        # from before the trigram index left English rows out (all rows in it), and back
        command.downgrade(database._alembic_config(connection), "0010")
    database.upgrade(engine)
    with engine.connect() as connection:
        connection.exec_driver_sql("INSERT INTO search_tri(search_tri) VALUES ('integrity-check')")
        indexed = {r for (r,) in connection.exec_driver_sql(
            "SELECT rowid FROM search_tri WHERE search_tri MATCH '\"管理条例\" OR \"software\"'")}
        chinese = {r for (r,) in connection.exec_driver_sql(
            "SELECT id FROM search_rows WHERE instr(title || body, '管理条例') > 0")}
        english_only = {r for (r,) in connection.exec_driver_sql(
            "SELECT id FROM search_rows WHERE (title || body) LIKE '%software%' "
            "AND NOT (title || body) GLOB '*[\u3400-\u9fff]*'")}
    assert chinese and english_only
    assert chinese <= indexed and not english_only & indexed


def test_words_of_a_text_are_the_words_of_its_runs() -> None:
    # the word index cuts run by run (and remembers runs): a text's words are its sentences' words, in order
    first, second = "国务院印发新一代人工智能发展规划", "工信部：5G基站建设提速，㐀字也在"
    assert index_words(f"{first}。{second}") == f"{index_words(first)} {index_words(second)}"
    assert "人工智能" in index_words(first).split() and "5g" in index_words(second).split()
    assert "㐀" in index_words(second).split()
    assert index_words("Only English here.") == ""


def test_taiwan_usage_and_mainland_words_find_each_other(db_url: str, tmp_path: Path) -> None:
    # the first title is Taiwan's (資料 for data, 軟體 for software), the second the mainland's; bodies are ours
    taiwan = "個人資料保護法施行細則\n\n第一條　公務機關應採取適當之安全措施，維護資料安全，並定期更新軟體。\n"
    mainland = "中华人民共和国数据安全法\n\n第一条　数据处理者应当建立数据安全管理制度，定期检查软件。\n"
    (tmp_path / "taiwan.txt").write_text(taiwan, encoding="utf-8")
    (tmp_path / "mainland.txt").write_text(mainland, encoding="utf-8")
    engine = database.connect(db_url)
    api.ingest([tmp_path], engine)
    both = {"taiwan.txt", "mainland.txt"}
    assert set(top_documents(engine, "資料安全", exact=True)) == both
    assert set(top_documents(engine, "数据安全", exact=True)) == both
    assert set(top_documents(engine, "軟體", exact=True)) == both
    assert set(top_documents(engine, '"資料安全"', exact=True)) == both  # a quoted phrase, by substrings
    # a Traditional document's hits show its own characters, records included
    hits = [h for h in api.search("資料安全", engine, limit=20, exact=True) if Path(h.source).name == "taiwan.txt"]
    assert {h.kind for h in hits} >= {"document", "policy"}
    for hit in hits:
        shown = hit.snippet.replace("\x02", "").replace("\x03", "")
        assert all(part.strip() in " ".join(taiwan.split()) for part in shown.split("…")), hit
