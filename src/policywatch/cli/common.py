"""What every command group shares: the consoles, the database option's state, one-line errors, JSON output.

Nothing here imports the database, the extractors or pydantic: `policywatch --help` and `--version` build the
whole command tree, so every command module imports those inside the commands that need them."""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console
from rich.markup import escape

if TYPE_CHECKING:
    from rich.table import Table
    from sqlalchemy import Engine

out = Console()
err = Console(stderr=True, soft_wrap=True)
PLACES_SHOWN = 5  # evidence spans shown per record; a text that repeats a sentence can give thousands


class _LazyApi:
    """policywatch.api, imported on first use: it pulls in SQLAlchemy, pydantic and the extractors (about 1 s)."""

    def __getattr__(self, name: str) -> Any:
        return getattr(importlib.import_module("policywatch.api"), name)


api: Any = _LazyApi()


class State:
    """The --db option of this invocation and its engine, connected on first use."""

    db: str | None = None
    _engine: Engine | None = None

    @classmethod
    def engine(cls) -> Engine:
        """The database's engine; its folder must exist (`db upgrade` makes it)."""
        if cls._engine is None:
            from policywatch.store import database

            if (folder := missing_folder(cls.db)) is not None:
                raise fail(f"--db {cls.db}: the folder {folder} does not exist "
                           f"(`policywatch --db {cls.db} db upgrade` creates it and the database)")
            cls._engine = database.connect(cls.db)
        return cls._engine


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print one error line and return the Exit to raise."""
    err.print(f"[red]error:[/red] {escape(message)}", highlight=False, markup=True)
    return typer.Exit(code)


@contextmanager
def user_errors() -> Iterator[None]:
    """A user error (bad input, missing record) becomes one line on stderr and exit code 1."""
    from policywatch.errors import PolicywatchError

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


def folded_table(title: str, columns: Iterable[str]) -> Table:
    """A table with a title and columns whose long cells fold onto more lines (how every listing prints)."""
    from rich.table import Table

    table = Table(title=title)
    for column in columns:
        table.add_column(column, overflow="fold")
    return table


def print_json(data: Any) -> None:
    """Data as indented JSON on stdout, Chinese kept as characters."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def check_filters(issuer: str | None = None, status: str | None = None, technology: str | None = None,
                  date_from: str | None = None, date_to: str | None = None) -> None:
    """Filter values checked before any query: a wrong one is one line naming it and the nearest right ones."""
    from policywatch.choices import check_filters as check

    with user_errors():
        check(issuer, status, technology, date_from, date_to)


def missing_folder(db: str | None) -> Path | None:
    """The folder of a SQLite --db path that does not exist (None for URLs of servers and the default path,
    whose folder policywatch makes): a mistyped path must not create folders and an empty database."""
    if not db or db == ":memory:" or ("://" in db and not db.startswith("sqlite:///")):
        return None
    path = Path(db.removeprefix("sqlite:///")).expanduser()
    return None if path.parent.is_dir() else path.parent


def highlight(snippet: str) -> str:
    """A search snippet with its matches in bold yellow (the rest escaped for rich)."""
    from policywatch.store.search import SNIPPET_CLOSE, SNIPPET_OPEN

    return escape(snippet).replace(SNIPPET_OPEN, "[bold yellow]").replace(SNIPPET_CLOSE, "[/bold yellow]")
