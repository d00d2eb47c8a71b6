"""Figures as people write them: 150,000,000,000 CNY, not 1.5e+11; an amount with its EUR value beside it."""

from __future__ import annotations


def figure(value: float | None) -> str:
    """A number with thousands separators, whole numbers without decimals, others with at most six."""
    if value is None:
        return ""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.6f}".rstrip("0").rstrip(".")


def span(value: float | None, value_max: float | None = None) -> str:
    """A value or a range of values: 6-8, 3,000,000."""
    if value is None:
        return "—"
    return figure(value) + (f"–{figure(value_max)}" if value_max is not None else "")


def amount(value: float, currency: str, eur: float | None = None) -> str:
    """A sum in its currency, with its value in euros where known: 700,000,000 USD (641,000,000 EUR)."""
    text = f"{figure(value)} {currency}"
    if eur is not None and currency != "EUR":
        text += f" ({figure(round(eur))} EUR)"
    return text
