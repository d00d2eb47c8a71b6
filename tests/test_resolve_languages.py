"""A Chinese plan and an English wire story that paraphrases its title: one policy after ingest; another plan of the
same ministry and year stays apart; a sentence that names no policy never merges. Texts written by the team."""

from __future__ import annotations

from pathlib import Path

from policywatch import api
from policywatch.resolve import MentionRecord, resolve
from policywatch.resolve.clustering import similarity, text_words
from policywatch.store import database

CHINESE_PLAN = """工信部关于发布《工业软件产业振兴行动计划（2024-2026年）》的通知

工信部软〔2023〕241号

各省级工信主管部门，有关中央企业：

《工业软件产业振兴行动计划（2024-2026年）》已经部务会议审议通过，现予印发，请抓好组织实施。

工业和信息化部
2023年11月6日

到2026年，培育20个工业软件开源社区，研发设计类软件在重点行业普及应用。
"""

OTHER_PLAN = """工信部关于下发《人形机器人产业培育行动计划（2024-2026年）》的通知

工信部装〔2023〕255号

各地工信部门，有关行业协会：

《人形机器人产业培育行动计划（2024-2026年）》现予印发，请各单位对照分工推进，进展情况年底前报部。

工业和信息化部
2023年11月20日

到2026年，人形机器人整机产品在汽车、电子等场景开展示范应用。
"""

ENGLISH_STORY = """Beijing lays out a three-year push for home-grown industrial software

2023-11-20

BEIJING -- Chinese makers of design and simulation tools are set for more state backing after the industry \
ministry released a three-year action plan for industrial software that targets 20 open-source communities by 2026.

The blueprint, from the Ministry of Industry and Information Technology, runs from 2024 to 2026.
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

    assert sources("工业软件") == {"plan-zh.txt", "story-en.txt"}
    assert sources("人形机器人") == {"other-zh.txt"}  # same ministry, same period, other key terms


def _pair(zh: dict, en: dict) -> tuple[float, str]:
    return similarity(zh, en, text_words(zh), text_words(en))


def test_a_near_miss_goes_to_review_with_its_reason() -> None:
    zh = {"title_zh": "工业软件产业振兴行动计划（2024-2026年）", "issuers": ["miit"], "period": [2024, 2026],
          "instrument": "action plan", "date": "2023-11-06"}
    en = {"title_en": "Three-year action plan for industrial software", "issuers": ["miit"],
          "instrument": "action plan", "date": "2023-11-20",
          "summary": "The ministry put out an action plan meant to lift industrial software makers."}
    value, reason = _pair(zh, en)
    assert value < 0.5 and "near miss: period unknown" in reason
    value, reason = _pair(zh, {**en, "period": [2024, 2026]})
    assert value >= 0.5 and reason.startswith("translated key terms 1/1")
    # a report without the period whose goals are for the plan's last year agrees on it
    assert _pair(zh, {**en, "targets": [{"value": 20, "unit": "communities", "year": 2026}]})[0] >= 0.5
    assert _pair(zh, {**en, "targets": [{"value": 20, "unit": "communities", "year": 2028}]})[0] < 0.5
    assert _pair(zh, {**en, "title_en": "Three-year action plan for humanoid robots",
                      "summary": "The ministry put out an action plan meant to lift humanoid robot makers."})[0] == 0.0


def test_a_sentence_that_names_no_policy_never_merges() -> None:
    plan = MentionRecord(1, "a:1:policy", 1, "policy", {
        "issuers": ["ndrc"], "title_en": "Plan for the reform of the manufacturing base in the river delta",
        "summary": "The NDRC released a plan for the reform of the manufacturing base in the river delta."})
    footnote = MentionRecord(2, "b:1:policy", 2, "policy", {
        "issuers": ["ndrc"],
        "summary": "Meyer 2019. reform of the manufacturing base in the river delta was studied by the NDRC."})
    resolution = resolve([plan, footnote])
    assert sorted(c.mention_ids for c in resolution.policies) == [[1], [2]]
