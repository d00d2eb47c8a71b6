"""Primary sources: Chinese official documents, orders, laws, English wire reports; one test per family and rule,
on documents the team wrote (tests/data/primary), and the shared primary gold set."""

from __future__ import annotations

from pathlib import Path

import pytest

from policywatch import api
from policywatch.extract.localities import find_local_bodies
from policywatch.extract.targets_zh import find_targets_zh
from policywatch.registry import agency
from tests.conftest import SHARED

PRIMARY = Path(__file__).parent / "data" / "primary"


def records(name: str):
    doc, analysis = api.extract(PRIMARY / name)
    return doc.text, analysis.layout, [m for _, m in analysis.mentions]


def goals(mention) -> list[tuple]:
    return [(t.value, t.value_max, t.year) for t in mention.targets]


def test_joint_notice_transmitting_a_plan() -> None:
    text, layout, found = records("joint-plan-notice.txt")
    assert layout == "official"
    plan = found[0]
    assert plan.title_zh == "“十四五”智能制造发展规划"  # 关于印发《X》的通知 over two lines names X
    assert plan.doc_number == "工信部联规[2021]207号"
    assert plan.issuers == ["miit", "ndrc", "moe", "most"]  # the header's bodies, not the addressees
    assert (plan.date, plan.status, plan.period, plan.instrument) == ("2021-12-21", "final", (2021, 2025), "plan")
    # goals listed under a heading that states their year take that year; a deadline with no number is null
    assert goals(plan) == [(70, None, 2025), (500, None, 2025), (70, None, 2025), (50, None, 2025), (150, None, 2025),
                           (200, None, 2025), (None, None, 2035)]
    (repealed,) = [r for r in plan.relations if r.type == "repeals"]
    assert repealed.title_zh == "智能制造发展规划（2016-2020年）"
    assert "十四五" in text[plan.evidence[0][0]:plan.evidence[0][1]]


def test_provincial_web_copy_with_page_furniture() -> None:
    _, layout, found = records("provincial-notice.txt")
    assert layout == "official"
    (plan,) = found
    assert plan.issuers == ["zhejiang-miit"] and plan.level == "provincial"  # 省经济和信息化厅 + the signature's province
    assert (plan.date, plan.date_effective) == ("2022-06-06", "2022-06-06")  # 成文日期, not the page's date; 自印发之日起
    assert plan.title_zh == "浙江省集成电路产业链提升行动方案（2022-2025年）"
    # 营业收入超10亿元的企业 names the scope of the goal; the award is money granted, not a goal
    assert goals(plan) == [(2.5e11, None, 2025), (20, None, 2025), (3, 5, 2025)]
    assert [(a.value, a.currency) for a in plan.amounts] == [(5e7, "CNY")]


def test_municipal_general_office_is_the_government() -> None:
    _, _, (opinions,) = records("municipal-opinions.txt")
    assert opinions.title_zh == "深圳市人民政府办公厅关于加快发展低空经济的实施意见"  # an opinion keeps its own title
    assert opinions.issuers == ["shenzhen-government"] and opinions.level == "municipal"
    assert goals(opinions) == [(1e11, None, 2026), (1000, None, 2026)]


def test_draft_for_comment() -> None:
    _, _, (draft,) = records("draft-comment-notice.txt")
    assert draft.title_zh == "个人信息出境认证办法（征求意见稿）"
    assert (draft.status, draft.issuers, draft.date, draft.instrument) == ("draft", ["cac"], "2025-01-03", "measures")
    assert draft.comment_deadline == "2025-02-03"


def test_joint_order_promulgating_provisions() -> None:
    _, _, found = records("cac-order.txt")
    provisions = found[0]
    assert provisions.title_zh == "互联网信息服务算法推荐管理规定"
    assert provisions.doc_number.endswith("国家市场监督管理总局令第9号")
    assert provisions.issuers == ["cac", "miit", "mps", "samr"]
    assert (provisions.date, provisions.date_effective, provisions.instrument) == ("2021-12-31", "2022-03-01", "provisions")
    assert [r.title_zh for r in provisions.relations if r.type == "repeals"] == ["互联网信息服务算法推荐管理暂行规定"]
    # laws named as the legal basis are records of their own, with their titles only
    assert [m.title_zh for m in found[1:]] == ["中华人民共和国电子商务法", "中华人民共和国反不正当竞争法"]


def test_damaged_copy_keeps_its_number_and_title() -> None:
    _, layout, (policy,) = records("damaged-web-copy.txt")
    assert layout == "official"
    assert policy.doc_number == "国发〔2020〕8"  # the 号 was lost in copying
    assert policy.title_zh == "新时期促进集成电路产业和软件产业高质量发展若干政策"
    assert (policy.issuers, policy.date) == (["state-council"], "2020-07-27")


def test_metadata_table_with_values_on_the_next_line() -> None:
    _, _, (plan,) = records("metadata-next-line.txt")
    assert plan.title_zh == "新能源汽车产业发展规划（2021—2035年）"
    assert (plan.doc_number, plan.date, plan.issuers) == ("国办发〔2020〕39号", "2020-10-20", ["state-council"])
    assert [(t.value, t.year, t.comparator) for t in plan.targets] == [(20, 2025, "≈")]


def test_regulation_with_adoption_note() -> None:
    _, layout, found = records("regulation-with-note.txt")
    assert layout == "law"
    regulation = found[0]
    assert regulation.title_zh == "关键信息基础设施安全保护条例"
    assert regulation.doc_number == "中华人民共和国国务院令第745号"
    # the version is the one promulgated by the order; the adoption by the executive meeting is its earlier step
    assert (regulation.issuers, regulation.date, regulation.date_effective) == (["state-council"], "2021-07-30", "2021-09-01")
    assert [(v.step, v.date, v.issuers) for v in regulation.versions] == [("通过", "2021-04-27", ["state-council"])]
    assert regulation.instrument == "regulation"


def test_traditional_copy_keeps_its_characters() -> None:
    _, layout, (plan,) = records("traditional-mirror.txt")
    assert layout == "official"
    assert plan.title_zh == "“十四五”數字經濟發展規劃" and plan.doc_number == "國發〔2021〕29號"
    assert (plan.issuers, plan.date, plan.period) == (["state-council"], "2021-12-12", (2021, 2025))


def test_wire_report_relative_date_co_issuers_and_converted_money() -> None:
    _, layout, (plan,) = records("wire-report.txt")
    assert layout == "news"
    assert plan.date == "2023-10-08"  # "on Sunday" before an article dated Monday 9 October
    assert plan.issuers == ["miit", "cac"]  # the co-issuer named in a later sentence
    assert [(t.value, t.year) for t in plan.targets] == [(300, 2025), (1800, 2025)]  # "five other departments" is none
    assert [(a.value, a.currency) for a in plan.amounts] == [(3e12, "CNY")]  # the dollar figure in brackets is the same


@pytest.mark.parametrize(("text", "expected"), [
    ("江苏省工业和信息化厅", "jiangsu-miit"), ("北京市经济和信息化局", "beijing-miit"), ("深圳市人民政府", "shenzhen-government"),
    ("广东省发展和改革委员会", "guangdong-ndrc"), ("上海市科学技术委员会", "shanghai-most"), ("陕西省商务厅", "shaanxi-mofcom"),
    ("长治市市场监督管理局", "changzhi-samr"), ("内蒙古自治区人民政府办公厅", "neimenggu-government"),
    ("the Guangdong provincial department of industry and information technology", "guangdong-miit"),
    ("Shenzhen's municipal government", "shenzhen-government"), ("Inner Mongolia's regional government", "neimenggu-government"),
])
def test_local_bodies_get_compositional_ids(text: str, expected: str) -> None:
    (body,) = find_local_bodies(text)
    assert body.id == expected
    assert agency(expected).level in ("provincial", "municipal")


def test_local_body_without_its_place_and_unknown_ids() -> None:
    (body,) = find_local_bodies("省工业和信息化厅关于转发")
    assert body.place is None and body.counterpart == "miit"
    assert agency("atlantis-miit") is None and agency("jiangsu-nonsense") is None
    assert agency("changzhi-samr").level == "municipal" and agency("jiangsu-miit").level == "provincial"


@pytest.mark.parametrize(("text", "expected"), [
    ("到2025年，培育6-8家龙头企业，建成3至5个创新中心。", [(6, 8, 2025), (3, 5, 2025)]),
    ("到2030年，产业规模突破1.4万亿元。", [(1.4e12, None, 2030)]),
    ("到2027年，数据产业规模超过五千亿元，全国排名前10位。", [(5e11, None, 2027)]),  # cn2an reads 五千; 前10位 is a rank
    ("到“十四五”末，每万人拥有5G基站数达到26个。", [(26, None, 2025)]),
    ("到2025年，产业基础能力明显提升。", [(None, None, 2025)]),  # a deadline without a number
    ("2021年以来，全省新增企业300家。", []),  # looking back is no goal
    ("到2024年，对符合条件的项目给予不超过500万元补贴。", [(None, None, 2024)]),  # subsidies are no goal
])
def test_chinese_targets(text: str, expected: list[tuple]) -> None:
    assert [(t.value, t.value_max, t.year) for t in find_targets_zh(text)] == expected


@pytest.mark.skipif(not (SHARED / "gold" / "primary.jsonl").exists(), reason="../shared/gold is not beside the project")
def test_shared_primary_sources_score_above_the_bar() -> None:
    result = api.evaluate(SHARED / "gold" / "primary.jsonl", SHARED / "primary")
    assert result["records"]["f1"] >= 0.95
    assert result["fields"]["f1"] >= 0.90


def test_forward_without_quotes_names_the_forwarded_policy_as_written() -> None:
    _, _, (notice, forwarded) = records("forward-without-quotes.txt")
    assert notice.title_zh.startswith("国务院办公厅转发") and notice.issuers == ["state-council"]
    assert forwarded.title_zh == "国家发展改革委关于推动数据中心绿色低碳发展意见" and forwarded.issuers == ["ndrc"]
    assert [(r.type, r.doc_number) for r in forwarded.relations] == [("forwarded_by", "国办函〔2023〕12号")]


def test_announcement_numbered_by_year() -> None:
    _, _, found = records("announcement.txt")
    assert found[0].doc_number == "工业和信息化部公告2021年第43号" and found[0].date == "2021-12-20"


def test_presidential_order_takes_the_body_that_passed_the_law() -> None:
    _, _, (law,) = records("presidential-order.txt")
    assert (law.doc_number, law.issuers) == ("中华人民共和国主席令第九十二号", ["npcsc"])
    assert (law.date, law.date_effective, law.targets) == ("2021-06-10", "2021-09-01", [])  # a passing day is no goal


def test_news_report_without_a_dateline() -> None:
    _, layout, (measures,) = records("news-without-dateline.txt")
    assert layout == "news"
    assert (measures.issuers, measures.date) == (["beijing-miit"], "2024-03-13")  # "on Wednesday" before Thursday
    assert [(t.value, t.year) for t in measures.targets] == [(10, 2025), (5e10, 2026)]
    assert [(a.value, a.currency) for a in measures.amounts] == [(3e7, "CNY")]


def test_news_plan_period_cabinet_and_effective_date() -> None:
    _, _, (plan,) = records("news-cabinet-plan.txt")
    assert (plan.issuers, plan.date, plan.period) == (["state-council"], "2022-01-12", (2021, 2025))
    assert [(t.value, t.year) for t in plan.targets] == [(10, 2025)]
    _, _, (controls,) = records("news-export-controls.txt")
    assert (controls.issuers, controls.date, controls.date_effective) == (["mofcom", "gac"], "2023-07-03", "2023-08-01")
