"""The monthly briefing command."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from policywatch.cli.common import (
    State,
    api,
    err,
    fail,
    user_errors,
)


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
