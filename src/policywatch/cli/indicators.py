"""Technology indicators from public statistics: patents, trade, venture capital."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from policywatch.cli.common import (
    err,
    fail,
    out,
    print_json,
)
from policywatch.errors import PolicywatchError

indicators_app = typer.Typer(help="Technology indicators from public statistics (needs policywatch\\[indicators]).",
                              no_args_is_help=True)


def _indicators():
    try:
        import pandas  # noqa: F401  (the indicators import it only where they read a table)

        from policywatch import indicators
        from policywatch.indicators import chart
    except ImportError as exc:
        raise fail(f"indicators need pandas and matplotlib: pip install 'policywatch[indicators]' "
                   f"({exc.name} missing)") from None
    return indicators, chart


def _emit_table(frame: Any, columns: list[str], as_json: bool, as_csv: bool, notes: list[str], title: str) -> None:
    for note in notes:
        err.print(f"[yellow]note:[/yellow] {escape(note)}", highlight=False)
    frame = frame[columns]
    if as_csv:
        sys.stdout.write(frame.to_csv(index=False))
        return
    records = json.loads(frame.to_json(orient="records"))  # NaN becomes null
    if as_json:
        print_json(records)
        return
    table = Table(title=f"{title} ({len(records)} rows)")
    for column in columns:
        table.add_column(column, justify="left" if column in ("country", "technology") else "right")
    for r in records[:200]:
        table.add_row(*("" if r[c] is None else f"{r[c]:.4g}" if isinstance(r[c], float) else str(r[c]) for c in columns))
    out.print(table)
    if len(records) > 200:
        err.print(f"showing 200 of {len(records)} rows; use --csv or --json for all")


def _country(frame: Any, country: str | None) -> Any:
    if country is None:
        return frame
    chosen = frame[frame["country"].astype(str).str.upper() == country.upper()]
    if chosen.empty:
        raise fail(f"country {country}: not in the table (countries: "
                   f"{', '.join(sorted(map(str, frame['country'].unique()))[:15])})")
    return chosen


IndicatorFile = Annotated[Path, typer.Argument(help="CSV file (see `--format`).")]
CountryOption = Annotated[str | None, typer.Option("--country", help="Only this country (code as in the file).")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON records.")]
CsvOption = Annotated[bool, typer.Option("--csv", help="Print CSV.")]
PlotOption = Annotated[Path | None, typer.Option("--plot", help="Write a chart (SVG, PNG or PDF by suffix).")]
MappingOption = Annotated[Path | None, typer.Option("--mapping", help="Code-to-technology mapping CSV "
                                                    "(scheme,code,technology) replacing the shipped one.")]


@indicators_app.command("patents")
def indicators_patents(
    file: IndicatorFile, country: CountryOption = None, as_json: JsonOption = False, as_csv: CsvOption = False,
    plot: PlotOption = None, mapping: MappingOption = None,
    fmt: Annotated[str, typer.Option("--format", help="long (country,technology,year,value) or oecd.")] = "long",
    growth: Annotated[str | None, typer.Option("--growth", help="CAGR between two years instead, e.g. 2010:2018.")]
    = None,
) -> None:
    """World share, RTA and RPA of patent counts by country, technology and year (or their growth)."""
    indicators, chart = _indicators()
    try:
        table = indicators.load_patents(file, fmt, mapping)
        if growth:
            start, _, end = growth.partition(":")
            if not (start.isdigit() and end.isdigit()):
                raise fail(f"--growth {growth}: expected START:END years, e.g. 2010:2018")
            result, notes = indicators.cagr(table, int(start), int(end))
            _emit_table(_country(result, country), ["country", "technology", "start_year", "end_year", "start_value",
                                                    "end_value", "cagr"], as_json, as_csv, notes, "growth")
            return
        result, notes = indicators.specialisation(table)
    except (PolicywatchError, ValueError) as exc:
        raise fail(str(exc)) from None
    chosen = _country(result, country)
    _emit_table(chosen, ["country", "technology", "year", "value", "share", "rta", "rpa"], as_json, as_csv, notes,
                "patent indicators")
    if plot:
        chart.plot_specialisation(result, country or str(chosen["country"].iloc[0]), plot)
        err.print(f"chart written to {plot}")


@indicators_app.command("trade")
def indicators_trade(
    file: IndicatorFile, country: CountryOption = None, as_json: JsonOption = False, as_csv: CsvOption = False,
    plot: PlotOption = None, mapping: MappingOption = None,
    fmt: Annotated[str, typer.Option("--format", help="long (reporter,partner,product,year,flow,value) or comtrade.")]
    = "long",
) -> None:
    """Exports, imports, trade balance (X−M)/(X+M) and share of world exports by technology."""
    indicators, chart = _indicators()
    try:
        trade, notes = indicators.load_trade(file, fmt, mapping)
        result, more = indicators.trade_balance(trade)
    except (PolicywatchError, ValueError) as exc:
        raise fail(str(exc)) from None
    chosen = _country(result, country)
    _emit_table(chosen, ["country", "technology", "year", "exports", "imports", "balance", "export_share"],
                as_json, as_csv, notes + more, "trade indicators")
    if plot:
        chart.plot_column(result, "balance", country or str(chosen["country"].iloc[0]), "trade balance (X−M)/(X+M)", plot)
        err.print(f"chart written to {plot}")


@indicators_app.command("vc")
def indicators_vc(file: IndicatorFile, country: CountryOption = None, as_json: JsonOption = False,
                  as_csv: CsvOption = False, plot: PlotOption = None) -> None:
    """Venture capital: deals, amounts in EUR (ECB annual rates) and rounds per start-up."""
    indicators, chart = _indicators()
    try:
        result, notes = indicators.vc_totals(indicators.load_vc(file))
    except (PolicywatchError, ValueError) as exc:
        raise fail(str(exc)) from None
    chosen = _country(result, country)
    _emit_table(chosen, ["country", "technology", "year", "deals", "amount_eur", "startups", "rounds_per_startup"],
                as_json, as_csv, notes, "venture capital")
    if plot:
        chart.plot_column(result, "amount_eur", country or str(chosen["country"].iloc[0]), "VC invested, EUR", plot)
        err.print(f"chart written to {plot}")
