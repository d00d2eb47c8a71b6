"""Render a briefing with Jinja2 templates (one per format; a user's own with ``template``); PDF by WeasyPrint."""

from __future__ import annotations

import base64
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, PackageLoader, StrictUndefined, select_autoescape

from policywatch.briefing.compose import Briefing, day_label, format_date
from policywatch.errors import PolicywatchError

FORMATS = ("md", "html", "pdf")


def _environment(template: Path | None) -> Environment:
    loader = FileSystemLoader(str(template.parent)) if template else PackageLoader("policywatch.briefing", "templates")
    env = Environment(loader=loader, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                      autoescape=select_autoescape(enabled_extensions=("html", "html.j2"), default=False))
    env.filters["long_date"] = format_date
    env.filters["day"] = day_label
    env.filters["data_uri"] = lambda svg: "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
    return env


def render(briefing: Briefing, fmt: str = "md", template: Path | None = None,
           charts: dict[str, str] | None = None) -> str | bytes:
    """The briefing as Markdown or HTML text, or PDF bytes."""
    if fmt not in FORMATS:
        raise PolicywatchError(f"--format {fmt}: expected one of {', '.join(FORMATS)}")
    if template is not None and not template.is_file():
        raise PolicywatchError(f"{template}: no such template file")
    env = _environment(template)
    name = template.name if template else ("briefing.md.j2" if fmt == "md" else "briefing.html.j2")
    text = env.get_template(name).render(b=briefing, charts=charts or {}, print_css=fmt == "pdf")
    if fmt != "pdf":
        return text
    try:
        from weasyprint import HTML
    except ImportError as exc:
        raise PolicywatchError(f"PDF needs WeasyPrint: pip install 'policywatch[briefing]' ({exc.name} missing)") from None
    return HTML(string=text).write_pdf()
