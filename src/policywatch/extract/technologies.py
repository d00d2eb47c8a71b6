"""Technology tags from the taxonomy's keyword patterns."""

from __future__ import annotations

import re
from functools import cache

from policywatch.registry import technologies

Tagger = tuple[str, tuple[str, ...] | None, re.Pattern[str]]


def _anchor(keyword: str) -> str | None:
    """The literal text every match of a keyword pattern contains, case-folded (``\\bchips?\\b``: "chip"); None
    when the pattern has other syntax."""
    literal = re.sub(r".\?", "", keyword.replace("\\b", ""))
    return None if re.search(r"[][\\().*+?{}^$|]", literal) else literal.casefold()


@cache
def _patterns() -> list[Tagger]:
    result = []
    for tech in technologies():
        parts = [k if k.startswith("\\b") or not k.isascii() else rf"\b{k}" for k in tech.keywords]
        flags = 0 if any(k.isupper() for k in tech.keywords if k.isascii()) else re.I
        anchors = [_anchor(k) for k in tech.keywords]
        literal = None if None in anchors else tuple(a for a in anchors if a is not None)
        result.append((tech.id, literal, re.compile("|".join(parts), flags)))
    return result


def tag_technologies(text: str) -> list[str]:
    """Ids of the taxonomy's technologies that ``text`` is about."""
    # a substring test first: most texts hold the words of few technologies, and it is far cheaper than the pattern
    folded = text.casefold()
    return [tech_id for tech_id, anchors, pattern in _patterns()
            if (anchors is None or any(a in folded for a in anchors)) and pattern.search(text)]
