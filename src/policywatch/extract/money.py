"""Amounts of money (CNY, USD, EUR…) in full units, with their EUR value at the ECB annual rate."""

from __future__ import annotations

import re
from dataclasses import dataclass

from policywatch.extract.numbers import NUMBER, parse_number, scale
from policywatch.model import Amount
from policywatch.registry import ecb_rates

CURRENCY_PREFIX = {"cny": "CNY", "rmb": "CNY", "¥": "CNY", "￥": "CNY", "usd": "USD", "us$": "USD", "$": "USD",
                   "eur": "EUR", "€": "EUR", "gbp": "GBP", "£": "GBP", "jpy": "JPY", "hkd": "HKD", "hk$": "HKD"}
CURRENCY_SUFFIX = {"yuan": "CNY", "renminbi": "CNY", "rmb": "CNY", "dollars": "USD", "us dollars": "USD",
                   "euros": "EUR", "euro": "EUR", "元": "CNY", "人民币": "CNY", "美元": "USD", "欧元": "EUR",
                   "港元": "HKD", "日元": "JPY", "英镑": "GBP"}
_SCALE = r"(?:trillion|billion|million|thousand|tn|bn|mn|mio|m|b|k)(?![a-z])"
_PREFIX = r"(?:CNY|RMB|Rmb|USD|US\$|HK\$|EUR|GBP|JPY|HKD|¥|￥|\$|€|£)"
_SUFFIX = r"(?:US dollars|dollars|yuan|renminbi|euros?|RMB)"

AMOUNT = re.compile(
    rf"(?P<pre>{_PREFIX})\s?(?P<n1>{NUMBER})\s?(?P<s1>{_SCALE})?"
    rf"|(?P<n2>{NUMBER})\s?(?P<s2>{_SCALE})?\s(?P<suf>{_SUFFIX})\b"
    rf"|(?P<n3>\d+(?:\.\d+)?)\s?(?P<s3>万亿|亿|万|千万|百万)?(?P<zsuf>元|美元|欧元|港元|日元|英镑)",
)


@dataclass(frozen=True)
class MoneyMatch:
    """An amount found in text and where it stands."""

    value: float
    currency: str
    start: int
    end: int


def find_money(text: str) -> list[MoneyMatch]:
    """Amounts in ``text``; a converted figure in brackets right after one, "(€111 m)", is not counted twice."""
    found: list[MoneyMatch] = []
    for m in AMOUNT.finditer(text):
        g = m.groupdict()
        number = g["n1"] or g["n2"] or g["n3"]
        if number is None or (not re.search(r"\d", number) and not g["pre"]):
            continue
        currency = CURRENCY_PREFIX.get((g["pre"] or "").lower()) or CURRENCY_SUFFIX.get(
            (g["suf"] or g["zsuf"] or "").lower(), "CNY")
        value = parse_number(number) * scale(g["s1"] or g["s2"] or g["s3"])
        if found and 0 <= m.start() - found[-1].end <= 3 and text[found[-1].end:m.start()].strip() in ("(", "（"):
            continue
        found.append(MoneyMatch(value, currency, m.start(), m.end()))
    return found


def to_eur(value: float, currency: str, year: int | None) -> float | None:
    """EUR value at the ECB annual average rate of ``year`` (the nearest year the table has)."""
    if currency == "EUR":
        return value
    rates = ecb_rates()
    years = sorted({y for y, c in rates if c == currency})
    if not years:
        return None
    year = min(max(year or years[-1], years[0]), years[-1])
    return round(value / rates[(year, currency)], 2)


def amount(match: MoneyMatch, year: int | None) -> Amount:
    """An Amount record for a money match, converted to EUR at the rate of ``year``."""
    return Amount(value=match.value, currency=match.currency, year=year,
                  eur=to_eur(match.value, match.currency, year), evidence=[(match.start, match.end)])


# Money a Chinese text gives or spends (subsidies, funds, investment) is an amount, not a goal.
FUNDING_ZH = re.compile(r"给予|奖励|补贴|补助|资助|支持|投资|资金|基金|安排|扶持|贴息|拨付|专项")


def funding_zh(text: str) -> list[MoneyMatch]:
    """Amounts a Chinese text grants or invests: money with a funding word shortly before it."""
    return [m for m in find_money(text) if FUNDING_ZH.search(text[max(0, m.start - 25):m.start])]
