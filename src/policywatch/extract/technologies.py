"""Technology tags from the taxonomy's keyword patterns."""

from __future__ import annotations

import re
from functools import cache

from policywatch.registry import technologies


@cache
def _patterns() -> list[tuple[str, re.Pattern[str]]]:
    result = []
    for tech in technologies():
        parts = [k if k.startswith("\\b") or not k.isascii() else rf"\b{k}" for k in tech.keywords]
        flags = 0 if any(k.isupper() for k in tech.keywords if k.isascii()) else re.I
        result.append((tech.id, re.compile("|".join(parts), flags)))
    return result


def tag_technologies(text: str) -> list[str]:
    """Ids of the taxonomy's technologies that ``text`` is about."""
    return [tech_id for tech_id, pattern in _patterns() if pattern.search(text)]
