"""Segmenters: split a document into items, one module per layout family, chosen automatically."""

from __future__ import annotations

from collections.abc import Callable

from policywatch.model import Document, Item
from policywatch.segment import brief, generic, law, monthly, news, news_zh, official, report

# Tried in this order; the first whose detector accepts the text wins, generic takes the rest.
LAYOUTS: dict[str, tuple[Callable[[str], bool] | None, Callable[[str], list[Item]]]] = {
    "monthly": (monthly.detect, monthly.segment),
    "brief": (brief.detect, brief.segment),
    "law": (law.detect, law.segment),
    "news_zh": (news_zh.detect, news_zh.segment),  # before official: a report's 来源/发布时间 lines read as a table
    "official": (official.detect, official.segment),
    "news": (news.detect, news.segment),
    "report": (report.detect, report.segment),
    "generic": (None, generic.segment),
}


def detect_layout(text: str) -> str:
    """The layout family of a document's text."""
    for name, (detector, _) in LAYOUTS.items():
        if detector is not None and detector(text):
            return name
    return "generic"


def segment(document: Document, layout: str | None = None) -> tuple[str, list[Item]]:
    """Split a document into items; returns (layout family, items in reading order)."""
    layout = layout or detect_layout(document.text)
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout '{layout}' (known: {', '.join(LAYOUTS)})")
    return layout, LAYOUTS[layout][1](document.text)
