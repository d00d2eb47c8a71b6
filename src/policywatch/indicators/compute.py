"""The indicators: world share, RTA and RPA, growth (CAGR), trade balance, venture-capital totals.

Undefined values (a zero denominator) come out as missing, never as a division by zero, and each function
returns notes that say where that happened.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from policywatch.extract.money import to_eur


def _ratio(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    return numerator.where(denominator != 0) / denominator.where(denominator != 0)


def specialisation(x: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """share, RTA and RPA for every country, technology and year of a long table (country, technology, year, value).

    share[c,t,y] = X[c,t,y] / Σ_c X[c,t,y]
    RTA[c,t,y]   = (X[c,t,y] / Σ_t X[c,t,y]) / (Σ_c X[c,t,y] / Σ_c Σ_t X[c,t,y])
    RPA          = 100 · (RTA² − 1) / (RTA² + 1)
    """
    out = x[["country", "technology", "year", "value"]].copy()
    world_tech = out.groupby(["technology", "year"], observed=True)["value"].transform("sum")
    country_total = out.groupby(["country", "year"], observed=True)["value"].transform("sum")
    world_total = out.groupby("year", observed=True)["value"].transform("sum")
    out["share"] = _ratio(out["value"], world_tech)
    out["rta"] = _ratio(_ratio(out["value"], country_total), _ratio(world_tech, world_total))
    squared = out["rta"] ** 2
    out["rpa"] = 100 * (squared - 1) / (squared + 1)
    notes = []
    for label, mask in (("the world total of the technology is zero", world_tech == 0),
                        ("the country's total is zero", country_total == 0)):
        if mask.any():
            cells = out.loc[mask, ["country", "technology", "year"]].drop_duplicates()
            first = cells.iloc[0]
            notes.append(f"{len(cells)} cell(s) left undefined because {label} "
                         f"(e.g. {first['country']}, {first['technology']}, {first['year']})")
    return out, notes


def cagr(x: pd.DataFrame, start: int, end: int,
         keys: tuple[str, ...] = ("country", "technology")) -> tuple[pd.DataFrame, list[str]]:
    """Compound annual growth of value between two years: (X[end] / X[start]) ** (1 / (end - start)) - 1."""
    if end <= start:
        raise ValueError(f"growth needs a later end year than start year ({start}:{end})")
    keys = list(keys)
    first = x[x["year"] == start].groupby(keys, observed=True)["value"].sum()
    last = x[x["year"] == end].groupby(keys, observed=True)["value"].sum()
    both = pd.concat([first.rename("start_value"), last.rename("end_value")], axis=1).reset_index()
    growth = _ratio(both["end_value"], both["start_value"]) ** (1 / (end - start)) - 1
    both["cagr"] = growth
    both["start_year"], both["end_year"] = start, end
    undefined = both["cagr"].isna().sum()
    notes = [f"{undefined} growth rate(s) undefined: no value, or zero, in {start} or {end}"] if undefined else []
    return both, notes


def trade_balance(trade: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Per reporter, technology and year: exports, imports, (X − M) / (X + M) and the share of world exports."""
    flows = trade.groupby(["reporter", "technology", "year", "flow"], observed=True)["value"].sum().unstack("flow")
    flows = flows.reindex(columns=["export", "import"]).fillna(0.0).rename(columns={"export": "exports",
                                                                                  "import": "imports"})
    flows = flows.reset_index()
    flows.columns.name = None
    flows["balance"] = _ratio(flows["exports"] - flows["imports"], flows["exports"] + flows["imports"])
    world = flows.groupby(["technology", "year"], observed=True)["exports"].transform("sum")
    flows["export_share"] = _ratio(flows["exports"], world)
    notes = []
    empty = (flows["exports"] + flows["imports"]) == 0
    if empty.any():
        notes.append(f"{int(empty.sum())} balance(s) undefined: no trade at all in the cell")
    return flows.rename(columns={"reporter": "country"}), notes


def vc_totals(vc: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Per country, technology and year: deals, amount in EUR (ECB annual rate of the year), rounds per start-up."""
    frame = vc.copy()
    notes = []
    rates_needed = frame["currency"] != "EUR"
    if rates_needed.any():
        converted = [to_eur(v, c, str(int(y))) for v, c, y in frame.loc[rates_needed, ["value", "currency", "year"]]
                     .itertuples(index=False)]
        frame.loc[rates_needed, "value"] = converted
        unknown = frame.loc[rates_needed & frame["value"].isna(), "currency"].unique()
        if len(unknown):
            notes.append(f"amounts in {', '.join(map(str, unknown))} have no ECB rate and were left out")
    totals = frame.groupby(["country", "technology", "year"], observed=True).agg(
        deals=("deals", "sum"), amount_eur=("value", "sum"), startups=("startups", "sum")).reset_index()
    totals["startups"] = totals["startups"].replace(0, np.nan)
    totals["rounds_per_startup"] = _ratio(totals["deals"], totals["startups"])
    return totals, notes
