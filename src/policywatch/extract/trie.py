"""Many names in one regular expression, built as a character trie: far faster than a flat alternation."""

from __future__ import annotations

import re

_WS, _APOS = "\x00", "\x01"  # trie tokens for "any whitespace run" and "straight or curly apostrophe"


def normal(form: str) -> str:
    """The lookup key of a surface form: whitespace runs to one space, curly apostrophes straightened."""
    return re.sub(r"\s+", " ", form.replace("’", "'")).strip()


def trie_regex(forms: list[str]) -> str:
    """One regex for many names, as a character trie: far faster than a flat alternation."""
    trie: dict = {}
    for form in forms:
        node = trie
        for ch in normal(form).replace(" ", _WS).replace("'", _APOS):
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        terminal = "" in node
        branches = []
        for ch in sorted(k for k in node if k):
            token = r"\s+" if ch == _WS else "['’]" if ch == _APOS else re.escape(ch)
            branches.append(token + build(node[ch]))
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if terminal else body

    return build(trie)
