"""Database maintenance and write tokens."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from policywatch.cli.common import (
    State,
    api,
    err,
    out,
    user_errors,
)

db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True)
token_app = typer.Typer(help="Write tokens for the web API and pages.", no_args_is_help=True)


@db_app.command("copy")
def db_copy(
    source: Annotated[str, typer.Argument(help="Database to copy from (URL or SQLite path).")],
    target: Annotated[str, typer.Argument(help="Empty database to copy into, e.g. postgresql://user@host/policywatch.")],
) -> None:
    """Copy a whole database, e.g. a local SQLite file to a team's PostgreSQL server."""
    from policywatch.store import database
    from policywatch.store.copy import copy_database

    with user_errors():
        counts = copy_database(database.connect(source), database.connect(target))
    table = Table(title="copied")
    table.add_column("table")
    table.add_column("rows", justify="right")
    for name, n in counts.items():
        table.add_row(name, str(n))
    out.print(table)


@db_app.command("reindex")
def db_reindex() -> None:
    """Rebuild the search index of every document, e.g. after adding words to the user dictionary."""
    from rich.progress import (  # loaded by the commands that show progress
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

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
    """Create the database (and its folder) or apply pending schema migrations (done automatically on first use)."""
    from policywatch.cli.common import missing_folder
    from policywatch.store import database

    created = missing_folder(State.db)
    with user_errors():
        engine = database.connect(State.db, migrate=False)
        database.upgrade(engine)
    out.print(f"database created in {created}" if created else "database is up to date", highlight=False)


@token_app.command("create")
def token_create(name: Annotated[str, typer.Option("--name", help="Who or what the token is for.")] = "default") -> None:
    """Create a write token (upload, notes, merge); it is shown once, only its hash is kept."""
    with user_errors():
        token = api.create_token(name, State.engine())
    out.print(token, highlight=False, markup=False)
    err.print("Keep it: it will not be shown again. Send it as 'Authorization: Bearer <token>' or sign in at /token.")
