"""Long reports: numbered sections, figures and tables, text from PDF; items are sentences, each with
the headline standing in front of it (a policy's name often is that headline)."""

from __future__ import annotations

import re

from policywatch.model import Item
from policywatch.segment.sentences import sentence_items


def detect(text: str) -> bool:
    """Long, with figures or tables and numbered sections."""
    return len(text) > 30000 and len(re.findall(r"\b(?:Figure|Table|Section)\s+\d", text)) >= 3


def segment(text: str) -> list[Item]:
    """One item per sentence."""
    return sentence_items(text, "report-sentence")
