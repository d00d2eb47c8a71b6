"""The `policywatch` command: a thin layer over policywatch.api that parses arguments and prints."""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from sqlalchemy import Engine

from policywatch import __version__, api
from policywatch.errors import PolicywatchError
from policywatch.shorten import shorten
from policywatch.store import database
from policywatch.store.search import SNIPPET_CLOSE, SNIPPET_OPEN, Filters

app = typer.Typer(help="Turn China policy briefings into a searchable, cited database.",
                  no_args_is_help=True, rich_markup_mode="rich", pretty_exceptions_enable=False)
documents_app = typer.Typer(help="List and inspect stored documents.", no_args_is_help=True)
db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True)
policies_app = typer.Typer(help="Policies resolved across documents: list, show, merge, split, review.",
                           no_args_is_help=True)
app.add_typer(documents_app, name="documents")
app.add_typer(policies_app, name="policies")
indicators_app = typer.Typer(help="Technology indicators from public statistics (needs policywatch\\[indicators]).",
                             no_args_is_help=True)
app.add_typer(indicators_app, name="indicators")
token_app = typer.Typer(help="Write tokens for the web API and pages.", no_args_is_help=True)
app.add_typer(token_app, name="token")
note_app = typer.Typer(help="Analyst notes on policies (shown as comments in the briefing).", no_args_is_help=True)
app.add_typer(note_app, name="note")
app.add_typer(db_app, name="db")
sources_app = typer.Typer(help="Sites and feeds to watch: add, list, show, remove; `watch` fetches them.",
                          no_args_is_help=True)
app.add_typer(sources_app, name="sources")
watchlist_app = typer.Typer(help="Saved searches: each watch run reports what is new and matches them.",
                            no_args_is_help=True)
app.add_typer(watchlist_app, name="watchlist")

out = Console()
err = Console(stderr=True, soft_wrap=True)
PLACES_SHOWN = 5  # evidence spans shown per record; a text that repeats a sentence can give thousands


class State:
    db: str | None = None
    _engine: Engine | None = None

    @classmethod
    def engine(cls) -> Engine:
        if cls._engine is None:
            cls._engine = database.connect(cls.db)
        return cls._engine


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print one error line and return the Exit to raise."""
    err.print(f"[red]error:[/red] {escape(message)}", highlight=False, markup=True)
    return typer.Exit(code)


@contextmanager
def user_errors() -> Iterator[None]:
    """A user error (bad input, missing record) becomes one line on stderr and exit code 1."""
    try:
        yield
    except PolicywatchError as exc:
        raise fail(str(exc)) from None


def fetched_or_printed(fetch: Callable[[], Any], as_json: bool) -> Any:
    """What a listing command shows: fetched (a user error is one line), printed as JSON and None with --json."""
    with user_errors():
        found = fetch()
    if as_json:
        print_json(found)
        return None
    return found


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def version_callback(value: bool) -> None:
    if value:
        out.print(f"policywatch {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    db: Annotated[str | None, typer.Option(
        "--db", envvar="POLICYWATCH_DB",
        help="Database: a SQLAlchemy URL or a SQLite file path. Default: policywatch.db in your data folder.")] = None,
    version: Annotated[bool, typer.Option("--version", callback=version_callback, is_eager=True,
                                          help="Show the version and exit.")] = False,
) -> None:
    """policywatch reads briefings, official documents and reports, and stores what they say."""
    State.db = db
    State._engine = None


@app.command()
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
    if max_size:
        os.environ["POLICYWATCH_MAX_MB"] = str(max_size)
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
            results = failed + api.ingest_files(engine, files, advance, workers, dask)
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
    with user_errors():
        rows = api.documents(State.engine())
    if as_json:
        print_json(rows)
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
    with user_errors():
        doc = api.document(document_id, State.engine())
    if as_json:
        print_json(doc)
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


@app.command()
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
        table = Table(title=f"{len(records)} records")
        for column in ("document", "kind", "date", "status", "issuers / companies / person", "title or summary"):
            table.add_column(column, overflow="fold")
        for r in records:
            who = ", ".join(r.get("issuers") or r.get("companies") or []) or r.get("person_en", "")
            what = r.get("title_en") or r.get("title_zh") or r.get("summary", "")
            table.add_row(Path(r["doc"]).name, r["kind"], r.get("date", ""), r.get("status", ""), who, what[:90])
        Console(file=output.open("w", encoding="utf-8") if output else None).print(table)
    if failed:
        raise typer.Exit(1)


@app.command()
def evaluate(
    gold: Annotated[Path, typer.Option("--gold", help="Gold records (JSON lines, see shared/gold/README.md).")],
    corpus: Annotated[Path, typer.Option("--corpus", help="Folder holding the gold file's documents.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="List every miss, wrong field and extra record.")]
    = False,
) -> None:
    """Score extraction against a gold file: precision, recall and F1 per kind and per field."""
    with user_errors():
        result = api.evaluate(gold, corpus)
    if as_json:
        print_json(result)
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


def _highlight(snippet: str) -> str:
    return escape(snippet).replace(SNIPPET_OPEN, "[bold yellow]").replace(SNIPPET_CLOSE, "[/bold yellow]")


@app.command()
def search(
    query: Annotated[str, typer.Argument(help='Words, "phrases", prefix*, AND / OR / NOT; English or Chinese.')],
    kind: Annotated[list[str] | None, typer.Option("--kind", "-k", help="document, item, policy, event or personnel "
                                                   "(repeat for several).")] = None,
    issuer: Annotated[str | None, typer.Option("--issuer", help="Agency id, e.g. miit.")] = None,
    status: Annotated[str | None, typer.Option("--status", help="draft or final.")] = None,
    technology: Annotated[str | None, typer.Option("--technology", help="Technology id, e.g. 5g, robotics.")] = None,
    date_from: Annotated[str | None, typer.Option("--from", help="Earliest date, YYYY[-MM[-DD]].")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="Latest date, YYYY[-MM[-DD]].")] = None,
    document: Annotated[int | None, typer.Option("--document", help="Only this document id.")] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", help="How many results.")] = 20,
    offset: Annotated[int, typer.Option("--offset", help="Skip this many results (paging).")] = 0,
    group_by: Annotated[str | None, typer.Option("--group-by", help="'document': each document once, at its best "
                                                 "match, with the number of its matches.")] = None,
    exact: Annotated[bool, typer.Option("--exact", help="Search the query's own language only (no translation "
                                        "through the glossary).")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Search documents, items and extracted records; results cite the document and the span.

    Chinese is searched by words (数据 finds 网络数据安全), Traditional and Simplified alike; a query is also
    translated into the other language through the glossary, and hits found that way are marked as expanded."""
    if group_by not in (None, "document"):
        raise fail(f"--group-by {group_by}: only 'document' is known")
    for name, value in (("--from", date_from), ("--to", date_to)):
        if value and not re.fullmatch(r"\d{4}(-\d{2}){0,2}", value):
            raise fail(f"{name} {value}: expected a date as YYYY, YYYY-MM or YYYY-MM-DD")
    filters = Filters(kinds=kind or None, issuer=issuer, status=status, technology=technology,
                      date_from=date_from, date_to=date_to, document_id=document)
    with user_errors():
        hits = api.search(query, State.engine(), filters, limit, offset, group_by == "document", exact)
    if as_json:
        print_json([{**h.__dict__, "snippet": h.snippet.replace(SNIPPET_OPEN, "").replace(SNIPPET_CLOSE, "")}
                    for h in hits])
        return
    table = Table(title=f"{len(hits)} results for {query!r}" + (f" (from {offset + 1})" if offset else ""))
    for column in ("kind", "doc", "span", "date", "title", "snippet"):
        table.add_column(column, overflow="fold")
    for h in hits:
        kind = h.kind + (f" ×{h.hits}" if h.hits > 1 else "") + (" [dim](translated)[/dim]" if h.expanded else "")
        table.add_row(kind, str(h.document_id), f"{h.start}-{h.end}", h.date or "", escape(shorten(h.title, 60)),
                      _highlight(h.snippet))
    out.print(table)
    if any(h.expanded for h in hits):
        err.print(f"translated results come from: {escape(next(h.expanded for h in hits if h.expanded))} "
                  "(--exact leaves them out)", highlight=False)


def _check_date(name: str, value: str | None) -> None:
    if value and not re.fullmatch(r"\d{4}(-\d{2}){0,2}", value):
        raise fail(f"{name} {value}: expected a date as YYYY, YYYY-MM or YYYY-MM-DD")


@policies_app.command("list")
def policies_list(
    issuer: Annotated[str | None, typer.Option("--issuer", help="Agency id, e.g. miit.")] = None,
    status: Annotated[str | None, typer.Option("--status", help="draft or final.")] = None,
    technology: Annotated[str | None, typer.Option("--technology", help="Technology id, e.g. 5g.")] = None,
    date_from: Annotated[str | None, typer.Option("--from", help="Earliest date, YYYY[-MM[-DD]].")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="Latest date, YYYY[-MM[-DD]].")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List policies, each with how many documents report it."""
    _check_date("--from", date_from)
    _check_date("--to", date_to)
    with user_errors():
        rows = api.policies(State.engine(), issuer=issuer, status=status, technology=technology,
                            date_from=date_from, date_to=date_to)
    if as_json:
        print_json(rows)
        return
    table = Table(title=f"{len(rows)} policies")
    for column in ("id", "date", "status", "issuers", "title", "sources", "note"):
        table.add_column(column, overflow="fold")
    for r in rows:
        note = "implied" if r["implied"] else ("conflicts" if r["conflicts"] else "")
        table.add_row(str(r["id"]), r["date"] or "", r["status"] or "", ", ".join(r["issuers"]),
                      escape(shorten(r["label"] or "", 70)), f"{r['mentions']} in {r['documents']} docs",
                      note)
    out.print(table)


@policies_app.command("show")
def policies_show(
    policy_id: Annotated[int, typer.Argument(help="Policy id (see `policies list`).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show a policy: fields, every source with its evidence, relations, target history, conflicts."""
    with user_errors():
        p = api.policy(policy_id, State.engine())
    if as_json:
        print_json(p)
        return
    out.print(f"[bold]policy {p['id']}[/bold]{' (implied by another policy’s text)' if p['implied'] else ''}")
    for label, value in (("title", p["title_en"]), ("about", None if p["title_en"] else p["data"].get("label")),
                         ("Chinese title", p["title_zh"]), ("issuers", ", ".join(p["issuers"])),
                         ("status", p["status"]), ("date", p["date"]), ("in force", p["date_effective"]),
                         ("period", "-".join(map(str, p["data"].get("period") or [])) or None),
                         ("technologies", ", ".join(p["technologies"]))):
        if value:
            out.print(f"  {label}: {escape(str(value))}", highlight=False)
    for conflict in p["data"].get("conflicts", []):
        values = "; ".join(f"{v['value']} (mention {v['mention_id']})" for v in conflict["values"])
        out.print(f"  [yellow]sources disagree on {conflict['field']}:[/yellow] {escape(values)}", highlight=False)
    out.print(f"[bold]sources ({len(p['sources'])})[/bold]")
    for src in p["sources"]:
        out.print(f"  mention {src['mention_id']} in document {src['document_id']} ({escape(src['source'])})", highlight=False)
        shown = zip(src["evidence"][:PLACES_SHOWN], src["evidence_text"][:PLACES_SHOWN], strict=True)
        for (start, end), snippet in shown:
            out.print(f"    [{start}-{end}] {escape(shorten(snippet, 300))}", highlight=False)
        if (more := len(src["evidence"]) - PLACES_SHOWN) > 0:
            out.print(f"    … and {more} more places in this document", highlight=False)
    if p["relations"]:
        out.print("[bold]timeline of relations[/bold]")
        for r in p["relations"]:
            arrow = "→" if r["direction"] == "to" else "←"
            out.print(f"  {r['type']} {arrow} policy {r['policy_id']}: {escape(r['title_en'] or '')}", highlight=False)
    if p["target_history"]:
        out.print("[bold]targets and their history[/bold]")
        for t in p["target_history"]:
            value = "—" if t["value"] is None else f"{t['value']:g}" + (f"-{t['value_max']:g}" if t["value_max"] else "")
            out.print(f"  {value} {t['unit'] or ''} by {t['year'] or '?'} (policy {t['policy_id']}, {t['status'] or ''} "
                      f"{t['date'] or ''}): {escape((t['metric'] or '')[:90])}", highlight=False)


@policies_app.command("merge")
def policies_merge(first: Annotated[int, typer.Argument(help="Policy id.")],
                   second: Annotated[int, typer.Argument(help="Policy id to merge into the first.")]) -> None:
    """Merge two policies that are one (kept across re-ingest)."""
    with user_errors():
        merged = api.merge_policies(first, second, State.engine())
    out.print(f"merged into policy {merged}")


@policies_app.command("split")
def policies_split(policy_id: Annotated[int, typer.Argument(help="Policy id.")],
                   mention: Annotated[int, typer.Option("--mention", help="The source (mention id) that is another "
                                                        "policy; see `policies show`.")]) -> None:
    """Take one source out of a policy (kept across re-ingest)."""
    with user_errors():
        new_id = api.split_policy(policy_id, mention, State.engine())
    out.print(f"mention {mention} is now policy {new_id}")


@policies_app.command("review")
def policies_review(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Pairs that look alike but were kept apart: merge them by hand if they are one policy."""
    pairs = fetched_or_printed(lambda: api.review(State.engine()), as_json)
    if pairs is None:
        return
    table = Table(title=f"{len(pairs)} pairs to review")
    for column in ("policies", "score", "why", "titles"):
        table.add_column(column, overflow="fold")
    for p in pairs:
        table.add_row(f"{p['policy_a']} / {p['policy_b']}", f"{p['score']:.2f}", p["reason"],
                      escape(f"{p['title_a'] or '—'} / {p['title_b'] or '—'}"))
    out.print(table)


@app.command("resolve")
def resolve_command(
    everything: Annotated[bool, typer.Option("--all", help="Rebuild every policy and relation from every mention "
                                             "(policies keep their ids), instead of resolving only what is new.")] = False,
) -> None:
    """Resolve policies across documents. Ingest does this by itself for each batch; run it with --all after
    changing the rules (a new release) or to check the stored policies against a full resolution."""
    with user_errors():
        counts = api.resolve(State.engine(), full=everything)
    out.print(f"{counts['mentions']} policy mentions resolved into {counts['policies']} policies"
              + (" (full resolution)" if everything else ""))


@app.command()
def companies(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Companies named in corporate news, grouped across documents."""
    _print_entities("company", as_json)


@app.command()
def people(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """People in personnel news, with their appointments and departures."""
    _print_entities("person", as_json)


def _print_entities(kind: str, as_json: bool) -> None:
    with user_errors():
        rows = api.entities(kind, State.engine())
    if as_json:
        print_json(rows)
        return
    table = Table(title=f"{len(rows)} {'companies' if kind == 'company' else 'people'}")
    table.add_column("name")
    table.add_column("also" if kind == "company" else "中文")
    table.add_column("mentions" if kind == "company" else "changes", overflow="fold")
    for r in rows:
        if kind == "company":
            table.add_row(escape(r["name"]), escape(", ".join(a for a in r["aliases"] if a != r["name"])),
                          str(len(r["mention_ids"])))
        else:
            changes = "; ".join(f"{c['change']} {c['role'] or ''} {c['organization'] or ''} {c['date'] or ''}".strip()
                                for c in r["changes"])
            table.add_row(escape(r["name"]), r.get("person_zh") or "", escape(changes))
    out.print(table)


def _indicators():
    try:
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


@app.command()
def briefing(
    month: Annotated[str, typer.Option("--month", help="Reporting month, YYYY-MM.")],
    top: Annotated[int, typer.Option("--top", help="How many Top items.")] = 5,
    fmt: Annotated[str, typer.Option("--format", "-f", help="md, html or pdf.")] = "md",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write here (charts of Markdown go beside it "
                                                "as SVG files); default: stdout for md and html.")] = None,
    pin: Annotated[list[int] | None, typer.Option("--pin", help="Policy id to put in the Top items (repeatable).")]
    = None,
    exclude: Annotated[list[int] | None, typer.Option("--exclude", help="Policy id to leave out (repeatable).")] = None,
    template: Annotated[Path | None, typer.Option("--template", help="Your own Jinja2 template.")] = None,
) -> None:
    """Draft the monthly briefing: Top items, policy news, corporate news, personnel, charts."""
    if fmt == "pdf" and output is None:
        raise fail("--format pdf needs --output FILE")
    with user_errors():
        document, charts = api.briefing(month, State.engine(), fmt, top, pin, exclude, template)
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


@note_app.command("add")
def note_add(
    policy_id: Annotated[int, typer.Argument(help="Policy id.")],
    text: Annotated[str, typer.Argument(help="The note.")],
    author: Annotated[str | None, typer.Option("--author", help="Who writes it (default: your user name).")] = None,
) -> None:
    """Add a note to a policy."""
    with user_errors():
        note_id = api.add_note(policy_id, text, author, State.engine())
    out.print(f"note {note_id} added to policy {policy_id}")


@db_app.command("copy")
def db_copy(
    source: Annotated[str, typer.Argument(help="Database to copy from (URL or SQLite path).")],
    target: Annotated[str, typer.Argument(help="Empty database to copy into, e.g. postgresql://user@host/policywatch.")],
) -> None:
    """Copy a whole database, e.g. a local SQLite file to a team's PostgreSQL server."""
    from policywatch.store.copy import copy_database

    with user_errors():
        counts = copy_database(database.connect(source), database.connect(target))
    table = Table(title="copied")
    table.add_column("table")
    table.add_column("rows", justify="right")
    for name, n in counts.items():
        table.add_row(name, str(n))
    out.print(table)


@token_app.command("create")
def token_create(name: Annotated[str, typer.Option("--name", help="Who or what the token is for.")] = "default") -> None:
    """Create a write token (upload, notes, merge); it is shown once, only its hash is kept."""
    with user_errors():
        token = api.create_token(name, State.engine())
    out.print(token, highlight=False, markup=False)
    err.print("Keep it: it will not be shown again. Send it as 'Authorization: Bearer <token>' or sign in at /token.")


@app.command()
def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
) -> None:
    """Serve the web interface and the JSON API (read-only without a token)."""
    try:
        import uvicorn

        from policywatch.web.app import create_app
    except ImportError as exc:
        raise fail(f"the web interface needs: pip install 'policywatch[web]' ({exc.name} missing)") from None
    with user_errors():
        application = create_app(State.engine())
    err.print(f"policywatch at http://{host}:{port}/ (API docs at /docs)")
    uvicorn.run(application, host=host, port=port, log_level="warning")


@app.command("export")
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
    from policywatch import export as exporter

    _check_date("--from", date_from)
    _check_date("--to", date_to)
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
    table = Table(title=f"{len(rows)} sources")
    for column in ("id", "name", "kind", "every", "next run", "documents", "last result"):
        table.add_column(column, overflow="fold")
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
    table = Table(title=f"{len(found['fetched'])} fetched")
    for column in ("url", "status", "document", "title"):
        table.add_column(column, overflow="fold")
    for f in found["fetched"]:
        table.add_row(escape(f["url"]), str(f["status"]), str(f["id"] or ""), escape(shorten(f["title"] or "", 60)))
    out.print(table)


@sources_app.command("remove")
def sources_remove(key: Annotated[str, typer.Argument(help="Source id or name.")]) -> None:
    """Stop watching a source (what was fetched from it stays)."""
    with user_errors():
        name = api.remove_source(key, State.engine())
    out.print(f"source '{name}' removed")


@app.command()
def watch(
    forever: Annotated[bool, typer.Option("--forever", help="Keep running, fetching sources as they fall due; "
                                          "stops cleanly on SIGTERM or Ctrl-C.")] = False,
    every_source: Annotated[bool, typer.Option("--all", help="Fetch every source now, due or not.")] = False,
    tick: Annotated[int, typer.Option("--tick", min=1, help="With --forever: seconds between checks.")] = 60,
) -> None:
    """Fetch the sources that are due, ingest what is new, match watchlists and send their alerts.

    Run it from cron or a systemd timer, or keep it running with --forever."""
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
    if any(r.status == "failed" for r in report.sources):
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


@watchlist_app.command("add")
def watchlist_add(
    name: Annotated[str, typer.Argument(help="A short name (letters, digits, - _ .); it names the Atom feed too.")],
    query: Annotated[str, typer.Argument(help="A search query, as for `search`.")],
    kind: Annotated[list[str] | None, typer.Option("--kind", "-k", help="policy, event, personnel, document.")] = None,
    issuer: Annotated[str | None, typer.Option("--issuer", help="Agency id, e.g. miit.")] = None,
    status: Annotated[str | None, typer.Option("--status", help="draft or final.")] = None,
    technology: Annotated[str | None, typer.Option("--technology", help="Technology id.")] = None,
    email: Annotated[str | None, typer.Option("--email", help="Send a digest here after each run with matches.")] = None,
    webhook: Annotated[str | None, typer.Option("--webhook", help="POST the matches here (signed with "
                                                "POLICYWATCH_WEBHOOK_SECRET).")] = None,
) -> None:
    """Save a search; what arrives from now on and matches it is reported after each watch run."""
    filters = Filters(kinds=kind or None, issuer=issuer, status=status, technology=technology)
    with user_errors():
        api.add_watchlist(name, query, State.engine(), filters, email, webhook)
    out.print(f"watchlist '{name}' saved; its matches appear after the next `policywatch watch` "
              f"(feed: /watchlists/{name}.atom on `policywatch serve`)")


@watchlist_app.command("list")
def watchlist_list(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Every watchlist with its number of matches and alerts waiting to be sent."""
    rows = fetched_or_printed(lambda: api.watchlists(State.engine()), as_json)
    if rows is None:
        return
    table = Table(title=f"{len(rows)} watchlists")
    for column in ("name", "query", "matches", "alerts pending", "e-mail", "webhook"):
        table.add_column(column, overflow="fold")
    for r in rows:
        table.add_row(escape(r["name"]), escape(r["query"]), str(r["matches"]), str(r["pending_alerts"]),
                      escape(r["email"] or ""), escape(r["webhook"] or ""))
    out.print(table)


@watchlist_app.command("show")
def watchlist_show(name: Annotated[str, typer.Argument(help="Watchlist name.")],
                   limit: Annotated[int, typer.Option("--limit", "-n", help="How many matches, newest first.")] = 50,
                   as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """A watchlist's latest matches."""
    found = fetched_or_printed(lambda: api.watchlist(name, State.engine(), limit), as_json)
    if found is None:
        return
    table = Table(title=f"{escape(found['name'])}: {escape(found['query'])}")
    for column in ("found", "kind", "title", "source"):
        table.add_column(column, overflow="fold")
    for m in found["matches"]:
        table.add_row(f"{m['created_at']:%Y-%m-%d %H:%M}", m["kind"], escape(shorten(m["title"], 70)), escape(m["source"]))
    out.print(table)


@watchlist_app.command("remove")
def watchlist_remove(name: Annotated[str, typer.Argument(help="Watchlist name.")]) -> None:
    """Delete a watchlist and its matches."""
    with user_errors():
        api.remove_watchlist(name, State.engine())
    out.print(f"watchlist '{name}' removed")


@db_app.command("reindex")
def db_reindex() -> None:
    """Rebuild the search index of every document, e.g. after adding words to the user dictionary."""
    from policywatch.segmenter import user_dictionary

    with user_errors():
        engine = State.engine()
        with Progress(TextColumn("[bold]reindex"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      console=err, transient=True, disable=not err.is_terminal) as progress:
            task = progress.add_task("", total=None)
            count = api.reindex(engine, lambda done, total: progress.update(task, completed=done, total=total))
    out.print(f"{count} documents reindexed (user dictionary: {user_dictionary()})")


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply pending schema migrations (done automatically on first use)."""
    with user_errors():
        engine = database.connect(State.db, migrate=False)
        database.upgrade(engine)
    out.print("database is up to date")


if __name__ == "__main__":  # pragma: no cover
    app()
