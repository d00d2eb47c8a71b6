"""A Chinese plan and an English wire story that paraphrases its title: one policy after ingest; another plan of the
same ministry and year stays apart; a sentence that names no policy never merges. Texts written by the team."""

from __future__ import annotations

from pathlib import Path

from policywatch import api
from policywatch.resolve import MentionRecord, resolve
from policywatch.resolve.clustering import similarity, text_words
from policywatch.store import database

CHINESE_PLAN = """工业和信息化部关于印发《工业互联网创新发展行动计划（2021-2023年）》的通知

工信部信管〔2020〕197号

各省、自治区、直辖市工业和信息化主管部门：

现将《工业互联网创新发展行动计划（2021-2023年）》印发给你们，请结合实际，认真贯彻落实。

工业和信息化部
2020年12月22日

到2023年，建设30个5G全连接工厂，工业互联网新型基础设施建设量质并进。
"""

OTHER_PLAN = """工业和信息化部关于印发《“双千兆”网络协同发展行动计划（2021-2023年）》的通知

工信部通信〔2021〕34号

各省、自治区、直辖市通信管理局：

现将《“双千兆”网络协同发展行动计划（2021-2023年）》印发给你们，请认真贯彻执行。

工业和信息化部
2021年1月8日

到2023年底，千兆光纤网络具备覆盖4亿户家庭的能力。
"""

ENGLISH_STORY = """China maps out three years of industrial internet growth

2021-01-13

BEIJING -- China's top industry regulator has unveiled a three-year action plan to boost the industrial internet, \
aiming to build 30 fully 5G-connected factories by 2023, the ministry said on Wednesday.

The Ministry of Industry and Information Technology said the plan covers 2021 to 2023.
"""


def test_a_paraphrasing_english_story_and_its_chinese_plan_are_one_policy(tmp_path: Path) -> None:
    for name, text in {"plan-zh.txt": CHINESE_PLAN, "other-zh.txt": OTHER_PLAN, "story-en.txt": ENGLISH_STORY}.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    engine = database.connect(f"sqlite:///{tmp_path / 'x.db'}")
    api.ingest([tmp_path], engine)
    listed = api.policies(engine)
    assert len(listed) == 2

    def sources(prefix: str) -> set[str]:
        (found,) = [p for p in listed if (p["title_zh"] or "").startswith(prefix)]
        return {Path(s["source"]).name for s in api.policy(found["id"], engine)["sources"]}

    assert sources("工业互联网") == {"plan-zh.txt", "story-en.txt"}
    assert sources("“双千兆”") == {"other-zh.txt"}  # same ministry, same period, other key terms


def _pair(zh: dict, en: dict) -> tuple[float, str]:
    return similarity(zh, en, text_words(zh), text_words(en))


def test_a_near_miss_goes_to_review_with_its_reason() -> None:
    zh = {"title_zh": "工业互联网创新发展行动计划（2021-2023年）", "issuers": ["miit"], "period": [2021, 2023],
          "instrument": "action plan", "date": "2020-12-22"}
    en = {"title_en": "Action plan to boost the industrial internet", "issuers": ["miit"], "instrument": "action plan",
          "summary": "The regulator unveiled an action plan to boost the industrial internet.", "date": "2021-01-13"}
    value, reason = _pair(zh, en)
    assert value < 0.5 and "near miss: period unknown" in reason
    value, reason = _pair(zh, {**en, "period": [2021, 2023]})
    assert value >= 0.5 and reason.startswith("translated key terms 1/1")
    # a report without the period whose goals are for the plan's last year agrees on it
    assert _pair(zh, {**en, "targets": [{"value": 30, "unit": "factories", "year": 2023}]})[0] >= 0.5
    assert _pair(zh, {**en, "targets": [{"value": 30, "unit": "factories", "year": 2025}]})[0] < 0.5
    assert _pair(zh, {**en, "title_en": "Action plan on gigabit networks",
                      "summary": "The regulator unveiled an action plan on gigabit networks."})[0] == 0.0


def test_a_sentence_that_names_no_policy_never_merges() -> None:
    plan = MentionRecord(1, "a:1:policy", 1, "policy", {
        "issuers": ["ndrc"], "title_en": "Plan for the reform of the manufacturing base in the river delta",
        "summary": "The NDRC released a plan for the reform of the manufacturing base in the river delta."})
    footnote = MentionRecord(2, "b:1:policy", 2, "policy", {
        "issuers": ["ndrc"],
        "summary": "Meyer 2019. reform of the manufacturing base in the river delta was studied by the NDRC."})
    resolution = resolve([plan, footnote])
    assert sorted(c.mention_ids for c in resolution.policies) == [[1], [2]]
