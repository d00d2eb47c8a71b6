"""The web interface and JSON API server."""

from __future__ import annotations

from typing import Annotated

import typer

from policywatch.cli.common import (
    State,
    err,
    fail,
    user_errors,
)


def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
) -> None:
    """Serve the web interface and the JSON API (read-only without a token)."""
    try:
        import uvicorn

        from policywatch.web.app import create_app
    except ImportError as exc:
        raise fail(f"the web interface needs: pip install 'policywatch[web]' ({exc.name} missing)") from None
    with user_errors():
        application = create_app(State.engine())
    from policywatch.web.security import exposure_warning

    if warning := exposure_warning(application.state.engine, host):
        err.print(f"[yellow]{warning}[/yellow]", highlight=False)
    err.print(f"policywatch at http://{host}:{port}/ (API docs at /docs)")
    uvicorn.run(application, host=host, port=port, log_level="warning")
