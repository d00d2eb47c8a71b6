"""The `policywatch` command: a thin layer over policywatch.api that parses arguments and prints.

Each command group lives in its own module; this one builds the app from them. The modules import nothing heavy
at load time (see cli/common.py), so `--version` and `--help` answer without loading the database or extractors."""

from __future__ import annotations

from typing import Annotated

import typer

from policywatch import __version__
from policywatch.cli import (
    briefing,
    db,
    documents,
    export,
    indicators,
    policies,
    search,
    serve,
    sources,
    vocabulary,
    watchlists,
)
from policywatch.cli.common import State, out
from policywatch.cli.helptext import tidy

tidy()

app = typer.Typer(help="Turn China policy briefings into a searchable, cited database.",
                  no_args_is_help=True, rich_markup_mode="rich", pretty_exceptions_enable=False)

# groups, in the order --help lists them
app.add_typer(documents.documents_app, name="documents")
app.add_typer(policies.policies_app, name="policies")
app.add_typer(indicators.indicators_app, name="indicators")
app.add_typer(db.token_app, name="token")
app.add_typer(policies.note_app, name="note")
app.add_typer(db.db_app, name="db")
app.add_typer(sources.sources_app, name="sources")
app.add_typer(watchlists.watchlist_app, name="watchlist")
app.add_typer(briefing.briefing_app, name="briefing")

# commands, in the order --help lists them
app.command()(documents.ingest)
app.command()(documents.extract)
app.command()(documents.evaluate)
app.command()(search.search)
app.command("resolve")(policies.resolve_command)
app.command()(policies.companies)
app.command()(policies.people)
app.command()(serve.serve)
app.command("export")(export.export_command)
app.command()(sources.watch)
app.command()(vocabulary.issuers)
app.command()(vocabulary.technologies)


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


__all__ = ["app"]
