"""Help as people read it: Typer 0.29 shows a flag's type (`--json <bool>`) and puts required arguments in
braces (`{url}`); flags show no type here and arguments read as in most command lines (`QUERY`, `[PATHS]...`)."""

from __future__ import annotations

from typing import Any

from typer import core

_type_of = core.TyperOption.display_type_rich


def _option_type(self: core.TyperOption, ctx: Any) -> str | None:
    """No type for a flag: it takes no value."""
    return None if self.is_flag or self.count else _type_of(self, ctx)


def _argument_usage(self: core.TyperArgument) -> str:
    """QUERY for a required argument, [QUERY] for an optional one, PATHS... for several."""
    name = self.display_name_raw.upper()
    name = name if self.required else f"[{name}]"
    return name + ("..." if self.nargs != 1 else "")


def tidy() -> None:
    """Apply both to every command's help."""
    core.TyperOption.display_type_rich = _option_type  # type: ignore[method-assign]
    core.TyperArgument._usage_display_name = _argument_usage  # type: ignore[method-assign]
