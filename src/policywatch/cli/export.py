"""Exports of every record of a kind for spreadsheets and data tools."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from policywatch.cli.common import (
    State,
    check_filters,
    err,
    fail,
    user_errors,
)


def export_command(
    kind: Annotated[str, typer.Argument(help="documents, policies, targets, relations, events, people or companies.")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="csv, jsonl, xlsx or parquet.")] = "csv",
    output: Annotated[str | None, typer.Option("--output", "-o", help="File to write; '-' (the default for csv and "
                                               "jsonl) writes to standard output.")] = None,
    issuer: Annotated[str | None, typer.Option("--issuer", help="Policies and targets: agency id.")] = None,
    status: Annotated[str | None, typer.Option("--status", help="Policies and targets: draft or final.")] = None,
    technology: Annotated[str | None, typer.Option("--technology", help="Policies and targets: technology id.")] = None,
    date_from: Annotated[str | None, typer.Option("--from", help="Earliest date, YYYY[-MM[-DD]].")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="Latest date, YYYY[-MM[-DD]].")] = None,
) -> None:
    """Export every record of a kind for spreadsheets and data tools, with its source document and evidence."""
    from rich.progress import MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from policywatch import export as exporter

    check_filters(issuer, status, technology, date_from, date_to)
    if fmt not in exporter.FORMATS:
        raise fail(f"--format {fmt}: expected one of {', '.join(exporter.FORMATS)}")
    if kind not in exporter.KINDS:
        raise fail(f"{kind}: no such export (kinds: {', '.join(exporter.KINDS)})")
    binary = fmt in ("xlsx", "parquet")
    output = output or ("-" if not binary else f"{kind}.{fmt}")
    if output == "-" and binary:
        raise fail(f"{fmt} is a binary format: name a file with -o")
    filters = {"issuer": issuer, "status": status, "technology": technology, "date_from": date_from, "date_to": date_to}
    if kind not in ("policies", "targets"):
        filters = {k: v for k, v in filters.items() if k in ("date_from", "date_to") and kind in ("events", "people")}
    with user_errors():
        engine = State.engine()
        with Progress(TextColumn(f"[bold]export {kind}"), MofNCompleteColumn(), TimeElapsedColumn(), console=err,
                      transient=True, disable=not err.is_terminal) as progress:
            task = progress.add_task("", total=None)

            def advance(done: int) -> None:
                progress.update(task, completed=done)

            if output == "-":
                count = exporter.export(engine, kind, fmt, sys.stdout, filters, advance)
            else:
                try:
                    with open(output, "wb" if binary else "w", encoding=None if binary else "utf-8",
                              newline=None if binary else "") as handle:
                        count = exporter.export(engine, kind, fmt, handle, filters, advance)
                except OSError as exc:
                    raise fail(f"{output}: {exc.strerror or 'cannot be written'}") from None
    if output != "-":
        err.print(f"{count} {kind} written to {output}", highlight=False)
