"""The rows a document becomes, as plain data: its items', its mentions' and its search rows. Nothing here touches a
database, so the process that analyses a document can also cut its Chinese texts into the word index's words, and
the one writer only looks them up."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

from policywatch.hanzi import own_characters, to_simplified
from policywatch.model import Document, Item, Mention
from policywatch.segmenter import CJK, index_words

if TYPE_CHECKING:  # the store reads rows without loading extraction
    from policywatch.pipeline import Analysis


def item_rows(document_id: int, found: list[Item]) -> list[dict[str, Any]]:
    """The items-table rows of a document's items, in order."""
    return [{"document_id": document_id, "position": position, "start": item.start, "end": item.end,
             "heading": item.heading, "section": item.section, "kind_hint": item.kind_hint}
            for position, item in enumerate(found)]


def mention_row(document_id: int, item_id: int | None, mention: Mention) -> dict[str, Any]:
    """The mentions-table row of a Mention: filterable columns plus the full record as JSON."""
    return {
        "document_id": document_id, "item_id": item_id, "kind": mention.kind,
        "title_en": mention.title_en, "title_zh": mention.title_zh, "status": mention.status,
        "date": mention.date, "issuers": mention.issuers,
        "data": mention.model_dump(mode="json", exclude={"evidence"}, exclude_none=True),
        "evidence": [list(s) for s in mention.evidence],
    }


def _spaced(values: list[str]) -> str:
    """Space-delimited with spaces around, so that a LIKE '% id %' matches whole ids."""
    return " " + " ".join(values) + " "


def _distinct(parts: list[str | None]) -> list[str]:
    """The parts that no other part contains: a summary that repeats its evidence is indexed once."""
    kept: list[str] = []
    for part in filter(None, (p.strip() if p else None for p in parts)):
        if not any(part in other for other in kept):
            kept = [other for other in kept if other not in part] + [part]
    return kept


def _digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def _words(text: str, known: dict[bytes, str] | None) -> str:
    """The word index's words of a text: looked up where they were computed already, else cut here."""
    if not text or not CJK.search(text):
        return ""
    found = known.get(_digest(text)) if known else None
    return found if found is not None else index_words(text)


def rows_for_document(document: dict[str, Any], item_rows: list[dict[str, Any]],
                      mention_rows: list[dict[str, Any]], words: dict[bytes, str] | None = None) -> list[dict[str, Any]]:
    """The search rows of one stored document: itself, each item, each mention (``words``: the words of its
    Chinese texts by digest, as ``search_words`` gives them; a text not there is cut here)."""
    text = document["text"]
    doc_id = document["id"]
    rows = [{"kind": "document", "ref_id": doc_id, "document_id": doc_id, "start": 0, "end": len(text),
             "title": document.get("title") or "", "body": text, "issuers": " ", "technologies": " ",
             "status": None, "date": document.get("published")}]
    by_item: dict[int, list[dict[str, Any]]] = {}
    for m in mention_rows:
        if m.get("item_id") is not None:
            by_item.setdefault(m["item_id"], []).append(m)
    for item in item_rows:
        related = by_item.get(item["id"], [])
        rows.append({
            "kind": "item", "ref_id": item["id"], "document_id": doc_id, "start": item["start"], "end": item["end"],
            "title": item.get("heading") or "", "body": text[item["start"]:item["end"]],
            "issuers": _spaced(sorted({i for m in related for i in m["issuers"]})),
            "technologies": _spaced(sorted({t for m in related for t in m["data"].get("technologies", [])})),
            "status": next((m["status"] for m in related if m["status"]), None),
            "date": next((m["date"] for m in related if m["date"]), None)})
    folded: list[str] = []  # the document's text folded to Simplified, made when a record first needs it

    def own(fragment: str | None) -> str | None:
        if not fragment or fragment in text or not CJK.search(fragment):
            return fragment
        folded[:] = folded or [to_simplified(text)]
        return own_characters(fragment, text, folded[0])

    for m in mention_rows:
        data = m["data"]
        start, end = m["evidence"][0] if m["evidence"] else (0, 0)
        title = data.get("title_en") or data.get("title_zh") or " ".join(
            filter(None, [data.get("person_en"), data.get("person_zh")])) or ", ".join(data.get("companies", []))
        # a Traditional document's records are summarised in Simplified: its search text (and so its snippets)
        # keeps the document's own characters
        body = " ".join(_distinct([own(data.get("title_zh")), own(data.get("summary")), text[start:end]]))
        rows.append({
            "kind": m["kind"], "ref_id": m["id"], "document_id": doc_id, "start": start, "end": end, "title": title,
            "body": body, "issuers": _spaced(m["issuers"]), "technologies": _spaced(data.get("technologies", [])),
            "status": m["status"], "date": m["date"]})
    for row in rows:
        row["title_words"] = _words(row["title"], words)
        row["body_words"] = _words(row["body"], words)
    return rows


def _sources(document: Document, analysis: Analysis) -> list[str]:
    """Every text the search rows are made of: the document's, its title, and what its records add to it."""
    added = [value for _, m in analysis.mentions
             for value in (m.title_zh, m.title_en, m.summary, m.person_zh, m.person_en, *m.companies) if value]
    return [document.text, analysis.title or document.title or "", *added]


def search_words(document: Document, analysis: Analysis) -> dict[bytes, str]:
    """The word index's words of every Chinese text among the search rows this document will have, by digest:
    what the process that analyses a document computes, so that the one writer need not."""
    if not any(CJK.search(text) for text in _sources(document, analysis)):
        return {}
    provisional_items = [{**row, "id": n} for n, row in enumerate(item_rows(0, analysis.items))]
    provisional_mentions = [{**mention_row(0, i, m), "id": n} for n, (i, m) in enumerate(analysis.mentions)]
    rows = rows_for_document({"id": 0, "text": document.text, "title": analysis.title or document.title},
                             provisional_items, provisional_mentions, {})
    return {_digest(text): words for row in rows
            for text, words in ((row["title"], row["title_words"]), (row["body"], row["body_words"])) if words}
