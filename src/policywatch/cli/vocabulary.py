"""The ids the filters take: issuers (the agency registry) and technologies (the taxonomy)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from policywatch.cli.common import folded_table, out, print_json


def issuers(
    level: Annotated[str | None, typer.Option("--level", help="Only national, provincial, municipal … bodies.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """The issuer ids --issuer takes, with names; a local body's id joins a place and a counterpart (jiangsu-miit)."""
    from policywatch.registry import agencies

    rows = [a for a in agencies().values() if level is None or a.level == level]
    if as_json:
        print_json([{"id": a.id, "abbrev": a.abbrev, "name_en": a.name_en, "name_zh": a.name_zh, "level": a.level}
                    for a in rows])
        return
    table = folded_table(f"{len(rows)} issuers", ("id", "abbrev", "name", "中文", "level"))
    for a in rows:
        table.add_row(a.id, a.abbrev, escape(a.name_en), a.name_zh, a.level)
    out.print(table)


def technologies(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """The technology ids --technology takes, with names."""
    from policywatch.registry import technologies as taxonomy

    rows = taxonomy()
    if as_json:
        print_json([{"id": t.id, "name": t.name, "group": t.group} for t in rows])
        return
    table = Table(title=f"{len(rows)} technologies")
    for column in ("id", "name", "group"):
        table.add_column(column)
    for t in rows:
        table.add_row(t.id, escape(t.name), t.group)
    out.print(table)
