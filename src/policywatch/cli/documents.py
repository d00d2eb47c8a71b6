"""Commands over stored documents: ingest, documents list and show, extract, evaluate."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from policywatch.cli.common import (
    PLACES_SHOWN,
    State,
    api,
    err,
    fetched_or_printed,
    folded_table,
    out,
    print_json,
    user_errors,
)
from policywatch.limits import MB
from policywatch.shorten import shorten

documents_app = typer.Typer(help="List and inspect stored documents.", no_args_is_help=True)


def ingest(
    paths: Annotated[list[str], typer.Argument(help="Files, folders (searched recursively) or glob patterns.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the results as JSON.")] = False,
    max_size: Annotated[float | None, typer.Option("--max-size", min=0.001, help="Largest file to read, in MB "
                                                   "(default 10, or POLICYWATCH_MAX_MB); larger ones are refused.")] = None,
    workers: Annotated[int, typer.Option("--workers", "-w", min=1, help="Processes that read and extract in "
                                         "parallel (writes stay one transaction per document).")] = 1,
    dask: Annotated[str | None, typer.Option("--dask", help="Read and extract on a Dask cluster, e.g. "
                                             "tcp://scheduler:8786; this process writes.")] = None,
) -> None:
    """Read documents into the database (the same bytes twice are one document)."""
    from rich.progress import (  # loaded by the commands that show progress
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    max_bytes = int(max_size * MB) if max_size else None  # passed down as data: the environment stays as it was
    with user_errors():
        engine = State.engine()
        files, failed = api.expand_paths(paths)
    with Progress(TextColumn("[bold]ingest"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  TextColumn("{task.description}"), console=err, transient=True,
                  disable=as_json or not err.is_terminal) as progress:
        task = progress.add_task("", total=len(files))

        def advance(result: api.IngestResult) -> None:
            progress.update(task, advance=1, description=Path(result.source).name)

        with user_errors():
            results = failed + api.ingest_files(engine, files, advance, workers, dask, max_bytes)
    if as_json:
        print_json([r.__dict__ for r in results])
    else:
        for r in results:
            if r.status == "failed":
                err.print(f"[red]failed[/red] {r.source}: {r.reason}", highlight=False)
        table = Table(title="ingest")
        for column in ("added", "already present", "failed", "mentions found"):
            table.add_column(column, justify="right")
        table.add_row(*(str(sum(r.status == s for r in results)) for s in ("added", "present", "failed")),
                      str(sum(r.mentions for r in results)))
        out.print(table)
    if any(r.status == "failed" for r in results):
        raise typer.Exit(1)


@documents_app.command("list")
def documents_list(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    sha256: Annotated[bool, typer.Option("--sha256", help="Show each document's SHA-256 too.")] = False,
) -> None:
    """List stored documents (titles cut to fit the terminal)."""
    rows = fetched_or_printed(lambda: api.documents(State.engine()), as_json)
    if rows is None:
        return
    table = Table(title=f"{len(rows)} documents")
    fixed = (("id", 4, "right"), ("format", 6, "left"), ("lang", 5, "left"), ("published", 10, "left"),
             ("items", 5, "right"), ("records", 7, "right")) + ((("sha256", 64, "left"),) if sha256 else ())
    for name, width, justify in fixed[:6]:
        table.add_column(name, no_wrap=True, min_width=width, justify=justify)  # type: ignore[arg-type]
    # the title takes what the terminal has left, cut with an ellipsis
    room = out.width - sum(width + 3 for _, width, _ in fixed) - 4
    table.add_column("title", no_wrap=True, overflow="ellipsis", max_width=max(12, room))
    if sha256:
        table.add_column("sha256", no_wrap=True, min_width=64)
    for r in rows:
        cells = [str(r["id"]), r["format"], r["language"], r["published"] or "", str(r["items"]), str(r["mentions"]),
                 escape(r["title"] or Path(r["source"]).name)]
        table.add_row(*cells, *([r["sha256"]] if sha256 else []))
    out.print(table)


@documents_app.command("show")
def documents_show(
    document_id: Annotated[int, typer.Argument(help="Document id (see `documents list`).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON, text included.")] = False,
) -> None:
    """Show one document: metadata, items and what was extracted."""
    doc = fetched_or_printed(lambda: api.document(document_id, State.engine()), as_json)
    if doc is None:
        return
    for key in ("id", "source", "format", "language", "encoding", "title", "published", "layout", "sha256"):
        out.print(f"[bold]{key}:[/bold] {doc[key]}", highlight=False)
    out.print(f"[bold]text:[/bold] {len(doc['text'])} characters, {len(doc['items'])} items")
    table = Table(title=f"{len(doc['mentions'])} mentions")
    for column in ("kind", "date", "status", "issuers", "what", "evidence"):
        table.add_column(column)
    for m in doc["mentions"]:
        data = m["data"]
        what = data.get("title_en") or data.get("title_zh") or data.get("person_en") or \
            ", ".join(data.get("companies", [])) or shorten(doc["text"][m["evidence"][0][0]:m["evidence"][0][1]], 70)
        more = len(m["evidence"]) - PLACES_SHOWN
        table.add_row(m["kind"], m["date"] or "", m["status"] or "", ", ".join(m["issuers"]), what,
                      " ".join(f"{s}-{e}" for s, e in m["evidence"][:PLACES_SHOWN]) + (f" (+{more})" if more > 0 else ""))
    out.print(table)


class OutputFormat(StrEnum):
    jsonl = "jsonl"
    table = "table"


def extract(
    paths: Annotated[list[str], typer.Argument(help="Files, folders or globs to extract from (no database needed).")],
    fmt: Annotated[OutputFormat, typer.Option("--format", "-f", help="jsonl: one record a line, the gold "
                                              "prediction format; table: a readable summary.")] = OutputFormat.table,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")] = None,
) -> None:
    """Extract policy, corporate-news and personnel records with evidence offsets."""
    records, failed = api.predictions(paths)
    for f in failed:
        err.print(f"[red]failed[/red] {f.source}: {f.reason}", highlight=False)
    if fmt is OutputFormat.jsonl:
        lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
        if output:
            output.write_text(lines, encoding="utf-8")
        else:
            sys.stdout.write(lines)
    else:
        table = folded_table(f"{len(records)} records", ("document", "kind", "date", "status",
                                                        "issuers / companies / person", "title or summary"))
        for r in records:
            who = ", ".join(r.get("issuers") or r.get("companies") or []) or r.get("person_en", "")
            what = r.get("title_en") or r.get("title_zh") or r.get("summary", "")
            table.add_row(Path(r["doc"]).name, r["kind"], r.get("date", ""), r.get("status", ""), who, shorten(what, 90))
        Console(file=output.open("w", encoding="utf-8") if output else None).print(table)
    if failed:
        raise typer.Exit(1)


def evaluate(
    gold: Annotated[Path, typer.Option("--gold", help="Gold records, JSON lines in the format `extract -f jsonl` writes "
                                         "(one record a line: doc, kind and the fields to score).")],
    corpus: Annotated[Path, typer.Option("--corpus", help="Folder holding the gold file's documents.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="List every miss, wrong field and extra record.")]
    = False,
) -> None:
    """Score extraction against a gold file: precision, recall and F1 per kind and per field."""
    result = fetched_or_printed(lambda: api.evaluate(gold, corpus), as_json)
    if result is None:
        return
    if verbose:
        for error in result["errors"]:
            out.print("  " + json.dumps(error, ensure_ascii=False)[:300], highlight=False, markup=False)
    table = Table(title="extraction quality")
    for column in ("scope", "precision", "recall", "F1", "tp", "fn", "fp"):
        table.add_column(column, justify="left" if column == "scope" else "right")
    rows = [("records", result["records"]), ("fields", result["fields"])]
    rows += [(f"kind {k}", v) for k, v in result["by_kind"].items()]
    rows += [(f"field {k}", v) for k, v in result["by_field"].items()]
    for name, s in rows:
        table.add_row(name, f"{s['precision']:.3f}", f"{s['recall']:.3f}", f"{s['f1']:.3f}",
                      str(s["tp"]), str(s["fn"]), str(s["fp"]))
    out.print(table)
