"""The per-document stages after reading: segment, then extract; pure functions of the document."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from policywatch.extract import extract_mentions
from policywatch.model import Document, Item, Mention
from policywatch.segment import segment


@dataclass
class Analysis:
    """What segmentation and extraction found in one document."""

    layout: str
    items: list[Item]
    mentions: list[tuple[int | None, Mention]]  # (index of the item it came from, mention)
    title: str | None = None  # the document's own title where its layout states one (an official document's)
    # the word index's words of the document's Chinese search texts, by digest, where they were computed with it
    words: dict[bytes, str] = field(default_factory=dict)


def analyse(document: Document) -> Analysis:
    """Segment a document into items and extract its mentions."""
    layout, found = segment(document)
    return Analysis(layout, found, extract_mentions(document.text, layout, found, document.published,
                                                      document.source),
                    stated_title(document.text, found))


def stated_title(text: str, items: list[Item]) -> str | None:
    """The title an official document or a law states (over several lines, joined), not its first line, which
    may be an issuer's header or an order's; a Chinese news report's headline, not the menu above it."""
    for item in items[:1]:
        span = item.fields.get("title") or item.fields.get("meta_title")
        if span and item.kind_hint in ("official", "law"):
            return re.sub(r"\s+", "", text[span[0]:span[1]]) or None
        if (span := item.fields.get("headline")) and item.kind_hint == "news-zh":
            return re.sub(r"^#+\s*|\s+$", "", text[span[0]:span[1]]) or None
    return None
