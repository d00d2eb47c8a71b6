"""Saved searches whose new matches each watch run reports."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from policywatch.cli.common import (
    State,
    api,
    check_filters,
    fetched_or_printed,
    folded_table,
    out,
    user_errors,
)
from policywatch.shorten import shorten

watchlist_app = typer.Typer(help="Saved searches: each watch run reports what is new and matches them.",
                            no_args_is_help=True)


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
    from policywatch.store.search import Filters

    check_filters(issuer, status, technology)
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
    table = folded_table(f"{len(rows)} watchlists", ("name", "query", "matches", "alerts pending", "e-mail", "webhook"))
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
    table = folded_table(f"{escape(found['name'])}: {escape(found['query'])}", ("found", "kind", "title", "source"))
    for m in found["matches"]:
        table.add_row(f"{m['created_at']:%Y-%m-%d %H:%M}", m["kind"], escape(shorten(m["title"], 70)), escape(m["source"]))
    out.print(table)


@watchlist_app.command("remove")
def watchlist_remove(name: Annotated[str, typer.Argument(help="Watchlist name.")]) -> None:
    """Delete a watchlist and its matches."""
    with user_errors():
        api.remove_watchlist(name, State.engine())
    out.print(f"watchlist '{name}' removed")
