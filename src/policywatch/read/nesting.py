"""How deeply an HTML page nests its elements, measured by a scan of its tags before a tree is built, so that a
page of 100,000 nested <div> is refused in one line instead of exhausting Python's recursion."""

from __future__ import annotations

import re

from policywatch.limits import current

TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)[^>]*?(/?)>")
# elements without an end tag, and those whose end tag HTML lets a page leave out (closed by the next one)
UNCOUNTED = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
             "track", "wbr", "p", "li", "dt", "dd", "tr", "td", "th", "option", "optgroup", "thead", "tbody",
             "tfoot", "colgroup", "rb", "rt", "rp", "caption"}


def depth(html: str) -> int:
    """The deepest nesting of elements that need an end tag (an estimate that never follows the tree)."""
    deepest = level = 0
    for match in TAG.finditer(html):
        closing, name, self_closing = match.group(1), match.group(2).lower(), match.group(3)
        if name in UNCOUNTED or self_closing:
            continue
        if closing:
            level = max(0, level - 1)
        else:
            level += 1
            deepest = max(deepest, level)
    return deepest


def check_depth(html: str, limit: int | None = None) -> None:
    """ValueError when the page nests deeper than the limit (POLICYWATCH_HTML_DEPTH)."""
    limit = limit or current().html_depth
    found = depth(html)
    if found > limit:
        raise ValueError(f"HTML nested {found} elements deep, more than the limit of {limit} (POLICYWATCH_HTML_DEPTH)")
