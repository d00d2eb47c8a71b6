"""The monthly briefing: `briefing --month` drafts it, `briefing fit` fits its ranking to the team's briefings."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Annotated

import typer

from policywatch.cli.common import (
    State,
    api,
    err,
    fail,
    out,
    user_errors,
)

briefing_app = typer.Typer(help="Draft the monthly briefing; fit its ranking to the team's past briefings.")


@briefing_app.callback(invoke_without_command=True)
def briefing(
    ctx: typer.Context,
    month: Annotated[str | None, typer.Option("--month", help="Reporting month, YYYY-MM.")] = None,
    top: Annotated[int, typer.Option("--top", help="How many Top items.")] = 5,
    fmt: Annotated[str, typer.Option("--format", "-f", help="md, html or pdf.")] = "md",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write here (charts of Markdown go beside it "
                                                "as SVG files named with the month); default: stdout for md and "
                                                "html.")] = None,
    pin: Annotated[list[int] | None, typer.Option("--pin", help="Policy id to put in the Top items (repeatable).")]
    = None,
    exclude: Annotated[list[int] | None, typer.Option("--exclude", help="Policy id to leave out (repeatable).")] = None,
    template: Annotated[Path | None, typer.Option("--template", help="Your own Jinja2 template.")] = None,
    explain: Annotated[bool, typer.Option("--explain", help="Show the signals and their points behind each Top "
                                          "entry.")] = False,
    weights: Annotated[Path | None, typer.Option("--weights", help="Ranking weights file (signal,weight,description); "
                                                 "default: $POLICYWATCH_RANKING, else the one `briefing fit` wrote, "
                                                 "else the packaged data/ranking.csv.")] = None,
) -> None:
    """Draft the monthly briefing: Top items, policy news, corporate news, personnel, charts."""
    if ctx.invoked_subcommand is not None:
        return
    if month is None:
        raise fail("briefing needs --month YYYY-MM (or a command: briefing fit)")
    if fmt == "pdf" and output is None:
        raise fail("--format pdf needs --output FILE")
    # Markdown on stdout links no charts: their SVG files would never be written
    with_charts = fmt != "md" or output is not None
    if with_charts and importlib.util.find_spec("matplotlib") is None:
        err.print("note: no charts (they need matplotlib: pip install 'policywatch[briefing]')", markup=False,
                  highlight=False)
        with_charts = False
    with user_errors():
        document, charts = api.briefing(month, State.engine(), fmt, top, pin, exclude, template,
                                        with_charts=with_charts, explain=explain, weights=weights)
    if output is None:
        sys.stdout.write(document if isinstance(document, str) else "")
        return
    try:
        if isinstance(document, bytes):
            output.write_bytes(document)
        else:
            output.write_text(document, encoding="utf-8")
            if fmt == "md":
                for name, svg in charts.items():
                    (output.parent / f"{name}.svg").write_text(svg, encoding="utf-8")
    except OSError as exc:
        raise fail(f"{output}: {exc.strerror}") from None
    err.print(f"briefing for {month} written to {output}")


@briefing_app.command("fit")
def fit_command(
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the fitted weights here; default: "
                                                "ranking.csv in your data folder, which briefings then use.")] = None,
    top: Annotated[int | None, typer.Option("--top", help="Score each held-back month by its human picks in the "
                                            "fitted Top N (default N: that month's number of picks).")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Measure and print, write nothing.")] = False,
) -> None:
    """Fit the ranking's weights to the team's past briefings in the archive (their Top picks are the positives)
    and say how well the fitted ranking reproduces each month held back from the fit."""
    if importlib.util.find_spec("sklearn") is None:
        raise fail("fitting needs scikit-learn: pip install 'policywatch[fit]'")
    from policywatch.briefing.ranking import SIGNALS, user_weights, write_weights

    with user_errors():
        result = api.fit_briefing(State.engine(), top)
    picks = sum(e.picked for e in result.examples)
    out.print(f"{len(result.examples)} examples ({picks} Top picks) in {len({e.month for e in result.examples})} months")
    out.print("held-back month   picks  in fitted Top  in current Top  candidates  missed")
    for fitted, current in zip(result.held_back, result.baseline, strict=True):
        out.print(f"{fitted.month:17} {fitted.picks:5}  {fitted.found:13}  {current.found:14}  {fitted.candidates:10}  "
                  f"{'; '.join(fitted.missed)[:60]}", markup=False, highlight=False)
    out.print(f"share of human Top picks reproduced: fitted {result.share(result.held_back):.2f}, "
              f"current weights {result.share(result.baseline):.2f}")
    for name in SIGNALS:
        out.print(f"  {name:15} {result.weights[name]:+.3f}", markup=False, highlight=False)
    if dry_run:
        return
    target = output or user_weights()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        write_weights(result.weights, target, f"Fitted by `policywatch briefing fit` to {len(result.examples)} "
                      f"examples; held-back months reproduced {result.share(result.held_back):.2f}")
    except OSError as exc:
        raise fail(f"{target}: {exc.strerror}") from None
    err.print(f"weights written to {target}")
