"""Chinese news reports and reposts (the news_zh layout) and every record's dates (``date`` as stated, ``reported``
the document's own). The texts are written for these tests from public facts; none is copied from a page."""

from __future__ import annotations

from pathlib import Path

import pytest

from policywatch.model import Mention
from policywatch.pipeline import analyse
from policywatch.read import read_bytes, read_file
from policywatch.read.address import address_date, sidecar_address
from policywatch.resolve.clustering import MentionRecord, merge_fields


def policies(text: str, address: str | None = None) -> tuple[str, list[Mention], str]:
    """(layout, policy records, text as read) of a text saved as a .txt file, from ``address`` if given."""
    document = read_bytes(text.encode("utf-8"), "page.txt", address=address)
    found = analyse(document)
    return found.layout, [m for _, m in found.mentions if m.kind == "policy"], document.text


XINHUA = """国家综合立体交通网规划纲要印发
2021-02-25 08:10 来源：新华网
新华社北京2月24日电（记者 王小明）中共中央、国务院2月24日印发《国家综合立体交通网规划纲要（2021—2035年）》，\
要求各地区各部门结合实际认真贯彻。
纲要提出，到2035年，国家综合立体交通网实体线网总规模达到70万公里左右，其中铁路20万公里左右。
"""


def test_xinhua_dateline_report() -> None:
    layout, found, _ = policies(XINHUA)
    assert layout == "news_zh"
    (plan,) = found
    assert plan.title_zh == "国家综合立体交通网规划纲要（2021—2035年）"
    assert plan.issuers == ["ccp-central-committee", "state-council"]
    assert plan.date == "2021-02-24"  # the day the sentence states, its year the report's
    assert plan.reported == "2021-02-25"  # the page's own date
    assert plan.period == (2021, 2035)
    assert plan.status == "final"
    assert any(t.value == 700000 and t.year == 2035 for t in plan.targets)


def test_dateline_dates_a_report_whose_address_gives_the_month() -> None:
    text = ("新华社北京2月22日电 国务院日前印发《关于新时代支持革命老区振兴发展的意见》，"
            "提出到2025年革命老区居民收入增长幅度高于全国平均水平。\n")
    _, (opinion,), _ = policies(text, "http://www.example.cn/politics/2021/02/123456.shtml")
    assert opinion.date is None  # 日前 states no day
    assert opinion.reported == "2021-02-22"
    assert opinion.issuers == ["state-council"]


PORTAL = """首页 > 产业 > 正文
工信部就医疗装备产业发展规划征求意见
发布时间：2021-02-19 12:05  来源：证券日报
本报记者 李四
2月19日，工业和信息化部就《医疗装备产业发展规划（2021-2025年）》（征求意见稿）公开征求意见。规划提出，到2025年，规模以上企业营业收入年均增长15%以上。
"""


def test_portal_repost_with_source_and_date_lines() -> None:
    layout, found, _ = policies(PORTAL)
    assert layout == "news_zh"
    (plan,) = found
    assert plan.title_zh == "医疗装备产业发展规划（2021-2025年）"
    assert plan.issuers == ["miit"]
    assert plan.status == "draft"
    assert plan.period == (2021, 2025)
    assert plan.date == "2021-02-19"
    assert plan.reported == "2021-02-19"
    assert any(t.value == 15 and t.unit == "percent" and t.year == 2025 for t in plan.targets)


def test_the_page_fields_are_labelled() -> None:
    document = read_bytes(PORTAL.encode("utf-8"), "page.txt")
    items = analyse(document).items
    fields = items[0].fields
    assert document.text[slice(*fields["source"])] == "证券日报"
    assert document.text[slice(*fields["headline"])] == "工信部就医疗装备产业发展规划征求意见"
    assert document.text[slice(*fields["published"])].startswith("2021-02-19")
    assert analyse(document).title == "工信部就医疗装备产业发展规划征求意见"  # the headline, not the menu


TRADITIONAL = """國務院印發綠色低碳循環發展經濟體系指導意見
時間：2021-02-22 17:30 | 來源：新華社
國務院日前印發《關於加快建立健全綠色低碳循環發展經濟體系的指導意見》（以下簡稱《意見》）。《意見》明確，到2025年，綠色產業比重顯著提升。
《意見》還提出六方面重點任務。
"""


def test_traditional_page_keeps_its_title_as_written() -> None:
    layout, found, text = policies(TRADITIONAL)
    assert layout == "news_zh"
    (opinion,) = found  # the short name 《意見》 is the same policy, not a second one
    assert opinion.title_zh == "關於加快建立健全綠色低碳循環發展經濟體系的指導意見"
    assert opinion.issuers == ["state-council"]
    assert opinion.date is None
    assert opinion.reported == "2021-02-22"
    assert sum(text[s:e] == "《意見》" for s, e in opinion.evidence) >= 3
    assert opinion.instrument == "opinions"


def test_a_page_dated_only_by_its_address(tmp_path: Path) -> None:
    page = tmp_path / "nea.txt"
    page.write_text("近日，国家能源局下发《关于征求2021年可再生能源电力消纳责任权重和2022—2030年预期目标建议的函》，"
                    "提出到2030年全国统一消纳责任权重为40%。\n", encoding="utf-8")
    (tmp_path / "nea.txt.url").write_text("[InternetShortcut]\nURL=http://www.example.org/html/zixun/2021/0210/7551.html\n")
    document = read_file(page)
    assert document.source == "http://www.example.org/html/zixun/2021/0210/7551.html"
    assert document.published == "2021-02-10"
    found = [m for _, m in analyse(document).mentions if m.kind == "policy"]
    (letter,) = found
    assert letter.issuers == ["nea"]
    assert letter.status == "draft"  # a letter asking for comments on the weights
    assert letter.date is None
    assert letter.reported == "2021-02-10"


def test_an_untitled_instrument_and_a_cited_law() -> None:
    text = ("国务院反垄断委员会2月7日制定发布平台经济领域的反垄断指南，强调以《反垄断法》为依据，"
            "对平台经济领域的垄断行为加强监管。\n")
    layout, found, _ = policies(text, "https://www.example.com.sg/finance/china/story20210208-1122623")
    assert layout == "news_zh"
    (guide,) = found  # the law it cites is no record of the report
    assert guide.title_zh == "平台经济领域的反垄断指南"
    assert guide.issuers == ["anti-monopoly-commission"]
    assert guide.date == "2021-02-07"
    assert guide.reported == "2021-02-08"


def test_an_interpretation_records_the_policy_it_interprets() -> None:
    text = ("《工业互联网创新发展行动计划（2021-2023年）》解读发布\n"
            "工业和信息化部官网今天发布《工业互联网创新发展行动计划（2021-2023年）》（简称《三年行动计划》）解读。"
            "自《工业互联网发展行动计划（2018—2020年）》印发以来，我国工业互联网快速发展。前不久，工信部印发《三年行动计划》。\n")
    _, found, _ = policies(text, "http://fc.example.com/kx/2021/0219/7392.html")
    assert [m.title_zh for m in found] == ["工业互联网创新发展行动计划（2021-2023年）"]  # the earlier plan is cited
    assert found[0].issuers == ["miit"]
    assert found[0].period == (2021, 2023)
    assert found[0].reported == "2021-02-19"


def test_an_interpretation_page_titled_by_its_policy() -> None:
    text = ("《基础电子元器件产业发展行动计划（2021—2023年）》解读\n一、编制背景\n"
            "电子元器件是信息技术产业的基础。为此，工业和信息化部制定了行动计划，提出到2023年电子元器件销售总额达到2.1万亿元。\n")
    layout, (plan,), _ = policies(text, "http://www.example.gov.cn/zwgk/2021/0129/1.html")
    assert layout == "news_zh"
    assert plan.title_zh == "基础电子元器件产业发展行动计划（2021—2023年）"
    assert plan.issuers == ["miit"]
    assert plan.reported == "2021-01-29"
    assert [t.value for t in plan.targets] == [2.1e12]


@pytest.mark.parametrize(("text", "issuers", "date", "status"), [
    ("近日，国家发展改革委、工业和信息化部联合印发《关于推动能源电子产业发展的指导意见》。", ["ndrc", "miit"], None, "final"),
    ("《关于推动能源电子产业发展的指导意见》2月5日由工业和信息化部印发。", ["miit"], "2021-02-05", "final"),
    ("国家市场监督管理总局日前发布关于公开征求《网络交易监督管理办法》意见的通知。", ["samr"], None, "draft"),
    ("国务院常务会议审议通过《医疗器械监督管理条例（修订草案）》。", ["state-council"], None, "draft"),
])
def test_reporting_sentences(text: str, issuers: list[str], date: str | None, status: str) -> None:
    layout, (policy,), _ = policies(text + "\n", "http://www.example.cn/news/2021/0219/1.html")
    assert layout == "news_zh"
    assert (policy.issuers, policy.date, policy.status, policy.reported) == (issuers, date, status, "2021-02-19")


def test_a_title_named_in_passing_is_no_record() -> None:
    text = "工信部新闻发言人表示，将认真落实《中华人民共和国数据安全法》，加快工业数据分类分级。\n"
    _, found, _ = policies("新华社北京2月22日电 " + text, "http://www.example.cn/news/2021/0222/1.html")
    assert found == []


@pytest.mark.parametrize(("address", "day"), [
    ("http://www.example.cn/news/2021/0303/1.html", "2021-03-02"),
    ("http://www.example.cn/news/2021/0301/1.html", "2021-02-02"),  # a later day than the report's: last month
])
def test_a_day_named_alone_takes_the_reports_month(address: str, day: str) -> None:
    _, (plan,), _ = policies("国家能源局2日印发《2021年能源工作指导意见》。\n", address)
    assert plan.date == day


def test_reading_aids_are_read_past() -> None:
    text = ("工业和信息化部日前召开新闻发(fā)布会，工信部近日印发(fā)《基础(chǔ)电子元器件产(chǎn)业(yè)"
            "发(fā)展行动计划（2021—2023年）》，提出到2023年电子元器件销售总额达到2.1万亿元。\n")
    _, (plan,), written = policies(text, "http://m.example.cn/news/kj/2021/0201/36164.html")
    assert plan.title_zh == "基础电子元器件产业发展行动计划（2021—2023年）"
    assert plan.issuers == ["miit"]
    assert plan.reported == "2021-02-01"
    assert written[slice(*plan.evidence[0])].startswith("基础(chǔ)电子")  # places in the text as written


OFFICIAL_REPOST = """当前位置：首页 > 政策
发布时间：2021-02-20
国务院关于新时代支持革命老区振兴发展的意见
国发〔2021〕3号
各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
为支持革命老区在新发展阶段巩固拓展脱贫攻坚成果，根据《中华人民共和国乡村振兴促进法》有关规定，现提出以下意见。
到2025年，革命老区基础设施和基本公共服务进一步改善。
国务院
2021年1月24日
"""


def test_a_full_official_text_on_a_portal_is_read_as_the_official_text() -> None:
    layout, found, _ = policies(OFFICIAL_REPOST)
    assert layout == "official"
    main = found[0]
    assert main.title_zh == "国务院关于新时代支持革命老区振兴发展的意见"
    assert main.doc_number == "国发〔2021〕3号"
    assert main.date == "2021-01-24"  # its date of writing
    assert main.reported == "2021-02-20"  # the page's date
    assert all(m.reported is None for m in found[1:])  # what it cites was not reported that day


@pytest.mark.parametrize(("address", "day"), [
    ("http://fc.example.com/kx/2021/0219/7392.html", "2021-02-19"),
    ("http://www.example.com/cj/2021/02-03/9403970.shtml", "2021-02-03"),
    ("https://www.example.com/2021/02/25/china-to-create/", "2021-02-25"),
    ("http://english.example.gov.cn/policies/202102/24/content_WS60.html", "2021-02-24"),
    ("https://example.cn/more/202102/t20210204_2964861.shtml", "2021-02-04"),
    ("http://example.cn/finance/2021-02-19/A1613723793612.html", "2021-02-19"),
    ("https://www.example.com.sg/finance/china/story20210208-1122623", "2021-02-08"),
    ("http://example.cn/jnhb/zcdt/20210202/49784.html", "2021-02-02"),
    ("https://en.example.org/en/xwzx/fmdt/2021022215043438821/index.html", "2021-02-22"),
    ("http://big5.example.com.cn/gate/big5/m.example.cn/a/2021/xiangzhen_0222/1026111.html", "2021-02-22"),
    ("http://example.com.cn/news/zj/2021/02/1716809.shtml", "2021-02"),
    ("http://www.example.com/news/59722.html", None),
    ("http://example.com/x/2021/1399/a.html", None),  # no such month
    ("/data/pages/2021/0219/7392.txt", None),  # a file path is no address
])
def test_dates_in_addresses(address: str, day: str | None) -> None:
    assert address_date(address) == day


def test_sidecar_address(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text("<p>x</p>")
    assert sidecar_address(page) is None
    (tmp_path / "page.html.url").write_text("http://www.example.cn/a/2021/0219/1.html\n")
    assert sidecar_address(page) == "http://www.example.cn/a/2021/0219/1.html"


def test_a_policy_is_reported_on_the_earliest_day_of_its_mentions() -> None:
    members = [MentionRecord(1, "a", 1, "policy", {"title_zh": "某规划", "reported": "2021-03-17"}),
               MentionRecord(2, "b", 2, "policy", {"title_zh": "某规划", "reported": "2021-02-25"}),
               MentionRecord(3, "c", 3, "policy", {"title_zh": "某规划"})]
    fields, _ = merge_fields(members)
    assert fields["reported"] == "2021-02-25"


def test_a_sidecar_is_no_document(tmp_path: Path) -> None:
    from policywatch.api import expand_paths

    (tmp_path / "page.txt").write_text("近日，科技部印发《国家高新区绿色发展专项行动实施方案》。\n", encoding="utf-8")
    (tmp_path / "page.txt.url").write_text("http://www.example.com/news/2021/0202/1.html\n")
    named, missing = expand_paths([tmp_path / "page.txt", tmp_path / "page.txt.url"])
    assert named == [tmp_path / "page.txt"] and not missing
    assert expand_paths([str(tmp_path / "page.*")])[0] == [tmp_path / "page.txt"]
    assert expand_paths([tmp_path])[0] == [tmp_path / "page.txt"]


def test_a_report_naming_thousands_of_titles_stays_bounded() -> None:
    text = "新华社北京2月3日电\n" + "".join(f"工信部印发《第{i}号行动计划》（以下简称《计划{i}》）。" for i in range(1000)) + "\n"
    layout, found, _ = policies(text)
    assert layout == "news_zh"
    assert len(found) == 200  # MAX_RECORDS: a hostile page cannot make the work grow with its square
    assert found[0].title_zh == "第0号行动计划" and found[0].issuers == ["miit"]
