"""Precision, recall and F1 of extracted records against a gold file, by the rules of shared/gold/README.md.

A prediction matches a gold record of the same document and kind when an evidence span overlaps an
occurrence of the record's anchor (one to one, largest overlap first). Records are scored by recall over
non-optional gold records and, in documents marked complete, by precision over all predictions; fields are
micro-averaged over every gold field that has a value.
"""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from policywatch.errors import PolicywatchError

SCALARS = ("title_en", "title_zh", "date", "date_effective", "status", "period",
           "person_en", "person_zh", "organization", "role", "change")
LISTS = ("issuers", "companies", "targets", "amounts")
RECORD_KINDS = ("policy", "event", "personnel")


def load_jsonl(path: str | Path) -> list[dict[str, Any]]:
    """Records of a JSON-lines file; a bad line is a PolicywatchError naming file and line."""
    records = []
    try:
        with open(path, encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                if line.strip():
                    try:
                        records.append(json.loads(line))
                    except json.JSONDecodeError as exc:
                        raise PolicywatchError(f"{path}: line {number} is not JSON ({exc.msg})") from None
    except OSError as exc:
        raise PolicywatchError(f"{path}: {exc.strerror or 'cannot be read'}") from None
    return records


def _tokens(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", unicodedata.normalize("NFKC", text).lower())


def _title_en_equal(gold: str, pred: str) -> bool:
    g, p = _tokens(gold), _tokens(pred)
    common = sum(min(g.count(t), p.count(t)) for t in set(g))
    if not common:
        return False
    precision, recall = common / len(p), common / len(g)
    return 2 * precision * recall / (precision + recall) >= 0.8


def _zh_key(text: str) -> str:
    return re.sub(r"[\s《》“”\"'「」]", "", unicodedata.normalize("NFKC", text))


def _name_equal(gold: str, pred: str) -> bool:
    g, p = " ".join(_tokens(gold)), " ".join(_tokens(pred))
    if not g or not p:
        return False
    if g == p or difflib.SequenceMatcher(None, g, p).ratio() >= 0.85:
        return True
    gs, ps = set(g.split()), set(p.split())
    return gs <= ps or ps <= gs


def _near(a: float | None, b: float | None, tolerance: float) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= tolerance * max(abs(a), abs(b), 1e-12)


def _scalar_equal(field: str, gold: Any, pred: Any) -> bool:
    if pred is None:
        return False
    if field == "title_en":
        return _title_en_equal(gold, pred)
    if field == "title_zh":
        return _zh_key(gold) == _zh_key(pred)
    if field in ("person_en", "organization"):
        return _name_equal(gold, pred)
    if field == "role":
        return " ".join(_tokens(gold)) in " ".join(_tokens(pred))
    if field == "period":
        return [int(x) for x in gold] == [int(x) for x in pred]
    return gold == pred


def _element_equal(field: str, gold: Any, pred: Any) -> bool:
    if field == "targets":
        return _near(gold.get("value"), pred.get("value"), 1e-6) and gold.get("year") == pred.get("year")
    if field == "amounts":
        return _near(gold.get("value"), pred.get("value"), 1e-3) and \
            (gold.get("currency") or "").upper() == (pred.get("currency") or "").upper()
    if field == "companies":
        return _name_equal(gold, pred)
    return gold == pred


def _list_counts(field: str, gold: list, pred: list) -> tuple[int, int, int]:
    remaining = list(pred or [])
    hits = 0
    for g in gold:
        for i, p in enumerate(remaining):
            if _element_equal(field, g, p):
                hits += 1
                del remaining[i]
                break
    return hits, len(gold) - hits, len(remaining)


def _occurrences(text: str, anchor: str | list[str]) -> list[tuple[int, int]]:
    spans = []
    for a in anchor if isinstance(anchor, list) else [anchor]:
        start = text.find(a)
        while start >= 0:
            spans.append((start, start + len(a)))
            start = text.find(a, start + 1)
    return spans


def _overlap(a: Iterable[tuple[int, int]], b: Iterable[tuple[int, int]]) -> int:
    return max((min(a1, b1) - max(a0, b0) for a0, a1 in a for b0, b1 in b), default=0)


def _prf(tp: int, fn: int, fp: int) -> dict[str, float | int]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3),
            "tp": tp, "fn": fn, "fp": fp}


def score(gold: list[dict[str, Any]], predictions: list[dict[str, Any]], corpus: str | Path) -> dict[str, Any]:
    """Scores of ``predictions`` against ``gold`` whose documents are in ``corpus``."""
    documents = {g["doc"]: g for g in gold if g["kind"] == "document"}
    by_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    by_field: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    errors: list[dict[str, Any]] = []
    for name, meta in documents.items():
        path = Path(corpus) / name
        try:
            text = path.read_text(encoding="utf-8")
        except OSError:
            raise PolicywatchError(f"{path}: document of the gold file not found in the corpus") from None
        golds = [g for g in gold if g["doc"] == name and g["kind"] != "document"]
        preds = [p for p in predictions if Path(p.get("doc", "")).name == name]
        anchors = [_occurrences(text, g["anchor"]) for g in golds]
        candidates = sorted(
            ((_overlap(anchors[gi], [tuple(e) for e in p.get("evidence", [])]), gi, pi)
             for gi in range(len(golds)) for pi, p in enumerate(preds) if golds[gi]["kind"] == p.get("kind")),
            reverse=True)
        gold_to_pred: dict[int, int] = {}
        pred_to_gold: dict[int, int] = {}
        for size, gi, pi in candidates:
            if size > 0 and gi not in gold_to_pred and pi not in pred_to_gold:
                gold_to_pred[gi], pred_to_gold[pi] = pi, gi
        for gi, g in enumerate(golds):
            if g.get("optional"):
                continue
            p = preds[gold_to_pred[gi]] if gi in gold_to_pred else None
            by_kind[g["kind"]][0 if p else 1] += 1
            if p is None:
                errors.append({"doc": name, "missing": g["anchor"]})
            for field in SCALARS:
                if g.get(field) is None:
                    continue
                ok = p is not None and _scalar_equal(field, g[field], p.get(field))
                by_field[field][0 if ok else 1] += 1
                if p is not None and not ok:
                    if p.get(field) is not None:
                        by_field[field][2] += 1
                    errors.append({"doc": name, "field": field, "gold": g[field], "pred": p.get(field)})
            for field in LISTS:
                if not g.get(field):
                    continue
                tp, fn, fp = _list_counts(field, g[field], p.get(field, []) if p else [])
                counts = by_field[field]
                counts[0] += tp
                counts[1] += fn
                counts[2] += fp if p else 0
                if p is not None and (fn or fp):
                    errors.append({"doc": name, "field": field, "gold": g[field], "pred": p.get(field)})
        if meta.get("complete"):
            for pi, p in enumerate(preds):
                if pi not in pred_to_gold and p.get("kind") in RECORD_KINDS:
                    by_kind[p["kind"]][2] += 1
                    errors.append({"doc": name, "extra": p["kind"], "evidence": p.get("evidence")})
    records = [sum(v[i] for v in by_kind.values()) for i in range(3)]
    fields = [sum(v[i] for v in by_field.values()) for i in range(3)]
    return {"records": _prf(*records), "fields": _prf(*fields),
            "by_kind": {k: _prf(*v) for k, v in sorted(by_kind.items())},
            "by_field": {k: _prf(*v) for k, v in sorted(by_field.items())}, "errors": errors}
