"""Segmenters: split a document into items, one module per layout family, chosen automatically."""

from __future__ import annotations

from policywatch.model import Document, Item
from policywatch.segment import generic

LAYOUTS = {"generic": generic.segment}


def detect_layout(document: Document) -> str:
    """The layout family of a document."""
    return "generic"


def segment(document: Document, layout: str | None = None) -> tuple[str, list[Item]]:
    """Split a document into items; returns (layout family, items in reading order)."""
    layout = layout or detect_layout(document)
    return layout, LAYOUTS[layout](document.text)
