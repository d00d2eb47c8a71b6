"""Text cut for display at a word boundary, with an ellipsis; Chinese, which has no spaces, is cut anywhere."""

from __future__ import annotations

import re

ELLIPSIS = "…"


def shorten(text: str, width: int) -> str:
    """``text`` (whitespace folded) in at most ``width`` characters, cut after a whole word."""
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    cut = text[:width - 1]
    space = cut.rfind(" ")
    # a cut inside a Latin word goes back to the last space, unless that loses too much (a long CJK run)
    if space > width // 2 and re.match(r"\w", text[width - 1]) and not re.match(r"[\u3400-\u9fff]", text[width - 1]):
        cut = cut[:space]
    return cut.rstrip(" ,;:-") + ELLIPSIS


def clip_edges(snippet: str, clipped_start: bool, clipped_end: bool) -> str:
    """A window cut out of a longer text without its broken words at either end, with ellipses where it was cut."""
    if clipped_start:
        m = re.match(r"[A-Za-z0-9]+[^\sA-Za-z0-9]?(?=\s)", snippet)
        snippet = ELLIPSIS + (snippet[m.end():].lstrip() if m else snippet)
    if clipped_end:
        m = re.search(r"\s[A-Za-z0-9]+$", snippet)
        snippet = (snippet[:m.start()] if m else snippet).rstrip() + ELLIPSIS
    return snippet
