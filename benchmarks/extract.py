"""Extraction speed: segments and extracts a generated corpus of briefings and Chinese notices on one core, prints
items per second.

usage: python benchmarks/extract.py [--documents 300]
"""

from __future__ import annotations

import argparse
import random
import time

from policywatch.model import Document
from policywatch.pipeline import analyse
from policywatch.read.language import detect_language

AGENCIES = ["The MIIT", "The National Development and Reform Commission (NDRC)", "The State Council",
            "The State Administration for Market Regulation (SAMR)", "MOFCOM, NDRC and MOF"]
TOPICS = ["the industrial internet", "5G base stations", "new energy vehicles", "integrated circuits",
          "artificial intelligence", "smart manufacturing", "data security"]
FIRMS = ["Huawei", "Geely", "CATL", "BYD", "Xiaomi", "Baidu", "SAIC Motor", "Horizon Robotics"]


def make_briefing(rng: random.Random) -> str:
    parts = ["MARCH 2, 2023 (REPORTING PERIOD: FEBRUARY 1 - 28)", "", "# Demo Industries Briefing", "",
             "## TOP 3", ""]
    for n in range(1, 4):
        parts += [f"### {n}. A plan on {rng.choice(TOPICS)}", "",
                  f"**Policy name:** Action Plan for {rng.choice(TOPICS).title()} (2023-2025) (行动计划（2023-2025年）)", "",
                  "**Issuing body:** MIIT", "", f"**Date:** February {rng.randint(1, 28)}, 2023", "",
                  "**At a glance:** The plan sets goals for 2025, including:", "",
                  f"- Raise output by at least {rng.randint(5, 40)} percent",
                  f"- Build {rng.randint(10, 500)} demonstration factories", "",
                  "**Comment:** A demo comment.", ""]
    parts += ["## WORTH NOTING", "", "### Policy news", ""]
    for _ in range(12):
        parts.append(f"- *February {rng.randint(1, 28)}:* {rng.choice(AGENCIES)} publishes guidelines on "
                     f"{rng.choice(TOPICS)} with a target of {rng.randint(5, 90)} percent by 2025")
    parts += ["", "### Corporate news", ""]
    for _ in range(8):
        parts.append(f"- *February {rng.randint(1, 28)}:* Chinese company {rng.choice(FIRMS)} invests "
                     f"CNY {rng.randint(1, 50)} billion in {rng.choice(TOPICS)} with {rng.choice(FIRMS)}")
    return "\n".join(parts) + "\n"


ZH_TOPICS = ["工业互联网", "智能制造", "新能源汽车", "集成电路", "数据安全", "人工智能"]
ZH_PLACES = ["江苏省", "广东省", "浙江省", "深圳市", "成都市"]


def make_notice(rng: random.Random) -> str:
    """A Chinese notice transmitting a plan, as a local body publishes it: number, addressees, goals, signature."""
    place, topic = rng.choice(ZH_PLACES), rng.choice(ZH_TOPICS)
    goals = "，".join(f"培育{rng.randint(3, 90)}家{topic}企业" for _ in range(3))
    return (f"{place}工业和信息化厅关于印发《{place}{topic}发展行动计划（2024-2026年）》的通知\n"
            f"苏工信规〔2024〕{rng.randint(1, 300)}号\n\n各设区市工业和信息化局：\n现将行动计划印发给你们。\n\n"
            f"到2026年，{goals}，产业规模突破{rng.randint(100, 900)}亿元。\n\n"
            f"{place}工业和信息化厅\n2024年3月{rng.randint(1, 28)}日\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=300)
    args = parser.parse_args()
    rng = random.Random(11)
    # two briefings to one Chinese notice
    texts = [make_notice(rng) if i % 3 == 2 else make_briefing(rng) for i in range(args.documents)]
    docs = [Document(sha256=str(i), source=f"b{i}.md", format="md", text=t, language=detect_language(t))
            for i, t in enumerate(texts)]
    analyse(docs[0])  # warm the registry and compiled patterns
    start = time.perf_counter()
    items = mentions = 0
    for doc in docs:
        result = analyse(doc)
        items += len(result.items)
        mentions += len(result.mentions)
    elapsed = time.perf_counter() - start
    print(f"documents: {len(docs)}, items: {items}, mentions: {mentions}")
    print(f"elapsed: {elapsed:.2f} s")
    print(f"throughput: {items / elapsed:.0f} items/s, {len(docs) / elapsed:.1f} documents/s (one core)")


if __name__ == "__main__":
    main()
