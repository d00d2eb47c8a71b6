"""Whole documents the team wrote, one per layout family: segmentation, records and their evidence."""

from __future__ import annotations

from pathlib import Path

import pytest

from policywatch import api
from policywatch.model import Mention
from tests.conftest import EXAMPLES, SHARED

DATA = Path(__file__).parent / "data"


def records(path: Path) -> tuple[str, str, list[Mention]]:
    doc, analysis = api.extract(path)
    return doc.text, analysis.layout, [m for _, m in analysis.mentions]


def by_title(mentions: list[Mention], words: str) -> Mention:
    return next(m for m in mentions if m.title_en and words in m.title_en)


def test_monthly_briefing_top_items_and_news_lists() -> None:
    text, layout, found = records(DATA / "monthly-2022-01.md")
    assert layout == "monthly"
    assert [m.kind for m in found] == ["policy"] * 5 + ["event"] * 2
    digital = by_title(found, "Digital Economy")
    assert digital.title_zh == "“十四五”数字经济发展规划"
    assert (digital.issuers, digital.date, digital.status) == (["state-council"], "2022-01-12", "final")
    assert [(t.value, t.year) for t in digital.targets] == [(10, 2025), (60_000_000, 2025)]
    algorithms = by_title(found, "Algorithmic")
    assert algorithms.issuers == ["cac", "miit", "mps", "samr"]
    assert algorithms.date_effective == "2022-03-01"
    robots = by_title(found, "Robot")
    assert robots.status == "draft" and robots.date == "2021-12-28"  # a December item in a January briefing
    negative_list = found[3]
    assert negative_list.issuers == ["ndrc", "mofcom"] and negative_list.date == "2021-12-27"
    assert negative_list.date_effective == "2022-01-01"
    assert found[4].status == "draft"
    ipo = found[6]
    assert ipo.companies == ["SenseTime"] and ipo.event_type == "IPO"
    assert [(a.value, a.currency) for a in ipo.amounts] == [(5.55e9, "HKD")]
    assert found[5].companies == ["Didi"]
    # every record cites text that says what it claims
    for mention in found:
        for start, end in mention.evidence:
            assert 0 <= start < end <= len(text)
    assert "SenseTime" in text[ipo.evidence[0][0]:ipo.evidence[0][1]]


def test_weekly_brief_merges_the_analysis_into_its_bullet() -> None:
    text, layout, found = records(DATA / "weekly-brief.txt")
    assert layout == "brief"
    policies = [m for m in found if m.kind == "policy"]
    assert len(policies) == 3
    market = policies[0]
    assert market.issuers == ["state-council"] and len(market.evidence) == 2
    assert "unified" in text[market.evidence[1][0]:market.evidence[1][1]]
    assert policies[1].issuers == ["mofcom"]
    assert policies[2].issuers == ["spc"]  # the bullet names its court under a heading that is no agency
    people = [m for m in found if m.kind == "personnel"]
    assert [(p.person_en, p.person_zh, p.change) for p in people] == [
        ("Jin Zhuanglong", "金壮龙", "appointed"), ("Xiao Yaqing", "肖亚庆", "left")]
    assert people[1].organization == "miit"


def test_chinese_official_notice() -> None:
    _, layout, found = records(EXAMPLES / "notice-genai-measures-gb18030.txt")
    assert layout == "law"  # an order promulgating rules is read by the law reader, its adoption an earlier step
    (notice,) = found
    assert notice.title_zh == "生成式人工智能服务管理暂行办法"
    assert notice.doc_number == "国家互联网信息办公室等七部门令第15号"  # an order is named with its number
    assert notice.issuers[0] == "cac" and {"ndrc", "miit", "most"} <= set(notice.issuers)
    assert (notice.date, notice.date_effective, notice.instrument) == ("2023-07-10", "2023-08-15", "measures")


def test_news_page_title_targets_from_following_sentence() -> None:
    _, layout, found = records(EXAMPLES / "news-page.html")
    assert layout == "generic"
    (plan,) = found
    assert plan.title_en == "Work Plan for Stabilising Growth in the Automotive Industry (2023-2024)"
    assert plan.title_zh == "汽车行业稳增长工作方案（2023—2024年）"
    assert plan.period == (2023, 2024)
    assert (27_000_000, 2023) in [(t.value, t.year) for t in plan.targets]


def test_pdf_brief_keeps_offsets_across_pages() -> None:
    text, layout, found = records(EXAMPLES / "weekly-brief-2023-08-14.pdf")
    assert layout == "brief"
    cac = next(m for m in found if m.issuers == ["cac"])
    assert cac.status == "draft" and cac.date == "2023-08-03"
    assert text[cac.evidence[0][0]:cac.evidence[0][1]].startswith("- draft rules")


@pytest.mark.skipif(not (SHARED / "gold" / "dev.jsonl").exists(), reason="../shared/gold is not beside the project")
def test_shared_corpus_scores_above_the_bar() -> None:
    result = api.evaluate(SHARED / "gold" / "dev.jsonl", SHARED / "corpus")
    assert result["records"]["f1"] >= 0.95
    assert result["fields"]["f1"] >= 0.90


def test_pdf_style_brief_with_wrapped_lines_and_link_blocks() -> None:
    text, layout, found = records(DATA / "weekly-brief-pdf.txt")
    assert layout == "brief"
    policies = [m for m in found if m.kind == "policy"]
    assert len(policies) == 4  # the corporate analysis (no agency acting) adds no record
    computing = policies[0]
    assert computing.issuers == ["miit"] and computing.date == "2023-10-08"  # year from the cited links
    assert [(t.value, t.unit, t.year) for t in computing.targets] == [(300, "eflops", 2025)]
    assert len(computing.evidence) == 2 and text[computing.evidence[1][0]:].startswith("The Ministry")
    assert policies[1].status == "draft"
    assert policies[2].issuers == ["pboc"]
    assert policies[3].issuers == ["shanghai-government"]  # a city acting under a heading that is no agency
    assert [(a.value, a.currency) for a in policies[3].amounts] == [(1e10, "CNY")]
    (person,) = [m for m in found if m.kind == "personnel"]
    assert (person.person_zh, person.organization, person.role, person.date) == ("郑栅洁", "ndrc", "head", "2023-03")


def test_monthly_briefing_variants() -> None:
    """Top items without a policy name, plural issuing bodies, a month-only date, passive issuers, other lists."""
    _, layout, found = records(DATA / "monthly-2024-03.md")
    assert layout == "monthly"
    assert [m.kind for m in found] == ["policy", "event", "policy", "policy", "policy", "event", "event"]
    renewal, catl, data_rules, report, robots, probe, xiaomi = found
    assert [(t.value, t.comparator, t.year) for t in renewal.targets] == [(25, ">", 2027), (90, None, 2027)]
    assert catl.companies == ["CATL"] and catl.date == "2024-03-20"
    assert [(a.value, a.currency) for a in catl.amounts] == [(7.3e9, "EUR")]
    assert data_rules.date == "2024-03" and data_rules.status == "final"  # "replacing a draft" is its past
    assert [(t.value, t.year) for t in report.targets] == [(5, 2024)]
    assert robots.issuers == ["miit"]  # "… is released by the MIIT"
    assert probe.date == "2024-03-12" and probe.companies == []
    assert "Xiaomi" in xiaomi.companies


def test_chinese_joint_notice_with_document_number() -> None:
    _, layout, found = records(DATA / "notice-icv-gb18030.txt")
    assert layout == "official"
    (notice,) = found
    assert notice.title_zh == "关于开展智能网联汽车准入和上路通行试点工作的通知"
    assert notice.doc_number == "工信部联通装〔2023〕217号"
    assert notice.issuers == ["miit", "mps", "mohurd", "mot"]
    assert (notice.date, notice.instrument) == ("2023-11-17", "notice")
    assert "autonomous-driving" in notice.technologies


def test_brief_ignores_running_page_headers(tmp_path: Path) -> None:
    header = "Weekly Tech Brief | page header"
    text = "\n".join([
        "Policy", "", "In Brief", "", "Ministry of Commerce", "",
        "- export licence rules for gallium updated", "", header, "",
        "- new list of dual-use items published", "", header, "",
        "National Energy Administration", "", "- grid storage guidelines issued", "", header, "",
        "Personnel:", "", "Wang Wentao (王文涛) was appointed minister of MOFCOM on December 24.", "",
    ]) + "\n"
    path = tmp_path / "brief.txt"
    path.write_text(text, encoding="utf-8")
    _, layout, found = records(path)
    assert layout == "brief"
    assert [m.issuers for m in found if m.kind == "policy"] == [["mofcom"], ["mofcom"], ["nea"]]


def test_brief_corporate_in_brief_list_under_company_headings(tmp_path: Path) -> None:
    text = "\n".join([
        "Policy", "", "In Brief", "", "State Council", "", "- opinions on the low-altitude economy issued", "",
        "Corporate", "", "In Brief", "", "BYD", "", "- opened a car plant in Szeged, Hungary", "",
        "Personnel:", "", "Li Lecheng (李乐成) was appointed minister of MIIT on June 28.", "",
    ]) + "\n"
    path = tmp_path / "brief.txt"
    path.write_text(text, encoding="utf-8")
    _, layout, found = records(path)
    assert layout == "brief"
    assert [m.kind for m in found] == ["policy", "event", "personnel"]
    assert found[0].issuers == ["state-council"] and found[1].companies[0] == "BYD"


def test_top_item_restated_in_the_news_list_is_one_record(tmp_path: Path) -> None:
    text = "\n".join([
        "JUNE 3, 2024 (REPORTING PERIOD: MAY 1 - 31)", "", "## TOP 1", "",
        "### 1. Rules for humanoid robots", "",
        "**Policy name:** Guidelines on Humanoid Robot Standards", "", "**Issuing body:** MIIT", "",
        "**Date:** May 14, 2024", "", "**At a glance:** The MIIT published guidelines on humanoid robot standards.", "",
        "## WORTH NOTING", "", "### Policy news", "",
        "- *May 14:* The MIIT publishes guidelines on standards for humanoid robots",
        "- *May 14:* The MIIT publishes a notice on 5G network slicing fees", "",
    ]) + "\n"
    path = tmp_path / "monthly.md"
    path.write_text(text, encoding="utf-8")
    _, layout, found = records(path)
    assert layout == "monthly"
    assert len(found) == 2
    assert len(found[0].evidence) == 2 and found[0].title_en == "Guidelines on Humanoid Robot Standards"


def test_a_sentence_repeated_word_for_word_is_one_record_with_every_place(tmp_path: Path) -> None:
    undated = "The MIIT issued a plan to build 300 digital workshops by 2026. "
    dated = "On March 5, 2024, the NDRC released measures on hydrogen refuelling stations. "
    text = (undated * 400) + "\n\n" + (dated * 400) + "\n"
    path = tmp_path / "repeated.txt"
    path.write_text(text, encoding="utf-8")
    _, _, found = records(path)
    policies = [m for m in found if m.kind == "policy"]
    assert len(policies) == 2
    for policy, sentence in zip(policies, (undated, dated), strict=True):
        assert len(policy.evidence) == 400
        assert all(text[s:e].strip() in sentence for s, e in policy.evidence)
        assert " | " not in (policy.summary or "")  # the places add nothing to the words


def test_restatements_and_goals_repeated_thousands_of_times_stay_bounded(tmp_path: Path) -> None:
    from policywatch.extract import SUMMARY_LIMIT
    from policywatch.extract.targets import MAX_TARGETS

    restated = "".join(f"On March 5, 2024, the NDRC released measures on hydrogen stations, part {i}. "
                       for i in range(3000))
    goals = "The MIIT issued a plan on charging piles. " + "".join(
        f"The plan aims to build {i + 10} charging stations by 2025. " for i in range(3000))
    for name, text in (("restated.txt", restated), ("goals.txt", goals)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    _, _, restatements = records(tmp_path / "restated.txt")
    (policy,) = [m for m in restatements if m.kind == "policy"]
    assert len(policy.evidence) == 3000 and len(policy.summary or "") < SUMMARY_LIMIT + 200
    _, _, with_goals = records(tmp_path / "goals.txt")
    (plan,) = [m for m in with_goals if m.kind == "policy"]
    assert len(plan.targets) == MAX_TARGETS and plan.targets[0].value == 10


def test_report_front_matter_captions_footnotes_and_company_news_are_no_policies() -> None:
    from policywatch.extract import extract_mentions
    from policywatch.segment import report

    text = ("This edition of the report updates an earlier study published in 2021 on robotics policy.\n\n"
            "Table 3 Support measures announced in 2020: rate cut of 30 bps, reserve ratio cut of 50 bps.\n\n"
            "In 2021, the MIIT issued a plan that aims for 500 smart factories by the end of 2025.12 "
            "The SAC/TC 28 committee was announced in 2019 with 40 members.\n\n"
            "The leading carrier, China Mobile Co., announced plans to build 600,000 base stations by 2023.\n")
    found = [m for _, m in extract_mentions(text, "report", report.segment(text))]
    assert [m.issuers for m in found if m.kind == "policy"] == [["miit"]]
    (plan,) = found
    # the footnote marker glued to 2025 is neither a goal nor part of the year
    assert [(t.value, t.year) for t in plan.targets] == [(500, 2025)]
