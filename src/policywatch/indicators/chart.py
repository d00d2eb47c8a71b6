"""Charts of indicators as SVG: RPA bars by technology and world share over time."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from policywatch.choices import technology_name


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")  # files only, no display
    import matplotlib.pyplot as plt

    return plt


def _names(column: pd.Series) -> list[str]:
    """Technology ids as their names, for labels."""
    return [technology_name(str(t)) for t in column]


def plot_specialisation(table: pd.DataFrame, country: str, path: str | Path) -> None:
    """Two panels for one country: RPA by technology in the latest year, and share over time."""
    plt = _pyplot()
    mine = table[table["country"].astype(str) == country]
    if mine.empty:
        raise ValueError(f"no rows for country {country}")
    latest = int(mine["year"].max())
    bars = mine[mine["year"] == latest].sort_values("rpa")
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, max(4, 0.35 * len(bars) + 1.5)))
    colours = ["#2a7ab9" if v >= 0 else "#d1495b" for v in bars["rpa"].fillna(0)]
    left.barh(_names(bars["technology"]), bars["rpa"].fillna(0), color=colours)
    left.axvline(0, color="#333", linewidth=0.8)
    left.set_xlim(-100, 100)
    left.set_title(f"{country}: specialisation (RPA), {latest}")
    for tech, series in mine.sort_values("year").groupby("technology", observed=True):
        right.plot(series["year"], series["share"] * 100, marker="o", label=technology_name(str(tech)))
    right.set_title(f"{country}: share of world total, %")
    right.set_xlabel("year")
    right.xaxis.get_major_locator().set_params(integer=True)  # years, not 2019.25
    right.legend(fontsize="small", ncol=2)
    fig.tight_layout()
    fig.savefig(str(path), format=Path(path).suffix.lstrip(".") or "svg")
    plt.close(fig)


def plot_column(table: pd.DataFrame, column: str, country: str, title: str, path: str | Path) -> None:
    """Bars of one indicator by technology for one country in the latest year."""
    plt = _pyplot()
    mine = table[table["country"].astype(str) == country]
    if mine.empty:
        raise ValueError(f"no rows for country {country}")
    latest = int(mine["year"].max())
    bars = mine[mine["year"] == latest].sort_values(column)
    fig, axis = plt.subplots(figsize=(8, max(3, 0.35 * len(bars) + 1.5)))
    axis.barh(_names(bars["technology"]), bars[column].fillna(0), color="#2a7ab9")
    axis.set_title(f"{country}: {title}, {latest}")
    fig.tight_layout()
    fig.savefig(str(path), format=Path(path).suffix.lstrip(".") or "svg")
    plt.close(fig)
