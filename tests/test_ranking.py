"""The briefing's ranking: month assignment of undated policies, off-topic policies out of the Top, one entry per
policy with every source, English titles for Chinese ones, --explain, and weights fitted to past briefings.

Every text here is written for these tests (real agencies and policy names are public facts)."""

from __future__ import annotations

import calendar
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from policywatch import api
from policywatch.briefing.fitting import briefing_month, fit
from policywatch.briefing.ranking import SIGNALS, explain, read_weights, write_weights
from policywatch.briefing.titles import english_title
from policywatch.cli import app
from policywatch.errors import PolicywatchError
from policywatch.store import database

runner = CliRunner()

# subjects (English, Chinese), instruments (English pattern, Chinese pattern) and issuers the made-up policies of
# the past briefings are built from: every month's six policies are distinct
SUBJECTS = [("Industrial Robot Applications", "工业机器人应用"), ("Data Centre Energy Use", "数据中心能耗"),
            ("Smart Ports", "智慧港口"), ("Battery Recycling", "动力电池回收利用"), ("Online Platform Pricing", "网络平台价格"),
            ("Software Supply Chains", "软件供应链"), ("Hydrogen Vehicles", "氢燃料电池汽车"),
            ("Satellite Internet", "卫星互联网"),
            ("Cold Chain Logistics", "冷链物流"), ("Rural Broadband", "农村宽带"), ("Drone Registration", "无人驾驶航空器登记"),
            ("Industrial Software", "工业软件"), ("Smart Grids", "智能电网"), ("Biomanufacturing", "生物制造"),
            ("Quantum Communication", "量子通信"), ("Offshore Wind", "海上风电"), ("Machine Tools", "数控机床"),
            ("Medical Imaging Equipment", "医学影像设备"), ("Blockchain Services", "区块链服务"), ("Lidar Sensors", "激光雷达"),
            ("Open Source Software", "开源软件"), ("Chip Packaging", "芯片封装"), ("Digital Yuan Pilots", "数字人民币试点"),
            ("Autonomous Driving Tests", "自动驾驶测试"), ("Photovoltaic Recycling", "光伏组件回收"),
            ("Cloud Computing Services", "云计算服务"), ("Industrial Internet Platforms", "工业互联网平台"),
            ("Rare Earth Processing", "稀土加工"), ("Shipbuilding", "船舶制造"), ("E-commerce Returns", "电商退货")]
INSTRUMENTS = [("Action Plan for {}", "{}行动计划"), ("Measures for the Administration of {}", "{}管理办法"),
               ("Notice on {}", "关于{}的通知"), ("Development Plan for {}", "{}发展规划"), ("Provisions on {}", "{}规定"),
               ("Guidelines for {}", "{}指南")]
ISSUERS = ["MIIT", "NDRC", "MOFCOM", "SAMR", "CAC", "MOST", "MOT"]


def _policy(n: int) -> tuple[str, str, str]:
    """The n-th made-up policy: (English title, Chinese title, issuer)."""
    subject, subject_zh = SUBJECTS[n % len(SUBJECTS)]
    english, chinese = INSTRUMENTS[(n * 5 + n // 6) % len(INSTRUMENTS)]
    return english.format(subject), chinese.format(subject_zh), ISSUERS[(n * 3) % len(ISSUERS)]


def _day(month: str, day: int) -> str:
    year, number = map(int, month.split("-"))
    return f"{calendar.month_name[number]} {day}, {year}"


def past_briefing(month: str, offset: int) -> str:
    """A month's team briefing: two Top items that concern foreign companies, four policy news items that do not.

    Instruments, issuers and technologies rotate across Top and news alike, so the foreign angle is the only
    signal that tells the team's picks from the rest."""
    year, number = map(int, month.split("-"))
    chosen = [_policy(offset + i) for i in range(6)]
    published = f"{calendar.month_name[number % 12 + 1].upper()} 3, {year + number // 12}"
    last = calendar.monthrange(year, number)[1]
    lines = [f"{published} (REPORTING PERIOD: {calendar.month_name[number].upper()} 1 - {last})", "",
             "# Industry Policy Monthly (test edition)", "", "## TOP 2", ""]
    for i, (title, title_zh, issuer) in enumerate(chosen[:2], 1):
        lines += [f"### {i}. {title}", "", f"**Policy name:** {title} ({title_zh})", "",
                  f"**Issuing body:** {issuer}", "", f"**Date:** {_day(month, 4 + i)}", "",
                  f"**At a glance:** The {issuer} issued the {title}. Foreign-invested enterprises gain equal market "
                  "access to the pilot projects, and foreign suppliers may bid.", "",
                  "**Our comment:** Worth following.", ""]
    lines += ["## WORTH NOTING", "", "### Policy news", ""]
    for i, (title, _, issuer) in enumerate(chosen[2:], 10):
        lines.append(f"- *{_day(month, i)[:-6]}:* The {issuer} issues the {title}, which sets out pilot projects "
                     "for local companies in the sector ([source (CN)](#))")
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory):
    """Five months of the team's briefings in one database."""
    folder = tmp_path_factory.mktemp("past")
    for i, month in enumerate(["2021-03", "2021-04", "2021-05", "2021-06", "2021-07"]):
        (folder / f"monthly-{month}.md").write_text(past_briefing(month, 6 * i), encoding="utf-8")
    engine = database.connect(f"sqlite:///{folder / 'past.db'}")
    api.ingest([folder], engine)
    return engine


def test_briefing_month_from_the_reporting_period() -> None:
    assert briefing_month("APRIL 6, 2021 (REPORTING PERIOD: MARCH 1 - 31)", "2021-04-06") == "2021-03"
    assert briefing_month("JANUARY 14, 2022 (REPORTING PERIOD: DECEMBER 1 - 31)", "2022-01-14") == "2021-12"
    assert briefing_month("no period stated", "2022-05-01") == "2022-04"


def test_fitted_weights_reproduce_held_back_months(archive, tmp_path: Path) -> None:
    result = fit(archive)
    months = {e.month for e in result.examples}
    assert months == {"2021-03", "2021-04", "2021-05", "2021-06", "2021-07"}
    assert sum(e.picked for e in result.examples) == 10
    # every month held back in turn: the ranking fitted on the other four finds that month's two picks
    assert len(result.held_back) == 5
    assert result.share(result.held_back) == 1.0, [(r.month, r.missed) for r in result.held_back]
    # the signal the picks share is the one the fit weighs most
    assert max(result.weights, key=lambda s: result.weights[s]) == "foreign"
    out = tmp_path / "fitted.csv"
    write_weights(result.weights, out, "test fit")
    read = read_weights(out)
    assert set(read) == set(SIGNALS) and read["foreign"].weight == pytest.approx(result.weights["foreign"], abs=1e-3)


def test_fit_command_prints_and_writes(archive, tmp_path: Path) -> None:
    out = tmp_path / "ranking.csv"
    result = runner.invoke(app, ["--db", str(archive.url), "briefing", "fit", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "share of human Top picks reproduced: fitted 1.00" in result.output
    assert out.read_text(encoding="utf-8").splitlines()[0].startswith("# Fitted by")
    briefed = runner.invoke(app, ["--db", str(archive.url), "briefing", "--month", "2021-05", "--top", "2",
                                  "--weights", str(out), "--explain"])
    assert briefed.exit_code == 0, briefed.output
    assert "Why it ranks here" in briefed.output and "foreign +" in briefed.output


def test_fit_needs_past_briefings(tmp_path: Path) -> None:
    engine = database.connect(f"sqlite:///{tmp_path / 'empty.db'}")
    with pytest.raises(PolicywatchError, match="two months or more"):
        fit(engine)


def test_weights_file_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("signal,weight,description\nluck,2,\n", encoding="utf-8")
    with pytest.raises(PolicywatchError, match="unknown signal 'luck'"):
        read_weights(bad)
    bad.write_text("signal,weight,description\nforeign,lots,\n", encoding="utf-8")
    with pytest.raises(PolicywatchError, match="not a number"):
        read_weights(bad)


def test_signals_of_a_policy() -> None:
    policy = {"title_zh": "外商投资电信业务准入管理办法", "title_en": None, "label": None, "issuers": ["ndrc"],
              "technologies": [], "status": "final", "instrument": "measures", "relations": [], "documents": 2,
              "data": {"targets": [], "amounts": []},
              "sources": [{"document_id": 1, "summary": "企业应当办理备案，不得超出许可范围。", "evidence_text": []},
                          {"document_id": 2, "summary": None, "evidence_text": []}]}
    found = {c.signal: c for c in explain(policy, read_weights())}
    assert found["foreign"].value == 1 and "外商投资" in found["foreign"].why
    assert found["duties"].value == 1 and {"应当", "不得", "备案"} <= set(found["duties"].why.split(", "))
    assert found["national"].value == 1 and "sources" in found and "off_topic" not in found
    assert "technology" not in found
    assert {c.signal: c.value for c in explain({**policy, "technologies": ["integrated-circuits"]}, read_weights())}[
        "technology"] == 0.5  # a technology its text mentions, not its title
    chips = {**policy, "title_zh": "集成电路产业外商投资准入措施", "technologies": ["integrated-circuits"]}
    assert {c.signal: c.value for c in explain(chips, read_weights())}["technology"] == 1.0
    law = {**policy, "instrument": "law", "title_zh": "征兵工作法"}
    assert {c.signal for c in explain(law, read_weights())} >= {"off_topic"}


def test_english_titles_of_chinese_ones() -> None:
    assert english_title("车联网产业创新行动计划（2022-2024年）") == \
        "Internet of Vehicles Industry Innovation Action Plan (2022-2024)"
    assert english_title("电子元器件产业规划（2022-2026年）（征求意见稿）") == \
        "Electronic Components Industry Plan (2022-2026) (Draft for Comment)"
    assert english_title("商务部关于提升电子商务服务质量的通知") == \
        "Notice of the Ministry of Commerce on Improving E-commerce Service Quality"
    assert english_title("数据出境安全评估办法") == "Measures for Cross-border Data Security Assessment"
    assert english_title("《车联网产业创新行动计划》解读").startswith("Interpretation of the Internet of Vehicles")
    assert english_title("中华人民共和国软件产业促进法") == "Software Industry Promotion Law of the People's Republic of China"
    assert english_title("Already English") is None


def test_month_of_a_policy() -> None:
    from policywatch.briefing.compose import month_of

    assert month_of("2021-02-10", "2021-02-11") == "2021-02"
    assert month_of(None, "2021-03-09") == "2021-03"  # no date: the month of its first report
    assert month_of("2021", "2021-03-09") == "2021-03"  # a year places nothing
    # signed at the end of January, first made public in February: news of February
    assert month_of("2021-01-29", "2021-02-03") == "2021-02"
    # an old text mentioned again much later stays in its own month
    assert month_of("2020-06-30", "2021-02-03") == "2020-06"
    assert month_of("2021-01-29", "2021-01-29") == "2021-01"
    assert month_of(None, None) is None


def test_records_of_one_policy_are_one_example() -> None:
    from policywatch.briefing.fitting import same_titles

    draft = {"id": 1, "title_zh": "电子元器件产业规划（2022-2026年）（征求意见稿）", "title_en": None}
    story = {"id": 2, "title_zh": "電子元器件產業規劃(2022-2026年)", "title_en": "Electronic Components Industry Plan"}
    english = {"id": 3, "title_zh": None, "title_en": "Electronic Components Industry Plan (Draft for Comments)"}
    other = {"id": 4, "title_zh": "智能传感器产业行动计划", "title_en": None}
    assert [[p["id"] for p in g] for g in same_titles([draft, story, english, other])] == [[1, 2, 3], [4]]


def test_a_new_edition_is_no_revision() -> None:
    base = {"title_zh": "车联网产业创新行动计划（2022-2024年）", "issuers": ["miit"], "technologies": [],
            "instrument": "action plan", "sources": [], "data": {"period": [2022, 2024]},
            "relations": [{"type": "supersedes", "direction": "to", "policy_id": 7}]}
    signals = {c.signal for c in explain(base, read_weights())}
    assert "new_plan" in signals and "revision" not in signals
    rules = {**base, "title_zh": "数据中心管理办法", "instrument": "measures", "data": {}}
    assert "revision" in {c.signal for c in explain(rules, read_weights())}
    interpreted = {**base, "relations": [{"type": "interprets", "direction": "from", "policy_id": 9}]}
    assert "interpretation" in {c.signal for c in explain(interpreted, read_weights())}


def test_english_titles_of_trial_texts_and_pandemic_notices() -> None:
    assert english_title("工业数据分类分级指南（试行）") == \
        "Industrial Data Classification and Grading Guidelines (for Trial Implementation)"
    notice = english_title("关于做好疫情防控和复工复产工作的通知") or ""
    assert notice.startswith("Notice on") and "Epidemic Prevention and Control" in notice and "试行" not in notice
    assert not re.search(r"[\u4e00-\u9fff]", notice)
