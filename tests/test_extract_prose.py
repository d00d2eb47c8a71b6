"""English prose, long reports and wire stories the team wrote: one record per policy, fields as journalists state them."""

from __future__ import annotations

from policywatch.extract import extract_mentions
from policywatch.extract.report import acronyms, names_in
from policywatch.extract.titles import described_title
from policywatch.model import Mention
from policywatch.segment import news, report

REPORT = (
    "In 2015, the State Council issued the ‘Made in China 2025’ (MIC 2025) strategy to upgrade industry. "
    "The strategy sets goals for ten sectors, from robotics to new materials. "
    "It came as part of the 13th Five-Year Plan, meant to make the country a leading manufacturer.\n\n"
    "The Ministry of Industry and Information Technology (MIIT) is the main regulator of manufacturing and "
    "telecommunications. It acts as a think-tank for the State Council on industrial questions.\n\n"
    "Wübbeke et al. 2016.\nassessments and proposals on the future of the sector were also prepared by it.\n\n"
    "In 2019, the MIIT issued a notice on industrial internet pilots aimed at building 50 pilot platforms by 2022. "
    "The revised rules have been in force since March 2020.\n\n"
    "The National Integrated Circuit Industry Investment Fund was launched in 2014 with ¥138.7 bn of capital. "
    "This fund invests in chip makers and equipment suppliers. "
    "Observers see MIC 2025 as the backbone of the country's industrial policy, and the plan remains in force.\n\n"
    "In 2017, the city set itself ambitious targets for 2020: attract more than\n"
    "5 000 software companies and train over 20 000 engineers. "
)


def _policies(text: str, layout: str) -> list[Mention]:
    segment = report.segment if layout == "report" else news.segment
    return [m for _, m in extract_mentions(text, layout, segment(text)) if m.kind == "policy"]


def test_a_report_policy_is_one_record_however_often_it_is_described_or_named() -> None:
    found = _policies(REPORT, "report")
    mic = next(m for m in found if m.title_en == "Made in China 2025")
    # the continuations ("The strategy …", "It was introduced …") and the later naming "MIC 2025" are this record
    assert len([m for m in found if m.title_en and "China 2025" in m.title_en]) == 1
    later = REPORT.index("Observers see MIC 2025") + len("Observers see ")
    assert any(s <= later < e for s, e in mic.evidence)
    assert mic.period == (2016, 2020)  # part of the 13th Five-Year Plan
    assert mic.date == "2015" and not [t for t in mic.targets if t.year == 2015]  # the issue year is no deadline
    notice = next(m for m in found if m.issuers == ["miit"])
    assert notice.date_effective == "2020-03" and [(t.value, t.year) for t in notice.targets] == [(50, 2022)]
    fund = next(m for m in found if m.title_en and m.title_en.endswith("Investment Fund"))
    assert fund.date == "2014" and [a.value for a in fund.amounts] == [138.7e9]


def test_bodies_footnotes_and_continuations_are_no_records() -> None:
    found = _policies(REPORT, "report")
    summaries = " ".join(m.summary or "" for m in found)
    assert "main regulator" not in summaries and "think-tank" not in summaries
    assert "assessments and proposals" not in summaries
    assert not [m for m in found if m.title_en is None
                and (m.summary or "").startswith(("The revised rules", "This fund", "It came"))]
    # a city's own goals (the wrapped "more than\n5 000" included) are a record of that city's plan
    goals = next(m for m in found if {t.value for t in m.targets} >= {5000, 20000})
    assert {t.year for t in goals.targets} == {2020}


def test_names_and_abbreviations_of_policies() -> None:
    assert acronyms("a nationwide 'Social Credit System' (SoCs) is planned")["SoCs"] == "Social Credit System"
    text = "The programme is one of the ‘2030 Innovation Mega Projects’ that the cabinet named in 2016."
    assert [n for n, _, _ in names_in(text)] == ["2030 Innovation Mega Projects"]
    assert [n for n, _, _ in names_in("It raised money for the National Science and Technology Achievement "
                                      "Transformation Guidance Fund last year.")] == [
        "National Science and Technology Achievement Transformation Guidance Fund"]
    assert names_in("The Cloud Computing Research Institute was founded in 2012.") == []


STORY_COMPUTE = (
    "China to lift computing power\n\n2023-10-09\n\n"
    "BEIJING -- China aims to raise its total computing power to over 300 EFLOPS by 2025, according to an action plan "
    "on the high-quality development of computing power infrastructure released on Monday by six departments "
    "including the country's top industry regulator.\n\n"
    "Storage capacity should reach 1,800 EB, the plan said.\n\n"
    "The Ministry of Education and the Cyberspace Administration of China were among the six departments.\n"
)
STORY_ATTRIBUTED = (
    "China sets digital goals for manufacturers\n\nPublished: 2021-12-28\n\n"
    "BEIJING, Dec. 28 (Xinhua) -- China will see 70 percent of large manufacturing firms go digital by 2025 under a "
    "plan for intelligent manufacturing during the 14th Five-Year Plan period, the ministry said on Tuesday.\n\n"
    "The plan was drawn up by the Ministry of Industry and Information Technology together with the National "
    "Development and Reform Commission.\n\n"
    "By 2035, all large manufacturing firms are expected to have gone digital, the ministry said.\n"
)
STORY_LAW = (
    "China adopts data security law\n\n2021-06-10\n\n"
    "BEIJING -- The country's top legislature on Thursday adopted the Data Security Law, which sets up a system to "
    "grade data by its importance, the official news agency reported.\n\n"
    "The law will take effect on September 1. More than half of the rules concern data exports.\n"
)


def test_wire_story_without_issued_by_reads_its_plan_issuers_and_goals() -> None:
    (plan,) = _policies(STORY_COMPUTE, "news")
    assert plan.title_en == "Action plan on the high-quality development of computing power infrastructure"
    assert plan.issuers == ["miit", "moe", "cac"] and plan.date == "2023-10-09"
    assert [(t.value, t.unit, t.year, t.comparator) for t in plan.targets] == [
        (300, "eflops", 2025, ">"), (1800, "eb", 2025, None)]


def test_wire_story_attribution_period_and_goal_without_a_figure() -> None:
    (plan,) = _policies(STORY_ATTRIBUTED, "news")
    assert plan.issuers == ["miit", "ndrc"] and plan.date == "2021-12-28"
    assert plan.title_en == "14th Five-Year Plan for intelligent manufacturing" and plan.period == (2021, 2025)
    assert [(t.value, t.year) for t in plan.targets] == [(70, 2025), (None, 2035)]


def test_wire_story_law_by_its_description_in_force_in_the_future() -> None:
    (law,) = _policies(STORY_LAW, "news")
    assert (law.title_en, law.issuers, law.date, law.date_effective) == (
        "Data Security Law", ["npcsc"], "2021-06-10", "2021-09-01")


def test_titles_as_journalists_paraphrase_them() -> None:
    assert described_title("released a plan on renewable energy development for 2021-2025 on Wednesday") == \
        "Plan on renewable energy development (2021-2025)"
    assert described_title("issued guidelines on data exports, the regulator said") == "Guidelines on data exports"
    assert described_title("The ministry said it would act.") is None


def test_a_story_naming_its_plan_after_paraphrasing_it_keeps_the_name() -> None:
    story = ("China plans more data centres\n\n2022-02-17\n\n"
             "BEIJING -- Four government bodies including the National Development and Reform Commission on Thursday "
             "jointly issued a plan to expand computing hubs in the western provinces.\n\n"
             "Under the East Data West Computing Plan (2022-2025), eight national hubs are to be built, the commission "
             "said.\n")
    (plan,) = _policies(story, "news")
    assert plan.title_en == "East Data West Computing Plan (2022-2025)" and plan.period == (2022, 2025)
    assert plan.issuers == ["ndrc"] and plan.date == "2022-02-17"


def test_a_body_described_then_acting_and_priorities_set_by_a_body() -> None:
    text = ("The National Energy Administration (NEA) is the main regulator of the power sector. More generally, it "
            "drafts the energy chapters of national plans. Furthermore, it released a roadmap for offshore wind "
            "farms in 2019.\n\n"
            "The NDRC identified five key areas for grid investment: storage, transmission, smart meters, charging "
            "and hydrogen. The target for storage, for example, is to install 30 GW by the end of 2025 and around "
            "100 GW by 2030.\n\n"
            "In 2018, the national patent office amended the guidelines for utility model examination.\n")
    found = _policies(text, "report")
    roadmap = next(m for m in found if "offshore" in (m.summary or ""))
    assert (roadmap.issuers, roadmap.date) == (["nea"], "2019")
    assert not [m for m in found if (m.summary or "").startswith(("The National Energy", "More generally"))]
    grid = next(m for m in found if m.issuers == ["ndrc"])
    assert [(t.value, t.year) for t in grid.targets] == [(30, 2025), (100, 2030)]
    assert any(m.title_en == "Guidelines for utility model examination" for m in found)


def test_a_story_listing_joint_issuers_and_two_policies() -> None:
    story = ("Two plans in one day\n\n2022-03-04\n\n"
             "BEIJING -- Guidelines on the ethics of autonomous driving systems were jointly issued on Thursday by the "
             "Ministry of Industry and Information Technology, the Ministry of Transport and the Ministry of Public "
             "Security.\n\n"
             "Separately, the Ministry of Commerce issued measures to boost car sales, aiming to lift new energy "
             "vehicles to 20 percent of new car sales by 2025, the ministry said.\n")
    guidelines, measures = _policies(story, "news")
    assert guidelines.title_en == "Guidelines on the ethics of autonomous driving systems"
    assert guidelines.issuers == ["miit", "mot", "mps"] and guidelines.date == "2022-03-03"
    assert (measures.title_en, measures.issuers) == ("Measures to boost car sales", ["mofcom"])
    assert [(t.value, t.year) for t in measures.targets] == [(20, 2025)]


def test_a_report_gives_the_chinese_title_in_brackets() -> None:
    text = "In 2015, the State Council issued the ‘Made in China 2025’ (中国制造2025) strategy to upgrade industry."
    (plan,) = _policies(text, "report")
    assert (plan.title_en, plan.title_zh, plan.issuers) == ("Made in China 2025", "中国制造2025", ["state-council"])


def test_plans_in_general_are_no_record_and_a_province_aiming_is_its_plan() -> None:
    text = ("A number of provinces have issued their own plans. Guangdong, for instance, aims to produce 2 million new "
            "energy vehicles by 2025.\n\n12 Ministry of Industry and Information Technology 2021.\n")
    (plan,) = _policies(text, "report")
    assert plan.issuers == ["guangdong-government"] and [(t.value, t.year) for t in plan.targets] == [(2e6, 2025)]


def test_a_report_repeating_a_paragraph_is_one_record_with_every_place() -> None:
    paragraph = ("In 2015, the State Council issued the ‘Made in China 2025’ (MIC 2025) strategy. The strategy sets "
                 "goals for 2025. Observers see MIC 2025 as central.\n\n")
    (plan,) = _policies(paragraph * 200, "report")
    assert plan.title_en == "Made in China 2025" and len(plan.evidence) == 600


def test_a_wire_story_with_a_short_lead_is_read_as_news() -> None:
    story = ("China backs quantum research\n\nJune 3, 2024\n\n"
             "The Ministry of Science and Technology on Monday issued guidelines on quantum computing.\n\n"
             "The guidelines call for 50 quantum research centres by 2027, the ministry said.\n")
    assert news.detect(story)
    (plan,) = _policies(story, "news")
    assert plan.title_en == "Guidelines on quantum computing" and plan.issuers == ["most"]
    assert plan.date == "2024-06-03" and [(t.value, t.year) for t in plan.targets] == [(50, 2027)]


def test_shares_in_words_are_percent_goals() -> None:
    from policywatch.extract.news import _half

    found = [(t.value, t.comparator) for t in _half("about a third of new power and two-thirds of the cities", 0, 2025)]
    assert found == [(33.33, "≈"), (66.67, None)]
    assert _half("a half-hour meeting", 0, 2025) == []


def test_goal_ranges_between_two_figures() -> None:
    from policywatch.extract.targets import find_targets

    found = find_targets("The plan aims for renewables to make up between 20 and 30 percent of supply by 2025.")
    assert [(t.value, t.value_max, t.unit, t.year) for t in found] == [(20, 30, "percent", 2025)]


def test_the_country_releases_a_plan_named_later_and_issued_by_bodies_listed_later() -> None:
    story = ("China plans more data use\n\n2024-01-04\n\n"
             "BEIJING -- China on Thursday released a three-year action plan on data use, known as the \"Data "
             "Elements x\" Three-Year Action Plan (2024-2026), to unleash the value of data.\n\n"
             "The plan was jointly issued by 17 government bodies including the National Data Administration.\n")
    (plan,) = _policies(story, "news")
    assert plan.title_en == '"Data Elements x" Three-Year Action Plan (2024-2026)' and plan.period == (2024, 2026)
    assert plan.issuers == ["nda"] and plan.date == "2024-01-04"


def test_a_report_naming_many_policies_keeps_them_apart() -> None:
    syllables = ["ba", "ko", "mi", "tu", "re", "sa", "lo", "ne"]
    words = [a.capitalize() + b + c for a in syllables for b in syllables for c in syllables][:300]
    text = "".join(f"In 2019, the MIIT issued the ‘Plan for {w} Development’ with goals for 2025. " for w in words)
    found = _policies(text, "report")
    assert len(found) == 300 and len({m.title_en for m in found}) == 300


def test_a_statistic_after_a_plan_is_no_goal_of_it() -> None:
    story = ("China plans chip output push\n\n2022-05-06\n\n"
             "BEIJING -- The Ministry of Industry and Information Technology on Thursday issued a plan for the chip "
             "industry that targets 70 percent self-sufficiency by 2025.\n\n"
             "Chip output increased 33 percent in 2021, official data showed.\n\n"
             "Output should reach 500 billion units by 2025, the plan said.\n")
    (plan,) = _policies(story, "news")
    assert [(t.value, t.year) for t in plan.targets] == [(70, 2025), (500e9, 2025)]
