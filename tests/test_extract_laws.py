"""Laws and regulations in the three layouts they are met in (LawRefBook Markdown, the national database's bracketed
history, an order page in prose), on short texts the team wrote from public facts (titles, sessions, orders and
dates), and the shared set of real laws scored in the first two layouts."""

from __future__ import annotations

import json
import runpy
import sys

import pytest

from policywatch import api
from policywatch.extract import extract_mentions
from policywatch.model import Mention
from policywatch.segment import LAYOUTS, detect_layout
from tests.conftest import SHARED

NPCSC = "全国人民代表大会常务委员会"

# adopted 2001, amended twice by decisions of the Standing Committee; the article names the first day in force
POPULATION_MD = f"""# 中华人民共和国人口与计划生育法

2001年12月29日 第九届{NPCSC}第二十五次会议通过

2015年12月27日 第十二届{NPCSC}第十八次会议《关于修改〈中华人民共和国人口与计划生育法〉的决定》第一次修正

2021年8月20日 第十三届{NPCSC}第三十次会议《关于修改〈中华人民共和国人口与计划生育法〉的决定》第二次修正

<!-- INFO END -->

## 第一章 总则

第一条 为了示例人口与家庭的协调发展，根据宪法，制定本法。

## 第七章 附则

第四十七条 本法自2002年9月1日起施行。
"""

# the same kind of history as the national database prints it: one bracketed line, steps apart by ideographic spaces
SCIENCE_NATIONAL = (
    "中华人民共和国科学技术进步法\n"
    f"（1993年7月2日第八届{NPCSC}第二次会议通过\u30002007年12月29日第十届{NPCSC}第三十一次会议第一次修订"
    f"\u30002021年12月24日第十三届{NPCSC}第三十二次会议第二次修订）\n"
    "第一章　总　则\n第一条　为了示例科学技术的进步，根据宪法，制定本法。\n"
    "第十二章　附　则\n第一百一十七条　本法自2022年1月1日起施行。\n"
)

# adopted by the Congress itself in plenary session
FOREIGN_INVESTMENT_NATIONAL = (
    "中华人民共和国外商投资法\n（2019年3月15日第十三届全国人民代表大会第二次会议通过）\n"
    "第一章　总　则\n第一条　为了示例外商投资的促进，根据宪法，制定本法。\n第四十二条　本法自2020年1月1日起施行。\n"
)

AMENDMENT_MD = f"""# 中华人民共和国刑法修正案（十一）

2020年12月26日 第十三届{NPCSC}第二十四次会议通过

<!-- INFO END -->

一、示例条文的修改。

本修正案自2021年3月1日起施行。
"""

DECISION_NATIONAL = (
    f"{NPCSC}关于加强网络信息保护的决定\n（2012年12月28日第十一届{NPCSC}第三十次会议通过）\n"
    "为了示例网络信息的保护，特作如下决定：\n一、示例。\n本决定自公布之日起施行。\n"
)

# a State Council regulation amended four times by the State Council's decisions
INTERNET_CAFE_MD = """# 互联网上网服务营业场所管理条例

2002年9月29日 中华人民共和国国务院令第363号公布

2011年1月8日 《国务院关于废止和修改部分行政法规的决定》第一次修订

2016年2月6日 《国务院关于修改部分行政法规的决定》第二次修订

2019年3月24日 《国务院关于修改部分行政法规的决定》第三次修订

2022年3月29日 《国务院关于修改和废止部分行政法规的决定》第四次修订

<!-- INFO END -->

## 第一章 总 则

第一条 为了示例上网服务营业场所的管理，制定本条例。

第三十八条 本条例自2002年11月15日起施行。
"""

# a joint order of the State Council and the Central Military Commission, revised as a whole by a later order
CIVILIAN_STAFF_NATIONAL = (
    "中国人民解放军文职人员条例\n"
    "（2005年6月23日中华人民共和国国务院、中华人民共和国中央军事委员会令第438号公布"
    "\u30002017年9月27日中华人民共和国国务院、中华人民共和国中央军事委员会令第689号第一次修订"
    "\u30002022年12月10日中华人民共和国国务院、中华人民共和国中央军事委员会令第757号第二次修订）\n"
    "第一章　总则\n第一条　为了示例文职人员的管理，制定本条例。\n第七十六条　本条例自2023年1月1日起施行。\n"
)

# a ministry's rules: promulgated by its order, in force on a later day the history states
CONSUMER_RULES_MD = """# 侵害消费者权益行为处罚办法

2015年1月5日 国家工商行政管理总局令第73号公布

2015年3月15日 施行

<!-- INFO END -->

第一条 为了示例消费者权益的保护，制定本办法。

第十八条 本办法自2015年3月15日起施行。
"""

ORDER_PAGE = """中华人民共和国国务院令
第654号

《企业信息公示暂行条例》已经2014年7月23日国务院第57次常务会议通过，现予公布，自2014年10月1日起施行。

总理　李克强
2014年8月7日

企业信息公示暂行条例

第一条　为了示例企业信息的公示，制定本条例。

第二十五条　本条例自2014年10月1日起施行。
"""

# the same kind of page copied without its header
ORDER_WITHOUT_HEADER = """《优化营商环境条例》已经2019年10月8日国务院第66次常务会议通过，现予公布，自2020年1月1日起施行。

总理　李克强
2019年10月22日

优化营商环境条例

第一章　总　则

第一条　为了示例营商环境的优化，制定本条例。
"""

JOINT_MINISTRY_ORDER = """国家互联网信息办公室
中华人民共和国国家发展和改革委员会
中华人民共和国工业和信息化部
中华人民共和国公安部
中华人民共和国交通运输部
令
第7号

《汽车数据安全管理若干规定（试行）》已经2021年5月12日国家互联网信息办公室2021年第10次室务会议审议通过，\
并经国家发展和改革委员会、工业和信息化部、公安部、交通运输部同意，现予公布，自2021年10月1日起施行。

国家互联网信息办公室主任　庄荣文
国家发展和改革委员会主任　何立峰
工业和信息化部部长　肖亚庆
公安部部长　赵克志
交通运输部部长　李小鹏
2021年8月16日

汽车数据安全管理若干规定（试行）

第一条　为了示例汽车数据的安全管理，制定本规定。
"""


def read(text: str) -> tuple[str, Mention]:
    """The layout a text is read in and its first record (the law itself)."""
    layout = detect_layout(text)
    items = LAYOUTS[layout][1](text)
    return layout, extract_mentions(text, layout, items)[0][1]


def steps(mention: Mention) -> list[tuple[str, str | None, list[str]]]:
    return [(v.step, v.date, v.issuers) for v in mention.versions]


def test_markdown_law_amended_by_decisions_is_its_last_version() -> None:
    layout, law = read(POPULATION_MD)
    assert layout == "law"
    assert law.title_zh == "中华人民共和国人口与计划生育法"
    assert (law.date, law.issuers) == ("2021-08-20", ["npcsc"])
    # the article speaks for the first version; an amending decision is in force when promulgated
    assert law.date_effective == "2021-08-20"
    assert steps(law) == [("通过", "2001-12-29", ["npcsc"]), ("修正", "2015-12-27", ["npcsc"])]
    assert law.versions[0].body == f"第九届{NPCSC}第二十五次会议"
    assert POPULATION_MD[slice(*law.versions[1].evidence[0])].startswith("2015年12月27日")


def test_national_layout_revised_law_takes_its_article() -> None:
    layout, law = read(SCIENCE_NATIONAL)
    assert layout == "law"
    assert (law.date, law.issuers, law.date_effective) == ("2021-12-24", ["npcsc"], "2022-01-01")
    assert steps(law) == [("通过", "1993-07-02", ["npcsc"]), ("修订", "2007-12-29", ["npcsc"])]


def test_law_of_the_congress_in_plenary_session() -> None:
    _, law = read(FOREIGN_INVESTMENT_NATIONAL)
    assert (law.date, law.issuers, law.date_effective, law.versions) == ("2019-03-15", ["npc"], "2020-01-01", [])


def test_amendment_and_decision() -> None:
    _, amendment = read(AMENDMENT_MD)
    assert amendment.title_zh == "中华人民共和国刑法修正案（十一）"
    assert (amendment.date, amendment.issuers, amendment.date_effective) == ("2020-12-26", ["npcsc"], "2021-03-01")
    layout, decision = read(DECISION_NATIONAL)
    assert layout == "law"
    assert decision.title_zh == f"{NPCSC}关于加强网络信息保护的决定"
    assert (decision.date, decision.issuers, decision.date_effective) == ("2012-12-28", ["npcsc"], "2012-12-28")


def test_regulation_amended_by_state_council_decisions() -> None:
    _, regulation = read(INTERNET_CAFE_MD)
    assert (regulation.date, regulation.issuers, regulation.date_effective) == ("2022-03-29", ["state-council"],
                                                                               "2022-03-29")
    assert regulation.doc_number is None  # the version was made by a decision, not by an order of its own
    assert [v.date for v in regulation.versions] == ["2002-09-29", "2011-01-08", "2016-02-06", "2019-03-24"]
    assert regulation.versions[0].body == "中华人民共和国国务院令第363号"
    assert regulation.versions[1].issuers == ["state-council"]  # the body named in the decision's title


def test_regulation_revised_by_a_joint_order() -> None:
    _, regulation = read(CIVILIAN_STAFF_NATIONAL)
    assert regulation.doc_number == "中华人民共和国国务院、中华人民共和国中央军事委员会令第757号"
    # a joint order is made by both bodies
    assert (regulation.date, regulation.issuers, regulation.date_effective) == (
        "2022-12-10", ["state-council", "cmc"], "2023-01-01")
    assert steps(regulation) == [("公布", "2005-06-23", ["state-council", "cmc"]),
                                 ("修订", "2017-09-27", ["state-council", "cmc"])]


def test_ministry_rules_in_force_on_the_day_their_history_states() -> None:
    _, rules = read(CONSUMER_RULES_MD)
    assert (rules.date, rules.date_effective, rules.doc_number) == ("2015-01-05", "2015-03-15", "国家工商行政管理总局令第73号")
    assert rules.issuers == ["saic"]
    assert rules.versions == []  # the day in force comes after the version, not before it


def test_state_council_order_page() -> None:
    layout, regulation = read(ORDER_PAGE)
    assert layout == "law"
    assert (regulation.title_zh, regulation.doc_number) == ("企业信息公示暂行条例", "中华人民共和国国务院令第654号")
    assert (regulation.date, regulation.issuers, regulation.date_effective) == ("2014-08-07", ["state-council"],
                                                                               "2014-10-01")
    assert [(v.step, v.date, v.issuers, v.body) for v in regulation.versions] == [
        ("通过", "2014-07-23", ["state-council"], "国务院第57次常务会议")]


def test_order_page_without_its_header() -> None:
    layout, regulation = read(ORDER_WITHOUT_HEADER)
    assert layout == "law"
    assert (regulation.title_zh, regulation.doc_number) == ("优化营商环境条例", None)
    assert (regulation.date, regulation.issuers, regulation.date_effective) == ("2019-10-22", ["state-council"],
                                                                               "2020-01-01")
    assert steps(regulation) == [("通过", "2019-10-08", ["state-council"])]


def test_joint_ministry_order_page() -> None:
    _, rules = read(JOINT_MINISTRY_ORDER)
    assert rules.title_zh == "汽车数据安全管理若干规定（试行）"
    assert rules.doc_number.endswith("交通运输部令第7号")
    assert rules.issuers == ["cac", "ndrc", "miit", "mps", "mot"]
    assert (rules.date, rules.date_effective) == ("2021-08-16", "2021-10-01")
    assert steps(rules) == [("通过", "2021-05-12", ["cac"])]


# an older order in its own form (现发布《…》，自发布之日起施行) as a portal copies it: the title repeated above the
# header and the sentence wrapped onto a second line
OLDER_ORDER_PAGE = """国务院行政机构设置和编制管理条例
来源:示例法规库 时间:2024-07-22

国务院行政机构设置和编制管理条例

  中华人民共和国国务院令
  第227号

  现发布《国务院行政机构设置和编制管理条例》，自
发布之日起施行。

  总理　李鹏
  1997年8月3日

  第一条　为了示例机构设置的管理，制定本条例。
"""


def test_older_order_form_takes_effect_on_its_day() -> None:
    layout, regulation = read(OLDER_ORDER_PAGE)
    assert layout == "law"
    assert (regulation.title_zh, regulation.doc_number) == ("国务院行政机构设置和编制管理条例", "中华人民共和国国务院令第227号")
    assert (regulation.date, regulation.issuers, regulation.date_effective) == ("1997-08-03", ["state-council"],
                                                                               "1997-08-03")


def test_a_notice_issuing_rules_is_no_order() -> None:
    notice = "关于印发《示例管理办法》的通知\n各有关单位：\n现印发《示例管理办法》，请遵照执行。\n2023年3月3日\n"
    assert detect_layout(notice) != "law"


# a ministry's rules whose history is written in full-width digits and keeps the first version's 施行 line before
# its amendments (the collection's record of the Ministry of Public Security's administrative case procedure)
FULL_WIDTH_RULES_MD = """# 公安机关办理行政案件程序规定

２０１２年１２月１９日 中华人民共和国公安部令第１２５号发布

２０１３年１月１日 施行

２０１４年６月２９日 中华人民共和国公安部令第１３２号第一次修正

２０１８年１１月２５日 公安部令第１４９号第二次修正

<!-- INFO END -->

第一条　为了示例行政案件的办理，制定本规定。
"""


def test_full_width_history_and_its_kept_in_force_line() -> None:
    _, rules = read(FULL_WIDTH_RULES_MD)
    assert (rules.date, rules.date_effective, rules.issuers) == ("2018-11-25", "2013-01-01", ["mps"])
    assert [(v.step, v.date) for v in rules.versions] == [("发布", "2012-12-19"), ("施行", "2013-01-01"),
                                                         ("修正", "2014-06-29")]


# a regulation whose history ends with its repeal by a later order (public facts: the 1998 registration rules for
# social organisations, repealed when a new set of rules replaced them)
REPEALED_MD = """# 示例社会团体登记管理条例

1998年10月25日 中华人民共和国国务院令第250号发布

2016年2月6日 《国务院关于修改部分行政法规的决定》修订

2025年1月1日 中华人民共和国国务院令第999号废止

<!-- INFO END -->

第一条　为了示例社会团体的登记，制定本条例。

第四十条　本条例自发布之日起施行。
"""


def test_a_repeal_in_the_history_makes_no_version() -> None:
    _, regulation = read(REPEALED_MD)
    assert (regulation.date, regulation.issuers) == ("2016-02-06", ["state-council"])
    assert [(v.step, v.date) for v in regulation.versions] == [("发布", "1998-10-25")]


def test_an_official_notice_is_no_law() -> None:
    notice = "工业和信息化部关于推进5G工厂建设的通知\n各省、自治区、直辖市工业和信息化主管部门：\n现印发。\n2023年3月3日\n"
    assert detect_layout(notice) == "official"


LAWS = SHARED / "laws"


@pytest.mark.skipif(not (LAWS / "gold_laws.jsonl").exists(), reason="../shared/laws is not beside the project")
def test_shared_laws_score_above_the_bar_in_both_layouts(tmp_path, monkeypatch) -> None:
    markdown = api.evaluate(LAWS / "gold_laws.jsonl", LAWS / "texts")
    assert markdown["records"]["f1"] >= 0.95 and markdown["fields"]["f1"] >= 0.90
    # the national database's layout, made by the shared tool; its files end in .txt, so the gold's names follow
    national = tmp_path / "national"
    monkeypatch.setattr(sys, "argv", ["law_layout.py", str(LAWS / "texts"), str(national)])
    runpy.run_path(str(SHARED / "tools" / "law_layout.py"), run_name="__main__")
    gold = tmp_path / "gold_national.jsonl"
    with open(LAWS / "gold_laws.jsonl", encoding="utf-8") as source, open(gold, "w", encoding="utf-8") as target:
        for line in source:
            record = json.loads(line)
            record["doc"] = record["doc"].removesuffix(".md") + ".txt"
            target.write(json.dumps(record, ensure_ascii=False) + "\n")
    result = api.evaluate(gold, national)
    assert result["records"]["f1"] >= 0.95 and result["fields"]["f1"] >= 0.90


@pytest.mark.filterwarnings("ignore:Using `httpx`")  # the test client's own notice
def test_history_is_shown_by_policies_show_and_the_web_page(tmp_path) -> None:
    from fastapi.testclient import TestClient
    from typer.testing import CliRunner

    from policywatch.cli import app as cli
    from policywatch.store import database

    (tmp_path / "law.md").write_text(POPULATION_MD, encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'laws.db'}"
    engine = database.connect(url)
    api.ingest([tmp_path / "law.md"], engine)
    (policy,) = [p for p in api.policies(engine) if p["label"] == "中华人民共和国人口与计划生育法"]
    history = api.policy(policy["id"], engine)["data"]["versions"]
    assert [(v["step"], v["date"]) for v in history] == [("通过", "2001-12-29"), ("修正", "2015-12-27")]
    shown = CliRunner().invoke(cli, ["--db", url, "policies", "show", str(policy["id"])])
    assert shown.exit_code == 0 and "2001-12-29 通过" in shown.output and "第十二届" in shown.output
    from policywatch.web.app import create_app

    page = TestClient(create_app(engine)).get(f"/policies/{policy['id']}")
    assert page.status_code == 200 and "History" in page.text and "2015-12-27 修正" in page.text
