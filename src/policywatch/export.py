"""Exports of every record kind for spreadsheets and data tools: CSV, JSON lines, XLSX and Parquet.

Rows are read from the database in batches and written as they come, so memory stays flat however many there
are. Columns are named as the records of DESIGN.md; lists (issuers, technologies) are `;`-joined text in CSV and
XLSX and lists in JSON lines and Parquet; dates are ISO text at their stated precision; every row names its
source document and the evidence offsets, so an exported fact can be traced back.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from sqlalchemy import Engine, select

from policywatch.errors import PolicywatchError
from policywatch.figures import amount
from policywatch.store import policies as policy_store
from policywatch.store.schema import MENTION_COLUMNS, documents, mentions, policies, policy_mentions, policy_relations

FORMATS = ("csv", "jsonl", "xlsx", "parquet")
BATCH = 2000


@dataclass(frozen=True)
class Column:
    """An exported column: its name and type (str, int, float, bool, list)."""

    name: str
    type: str = "str"


def _columns(spec: str) -> list[Column]:
    """Columns from "name:type name …" (type str when left out)."""
    return [Column(*part.split(":")) if ":" in part else Column(part) for part in spec.split()]


KINDS: dict[str, list[Column]] = {
    "documents": _columns("id:int source format language title published layout pages:int items:int "
                          "records:int sha256 ocr_confidence:float parent_id:int"),
    "policies": _columns("id:int title_en title_zh doc_number issuers:list status date date_effective reported period "
                         "instrument level technologies:list implied:bool mentions:int documents:int "
                         "source_document_ids:list evidence:str"),
    "targets": _columns("policy_id:int policy_title policy_status policy_date metric value:float value_max:float "
                        "unit year:int comparator mention_id:int document_id:int source evidence"),
    "relations": _columns("from_policy_id:int from_title type to_policy_id:int to_title mention_id:int "
                          "document_id:int source evidence"),
    "events": _columns("id:int date event_type companies:list amounts amounts_eur summary technologies:list "
                       "document_id:int source evidence"),
    "people": _columns("key person_en person_zh organization role change date mention_id:int document_id:int "
                       "source evidence"),
    "companies": _columns("key name aliases:list mentions:int mention_ids:list"),
}


def _evidence(spans: list[list[int]] | None) -> str:
    """Evidence offsets as text: "120-180;300-320"."""
    return ";".join(f"{s}-{e}" for s, e in spans or [])


def _label(row: dict[str, Any]) -> str | None:
    return row["title_en"] or row["title_zh"] or (row["data"] or {}).get("label")


def _batched(engine: Engine, query: Any) -> Iterator[dict[str, Any]]:  # type: ignore[misc]
    """Rows of a query, fetched in batches (a server-side cursor where the database has one)."""
    with engine.connect().execution_options(stream_results=True, yield_per=BATCH) as connection:
        for row in connection.execute(query).mappings():
            yield dict(row)


def _sources(engine: Engine) -> dict[int, str]:
    with engine.connect() as connection:
        return dict(connection.execute(select(documents.c.id, documents.c.source)).all())


def _documents(engine: Engine, filters: dict[str, Any]) -> Iterator[dict[str, Any]]:
    from policywatch.store.database import list_documents

    for row in list_documents(engine):
        yield {**row, "records": row["mentions"], "pages": None}


def _policies(engine: Engine, filters: dict[str, Any]) -> Iterator[dict[str, Any]]:
    from policywatch.store.policies import list_policies

    listed = list_policies(engine, **filters)
    wanted = {p["id"] for p in listed}
    evidence: dict[int, list[str]] = {}
    document_ids: dict[int, list[int]] = {}
    query = (select(policy_mentions.c.policy_id, mentions.c.document_id, mentions.c.evidence)
             .join(mentions, mentions.c.id == policy_mentions.c.mention_id).order_by(mentions.c.id))
    for row in _batched(engine, query):
        if row["policy_id"] in wanted:
            evidence.setdefault(row["policy_id"], []).append(f"{row['document_id']}:{_evidence(row['evidence'])}")
            document_ids.setdefault(row["policy_id"], []).append(row["document_id"])
    with engine.connect() as connection:
        numbers = dict(connection.execute(select(policies.c.id, policies.c.data)).all())
    for p in listed:
        yield {**p, "date": p["date_stated"], "period": "-".join(map(str, p["period"])) if p["period"] else None,
               "doc_number": (numbers.get(p["id"]) or {}).get("doc_number"), "level": (numbers.get(p["id"]) or {}).get("level"),
               "reported": (numbers.get(p["id"]) or {}).get("reported"),
               "source_document_ids": list(dict.fromkeys(document_ids.get(p["id"], []))),
               "evidence": " ".join(evidence.get(p["id"], []))}


def _targets(engine: Engine, filters: dict[str, Any]) -> Iterator[dict[str, Any]]:
    from policywatch.store.policies import list_policies

    wanted = {p["id"] for p in list_policies(engine, **filters)} if filters else None
    sources = _sources(engine)
    with engine.connect() as connection:
        mention_documents = dict(connection.execute(select(mentions.c.id, mentions.c.document_id)).all())
    query = select(policies.c.id, policies.c.title_en, policies.c.title_zh, policies.c.status, policies.c.date,
                   policies.c.data).order_by(policies.c.id)
    for row in _batched(engine, query):
        if wanted is not None and row["id"] not in wanted:
            continue
        for t in (row["data"] or {}).get("targets", []):
            document_id = mention_documents.get(t.get("mention_id"))
            yield {"policy_id": row["id"], "policy_title": _label(row), "policy_status": row["status"],
                   "policy_date": row["date"], **{k: t.get(k) for k in ("metric", "value", "value_max", "unit", "year",
                                                                          "comparator", "mention_id")},
                   "document_id": document_id, "source": sources.get(document_id), "evidence": _evidence(t.get("evidence"))}


def _relations(engine: Engine, filters: dict[str, Any]) -> Iterator[dict[str, Any]]:
    sources = _sources(engine)
    with engine.connect() as connection:
        labels = {r["id"]: _label(dict(r)) for r in connection.execute(
            select(policies.c.id, policies.c.title_en, policies.c.title_zh, policies.c.data)).mappings()}
        mention_documents = dict(connection.execute(select(mentions.c.id, mentions.c.document_id)).all())
    for row in _batched(engine, select(policy_relations).order_by(policy_relations.c.id)):
        document_id = mention_documents.get(row["mention_id"])
        yield {"from_policy_id": row["from_policy_id"], "from_title": labels.get(row["from_policy_id"]),
               "type": row["type"], "to_policy_id": row["to_policy_id"], "to_title": labels.get(row["to_policy_id"]),
               "mention_id": row["mention_id"], "document_id": document_id, "source": sources.get(document_id),
               "evidence": _evidence(row["evidence"])}


def _mentions_of(engine: Engine, kind: str, filters: dict[str, Any]) -> Iterator[dict[str, Any]]:
    sources = _sources(engine)
    query = select(*MENTION_COLUMNS).where(mentions.c.kind == kind).order_by(mentions.c.date, mentions.c.id)
    if filters.get("date_from"):
        query = query.where(mentions.c.date >= filters["date_from"])
    if filters.get("date_to"):
        query = query.where(mentions.c.date <= filters["date_to"] + "\uffff")
    for row in _batched(engine, query):
        yield {**row["data"], "id": row["id"], "mention_id": row["id"], "date": row["date"],
               "document_id": row["document_id"], "source": sources.get(row["document_id"]),
               "evidence": _evidence(row["evidence"]),
               # as people write them, with the EUR value extraction computed; amounts_eur as plain numbers
               "amounts": ";".join(amount(a["value"], a["currency"], a.get("eur"))
                                   for a in row["data"].get("amounts", [])) or None,
               "amounts_eur": _euros(row["data"].get("amounts", []))}


def _euros(amounts: list[dict[str, Any]]) -> str | None:
    """Each amount's EUR value in whole euros, ';'-joined like the amounts ('' where unknown); None when none is."""
    if all(a.get("eur") is None for a in amounts):
        return None
    return ";".join("" if a.get("eur") is None else str(round(a["eur"])) for a in amounts)


def _people(engine: Engine, filters: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for row in _mentions_of(engine, "personnel", filters):
        yield {**row, "key": row.get("person_zh") or row.get("person_en")}


def _companies(engine: Engine, filters: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for company in policy_store.entities(engine, "company"):
        yield {"key": company["key"], "name": company["name"], "aliases": company["aliases"],
               "mentions": len(company["mention_ids"]), "mention_ids": company["mention_ids"]}


READERS: dict[str, Callable[[Engine, dict[str, Any]], Iterator[dict[str, Any]]]] = {
    "documents": _documents, "policies": _policies, "targets": _targets, "relations": _relations,
    "events": lambda engine, filters: _mentions_of(engine, "event", filters), "people": _people,
    "companies": _companies,
}


def rows(engine: Engine, kind: str, filters: dict[str, Any] | None = None) -> Iterator[dict[str, Any]]:
    """The rows of one record kind, with exactly its columns, in a stable order."""
    if kind not in KINDS:
        raise PolicywatchError(f"unknown export '{kind}' (kinds: {', '.join(KINDS)})")
    names = [c.name for c in KINDS[kind]]
    for row in READERS[kind](engine, {k: v for k, v in (filters or {}).items() if v is not None}):
        yield {name: row.get(name) for name in names}


def _flat(value: Any) -> Any:
    """A cell of CSV or XLSX: lists joined by ';', whole floats as integers, nothing else changed."""
    if isinstance(value, list | tuple):
        return ";".join(str(v) for v in value)
    if isinstance(value, float) and value.is_integer():  # 150000000000, not 150000000000.0
        return int(value)
    return value


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def inert(value: Any) -> Any:
    """A CSV cell a spreadsheet will not run: text starting like a formula (= + - @ tab CR) gets a leading '."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def write_csv(records: Iterable[dict[str, Any]], columns: list[Column], out: IO[str]) -> int:
    writer = csv.DictWriter(out, fieldnames=[c.name for c in columns])
    writer.writeheader()
    count = 0
    for record in records:
        writer.writerow({k: inert(_flat(v)) for k, v in record.items()})
        count += 1
    return count


def write_jsonl(records: Iterable[dict[str, Any]], out: IO[str]) -> int:
    count = 0
    for record in records:
        out.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")
        count += 1
    return count


def _text_cell(cell_type: Any, sheet: Any, value: Any) -> Any:
    """An XLSX cell; text is stored as a string (type 's'), never as a formula, whatever it starts with."""
    if not isinstance(value, str):
        return value
    cell = cell_type(sheet, value=value)
    cell.data_type = "s"
    return cell


def write_xlsx(make_records: Callable[[], Iterable[dict[str, Any]]], columns: list[Column], out: IO[bytes]) -> int:
    """An XLSX workbook written row by row: a bold header, frozen below it, columns as wide as their content.

    The rows are read twice (once to measure the columns), which keeps memory flat."""
    try:
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Font
        from openpyxl.utils import get_column_letter
    except ImportError:
        raise PolicywatchError("XLSX needs openpyxl: pip install 'policywatch[export]'") from None
    widths = [len(c.name) for c in columns]
    for record in make_records():
        for i, value in enumerate(record.values()):
            widths[i] = max(widths[i], min(60, len(str(_flat(value))) if value is not None else 0))
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("records")
    sheet.freeze_panes = "A2"
    for i, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(i)].width = width + 2
    header = []
    for c in columns:
        cell = WriteOnlyCell(sheet, value=c.name)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    count = 0
    for record in make_records():
        sheet.append([_text_cell(WriteOnlyCell, sheet, _flat(v)) for v in record.values()])
        count += 1
    workbook.save(out)
    return count


def _arrow_schema(columns: list[Column]):  # type: ignore[no-untyped-def]
    import pyarrow as pa

    types = {"str": pa.string(), "int": pa.int64(), "float": pa.float64(), "bool": pa.bool_(),
             "list": pa.list_(pa.string())}
    return pa.schema([(c.name, types[c.type]) for c in columns])


def _typed(value: Any, column: Column) -> Any:
    if value is None:
        return None
    if column.type == "list":
        return [str(v) for v in value] if isinstance(value, list | tuple) else [str(value)]
    if column.type == "int":
        return int(value)
    if column.type == "float":
        return float(value)
    if column.type == "bool":
        return bool(value)
    return str(value)


def write_parquet(records: Iterable[dict[str, Any]], columns: list[Column], out: IO[bytes]) -> int:
    """A Parquet file with typed columns, written in row groups of BATCH rows."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise PolicywatchError("Parquet needs pyarrow: pip install 'policywatch[export]'") from None
    schema = _arrow_schema(columns)
    count = 0
    with pq.ParquetWriter(out, schema) as writer:
        batch: list[dict[str, Any]] = []

        def flush() -> None:
            if batch:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                batch.clear()

        for record in records:
            batch.append({c.name: _typed(record[c.name], c) for c in columns})
            count += 1
            if len(batch) >= BATCH:
                flush()
        flush()
    return count


def export(engine: Engine, kind: str, fmt: str, out: IO[Any], filters: dict[str, Any] | None = None,
           progress: Callable[[int], None] | None = None) -> int:
    """Write every row of ``kind`` in ``fmt`` to ``out`` (text for csv/jsonl, binary for xlsx/parquet); the count."""
    if fmt not in FORMATS:
        raise PolicywatchError(f"unknown format '{fmt}' (formats: {', '.join(FORMATS)})")
    columns = KINDS.get(kind)
    if columns is None:
        raise PolicywatchError(f"unknown export '{kind}' (kinds: {', '.join(KINDS)})")

    def counted() -> Iterator[dict[str, Any]]:
        for n, row in enumerate(rows(engine, kind, filters), 1):
            if progress and n % 500 == 0:
                progress(n)
            yield row

    if fmt == "csv":
        return write_csv(counted(), columns, out)
    if fmt == "jsonl":
        return write_jsonl(counted(), out)
    if fmt == "xlsx":
        return write_xlsx(lambda: rows(engine, kind, filters), columns, out)
    return write_parquet(counted(), columns, out)


def to_bytes(engine: Engine, kind: str, fmt: str, filters: dict[str, Any] | None = None) -> bytes:
    """A whole export in memory (for a web download)."""
    if fmt in ("csv", "jsonl"):
        text = io.StringIO()
        export(engine, kind, fmt, text, filters)
        return text.getvalue().encode("utf-8")
    binary = io.BytesIO()
    export(engine, kind, fmt, binary, filters)
    return binary.getvalue()
