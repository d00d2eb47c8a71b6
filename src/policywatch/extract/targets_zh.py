"""Targets in Chinese text: every goal quantity of a deadline clause (到2025年，…达到…%) is one target.

A clause is a sentence that states a deadline (到2025年, 2025年底前, 到“十四五”末); goals listed under a lead-in or
heading that states the year take that year. Numbers that only name the metric or its scope (全球50强, 在10个
重点行业, 第三批), durations and subsidies are no targets; a deadline clause with no number is one target with
value null.
"""

from __future__ import annotations

import re

from policywatch.extract.titles import FIVE_YEAR_PLANS
from policywatch.model import Target

_ZH_NUM = "零〇一二两三四五六七八九十百千"
NUMBER = rf"\d+(?:\.\d+)?|[{_ZH_NUM}]+"
# Units a goal counts in; ASCII units only from this list, so that 5G, 28nm or 4K name no quantity.
COUNT_UNITS = ("家|个|项|户|座|台|套|辆|件|所|名|人次|人|款|条|类|种|部|处|批|艘|架|颗|只|支|亩|公顷|吨|千克|公里|千米|米|"
               "平方米|立方米|千瓦时|千瓦|吉瓦|兆瓦|瓦|千兆|万兆|倍|吉比特|兆比特|标准机架|机架|基站|张|份|篇|次|级|平方公里")
ASCII_UNITS = r"EFLOPS|PFLOPS|TFLOPS|GW|MW|kW|GWh|TWh|Gbps|Mbps|Tbps|TB|PB|EB|ZB"
MONEY_UNITS = {"元": "CNY", "人民币": "CNY", "美元": "USD", "欧元": "EUR"}
QUANTITY = re.compile(
    rf"(?P<n>{NUMBER})(?:\s*(?:-|–|—|~|～|至|到)\s*(?P<n2>{NUMBER}))?\s*(?P<scale>万亿|亿|万|千)?\s*"
    rf"(?:(?P<pct>%|％|个百分点|百分点)|(?P<money>元|美元|欧元)|(?P<ascii>{ASCII_UNITS})(?![A-Za-z])|(?P<unit>{COUNT_UNITS}))?")
SCALES = {"万亿": 1e12, "亿": 1e8, "万": 1e4, "千": 1e3}
DEADLINE = re.compile(r"(?:到|至|截至|截止|力争|于)?\s*(?P<y>20\d{2})\s*年(?:底|末|前|年底)?(?:前)?"
                      r"|(?:到|至)?[“\"]?(?P<plan>十[一二三四五六]五)[”\"]?(?:末|期末|时期|期间)")
# a deadline needs a goal framing: 到2025年, 2025年底前, 到“十四五”末 — "2021年以来" looks back
GOAL_FRAME = re.compile(r"^(?:到|至|截至|力争|于)|年(?:底|末)?前$|年底$|年末$|末$|期末$")
NOT_SCOPE_BEFORE = re.compile(r"(?:第|前|每|在|全球|全国|世界|排名|占|近|首)\s*$")
NOT_GOAL_AFTER = re.compile(r"^\s*(?:年|月|日|天|周|岁|小时|分钟|秒|强|大(?!于)|期|批次|号|届|代|位(?!数))")
SCOPE_AFTER = re.compile(r"^\s*(?:以上|以下)?的")  # "70%的企业" is a share to reach; "10亿元的企业" a scope
BODIES = re.compile(r"个?(?:部委|部门|委办局)")
SUBSIDY = re.compile(r"补贴|奖励|补助|资助|给予|扶持资金|贴息|最高不超过|一次性")
SENTENCE = re.compile(r"[^。；;！？!?\n]+[。；;！？!?]?")
_CN = "[一二三四五六七八九十]+"
HEADING = re.compile(rf"^\s*(?:{_CN}、|（{_CN}）|\({_CN}\)|第{_CN}[章节部分])")


def _value(token: str) -> float:
    if re.fullmatch(r"\d+(?:\.\d+)?", token):
        return float(token)
    import cn2an

    return float(cn2an.cn2an(token, "smart"))


def _deadline_year(m: re.Match[str]) -> int:
    if m.group("y"):
        return int(m.group("y"))
    return FIVE_YEAR_PLANS[m.group("plan")][1]


def _deadlines(sentence: str) -> list[tuple[int, int]]:
    """(position, year) of each goal deadline a sentence states."""
    found = []
    for m in DEADLINE.finditer(sentence):
        text = m.group().strip()
        if m.group("y") and not GOAL_FRAME.search(text):
            continue
        if m.group("y") and re.match(r"\s*(?:以来|来|之前的|发布|印发|起)", sentence[m.end():]):
            continue
        if m.group("y") and re.match(r"\s*\d{1,2}\s*月\s*\d{1,2}\s*日(?!\s*前)", sentence[m.end():]):
            continue  # a day (于2021年6月10日通过) is when something happened, not a deadline
        found.append((m.start(), _deadline_year(m)))
    return found


def _quantities(sentence: str) -> list[tuple[re.Match[str], float, float | None, str]]:
    """Goal quantities of one sentence: (match, value, value_max, unit)."""
    found = []
    for m in QUANTITY.finditer(sentence):
        unit_kind = next((k for k in ("pct", "money", "ascii", "unit") if m.group(k)), None)
        scale = SCALES.get(m.group("scale") or "", 1.0)
        if unit_kind is None and not m.group("scale"):
            continue
        if re.fullmatch(rf"[{_ZH_NUM}]+", m.group("n")) and m.group("n") in ("一", "十", "百", "千"):
            continue  # 一个, 一批: "a", not a count
        before, after = sentence[:m.start()], sentence[m.end():]
        if NOT_SCOPE_BEFORE.search(before) or NOT_GOAL_AFTER.match(after) or (
                unit_kind != "pct" and SCOPE_AFTER.match(after)):
            continue
        if re.search(r"[A-Za-z\d.]$", before) or (unit_kind is None and re.match(r"[A-Za-z]", after)):
            continue  # part of a code or a name (5G, H.265)
        if SUBSIDY.search(before[-20:]):
            continue
        if BODIES.match((m.group("unit") or "") + after):
            continue  # 11个部委联合印发, 八部门: how many bodies issued it, not a goal
        try:
            value = _value(m.group("n")) * scale
            value_max = _value(m.group("n2")) * scale if m.group("n2") else None
        except (ValueError, TypeError):
            continue
        if unit_kind is None and m.group("scale") and not re.match(r"\s*[\u4e00-\u9fff]", after):
            continue
        if unit_kind == "pct":
            unit = "percentage points" if "百分点" in m.group("pct") else "percent"
        elif unit_kind == "money":
            unit = MONEY_UNITS[m.group("money")]
        else:
            unit = m.group("ascii") or m.group("unit") or (m.group("scale") or "")
        found.append((m, value, value_max, unit))
    return found


def _comparator(before: str, after: str) -> str | None:
    if re.search(r"(?:不低于|不少于|至少)\s*$", before) or re.match(r"\s*(?:以上|及以上)", after):
        return ">="
    if re.search(r"(?:超过|突破|高于|大于)\s*$", before):
        return ">"
    if re.search(r"(?:约|左右)\s*$", before) or re.match(r"\s*左右", after):
        return "≈"
    return None


def find_targets_zh(text: str, offset: int = 0) -> list[Target]:
    """Targets stated in Chinese ``text``; offsets shifted by ``offset``."""
    quantitative: list[Target] = []
    qualitative: dict[int, Target] = {}
    carried: int | None = None  # the year of a lead-in ("到2025年：") or heading, for the goals listed under it
    position = 0
    for line in text.split("\n"):
        line_start = position
        position += len(line) + 1
        if not line.strip():
            continue
        if HEADING.match(line) and not _deadlines(line):
            carried = None
        for sm in SENTENCE.finditer(line):
            sentence = sm.group()
            base = line_start + sm.start()
            deadlines = _deadlines(sentence)
            quantities = _quantities(sentence)
            if not deadlines and carried is None:
                continue
            for m, value, value_max, unit in quantities:
                year = next((y for p, y in reversed(deadlines) if p <= m.start()), None)
                year = year or (deadlines[0][1] if deadlines else carried)
                quantitative.append(Target(
                    metric=sentence.strip()[:160], value=value, value_max=value_max, unit=unit, year=year,
                    comparator=_comparator(sentence[:m.start()], sentence[m.end():]),
                    evidence=[(offset + base + m.start(), offset + base + m.end())]))
            if deadlines and not quantities:
                year = deadlines[0][1]
                qualitative.setdefault(year, Target(metric=sentence.strip()[:160], value=None, year=year,
                                                    evidence=[(offset + base, offset + base + len(sentence))]))
            # a lead-in that ends with a colon, or a heading line, carries its year to the goals below it
            if deadlines and (sentence.rstrip().endswith(("：", ":")) or (not quantities and len(line.strip()) <= 30)):
                carried = deadlines[-1][1]
    years = {t.year for t in quantitative}
    return quantitative + [t for year, t in qualitative.items() if year not in years]
