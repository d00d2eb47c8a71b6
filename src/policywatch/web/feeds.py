"""A watchlist's matches as an Atom feed, so that any feed reader can follow it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from xml.etree import ElementTree

ATOM = "http://www.w3.org/2005/Atom"


def _stamp(value: datetime | None) -> str:
    value = value or datetime.now(UTC)
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).isoformat(timespec="seconds")


def watchlist_atom(watchlist: dict[str, Any], base_url: str) -> bytes:
    """The Atom document of a watchlist and its latest matches (newest first)."""
    ElementTree.register_namespace("", ATOM)
    feed = ElementTree.Element(f"{{{ATOM}}}feed")

    def child(parent: ElementTree.Element, tag: str, text: str | None = None, **attributes: str) -> ElementTree.Element:
        element = ElementTree.SubElement(parent, f"{{{ATOM}}}{tag}", attributes)
        if text is not None:
            element.text = text
        return element

    base = base_url.rstrip("/")
    matches = watchlist["matches"]
    child(feed, "id", f"{base}/watchlists/{watchlist['name']}.atom")
    child(feed, "title", f"policywatch: {watchlist['name']} ({watchlist['query']})")
    child(feed, "updated", _stamp(matches[0]["created_at"] if matches else watchlist.get("last_run_at")))
    child(feed, "link", rel="self", href=f"{base}/watchlists/{watchlist['name']}.atom")
    author = child(feed, "author")
    child(author, "name", "policywatch")
    for match in matches:
        entry = child(feed, "entry")
        child(entry, "id", f"{base}/watchlists/{watchlist['name']}/{match['kind']}/{match['ref_id']}")
        child(entry, "title", match["title"] or f"({match['kind']})")
        child(entry, "updated", _stamp(match["created_at"]))
        link = f"{base}/policies/by-mention/{match['ref_id']}" if match["kind"] == "policy" else \
            f"{base}/api/v1/documents/{match['document_id']}"
        child(entry, "link", href=link)
        child(entry, "summary", f"{match['snippet']} (source: {match['source']})")
    return ElementTree.tostring(feed, encoding="utf-8", xml_declaration=True)
