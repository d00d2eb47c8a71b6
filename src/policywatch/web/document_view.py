"""A stored document as the document page shows it: its text with every record's evidence marked, its items and
its records in words and figures."""

from __future__ import annotations

import re
from itertools import pairwise
from typing import Any

from markupsafe import Markup, escape

from policywatch.choices import issuer_label, technology_name
from policywatch.figures import amount, span
from policywatch.shorten import shorten
from policywatch.web.paragraphs import reflow

BLANK_LINES = re.compile(r"\n[ \t]*(?:\n[ \t]*)+")  # PDF text puts a blank line after every line: one break is enough


def _shown(chunk: str) -> str:
    return str(escape(BLANK_LINES.sub("\n", chunk)))


def _union(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(s, e) for s, e in merged]


def marked_text(text: str, records: list[dict[str, Any]], items: list[dict[str, Any]], flow: bool) -> Markup:
    """The whole text, escaped, every record's evidence in <mark>, an anchor where each record (m<id>) and each
    item (i<id>) starts; ``flow`` joins a PDF's lines inside paragraphs."""
    if flow:
        text = reflow(text)
    size = len(text)
    marks = _union([(max(0, s), min(size, e)) for r in records for s, e in r["evidence"] if s < e])
    anchors: dict[int, list[str]] = {}
    for r in records:
        if r["evidence"]:
            anchors.setdefault(min(s for s, _ in r["evidence"]), []).append(f"m{r['id']}")
    for item in items:
        anchors.setdefault(item["start"], []).append(f"i{item['id']}")
    cuts = sorted({0, size, *(p for m in marks for p in m), *(p for p in anchors if 0 <= p <= size)})
    parts: list[str] = []
    current = 0  # index of the first mark not yet passed
    for start, end in pairwise(cuts):
        parts += [f'<span class="anchor" id="{a}"></span>' for a in anchors.get(start, [])]
        while current < len(marks) and marks[current][1] <= start:
            current += 1
        inside = current < len(marks) and marks[current][0] <= start < marks[current][1]
        parts.append(f'<mark class="record">{_shown(text[start:end])}</mark>' if inside else _shown(text[start:end]))
    return Markup("".join(parts))


def record_row(record: dict[str, Any], text: str) -> dict[str, Any]:
    """A record for the records table: what it is about, who, and its figures as people write them."""
    data = record["data"]
    first = record["evidence"][0] if record["evidence"] else (0, 0)
    what = (record.get("title_en") or record.get("title_zh") or data.get("label") or data.get("person_en")
            or ", ".join(data.get("companies", [])) or data.get("summary") or text[first[0]:first[1]])
    figures = [f"{span(t.get('value'), t.get('value_max'))} {t.get('unit') or ''}".strip()
               + (f" by {t['year']}" if t.get("year") else "") for t in data.get("targets", []) if t.get("value") is not None]
    figures += [amount(a["value"], a["currency"], a.get("eur")) for a in data.get("amounts", [])]
    return {"id": record["id"], "kind": record["kind"], "date": record.get("date") or "",
            "status": record.get("status") or "", "what": shorten(what or "", 160),
            "issuers": [issuer_label(i) for i in record.get("issuers", [])],
            "technologies": [technology_name(t) for t in data.get("technologies", [])],
            "figures": figures, "places": len(record["evidence"])}


def item_row(item: dict[str, Any], text: str) -> dict[str, Any]:
    """An item for the items list: its heading or first words, and its span."""
    return {"id": item["id"], "start": item["start"], "end": item["end"],
            "label": shorten(item.get("heading") or text[item["start"]:item["end"]], 100)}
