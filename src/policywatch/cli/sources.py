"""Watched sites and feeds, and the watch run that fetches them."""

from __future__ import annotations

import importlib.util
from typing import Annotated, Any

import typer
from rich.markup import escape

from policywatch.cli.common import (
    State,
    api,
    err,
    fail,
    fetched_or_printed,
    folded_table,
    out,
    user_errors,
)
from policywatch.shorten import shorten

sources_app = typer.Typer(help="Sites and feeds to watch: add, list, show, remove; `watch` fetches them.",
                           no_args_is_help=True)
WATCH_MODULES = ("httpx", "feedparser", "trafilatura", "lxml_html_clean", "protego")  # policywatch[watch]


@sources_app.command("add")
def sources_add(
    url: Annotated[str, typer.Argument(help="The page, list page, feed or sitemap to watch.")],
    kind: Annotated[str | None, typer.Option("--kind", help="page (one notice), list (a list of notices), feed "
                                             "(RSS/Atom) or sitemap; guessed from the address when left out.")] = None,
    every: Annotated[str, typer.Option("--every", help="How often: 30m, 6h, 1d …")] = "6h",
    name: Annotated[str | None, typer.Option("--name", help="A short name (default: the address).")] = None,
    follow: Annotated[str | None, typer.Option("--follow", help="Only links matching this regular expression.")] = None,
) -> None:
    """Watch a source: `watch` fetches it when due and ingests its notices and their attachments."""
    with user_errors():
        source_id = api.add_source(url, State.engine(), kind, every, name, follow)
    out.print(f"source {source_id} added; `policywatch watch` fetches it now and then every {every}")


@sources_app.command("list")
def sources_list(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Every source with its schedule and last result."""
    rows = fetched_or_printed(lambda: api.sources(State.engine()), as_json)
    if rows is None:
        return
    table = folded_table(f"{len(rows)} sources", ("id", "name", "kind", "every", "next run", "documents", "last result"))
    for r in rows:
        table.add_row(str(r["id"]), escape(r["name"]), r["kind"], f"{r['every_seconds'] // 60} min",
                      f"{r['next_run_at']:%Y-%m-%d %H:%M}" if r["next_run_at"] else "", str(r["documents"]),
                      escape(r["last_status"] or "not run yet"))
    out.print(table)


@sources_app.command("show")
def sources_show(key: Annotated[str, typer.Argument(help="Source id or name.")],
                 as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """One source and what was fetched from it."""
    found = fetched_or_printed(lambda: api.source(key, State.engine()), as_json)
    if found is None:
        return
    out.print(f"[bold]{escape(found['name'])}[/bold] {escape(found['url'])} ({found['kind']}, every "
              f"{found['every_seconds'] // 60} min)\nlast result: {escape(found['last_status'] or 'not run yet')}")
    table = folded_table(f"{len(found['fetched'])} fetched", ("url", "status", "document", "title"))
    for f in found["fetched"]:
        table.add_row(escape(f["url"]), str(f["status"]), str(f["id"] or ""), escape(shorten(f["title"] or "", 60)))
    out.print(table)


@sources_app.command("remove")
def sources_remove(key: Annotated[str, typer.Argument(help="Source id or name.")]) -> None:
    """Stop watching a source (what was fetched from it stays)."""
    with user_errors():
        name = api.remove_source(key, State.engine())
    out.print(f"source '{name}' removed")


def watch(
    forever: Annotated[bool, typer.Option("--forever", help="Keep running, fetching sources as they fall due; "
                                          "stops cleanly on SIGTERM or Ctrl-C.")] = False,
    every_source: Annotated[bool, typer.Option("--all", help="Fetch every source now, due or not.")] = False,
    tick: Annotated[int, typer.Option("--tick", min=1, help="With --forever: seconds between checks.")] = 60,
) -> None:
    """Fetch the sources that are due, ingest what is new, match watchlists and send their alerts.

    Run it from cron or a systemd timer, or keep it running with --forever. Exits 1 when anything failed (a
    source, a notice, an attachment, an alert's delivery), after the rest of the run is done."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    needed = WATCH_MODULES + (("apscheduler",) if forever else ())
    if missing := [name for name in needed if importlib.util.find_spec(name) is None]:
        raise fail(f"watching needs: pip install 'policywatch[watch]' ({', '.join(missing)} missing)")
    from policywatch.watch.runner import run_forever

    with user_errors():
        engine = State.engine()
    if forever:
        err.print(f"watching; checking every {tick} s (SIGTERM or Ctrl-C stops)")
        run_forever(engine, tick, _print_run)
        err.print("stopped")
        return
    with Progress(TextColumn("[bold]watch"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  TextColumn("{task.description}"), console=err, transient=True, disable=not err.is_terminal) as progress:
        task = progress.add_task("", total=None)

        def advance(report: Any) -> None:
            progress.update(task, advance=1, description=report.name)
            if not err.is_terminal:
                err.print(report.line(), highlight=False, markup=False)

        with user_errors():
            report = api.watch(engine, every_source, progress=advance)
    if err.is_terminal:
        for source_report in report.sources:
            err.print(source_report.line(), highlight=False, markup=False)
    _print_run(report, sources=False)
    if report.failed:  # a notice, an attachment, a source or an alert's delivery
        raise typer.Exit(1)


def _print_run(report: Any, sources: bool = True) -> None:
    if sources:
        for source_report in report.sources:
            err.print(source_report.line(), highlight=False, markup=False)
    for name, count in report.matches.items():
        if count:
            out.print(f"watchlist {name}: {count} new", highlight=False)
    if report.delivered:
        out.print(f"{report.delivered} alerts sent", highlight=False)
    for failure in report.pending:
        err.print(f"alert not sent, will retry: {failure}", highlight=False, markup=False)
    for warning in getattr(report, "warnings", []):
        err.print(f"warning: {warning}", highlight=False, markup=False)
