"""The per-document stages after reading: segment, then extract; pure functions of the document."""

from __future__ import annotations

from dataclasses import dataclass

from policywatch.extract import extract_mentions
from policywatch.model import Document, Item, Mention
from policywatch.segment import segment


@dataclass
class Analysis:
    """What segmentation and extraction found in one document."""

    layout: str
    items: list[Item]
    mentions: list[tuple[int | None, Mention]]  # (index of the item it came from, mention)


def analyse(document: Document) -> Analysis:
    """Segment a document into items and extract its mentions."""
    layout, found = segment(document)
    return Analysis(layout, found, extract_mentions(document.text, layout, found, document.published))
