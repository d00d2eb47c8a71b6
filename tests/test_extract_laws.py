"""Laws and regulations in the three layouts they are met in (LawRefBook Markdown, the national database's bracketed
history, an order page in prose), on short texts the team wrote for these tests (invented laws,
sessions, orders and dates in the real shapes), and the shared set of real laws scored in the first two layouts."""

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

NPC = "全国人民代表大会"
NPCSC = f"{NPC}常务委员会"
PRC = "中华人民共和国"
STATE_COUNCIL_ORDER = f"{PRC}国务院令"
JOINT_ORDER = f"{PRC}国务院、{PRC}中央军事委员会令"
MPS_ORDER = f"{PRC}公安部令"
NDRC = "国家发展和改革委员会"
SAIC = "国家工商行政管理总局"
CAC = "国家互联网信息办公室"

# an invented law: adopted 2004, amended twice by the Standing Committee; its article names the first day in force
WATER_SUPPLY_MD = f"""# 中华人民共和国饮用水供应法

2004年7月2日 第十届{NPCSC}第九次会议通过

2013年8月27日 第十二届{NPCSC}第四次会议修正

2022年4月19日 第十三届{NPCSC}第八次会议修正

<!-- INFO END -->

## 第一章 通则

第一条 本法旨在保障城镇与乡村居民喝上放心水，规范供水设施的建设和运营。

第五十三条 本法从2005年3月17日起施行。
"""

# the same kind of history as the national database prints it: one bracketed line, steps apart by ideographic spaces
FOREIGN_AID_NATIONAL = (
    "中华人民共和国援外项目管理法\n"
    f"（1996年10月21日第八届{NPCSC}第二十二次会议表决通过\u30002009年8月25日第十一届{NPCSC}第十次会议修订"
    f"\u30002023年9月5日第十四届{NPCSC}第五次会议修订）\n"
    "第一章　通　则\n第一条　本法旨在规范援外项目的立项与管理。\n"
    "第八章　施行日期\n第九十一条　本法从2024年3月17日起施行。\n"
)

# adopted by the Congress itself in plenary session (an invented law at an invented session)
BORDER_PORTS_NATIONAL = (
    f"{PRC}边境口岸通关法\n（2031年3月11日第十五届{NPC}第二次会议通过）\n"
    "第一章　通　则\n第一条　本法旨在让边境口岸的通关便利有序。\n第五十六条　本法从2031年7月19日起施行。\n"
)

AMENDMENT_MD = f"""# 中华人民共和国援外项目管理法修正案（一）

2025年12月23日 第十四届{NPCSC}第九次会议表决通过

<!-- INFO END -->

一、将第十二条第二款中的“三十日”修改为“十五日”。

本修正案从2026年5月12日起施行。
"""

DECISION_NATIONAL = (
    f"{NPCSC}关于完善城市社区志愿服务的决定\n（2016年11月9日第十二届{NPCSC}第六次会议通过）\n"
    "为了让社区志愿服务有章可循，现决定如下：\n一、各地应当登记志愿者。\n本决定从公布之日起生效。\n"
)

# an invented State Council regulation amended four times by the State Council's decisions
URBAN_GREENING_MD = f"""# 城市绿化养护管理条例

2003年4月16日 {STATE_COUNCIL_ORDER}第377号公布

2010年12月3日 《国务院关于修改〈城市绿化养护管理条例〉的决定》第一次修订

2017年5月19日 《国务院关于修改〈城市绿化养护管理条例〉等九部行政法规的决定》第二次修订

2020年9月14日 《国务院关于修改〈城市绿化养护管理条例〉的决定》第三次修订

2024年7月8日 《国务院关于修改和废止〈城市绿化养护管理条例〉等行政法规的决定》第四次修订

<!-- INFO END -->

第一条 本条例旨在使城市的行道树、公园绿地得到妥善养护。

第四十一条 本条例从2003年7月19日起施行。
"""

# a joint order of the State Council and the Central Military Commission, revised as a whole by a later order
MILITARY_SITES_NATIONAL = (
    "军事设施周边环境保护条例\n"
    f"（2006年3月14日{JOINT_ORDER}第468号公布"
    f"\u30002016年11月2日{JOINT_ORDER}第702号第一次修订"
    f"\u30002024年10月18日{JOINT_ORDER}第781号第二次修订）\n"
    "第一章　通　则\n第一条　本条例旨在使军事设施四周的环境免受破坏。\n第六十二条　本条例从2025年2月9日起施行。\n"
)

# a ministry's rules (invented): promulgated by its order, in force on a later day the history states
PACKAGING_RULES_MD = f"""# 商品包装标识违法行为处罚办法

2016年3月8日 {SAIC}令第84号公布

2016年5月12日 实施

<!-- INFO END -->

## 第一章 通则

第一条 本办法旨在查处商品包装上标识不实的行为。

第九条 本办法从2016年5月12日起施行。
"""

ORDER_PAGE = f"""{STATE_COUNCIL_ORDER}
第668号

《农村集体资产清查暂行条例》经2016年4月13日国务院第129次常务会议审议通过，现予颁布，自2016年7月19日起实施。

总理　李克强
2016年5月20日

农村集体资产清查暂行条例

第一条　本条例旨在摸清农村集体资产的家底。

第三十条　本条例从2016年7月19日起实施。
"""

# the same kind of page copied without its header
ORDER_WITHOUT_HEADER = """《公共数据开放利用条例》已经2023年11月17日国务院第19次常务会议审议通过，现予颁布，自2024年4月6日起施行。

国务院总理　李强
2023年12月6日

公共数据开放利用条例

第一章　通　则

第一条　本条例旨在让政务部门掌握的数据更好地服务社会。
"""

JOINT_MINISTRY_ORDER = f"""交通运输部
工业和信息化部
{CAC}
公安部
{NDRC}
令
第19号

《智能网联汽车远程升级安全管理规定（试行）》已经2024年9月3日交通运输部第22次部务会议审议通过，\
并经工业和信息化部、国家网信办、公安部、国家发展改革委同意，现予颁布，自2025年1月9日起施行。

交通运输部部长　周示例
工业和信息化部部长　吴示例
国家网信办主任　郑示例
公安部部长　王示例
国家发展改革委主任　冯示例
2024年10月21日

智能网联汽车远程升级安全管理规定（试行）

第一条　本规定旨在管好汽车软件的在线升级。
"""


def read(text: str) -> tuple[str, Mention]:
    """The layout a text is read in and its first record (the law itself)."""
    layout = detect_layout(text)
    items = LAYOUTS[layout][1](text)
    return layout, extract_mentions(text, layout, items)[0][1]


def steps(mention: Mention) -> list[tuple[str, str | None, list[str]]]:
    return [(v.step, v.date, v.issuers) for v in mention.versions]


def test_markdown_law_amended_by_decisions_is_its_last_version() -> None:
    layout, law = read(WATER_SUPPLY_MD)
    assert layout == "law"
    assert law.title_zh == f"{PRC}饮用水供应法"
    assert (law.date, law.issuers) == ("2022-04-19", ["npcsc"])
    # the article speaks for the first version; an amendment of the Standing Committee is in force when promulgated
    assert law.date_effective == "2022-04-19"
    assert steps(law) == [("通过", "2004-07-02", ["npcsc"]), ("修正", "2013-08-27", ["npcsc"])]
    assert law.versions[0].body == f"第十届{NPCSC}第九次会议"
    assert WATER_SUPPLY_MD[slice(*law.versions[1].evidence[0])].startswith("2013年8月27日")


def test_national_layout_revised_law_takes_its_article() -> None:
    layout, law = read(FOREIGN_AID_NATIONAL)
    assert layout == "law"
    assert (law.date, law.issuers, law.date_effective) == ("2023-09-05", ["npcsc"], "2024-03-17")
    assert steps(law) == [("通过", "1996-10-21", ["npcsc"]), ("修订", "2009-08-25", ["npcsc"])]


def test_law_of_the_congress_in_plenary_session() -> None:
    _, law = read(BORDER_PORTS_NATIONAL)
    assert (law.date, law.issuers, law.date_effective, law.versions) == ("2031-03-11", ["npc"], "2031-07-19", [])


def test_amendment_and_decision() -> None:
    _, amendment = read(AMENDMENT_MD)
    assert amendment.title_zh == f"{PRC}援外项目管理法修正案（一）"
    assert (amendment.date, amendment.issuers, amendment.date_effective) == ("2025-12-23", ["npcsc"], "2026-05-12")
    layout, decision = read(DECISION_NATIONAL)
    assert layout == "law"
    assert decision.title_zh == f"{NPCSC}关于完善城市社区志愿服务的决定"
    assert (decision.date, decision.issuers, decision.date_effective) == ("2016-11-09", ["npcsc"], "2016-11-09")


def test_regulation_amended_by_state_council_decisions() -> None:
    _, regulation = read(URBAN_GREENING_MD)
    assert (regulation.date, regulation.issuers, regulation.date_effective) == ("2024-07-08", ["state-council"],
                                                                               "2024-07-08")
    assert regulation.doc_number is None  # the version was made by a decision, not by an order of its own
    assert [v.date for v in regulation.versions] == ["2003-04-16", "2010-12-03", "2017-05-19", "2020-09-14"]
    assert regulation.versions[0].body == f"{STATE_COUNCIL_ORDER}第377号"
    assert regulation.versions[1].issuers == ["state-council"]  # the body named in the decision's title


def test_regulation_revised_by_a_joint_order() -> None:
    _, regulation = read(MILITARY_SITES_NATIONAL)
    assert regulation.doc_number == f"{JOINT_ORDER}第781号"
    # a joint order is made by both bodies
    assert (regulation.date, regulation.issuers, regulation.date_effective) == (
        "2024-10-18", ["state-council", "cmc"], "2025-02-09")
    assert steps(regulation) == [("公布", "2006-03-14", ["state-council", "cmc"]),
                                 ("修订", "2016-11-02", ["state-council", "cmc"])]


def test_ministry_rules_in_force_on_the_day_their_history_states() -> None:
    _, rules = read(PACKAGING_RULES_MD)
    assert (rules.date, rules.date_effective, rules.doc_number) == ("2016-03-08", "2016-05-12", f"{SAIC}令第84号")
    assert rules.issuers == ["saic"]
    assert rules.versions == []  # the day in force comes after the version, not before it


def test_state_council_order_page() -> None:
    layout, regulation = read(ORDER_PAGE)
    assert layout == "law"
    assert (regulation.title_zh, regulation.doc_number) == ("农村集体资产清查暂行条例", f"{STATE_COUNCIL_ORDER}第668号")
    assert (regulation.date, regulation.issuers, regulation.date_effective) == ("2016-05-20", ["state-council"],
                                                                               "2016-07-19")
    assert [(v.step, v.date, v.issuers, v.body) for v in regulation.versions] == [
        ("通过", "2016-04-13", ["state-council"], "国务院第129次常务会议")]


def test_order_page_without_its_header() -> None:
    layout, regulation = read(ORDER_WITHOUT_HEADER)
    assert layout == "law"
    assert (regulation.title_zh, regulation.doc_number) == ("公共数据开放利用条例", None)
    assert (regulation.date, regulation.issuers, regulation.date_effective) == ("2023-12-06", ["state-council"],
                                                                               "2024-04-06")
    assert steps(regulation) == [("通过", "2023-11-17", ["state-council"])]


def test_joint_ministry_order_page() -> None:
    _, rules = read(JOINT_MINISTRY_ORDER)
    assert rules.title_zh == "智能网联汽车远程升级安全管理规定（试行）"
    assert rules.doc_number.endswith(f"{NDRC}令第19号")
    assert rules.issuers == ["mot", "miit", "cac", "mps", "ndrc"]
    assert (rules.date, rules.date_effective) == ("2024-10-21", "2025-01-09")
    assert steps(rules) == [("通过", "2024-09-03", ["mot"])]


# an older order in its own form (现发布《…》，自发布之日起实施) as a portal copies it: the title repeated above the
# header and the sentence wrapped onto a second line (an invented regulation)
OLDER_ORDER_PAGE = f"""国务院部门规章备案管理条例
来源:示例法规库 时间:2024-07-22

国务院部门规章备案管理条例

  {STATE_COUNCIL_ORDER}
  第209号

  现予发布《国务院部门规章备案管理条例》，自
发布之日起实施。

  总理　李鹏
  1996年4月9日

  第一条　本条例旨在规范部门规章的备案。
"""


def test_older_order_form_takes_effect_on_its_day() -> None:
    layout, regulation = read(OLDER_ORDER_PAGE)
    assert layout == "law"
    assert (regulation.title_zh, regulation.doc_number) == ("国务院部门规章备案管理条例", f"{STATE_COUNCIL_ORDER}第209号")
    assert (regulation.date, regulation.issuers, regulation.date_effective) == ("1996-04-09", ["state-council"],
                                                                               "1996-04-09")


def test_a_notice_issuing_rules_is_no_order() -> None:
    notice = "关于印发《示例管理办法》的通知\n各有关单位：\n现印发《示例管理办法》，请遵照执行。\n2023年3月3日\n"
    assert detect_layout(notice) != "law"


# a ministry's rules whose history is written in full-width digits and keeps the first version's 施行 line before
# its amendments (an invented record in the collection's form)
FULL_WIDTH_RULES_MD = f"""# 公安机关警用装备管理规定

２００９年３月２日 {MPS_ORDER}第１０６号发布

２００９年５月１２日 施行

２０１５年９月１４日 {MPS_ORDER}第１３７号第一次修正

２０２０年１０月９日 公安部令第１５７号第二次修正

<!-- INFO END -->

## 总则

第一条　本规定旨在规范警用装备的配发与保管。
"""


def test_full_width_history_and_its_kept_in_force_line() -> None:
    _, rules = read(FULL_WIDTH_RULES_MD)
    assert (rules.date, rules.date_effective, rules.issuers) == ("2020-10-09", "2009-05-12", ["mps"])
    assert [(v.step, v.date) for v in rules.versions] == [("发布", "2009-03-02"), ("施行", "2009-05-12"),
                                                         ("修正", "2015-09-14")]


# an invented regulation whose history ends with its repeal by a later order
REPEALED_MD = f"""# 示例民办培训机构登记管理条例

1999年6月21日 {STATE_COUNCIL_ORDER}第265号发布

2014年3月7日 《国务院关于修改〈示例民办培训机构登记管理条例〉的决定》修订

2026年2月1日 {STATE_COUNCIL_ORDER}第998号废止

<!-- INFO END -->

第一条　本条例旨在规范民办培训机构的登记。

第三十条　本条例从发布之日起生效。
"""


def test_a_repeal_in_the_history_makes_no_version() -> None:
    _, regulation = read(REPEALED_MD)
    assert (regulation.date, regulation.issuers) == ("2014-03-07", ["state-council"])
    assert [(v.step, v.date) for v in regulation.versions] == [("发布", "1999-06-21")]


def test_an_official_notice_is_no_law() -> None:
    notice = "生态环境部关于推广智慧港口建设经验的通知\n部机关各司局，各派出机构：\n现印发。\n2023年3月3日\n"
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

    (tmp_path / "law.md").write_text(WATER_SUPPLY_MD, encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'laws.db'}"
    engine = database.connect(url)
    api.ingest([tmp_path / "law.md"], engine)
    (policy,) = [p for p in api.policies(engine) if p["label"] == "中华人民共和国饮用水供应法"]
    history = api.policy(policy["id"], engine)["data"]["versions"]
    assert [(v["step"], v["date"]) for v in history] == [("通过", "2004-07-02"), ("修正", "2013-08-27")]
    shown = CliRunner().invoke(cli, ["--db", url, "policies", "show", str(policy["id"])])
    assert shown.exit_code == 0 and "2004-07-02 通过" in shown.output and "第十二届" in shown.output
    from policywatch.web.app import create_app

    page = TestClient(create_app(engine)).get(f"/policies/{policy['id']}")
    assert page.status_code == 200 and "History" in page.text and "2013-08-27 修正" in page.text
