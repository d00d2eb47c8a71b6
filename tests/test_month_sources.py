"""Rules found by reading a second month's real sources (February 2020) end to end: a news source's day is not the
policy's, a count of bodies is no body, a signature run into a flattened page still dates the text, and an official
text's date outvotes the day a report of it gives. The texts are written for these tests from public facts."""

from __future__ import annotations

from policywatch.extract.agencies import issuing_bodies
from policywatch.model import Mention
from policywatch.pipeline import analyse
from policywatch.read import read_bytes
from policywatch.resolve.clustering import MentionRecord, merge_fields


def policies(text: str, address: str | None = None) -> list[Mention]:
    """The policy records of a text saved as a .txt page."""
    document = read_bytes(text.encode("utf-8"), "page.txt", address=address)
    return [m for _, m in analyse(document).mentions if m.kind == "policy"]


SOURCE_DAY = """八部门印发煤矿智能化指导意见
发布时间：2020-03-03
据国家发展改革委3月2日消息，近日，国家发展改革委、国家能源局等八部门联合印发《关于加快煤矿智能化发展的指导意见》，\
提出到2025年大型煤矿基本实现智能化。
"""


def test_a_news_sources_day_is_the_reports_not_the_policys() -> None:
    (plan,) = policies(SOURCE_DAY)
    assert plan.title_zh == "关于加快煤矿智能化发展的指导意见"
    assert plan.date is None  # 3月2日消息 dates the news; 近日 states no day of issue
    assert plan.reported == "2020-03-03"


def test_a_count_of_bodies_is_no_body() -> None:
    text = "发改委、工信部等11个部委联合公布了《智能汽车创新发展战略》"
    assert [a.id for a in issuing_bodies(text)] == ["ndrc", "miit"]
    assert [a.id for a in issuing_bodies("国家发展改革委等十一部委印发")] == ["ndrc"]


FLATTENED = """工业设备上云实施指南（试行）
添加时间：2023-05-16
工信部办公厅关于印发《工业设备上云实施指南（试行）》的通知
工信厅信发〔2020〕11号
各地工信主管部门，各有关企业：现将《工业设备上云实施指南（试行）》发给你们，\
望遵照办理。 工信部办公厅 2020 年 2 月 18 日
工业设备上云实施指南（试行）
一、适用范围
本指南供企业推进设备上云时参照使用。
"""


def test_a_signature_run_into_the_last_line_still_dates_the_notice() -> None:
    found = policies(FLATTENED)
    guide = next(m for m in found if m.title_zh == "工业设备上云实施指南（试行）")
    assert guide.date == "2020-02-18"
    assert guide.issuers == ["miit"]


def test_the_texts_own_date_outvotes_a_reports() -> None:
    members = [MentionRecord(1, "a", 1, "policy", {"title_zh": "某指南", "date": "2020-03-04"}),
               MentionRecord(2, "b", 2, "policy", {"title_zh": "某指南", "date": "2020-03-04"}),
               MentionRecord(3, "c", 3, "policy", {"title_zh": "某指南", "date": "2020-02-18",
                                                   "doc_number": "工信厅信发〔2020〕11号"})]
    fields, conflicts = merge_fields(members)
    assert fields["date"] == "2020-02-18"
    assert not [c for c in conflicts if c["field"] == "date"]


def test_reports_that_disagree_remain_a_conflict() -> None:
    members = [MentionRecord(1, "a", 1, "policy", {"title_zh": "某指南", "date": "2020-03-04"}),
               MentionRecord(2, "b", 2, "policy", {"title_zh": "某指南", "date": "2020-02-18"})]
    _, conflicts = merge_fields(members)
    assert [c["field"] for c in conflicts] == ["date"]


def test_a_defined_short_name_is_no_title() -> None:
    from policywatch.extract.titles import quoted_titles

    text = ("In January 2018 the NDRC issued a draft Strategy for Innovation and Development of Intelligent Vehicles "
            "(the “2018 Draft”) and on 24 February 2020 eleven departments issued the “Smart Car Innovation and "
            "Development Strategy” (hereinafter referred to as the “Strategy 2020”).")
    assert [t for t, _, _ in quoted_titles(text)] == ["Smart Car Innovation and Development Strategy"]


def test_how_many_bodies_issued_a_plan_is_no_target() -> None:
    from policywatch.extract.targets import find_targets
    from policywatch.extract.targets_zh import find_targets_zh

    zh = find_targets_zh("发改委、工信部等11个部委联合公布了《智能汽车创新发展战略》，提出到2025年实现规模化生产。")
    assert [(t.value, t.year) for t in zh] == [(None, 2025)]
    assert [t.value for t in find_targets_zh("国家发展改革委等八部门印发意见，到2025年建成智能化示范煤矿100处。")] == [100]
    en = find_targets("11 Chinese ministries and commissions such as the NDRC have jointly issued the strategy, which "
                      "calls for 30 smart factories by 2025.", 0, None)
    assert [(t.value, t.unit, t.year) for t in en] == [(30.0, "factories", 2025)]


def test_a_paraphrased_title_ends_before_the_day() -> None:
    from policywatch.extract.titles import described_title

    assert described_title("The ministry issued guidelines on industrial data classification on February 27, 2020.") \
        == "Guidelines on industrial data classification"
    assert described_title("MIIT released a plan on 5G applications on Sept. 4.") == "Plan on 5G applications"


WRAPPED_INTERPRETATION = """政策文件
《关于运用新一代信息技术支撑服务疫情防控
和复工复产工作的通知》解读
一、目的
充分运用大数据、人工智能、云计算等新一代信息技术，支撑疫情防控和企业复工复产。
"""


def test_a_title_wrapped_onto_the_next_line_is_one_title() -> None:
    (notice,) = policies(WRAPPED_INTERPRETATION)
    assert notice.title_zh == "关于运用新一代信息技术支撑服务疫情防控和复工复产工作的通知"


def test_a_calendar_leaf_dates_the_page() -> None:
    from policywatch.read.metadata import find_published

    assert find_published("24\n2020\n-\n02\nThe ministry has issued guiding opinions.") == "2020-02-24"
    assert find_published("2020-02\n24\nThe ministry has issued guiding opinions.") == "2020-02-24"
    assert find_published("31\n2021\n-\n02\nNo such day.") is None
    assert find_published("12\nThe ministry has issued 12 notices.") is None


def test_a_full_stop_inside_the_quotes_is_no_part_of_the_title() -> None:
    from policywatch.extract.titles import quoted_titles

    text = 'MIIT has issued the "Guiding Opinions on Orderly Resumption of Work in the Industrial Sector."'
    assert [t for t, _, _ in quoted_titles(text)] == ["Guiding Opinions on Orderly Resumption of Work in the Industrial Sector"]


COUNTED_ISSUERS = """China releases plan for autonomous vehicles

China signalled its ambitions when on 24 February 2020 eleven central level Chinese governmental departments jointly \
issued the Strategy for Innovation and Development of Intelligent Vehicles (the “Strategy”).

In January 2018 the National Development and Reform Commission had issued a draft Strategy for Innovation and \
Development of Intelligent Vehicles (the “2018 Draft”) for public comment.
"""


def test_a_story_that_counts_its_issuers_still_reports_the_policy() -> None:
    found = policies(COUNTED_ISSUERS)
    assert [(m.title_en, m.date, m.status) for m in found] == [
        ("Strategy for Innovation and Development of Intelligent Vehicles", "2020-02-24", "final"),
        ("Strategy for Innovation and Development of Intelligent Vehicles", "2018-01", "draft")]
    assert found[1].issuers == ["ndrc"]


STANDARD_REPORT = """GB/T 38664-2020《数据安全技术 云存储服务安全规范》正式发布
市场监管总局、国家标准委发布国家标准公告(2020年第2号),国家标准GB/T 38664-2020《数据安全技术 \
云存储服务安全规范》正式发布,实施日期为2020年9月1日。
该标准代替GB/T 38664-2016,增加了密钥管理的要求。
"""


def test_a_reported_standard_is_a_policy_and_its_effective_date_dates_no_page() -> None:
    from policywatch.read.metadata import find_published

    (spec,) = policies(STANDARD_REPORT)
    assert spec.title_zh == "数据安全技术云存储服务安全规范"
    assert spec.instrument == "standard"
    assert spec.reported is None  # 2020-09-01 is when it takes effect, not when the page was written
    assert find_published("Effective date: 2021-05-01\nThe rules were issued.") is None
    assert find_published("实施日期为2020年9月1日\n2020年3月10日") == "2020-03-10"


TRANSLATED_ANNOUNCEMENT = """Special Provisions on Share Reduction by Venture Capital Fund Shareholders of Listed Companies

Announcement of the China Securities Regulatory Commission [2020] No. 17

March 6, 2020

The Special Provisions on Share Reduction by Venture Capital Fund Shareholders of Listed Companies (Revised in \
2020) are hereby promulgated and take effect on March 31, 2020.

Article 1 These provisions support venture capital funds that invest for the long term.
"""


def test_an_english_translation_of_an_announcement_is_its_policy() -> None:
    (provisions,) = policies(TRANSLATED_ANNOUNCEMENT)
    assert provisions.title_en == "Special Provisions on Share Reduction by Venture Capital Fund Shareholders of Listed Companies"
    assert provisions.issuers == ["csrc"]
    assert provisions.date == "2020-03-06"


def test_the_body_responsible_for_a_standard_does_not_issue_it() -> None:
    responsible = "全国数据安全标准工作委员会归口的国家标准GB/T 38664-2020《"
    (spec,) = policies(STANDARD_REPORT.replace("国家标准GB/T 38664-2020《", responsible))
    assert spec.issuers == ["samr", "sac"]
    from policywatch.extract.news_zh import RESPONSIBLE

    kept = "市场监管总局发布由全国数据安全标准工作委员会归口的标准"
    assert RESPONSIBLE.search(kept).group() == "全国数据安全标准工作委员会归口"
