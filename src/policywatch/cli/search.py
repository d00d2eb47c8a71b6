"""The search command: documents, items and records, with cited spans."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from policywatch.cli.common import (
    State,
    api,
    check_filters,
    err,
    fail,
    folded_table,
    highlight,
    out,
    print_json,
    user_errors,
)
from policywatch.shorten import shorten


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
    translated into the other language through the glossary, and hits found that way are marked as translated."""
    from policywatch.store.search import SNIPPET_CLOSE, SNIPPET_OPEN, Filters

    if group_by not in (None, "document"):
        raise fail(f"--group-by {group_by}: only 'document' is known")
    check_filters(issuer, status, technology, date_from, date_to)
    filters = Filters(kinds=kind or None, issuer=issuer, status=status, technology=technology,
                      date_from=date_from, date_to=date_to, document_id=document)
    with user_errors():
        hits = api.search(query, State.engine(), filters, limit, offset, group_by == "document", exact)
    if as_json:
        print_json([{**h.__dict__, "snippet": h.snippet.replace(SNIPPET_OPEN, "").replace(SNIPPET_CLOSE, "")}
                    for h in hits])
        return
    table = folded_table(f"{len(hits)} results for {query!r}" + (f" (from {offset + 1})" if offset else ""),
                         ("kind", "doc", "span", "date", "title", "snippet"))
    for h in hits:
        kind = h.kind + (f" ×{h.hits}" if h.hits > 1 else "") + (" [dim](translated)[/dim]" if h.expanded else "")
        table.add_row(kind, str(h.document_id), f"{h.start}-{h.end}", h.date or "", escape(shorten(h.title, 60)),
                      highlight(h.snippet))
    out.print(table)
    if any(h.expanded for h in hits):
        err.print(f"translated results come from: {escape(next(h.expanded for h in hits if h.expanded))} "
                  "(--exact leaves them out)", highlight=False)
