"""Field extractors on sentences the team wrote: dates, money, targets, agencies, titles, people, companies."""

from __future__ import annotations

import pytest

from policywatch.extract.agencies import find_agencies, resolve, resolve_issuers
from policywatch.extract.companies import find_companies
from policywatch.extract.context import policy_trigger, release_dates
from policywatch.extract.dates import find_dates, infer_reference, infer_year
from policywatch.extract.money import find_money, to_eur
from policywatch.extract.people import find_personnel
from policywatch.extract.targets import find_targets, lead_in_year
from policywatch.extract.technologies import tag_technologies
from policywatch.extract.titles import period, quoted_titles, split_policy_name, status, unquoted_title


@pytest.mark.parametrize(("text", "reference", "value"), [
    ("published on February 18, 2021", None, "2021-02-18"),
    ("released on Feb. 24 by the NDRC", "2020-03", "2020-02-24"),
    ("*December 28:* MIIT issues", "2022-01-14", "2021-12-28"),  # a January briefing looks back
    ("On the 6th of February the ministry", "2020", "2020-02-06"),
    ("in force since July 2017", None, "2017-07"),
    ("二〇二三年七月十日", None, "2023-07-10"),
    ("自2023年8月15日起施行", None, "2023-08-15"),
    ("3月4日召开会议", "2020-05", "2020-03-04"),
    ("2021/02/05", None, "2021-02-05"),
    # month names inside other words ("smart", "Information") are no dates; standing alone they are
    ("a smart factory plan from the Information Office, by 2025", None, "2025"),
    ("a review (Mar 3) of the smart grid plan", "2023-05", "2023-03-03"),
])
def test_dates_keep_the_stated_precision(text: str, reference: str | None, value: str) -> None:
    assert find_dates(text, reference)[0].value == value


def test_yearless_date_without_reference_is_dropped() -> None:
    assert find_dates("released on March 3") == []
    assert infer_year(12, "2022-01") == 2021 and infer_year(2, "2021-03-02") == 2021


def test_reference_from_cited_links_when_no_date_is_stated() -> None:
    text = "see https://example.gov.cn/2020-03/05/a.html and https://example.gov.cn/202003/b.html; targets by 2025"
    assert infer_reference(text) == "2020-03"


def test_issue_and_effective_dates_are_told_apart() -> None:
    dates = release_dates("rules first released in December came into effect March 1, setting goals by 2025", "2020-03")
    assert dates.issued.value == "2019-12" and dates.effective.value == "2020-03-01"


@pytest.mark.parametrize(("text", "value", "currency"), [
    ("an annual budget of CNY 10 billion", 1e10, "CNY"),
    ("a total budget of ¥870 m (€111.48 m) for research", 8.7e8, "CNY"),
    ("invest almost USD 190 billion in networks", 1.9e11, "USD"),
    ("raised 2.5 billion yuan in its round", 2.5e9, "CNY"),
    ("基金规模达1500亿元", 1.5e11, "CNY"),
    ("a fund of 1.5万亿元", 1.5e12, "CNY"),
])
def test_money_in_full_units(text: str, value: float, currency: str) -> None:
    found = find_money(text)
    assert len(found) == 1  # a converted figure in brackets is not a second amount
    assert found[0].value == pytest.approx(value) and found[0].currency == currency


def test_eur_conversion_uses_the_ecb_rate_of_the_date() -> None:
    from policywatch.extract.money import MoneyMatch, amount, ecb_rate

    # a year's mean of the daily rates is the ECB's annual average (7.8747 CNY per euro in 2020)
    assert to_eur(7.8747e9, "CNY", 2020) == pytest.approx(1e9, rel=1e-3)
    assert to_eur(100.0, "EUR", 2020) == 100.0
    assert to_eur(1.0, "XYZ", 2020) is None
    day, basis = ecb_rate("CNY", "2021-02-05")
    month, _ = ecb_rate("CNY", "2021-02")
    assert basis == "ECB reference rate of 2021-02-05" and day != month and 7.5 < day < 8.2
    sunday = amount(MoneyMatch(1e9, "CNY", 0, 10), "2021-02-07")  # no rate on a Sunday: the last one before
    assert sunday.rate and sunday.rate_basis == "ECB reference rate of 2021-02-07" and sunday.year == 2021
    assert sunday.eur == pytest.approx(1e9 / sunday.rate, rel=1e-6)
    early = ecb_rate("CNY", "1998")  # before the series: its nearest end, and the record says so
    assert early and "nearest the series has" in early[1]


def test_targets_from_the_issue_examples() -> None:
    at_least = find_targets("Raise the productivity of key firms by at least 20 percent by 2023")
    assert [(t.value, t.unit, t.year, t.comparator) for t in at_least] == [(20, "percent", 2023, ">=")]
    ranged = find_targets("elevating 6-8 Chinese companies to the global top 50", default_year=2025)
    assert [(t.value, t.value_max, t.unit, t.year) for t in ranged] == [(6, 8, "companies", 2025)]
    stations = find_targets("The city plans to build 74 stations and 10,000 vehicles by the end of 2025")
    assert [(t.value, t.unit, t.year) for t in stations] == [(74, "stations", 2025), (10000, "vehicles", 2025)]


def test_what_is_not_a_target() -> None:
    assert find_targets("Open the VPN business to foreign investors (up to 50 percent)") == []
    assert find_targets("MOFCOM and 12 other agencies issue measures to boost consumption") == []
    assert find_targets("Advance 5G factories and Level 3 driving by the top 10 firms") == []
    assert [t.value for t in find_targets("The strategy sets three stated objectives by 2025")] == [None]


def test_qualitative_goal_only_without_figures() -> None:
    goals = find_targets("China aims to achieve mass production of self-driving cars by 2025")
    assert [(t.value, t.year) for t in goals] == [(None, 2025)]
    both = find_targets("Build 30 standards by 2025. Become a global leader by 2030.")
    assert [(t.value, t.year) for t in both] == [(30, 2025)]


def test_goal_list_lead_in_year() -> None:
    text = "The plan outlines several goals for 2025, including:\n- Cut energy use per unit of GDP by 13.5 percent\n"
    assert lead_in_year(text) == 2025
    assert [(t.value, t.year) for t in find_targets(text, default_year=lead_in_year(text))] == [(13.5, 2025)]


@pytest.mark.parametrize(("text", "ids"), [
    ("MOFCOM, NDRC, MOF and others", ["mofcom", "ndrc", "mof"]),
    ("the State Council and the Central Committee of the CCP", ["state-council", "ccp-central-committee"]),
    ("工业和信息化部、国家发展改革委", ["miit", "ndrc"]),
    ("National Development and Reform\nCommission", ["ndrc"]),
    ("Beijing Municipal Economic and Information Bureau", ["beijing-miit"]),
    ("the Chinese government", ["state-council"]),
    ("the Shanghai municipal government", ["shanghai-government"]),
    ("most ministries and the MOST", ["most"]),
])
def test_issuers_resolve_to_registry_ids(text: str, ids: list[str]) -> None:
    assert resolve_issuers(text) == ids


def test_longest_agency_name_wins_and_unknowns_stay_unknown() -> None:
    found = find_agencies("a vice president of the State Council Development Research Center spoke")
    assert [a.id for a in found] == ["drc"]
    assert resolve("Ministry of Industry and IT") == "miit"
    assert resolve("Courts") is None


def test_policy_name_field_splits_into_english_and_chinese() -> None:
    value = ("Action Plan for Smart Ports (2023-2025) (Draft for Comments) "
             "(智慧港口行动计划（2023-2025年）（征求意见稿）) ([Link](#))")
    title_en, title_zh = split_policy_name(value)
    assert title_en == "Action Plan for Smart Ports (2023-2025) (Draft for Comments)"
    assert title_zh == "智慧港口行动计划（2023-2025年）（征求意见稿）"
    assert period(value) == (2023, 2025)
    assert status(value) == "draft"


def test_status_final_version_of_a_draft_is_final() -> None:
    assert status("publishes the final version of its rules, first released as a draft in May") == "final"
    assert status("circulates an internal draft policy") == "draft"


def test_titles_in_quotes_and_without() -> None:
    assert quoted_titles("the State Council issued the ‘New\nGeneration AI Plan’ in 2017")[0][0] == "New Generation AI Plan"
    assert quoted_titles("印发《关于推进5G工厂建设的通知》")[0][0] == "关于推进5G工厂建设的通知"
    found = unquoted_title("MIIT issued the Notice on Strengthening Vehicle Software Upgrades on May 3")
    assert found is not None and found[0] == "Notice on Strengthening Vehicle Software Upgrades"


def test_policy_trigger_needs_an_acting_agency_in_strict_mode() -> None:
    assert policy_trigger("The Ministry of Commerce (MOFCOM) issued a notice on exports on May 2.", strict=True)
    assert policy_trigger("according to a plan jointly released on Feb. 24 by the NDRC and others", strict=True)
    assert not policy_trigger("Health codes are being rolled out following State Council endorsement.", strict=True)
    assert policy_trigger("Proposed in 2015, the action plan 'Internet Plus' aims high.", strict=False)


def test_personnel_changes() -> None:
    text = ("Wang Wenhua (王文华), chairman of Example Telecom, retired on May 3. "
            "Liu Jun (刘军) was made a vice-minister of MIIT on June 1.")
    left, appointed = find_personnel(text, 0, "2023-06")
    assert (left.person_en, left.person_zh, left.role, left.organization, left.change, left.date) == \
        ("Wang Wenhua", "王文华", "chairman", "Example Telecom", "left", "2023-05-03")
    assert (appointed.role, appointed.organization, appointed.change, appointed.date) == \
        ("vice-minister", "miit", "appointed", "2023-06-01")
    assert text[left.start:left.end].startswith("Wang Wenhua")


def test_companies_skip_places_descriptors_and_acronyms() -> None:
    names = [c[0] for c in find_companies(
        " Chinese battery maker CATL signs a deal with the government of Hefei and startup Pony AI (PAI)")]
    assert names == ["CATL", "Pony AI"]
    assert [c[0] for c in find_companies(" Electric vehicle startup NIO opens a plant in Wuhu")] == ["NIO"]


def test_technology_tags() -> None:
    tags = tag_technologies("a plan for 5G base stations, industrial internet platforms and AI chips")
    assert {"5g", "industrial-internet", "artificial-intelligence", "micro-nanoelectronics"} <= set(tags)
    # the cheap substring test before each pattern must not change what the patterns decide
    assert tag_technologies("The minister said the chipset maker will expand") == []
    assert set(tag_technologies("CHIPS and ICs: 芯片 rules")) == {"micro-nanoelectronics", "integrated-circuits"}
    assert "artificial-intelligence" not in tag_technologies("a plan to train maintenance staff")  # "ai" inside words


def test_sentence_openers_are_not_companies() -> None:
    names = [c[0] for c in find_companies(" Shares of Xiaomi rose after Regulators approved the US-based Qualcomm deal")]
    assert names == ["Xiaomi", "Qualcomm"]


def test_titles_before_names_are_not_the_name() -> None:
    (left,) = find_personnel("Commerce Minister Zhong Shan was replaced on December 24.", 0, "2021-01",
                             need_chinese_name=False)
    assert (left.person_en, left.change, left.date) == ("Zhong Shan", "left", "2020-12-24")
