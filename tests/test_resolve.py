"""Resolution on texts the team wrote: merge and no-merge rules, lifecycle relations, target history,
conflicts, manual merge and split kept across re-ingest, companies and people."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from policywatch import api
from policywatch.cli import app
from policywatch.errors import PolicywatchError
from policywatch.resolve import MentionRecord, dates_compatible, describe, group_companies, group_people, resolve
from policywatch.store import database
from tests.conftest import SHARED


@pytest.fixture
def db_url(backend_url: str) -> str:
    """This suite runs on SQLite and on PostgreSQL."""
    return backend_url


def record(i: int, doc: int, **data) -> MentionRecord:
    kind = data.pop("kind", "policy")
    return MentionRecord(i, f"doc{doc}:{i}:{kind}", doc, kind, data)


def clusters_of(resolution) -> list[list[int]]:
    return sorted(c.mention_ids for c in resolution.policies if c.mention_ids)


def test_same_chinese_title_merges_and_keeps_english_title() -> None:
    r = resolve([record(1, 1, title_en="Provisions on Algorithm Recommendations", issuers=["cac"], date="2022-01-04"),
                 record(2, 2, title_zh="《互联网信息服务算法推荐管理规定》", issuers=["cac"], date="2022-01-04"),
                 record(3, 3, title_en="Rules for algorithms", title_zh="互联网信息服务算法推荐管理规定", issuers=["cac"])])
    # 1 and 3 share a word of their English titles, which is not enough; 2 and 3 share the Chinese title
    assert clusters_of(r) == [[1], [2, 3]]
    merged = next(c for c in r.policies if 2 in c.mention_ids)
    assert merged.fields["title_en"] == "Rules for algorithms"


def test_fuzzy_english_titles_and_text_with_near_dates_merge() -> None:
    r = resolve([
        record(1, 1, title_en="Notice on Building Smart Ports along the Yangtze River", issuers=["miit"]),
        record(2, 2, title_en="Notice on building smart ports along the Yangtze river", issuers=["miit"]),
        record(3, 3, issuers=["miit"], date="2020-02-19",
               summary="notice on epidemic control and resumption of work supports internet platform companies"),
        record(4, 4, issuers=["miit"], date="2020-02-18",
               summary="MIIT announced support for internet platform companies in epidemic control and resumption of work"),
    ])
    assert clusters_of(r) == [[1, 2], [3, 4]]
    dated = next(c for c in r.policies if 3 in c.mention_ids)
    assert dated.conflicts and dated.conflicts[0]["field"] == "date"


@pytest.mark.parametrize(("second", "why"), [
    ({"issuers": ["ndrc"]}, "other issuer"),
    ({"issuers": ["miit"], "status": "draft"}, "a draft is not its final version"),
    ({"issuers": ["miit"], "date": "2021-06-01"}, "months apart"),
    ({"issuers": ["miit"], "period": [2018, 2020]}, "another edition"),
])
def test_gates_keep_different_policies_apart(second: dict, why: str) -> None:
    first = {"title_en": "Action Plan for the Industrial Internet (2021-2023)", "issuers": ["miit"], "status": "final",
             "date": "2021-01-13", "period": [2021, 2023]}
    r = resolve([record(1, 1, **first), record(2, 2, **{**first, **second})])
    assert clusters_of(r) == [[1], [2]], why


def test_mentions_in_one_document_are_not_merged() -> None:
    same = {"title_en": "Guidelines on Smart Mines", "issuers": ["ndrc"]}
    assert clusters_of(resolve([record(1, 1, **same), record(2, 1, **same)])) == [[1], [2]]


def test_borderline_pairs_go_to_review_not_merged() -> None:
    r = resolve([record(1, 1, issuers=["mot"], summary="plan on smart ports and digital shipping corridors in Tianjin "
                                                       "with new berths and customs systems"),
                 record(2, 2, issuers=["mot"], summary="smart ports digital pilot list for coastal provinces, rail "
                                                       "freight hubs and inland waterways")])
    assert clusters_of(r) == [[1], [2]]
    assert r.review and r.review[0][2] < 0.5


def test_manual_merge_and_split_override_the_rules() -> None:
    a = record(1, 1, issuers=["miit"], summary="one notice about robots")
    b = record(2, 2, issuers=["ndrc"], summary="a different text altogether")
    assert clusters_of(resolve([a, b], must_link={frozenset((a.key, b.key))})) == [[1, 2]]
    twins = [record(3, 3, title_en="Data Security Law", issuers=["npcsc"]),
             record(4, 4, title_en="Data Security Law", issuers=["npcsc"])]
    kept_apart = resolve(twins, cannot_link={frozenset((twins[0].key, twins[1].key))})
    assert clusters_of(kept_apart) == [[3], [4]]
    assert kept_apart.review and "kept apart by hand" in kept_apart.review[0][3]


def test_lifecycle_relations_and_implied_policies() -> None:
    r = resolve([
        record(1, 1, title_en="Interpretation of the Smart Port Action Plan (2024-2026)", issuers=["mot"],
               date="2024-02-01", relations=[{"type": "interprets", "title_en": "Smart Port Action Plan (2024-2026)"},
                                             {"type": "supersedes", "period": [2021, 2023]}]),
        record(2, 2, issuers=["samr"], date="2021-02-07", status="final",
               relations=[{"type": "final_of", "date": "2020-11-10", "status": "draft"}]),
        record(3, 3, issuers=["samr"], date="2020-11-10", status="draft", summary="draft guidelines on platforms"),
    ])
    links = {(link.type, link.from_key, link.to_key) for link in r.relations}
    by_key = {c.key: c for c in r.policies}
    interprets = next(link for link in r.relations if link.type == "interprets")
    plan = by_key[interprets.to_key]
    assert plan.implied and plan.fields["period"] == [2024, 2026]
    predecessor = by_key[next(link for link in r.relations if link.type == "supersedes").to_key]
    assert predecessor.fields["title_en"] == "Smart Port Action Plan (2021-2023)"
    assert ("final_of", "doc2:2:policy", "doc3:3:policy") in links  # the draft exists: linked, not implied


def test_editions_of_one_plan_link_and_target_history_follows_versions() -> None:
    r = resolve([
        record(1, 1, title_en="Robot Industry Plan (2016-2020)", issuers=["miit"], date="2016-04",
               targets=[{"value": 100000, "unit": "robots", "year": 2020}]),
        record(2, 2, title_en="Robot Industry Plan (2021-2025)", issuers=["miit"], date="2021-12-28",
               targets=[{"value": 20, "unit": "percent", "year": 2025}, {"value": 150000, "unit": "robots", "year": 2025}]),
    ])
    (link,) = r.relations
    assert link.type == "supersedes"
    from policywatch.resolve import target_history
    history = target_history(link.from_key, r.policies, r.relations)
    robots = [(h["value"], h["year"]) for h in history if h["unit"] == "robots"]
    assert robots == [(100000, 2020), (150000, 2025)]


def test_dates_compatible() -> None:
    assert dates_compatible("2021", "2021-02-07") and dates_compatible("2020-02-18", "2020-02-19")
    assert not dates_compatible("2020-02-01", "2020-03-01") and dates_compatible(None, "2020")


def test_labels_for_untitled_policies() -> None:
    assert describe("- *May 9:* The CAC issues the revised version of its rules on deep synthesis services, replacing "
                    "a draft from 2022") == "revised version of its rules on deep synthesis services"
    assert describe("- interim measures on drone registration | The MIIT released a policy") == \
        "interim measures on drone registration"


def test_companies_and_people_group_across_documents() -> None:
    companies = group_companies([record(1, 1, kind="event", companies=["Huawei Technologies Co., Ltd.", "SAIC Motor"]),
                                 record(2, 2, kind="event", companies=["Huawei"])])
    huawei = next(c for c in companies if c["key"] == "huawei")
    assert huawei["name"] == "Huawei" and huawei["mention_ids"] == [1, 2]
    people = group_people([record(1, 1, kind="personnel", person_en="Jin Zhuanglong", person_zh="金壮龙", change="appointed"),
                           record(2, 2, kind="personnel", person_en="Jin Zhuanglong", change="left")])
    assert len(people) == 1 and [c["change"] for c in people[0]["changes"]] == ["appointed", "left"]


@pytest.mark.skipif(not (SHARED / "corpus").is_dir(), reason="../shared/corpus is not beside the project")
def test_shared_corpus_lifecycle_and_reingest(db_url: str, tmp_path: Path) -> None:
    engine = database.connect(db_url)
    api.ingest([SHARED / "corpus"], engine)
    listed = api.policies(engine)
    notice = next(p for p in listed if p["title_en"] and "epidemic prevention" in p["title_en"])
    assert notice["documents"] == 3 and notice["issuers"] == ["miit"]
    samr = [p for p in listed if p["issuers"] == ["samr"]]
    assert sorted((p["date"], p["status"]) for p in samr) == [("2020-11-10", "draft"), ("2021-02-07", "final")]
    final = next(p for p in samr if p["status"] == "final")
    assert any(r["type"] == "final_of" for r in api.policy(final["id"], engine)["relations"])
    interpretation = next(p for p in listed if (p["title_en"] or "").startswith("Interpretation"))
    plan_id = next(r["policy_id"] for r in api.policy(interpretation["id"], engine)["relations"] if r["type"] == "interprets")
    plan = api.policy(plan_id, engine)
    assert plan["data"]["period"] == [2021, 2023]
    predecessor = next(r for r in plan["relations"] if r["type"] == "supersedes")
    assert api.policy(predecessor["policy_id"], engine)["data"]["period"] == [2018, 2020]
    # a manual merge survives re-ingest, which changes nothing else
    a, b = [p["id"] for p in listed if not p["implied"] and p["issuers"] == ["csrc"]][:2]
    merged = api.merge_policies(a, b, engine)
    before = api.policies(engine)
    api.ingest([SHARED / "corpus"], engine)
    api.resolve(engine)
    assert api.policies(engine) == before
    assert next(p for p in before if p["id"] == merged)["mentions"] == 2


def test_cli_policies_merge_split_errors(db_url: str) -> None:
    runner = CliRunner()
    data = Path(__file__).parent / "data"
    runner.invoke(app, ["--db", db_url, "ingest", str(data / "monthly-2022-01.md"), str(data / "weekly-brief.txt")])
    listed = json.loads(runner.invoke(app, ["--db", db_url, "policies", "list", "--json"]).stdout)
    ids = [p["id"] for p in listed if not p["implied"]]
    merged = runner.invoke(app, ["--db", db_url, "policies", "merge", str(ids[0]), str(ids[1])])
    assert merged.exit_code == 0, merged.output
    merged_id = int(merged.output.split()[-1])
    assert merged_id == ids[0]  # `policies merge A B` keeps A's id
    shown = json.loads(runner.invoke(app, ["--db", db_url, "policies", "show", str(merged_id), "--json"]).stdout)
    assert len(shown["sources"]) == 2 and shown["sources"][0]["evidence_text"][0]
    mention = shown["sources"][1]["mention_id"]
    split = runner.invoke(app, ["--db", db_url, "policies", "split", str(merged_id), "--mention", str(mention)])
    assert split.exit_code == 0, split.output
    again = json.loads(runner.invoke(app, ["--db", db_url, "policies", "show", str(merged_id), "--json"]).stdout)
    assert len(again["sources"]) == 1
    assert runner.invoke(app, ["--db", db_url, "policies", "show", "999"]).output.strip().endswith("not in the database")
    same = runner.invoke(app, ["--db", db_url, "policies", "merge", "1", "1"])
    assert same.exit_code == 1 and "itself" in same.output
    table = runner.invoke(app, ["--db", db_url, "policies", "list", "--issuer", "cac"])
    assert table.exit_code == 0 and "Algorithmic" in table.output
    with pytest.raises(PolicywatchError):
        api.split_policy(merged_id, 10**6, db_url)


SIMPLIFIED_COPY = """国务院关于印发《“十四五”数字经济发展规划》的通知
国发[2021]29号

各省级人民政府，国务院有关部门：
现将规划印发给你们，请抓好落实。（policywatch 团队编写的简体副本）

国务院
2021年12月12日
"""
NATIONAL_NOTICE = """工业和信息化部关于印发《“十四五”大数据产业发展规划》的通知
工信部规〔2021〕179号

各省、自治区工业和信息化主管部门：
现将规划印发给你们。（policywatch 团队编写的测试文本）

工业和信息化部
2021年11月15日
"""
FORWARDING_NOTICE = """浙江省经济和信息化厅关于转发《“十四五”大数据产业发展规划》的通知
浙经信〔2021〕3号

各市经信局：
现将《“十四五”大数据产业发展规划》（工信部规[2021]179号）转发给你们，请贯彻落实。

浙江省经济和信息化厅
2021年12月20日
"""
CHINESE_PLAN = """工业和信息化部等十部门关于印发《5G应用“扬帆”行动计划（2021-2023年）》的通知
工信部联通信〔2021〕77号

各省、自治区工业和信息化主管部门：
现将行动计划印发给你们。到2023年，5G个人用户普及率超过40%。（policywatch 团队编写）

工业和信息化部
2021年7月5日
"""
ENGLISH_REPORT = """Ten departments publish 5G plan

2021-07-13

BEIJING -- The Ministry of Industry and Information Technology on Monday published
the 5G Applications "Sailing" Action Plan (2021-2023) with nine other departments, the ministry said.
(Written by the policywatch team.)
"""


def test_primary_sources_resolve_by_number_script_and_language(tmp_path: Path, db_url: str) -> None:
    files = {"traditional.txt": (Path(__file__).parent / "data" / "primary" / "traditional-mirror.txt").read_text(),
             "simplified.txt": SIMPLIFIED_COPY, "national.txt": NATIONAL_NOTICE, "forwarding.txt": FORWARDING_NOTICE,
             "plan-zh.txt": CHINESE_PLAN, "plan-en.txt": ENGLISH_REPORT}
    for name, content in files.items():
        (tmp_path / name).write_text(content, encoding="utf-8")
    engine = database.connect(db_url)
    api.ingest([tmp_path], engine)
    listed = api.policies(engine)

    def sources(title: str) -> set[str]:
        (found,) = [p for p in listed if (p["title_zh"] or "").replace("數字經濟發展規劃", "数字经济发展规划") == title
                    or p["title_en"] == title]
        detail = api.policy(found["id"], engine)
        return {Path(s["source"]).name for s in detail["sources"]}

    # Traditional and Simplified copies, 〔〕 and [] in the number: one policy
    assert sources("“十四五”数字经济发展规划") == {"traditional.txt", "simplified.txt"}
    # the forwarded plan is the national plan, found by its number; the forwarding notice is a policy of its own
    assert sources("“十四五”大数据产业发展规划") == {"national.txt", "forwarding.txt"}
    plan = next(p for p in listed if p["title_zh"] == "“十四五”大数据产业发展规划")
    relations = api.policy(plan["id"], engine)["relations"]
    (forwarded,) = [r for r in relations if r["type"] == "forwarded_by"]
    assert api.policy(forwarded["policy_id"], engine)["issuers"] == ["zhejiang-miit"]
    # a Chinese notice and an English report of it: one policy
    chinese = next(p for p in listed if (p["title_zh"] or "").startswith("5G应用"))
    assert {Path(s["source"]).name for s in api.policy(chinese["id"], engine)["sources"]} == {"plan-zh.txt", "plan-en.txt"}


def test_merge_keeps_the_first_policys_id_either_way(db_url: str) -> None:
    engine = database.connect(db_url)
    api.ingest([Path(__file__).parent / "data" / "monthly-2022-01.md", Path(__file__).parent / "data" / "weekly-brief.txt"],
               engine)
    ids = [p["id"] for p in api.policies(engine) if not p["implied"]]
    later, earlier = max(ids), min(ids)
    assert api.merge_policies(later, earlier, engine) == later
    assert earlier not in {p["id"] for p in api.policies(engine)}


def test_a_documents_own_mentions_are_never_compared(monkeypatch: pytest.MonkeyPatch) -> None:
    # one sentence repeated through a text makes thousands of mentions sharing every block: comparing them in
    # pairs would cost the square of their number, and a document's own mentions never merge anyway
    from policywatch.resolve import clustering

    compared: list[tuple[str, str]] = []
    real_score = clustering.score

    def counting(a, b):  # type: ignore[no-untyped-def]
        compared.append((a.record.key, b.record.key))
        return real_score(a, b)

    monkeypatch.setattr(clustering, "score", counting)
    same = dict(title_en="Plan for Smart Factories", issuers=["miit"], date="2023-05-10",
                summary="MIIT will build 500 smart factories by 2025")
    repeated = [record(i, 1, **same) for i in range(1, 1501)]
    r = resolve([*repeated, record(2000, 2, **same)])
    # and the other document's mention meets only its neighbours in the blocks' rank order, not all 1,500
    assert 0 < len(compared) <= 2 * clustering.WINDOW
    assert all(a.startswith("doc1:") != b.startswith("doc1:") for a, b in compared)
    assert sorted(i for c in clusters_of(r) for i in c) == [*range(1, 1501), 2000]


def test_a_blocks_pairs_kept_batch_by_batch_are_the_pairs_of_the_whole_block() -> None:
    # the window's pairs of a block depend on everything in it: mentions added later come in between earlier ones
    # and push them apart; adding each batch's pairs and dropping the lost ones must give the whole block's pairs
    import random

    from policywatch.resolve.clustering import WINDOW, block_pairs, lost_pairs

    rng = random.Random(8)
    ranks = {i: ((bytes([rng.randrange(4)]),), "", bytes([i])) for i in range(120)}
    roles = {i: rng.choice("mmmip") for i in ranks}
    documents = {i: rng.randrange(40) for i in ranks}
    order = list(ranks)
    rng.shuffle(order)
    kept: set[tuple[int, int]] = set()
    stored: list[int] = []
    dropped = 0
    for start in range(0, len(order), 13):
        batch = order[start:start + 13]
        # indexes below `fresh` stand for the batch, as the store numbers them
        index = {m: k for k, m in enumerate(batch + stored)}
        back = {k: m for m, k in index.items()}
        entries = sorted((ranks[m], index[m], roles[m]) for m in batch + stored)
        document = [documents[back[k]] for k in range(len(index))]
        added = {tuple(sorted((back[a], back[b]))) for a, b in block_pairs(entries, document, len(batch))}
        lost = {tuple(sorted((back[a], back[b]))) for a, b in lost_pairs(entries, document, len(batch))}
        assert lost <= kept and not added & kept
        kept = (kept - lost) | added
        stored += batch
        dropped += len(lost)
    everyone = sorted((ranks[m], m, roles[m]) for m in ranks)
    whole = set(block_pairs(everyone, [documents[m] for m in range(len(ranks))]))
    assert dropped and kept == whole and len(whole) <= WINDOW * len(ranks)
