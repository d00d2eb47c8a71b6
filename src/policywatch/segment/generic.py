"""Fallback layout (short notes, news pages): one item per sentence."""

from __future__ import annotations

from policywatch.model import Item
from policywatch.segment.sentences import sentence_items


def segment(text: str) -> list[Item]:
    """One item per sentence, bullets and paragraphs ending sentences too."""
    return sentence_items(text, "sentence")
