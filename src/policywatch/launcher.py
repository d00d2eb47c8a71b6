"""The `policywatch` executable: `--version` answers before the command-line framework is imported."""

from __future__ import annotations

import sys

from policywatch import __version__


def main() -> None:
    """Run the `policywatch` command; a lone `--version` is answered at once (a script checking for the tool
    should not wait for Typer and Rich to load)."""
    if sys.argv[1:] == ["--version"]:
        print(f"policywatch {__version__}")
        return
    from policywatch.cli import app

    app()


if __name__ == "__main__":
    main()
