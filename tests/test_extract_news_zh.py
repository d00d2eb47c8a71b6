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


XINHUA = """内河航道网络布局规划纲要公布
2022-03-15 07:45 来源：新华网
新华社北京3月14日电（记者 赵晓雨）中共中央、国务院3月14日印发《国家内河航道网络布局规划纲要（2022—2040年）》，\
要求各地区各部门抓好落实。
纲要明确，到2040年，全国高等级内河航道总里程达到3.5万公里左右，其中干线航道1.8万公里左右。
"""


def test_xinhua_dateline_report() -> None:
    layout, found, _ = policies(XINHUA)
    assert layout == "news_zh"
    (plan,) = found
    assert plan.title_zh == "国家内河航道网络布局规划纲要（2022—2040年）"
    assert plan.issuers == ["ccp-central-committee", "state-council"]
    assert plan.date == "2022-03-14"  # the day the sentence states, its year the report's
    assert plan.reported == "2022-03-15"  # the page's own date
    assert plan.period == (2022, 2040)
    assert plan.status == "final"
    assert any(t.value == 35000 and t.year == 2040 for t in plan.targets)


def test_dateline_dates_a_report_whose_address_gives_the_month() -> None:
    text = ("新华社北京3月9日电 国务院日前印发《关于支持边境地区高质量发展的意见》，"
            "明确到2027年边境地区城乡居民人均收入稳步提高。\n")
    _, (opinion,), _ = policies(text, "http://www.example.cn/politics/2022/03/604718.shtml")
    assert opinion.date is None  # 日前 states no day
    assert opinion.reported == "2022-03-09"
    assert opinion.issuers == ["state-council"]


PORTAL = """首页 > 行业 > 正文
工信部就智能检测装备产业规划征求意见
发布时间：2022-05-12 16:20  来源：经济参考报
本报记者 周五
5月12日，工信部就《智能检测装备产业提升规划（2022-2026年）》（征求意见稿）向社会征求意见。规划明确，到2026年，行业营业收入年均增长12%以上。
"""


def test_portal_repost_with_source_and_date_lines() -> None:
    layout, found, _ = policies(PORTAL)
    assert layout == "news_zh"
    (plan,) = found
    assert plan.title_zh == "智能检测装备产业提升规划（2022-2026年）"
    assert plan.issuers == ["miit"]
    assert plan.status == "draft"
    assert plan.period == (2022, 2026)
    assert plan.date == "2022-05-12"
    assert plan.reported == "2022-05-12"
    assert any(t.value == 12 and t.unit == "percent" and t.year == 2026 for t in plan.targets)


def test_the_page_fields_are_labelled() -> None:
    document = read_bytes(PORTAL.encode("utf-8"), "page.txt")
    items = analyse(document).items
    fields = items[0].fields
    assert document.text[slice(*fields["source"])] == "经济参考报"
    assert document.text[slice(*fields["headline"])] == "工信部就智能检测装备产业规划征求意见"
    assert document.text[slice(*fields["published"])].startswith("2022-05-12")
    assert analyse(document).title == "工信部就智能检测装备产业规划征求意见"  # the headline, not the menu


TRADITIONAL = """國務院印發城鄉供水一體化指導意見
時間：2022-04-11 09:45 | 來源：新華社
國務院近日印發《關於加快推進城鄉供水一體化建設的指導意見》（以下簡稱《意見》）。《意見》要求，到2027年，農村自來水普及率明顯提高。
《意見》同時部署了五項主要任務。
"""


def test_traditional_page_keeps_its_title_as_written() -> None:
    layout, found, text = policies(TRADITIONAL)
    assert layout == "news_zh"
    (opinion,) = found  # the short name 《意見》 is the same policy, not a second one
    assert opinion.title_zh == "關於加快推進城鄉供水一體化建設的指導意見"
    assert opinion.issuers == ["state-council"]
    assert opinion.date is None
    assert opinion.reported == "2022-04-11"
    assert sum(text[s:e] == "《意見》" for s, e in opinion.evidence) >= 3
    assert opinion.instrument == "opinions"


def test_a_page_dated_only_by_its_address(tmp_path: Path) -> None:
    page = tmp_path / "nea.txt"
    page.write_text("近日，国家能源局印发《关于征求2023年分布式光伏接网承载能力评估办法意见的函》，"
                    "提出到2030年各省份评估覆盖率达到90%。\n", encoding="utf-8")
    (tmp_path / "nea.txt.url").write_text("[InternetShortcut]\nURL=http://www.example.org/html/zixun/2023/0315/8604.html\n")
    document = read_file(page)
    assert document.source == "http://www.example.org/html/zixun/2023/0315/8604.html"
    assert document.published == "2023-03-15"
    found = [m for _, m in analyse(document).mentions if m.kind == "policy"]
    (letter,) = found
    assert letter.issuers == ["nea"]
    assert letter.status == "draft"  # a letter asking for comments on the weights
    assert letter.date is None
    assert letter.reported == "2023-03-15"


def test_an_untitled_instrument_and_a_cited_law() -> None:
    text = ("市场监管总局3月6日制定发布网络直播营销活动的合规指南，要求以《广告法》为依据，"
            "对直播营销中的虚假宣传从严整治。\n")
    layout, found, _ = policies(text, "https://www.example.com.sg/finance/china/story20220307-2260481")
    assert layout == "news_zh"
    (guide,) = found  # the law it cites is no record of the report
    assert guide.title_zh == "网络直播营销活动的合规指南"
    assert guide.issuers == ["samr"]
    assert guide.date == "2022-03-06"
    assert guide.reported == "2022-03-07"


def test_an_interpretation_records_the_policy_it_interprets() -> None:
    text = ("《工业软件创新发展三年行动计划（2022-2024年）》解读刊发\n"
            "工业和信息化部网站当天刊发《工业软件创新发展三年行动计划（2022-2024年）》（简称《三年行动计划》）的解读。"
            "《工业软件发展行动计划（2019—2021年）》实施三年来，我国工业软件产业稳步壮大。日前，工信部印发《三年行动计划》。\n")
    _, found, _ = policies(text, "http://fc.example.com/kx/2022/0308/8415.html")
    assert [m.title_zh for m in found] == ["工业软件创新发展三年行动计划（2022-2024年）"]  # the earlier plan is cited
    assert found[0].issuers == ["miit"]
    assert found[0].period == (2022, 2024)
    assert found[0].reported == "2022-03-08"


def test_an_interpretation_page_titled_by_its_policy() -> None:
    text = ("《智能传感器产业培育行动计划（2022—2024年）》解读\n一、起草背景\n"
            "传感器是感知设备的核心部件。据此，工业和信息化部制定了本计划，明确到2024年智能传感器产业规模突破3500亿元。\n")
    layout, (plan,), _ = policies(text, "http://www.example.gov.cn/zwgk/2022/0411/1.html")
    assert layout == "news_zh"
    assert plan.title_zh == "智能传感器产业培育行动计划（2022—2024年）"
    assert plan.issuers == ["miit"]
    assert plan.reported == "2022-04-11"
    assert [t.value for t in plan.targets] == [3.5e11]


@pytest.mark.parametrize(("text", "issuers", "date", "status"), [
    ("近日，国家发展改革委、工业和信息化部联合印发《关于推动能源电子产业发展的指导意见》。", ["ndrc", "miit"], None, "final"),
    ("《关于推动能源电子产业发展的指导意见》2月5日由工业和信息化部印发。", ["miit"], "2021-02-05", "final"),
    ("市场监管总局日前发布关于公开征求《直播电商经营行为规范》意见的通知。", ["samr"], None, "draft"),
    ("国务院常务会议审议通过《城市供水条例（修订草案）》。", ["state-council"], None, "draft"),
])
def test_reporting_sentences(text: str, issuers: list[str], date: str | None, status: str) -> None:
    layout, (policy,), _ = policies(text + "\n", "http://www.example.cn/news/2021/0219/1.html")
    assert layout == "news_zh"
    assert (policy.issuers, policy.date, policy.status, policy.reported) == (issuers, date, status, "2021-02-19")


def test_a_title_named_in_passing_is_no_record() -> None:
    text = "工信部有关负责人称，要对照《标准化法》，推进工业标准体系建设。\n"
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
    text = ("工业和信息化部当天举行新闻发(fā)布会，工信部日前印发(fā)《智能传(chuán)感器产(chǎn)业(yè)"
            "培育行动计(jì)划（2022—2024年）》，明确到2024年智能传感器产业规模突破3500亿元。\n")
    _, (plan,), written = policies(text, "http://m.example.cn/news/kj/2022/0412/48207.html")
    assert plan.title_zh == "智能传感器产业培育行动计划（2022—2024年）"
    assert plan.issuers == ["miit"]
    assert plan.reported == "2022-04-12"
    assert written[slice(*plan.evidence[0])].startswith("智能传(chuán)感")  # places in the text as written


OFFICIAL_REPOST = """当前位置：首页 > 文件
发布时间：2022-06-20
国务院关于支持边境地区高质量发展的意见
国发〔2022〕17号
各有关省（区）人民政府，国务院相关部门和单位：
为推动边境地区兴边富民、稳边固边，按照《国务院关于加强边境地区基础设施建设的若干意见》的部署，特提出如下意见。
到2027年，边境地区交通、供水和通信条件明显好转。
国务院
2022年6月8日
"""


def test_a_full_official_text_on_a_portal_is_read_as_the_official_text() -> None:
    layout, found, _ = policies(OFFICIAL_REPOST)
    assert layout == "official"
    main = found[0]
    assert main.title_zh == "国务院关于支持边境地区高质量发展的意见"
    assert main.doc_number == "国发〔2022〕17号"
    assert main.date == "2022-06-08"  # its date of writing
    assert main.reported == "2022-06-20"  # the page's date
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
    ("http://example.com.cn/news/zj/2022/05/2830417.shtml", "2022-05"),
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

    (tmp_path / "page.txt").write_text("近日，科技部印发《国家高新区数字化转型专项推进方案》。\n", encoding="utf-8")
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
