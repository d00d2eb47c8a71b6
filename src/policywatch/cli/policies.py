"""Policies resolved across documents, companies, people and analysts' notes."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from policywatch.cli.common import (
    PLACES_SHOWN,
    State,
    api,
    check_filters,
    fetched_or_printed,
    folded_table,
    out,
    user_errors,
)
from policywatch.figures import span
from policywatch.shorten import shorten

policies_app = typer.Typer(help="Policies resolved across documents: list, show, merge, split, review.",
                            no_args_is_help=True)
note_app = typer.Typer(help="Analyst notes on policies (shown as comments in the briefing).", no_args_is_help=True)


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
    check_filters(issuer, status, technology, date_from, date_to)
    rows = fetched_or_printed(lambda: api.policies(State.engine(), issuer=issuer, status=status, technology=technology,
                                                   date_from=date_from, date_to=date_to), as_json)
    if rows is None:
        return
    table = folded_table(f"{len(rows)} policies", ("id", "date", "status", "issuers", "title", "sources", "note"))
    for r in rows:
        note = "implied" if r["implied"] else ("conflicts" if r["conflicts"] else "")
        when = f"{r['date']} (reported)" if r["dated_by"] == "reported" else r["date"] or ""
        table.add_row(str(r["id"]), when, r["status"] or "", ", ".join(r["issuers"]),
                      escape(shorten(r["label"] or "", 70)), f"{r['mentions']} in {r['documents']} docs",
                      note)
    out.print(table)


@policies_app.command("show")
def policies_show(
    policy_id: Annotated[int, typer.Argument(help="Policy id (see `policies list`).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show a policy: fields, every source with its evidence, relations, target history, conflicts."""
    p = fetched_or_printed(lambda: api.policy(policy_id, State.engine()), as_json)
    if p is None:
        return
    out.print(f"[bold]policy {p['id']}[/bold]{' (implied by another policy’s text)' if p['implied'] else ''}")
    for label, value in (("title", p["title_en"]), ("about", None if p["title_en"] else p["data"].get("label")),
                         ("Chinese title", p["title_zh"]), ("issuers", ", ".join(p["issuers"])),
                         ("status", p["status"]), ("date", p["date"]),
                         ("first reported", p["data"].get("reported")), ("in force", p["date_effective"]),
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
    if versions := p["data"].get("versions"):
        out.print("[bold]history (earlier steps of this law)[/bold]")
        for v in versions:
            body = f" — {v['body']}" if v.get("body") else ""
            out.print(f"  {v.get('date') or 'undated'} {v['step']}{escape(body)}", highlight=False)
    if p["relations"]:
        out.print("[bold]timeline of relations[/bold]")
        for r in p["relations"]:
            arrow = "→" if r["direction"] == "to" else "←"
            out.print(f"  {r['type']} {arrow} policy {r['policy_id']}: {escape(r['title_en'] or '')}", highlight=False)
    if p["target_history"]:
        out.print("[bold]targets and their history[/bold]")
        for t in p["target_history"]:
            value = span(t["value"], t["value_max"])
            out.print(f"  {value} {t['unit'] or ''} by {t['year'] or '?'} (policy {t['policy_id']}, {t['status'] or ''} "
                      f"{t['date'] or ''}): {escape(shorten(t['metric'] or '', 90))}", highlight=False)


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
    table = folded_table(f"{len(pairs)} pairs to review", ("policies", "score", "why", "titles"))
    for p in pairs:
        table.add_row(f"{p['policy_a']} / {p['policy_b']}", f"{p['score']:.2f}", p["reason"],
                      escape(f"{p['title_a'] or '—'} / {p['title_b'] or '—'}"))
    out.print(table)


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


def companies(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Companies named in corporate news, grouped across documents."""
    _print_entities("company", as_json)


def people(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """People in personnel news, with their appointments and departures."""
    _print_entities("person", as_json)


def _print_entities(kind: str, as_json: bool) -> None:
    rows = fetched_or_printed(lambda: api.entities(kind, State.engine()), as_json)
    if rows is None:
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
