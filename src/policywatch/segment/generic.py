"""Fallback layout: one item per paragraph (a run of non-blank lines)."""

from __future__ import annotations

import re

from policywatch.model import Item

PARAGRAPH = re.compile(r"\S(?:.|\n(?![ \t]*\n))*", re.M)


def segment(text: str) -> list[Item]:
    """One item per paragraph block."""
    return [Item(start=m.start(), end=m.end()) for m in PARAGRAPH.finditer(text)]
