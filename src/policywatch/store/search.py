"""Full-text search: rows for documents, items and mentions; FTS5 queries with filters, BM25 rank and snippets.

English queries use the stemming index (search_en); queries with Chinese characters use the trigram index
(search_tri), which also matches parts of words. Query syntax is FTS5's: words, "phrases", prefix*,
AND / OR / NOT and parentheses; a word with other characters ("anti-monopoly", "R&D") is read as a phrase.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Engine, delete, insert, select, text
from sqlalchemy.exc import DBAPIError

from policywatch.errors import PolicywatchError
from policywatch.store.schema import documents, items, mentions, search_rows

CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
TOKEN = re.compile(r'"(?:[^"]|"")*"|\(|\)|[^\s()"]+')
OPERATORS = {"AND", "OR", "NOT"}
KINDS = ("document", "item", "policy", "event", "personnel")
SNIPPET_OPEN, SNIPPET_CLOSE = "\x02", "\x03"  # marks around matched words in snippets; never in document text


@dataclass
class Filters:
    """What a search may be narrowed to; None means no restriction."""

    kinds: list[str] | None = None
    issuer: str | None = None
    status: str | None = None
    technology: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    document_id: int | None = None


@dataclass
class Hit:
    """One search result: what matched, where it stands in which document, and why."""

    kind: str
    ref_id: int
    document_id: int
    source: str
    start: int
    end: int
    title: str
    snippet: str
    score: float
    date: str | None = None
    status: str | None = None
    issuers: list[str] = field(default_factory=list)


def _spaced(values: list[str]) -> str:
    """Space-delimited with spaces around, so that a LIKE '% id %' matches whole ids."""
    return " " + " ".join(values) + " "


def rows_for_document(document: dict[str, Any], item_rows: list[dict[str, Any]],
                      mention_rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The search rows of one stored document: itself, each item, each mention."""
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
    for m in mention_rows:
        data = m["data"]
        start, end = m["evidence"][0] if m["evidence"] else (0, 0)
        title = data.get("title_en") or data.get("title_zh") or " ".join(
            filter(None, [data.get("person_en"), data.get("person_zh")])) or ", ".join(data.get("companies", []))
        body = " ".join(filter(None, [data.get("title_zh"), data.get("summary"), text[start:end]]))
        rows.append({
            "kind": m["kind"], "ref_id": m["id"], "document_id": doc_id, "start": start, "end": end, "title": title,
            "body": body, "issuers": _spaced(m["issuers"]), "technologies": _spaced(data.get("technologies", [])),
            "status": m["status"], "date": m["date"]})
    return rows


def index_document(connection: Connection, document_id: int) -> None:
    """(Re)build the search rows of one stored document inside the caller's transaction."""
    document = connection.execute(select(documents.c.id, documents.c.text, documents.c.title, documents.c.published)
                                  .where(documents.c.id == document_id)).mappings().one()
    item_rows = [dict(r) for r in connection.execute(select(items).where(items.c.document_id == document_id)).mappings()]
    mention_rows = [dict(r) for r in connection.execute(
        select(mentions).where(mentions.c.document_id == document_id)).mappings()]
    connection.execute(delete(search_rows).where(search_rows.c.document_id == document_id))
    rows = rows_for_document(dict(document), item_rows, mention_rows)
    if rows:
        connection.execute(insert(search_rows), rows)


def reindex_all(connection: Connection) -> None:
    """Rebuild the search rows of every stored document."""
    for (document_id,) in connection.execute(select(documents.c.id)).all():
        index_document(connection, document_id)


def _fts_query(query: str) -> str:
    """A user's query as FTS5 syntax: operators, phrases and prefixes kept; odd words quoted as phrases."""
    parts = []
    for token in TOKEN.findall(query):
        if token in OPERATORS or token in "()" or token.startswith('"') or re.fullmatch(r"\w+\*?", token):
            parts.append(token)
        else:
            parts.append('"' + token.replace('"', '""') + '"')
    return " ".join(parts)


def _terms(query: str) -> list[str]:
    """The words and phrases of a query, operators left out."""
    return [t.strip('"').replace('""', '"') for t in TOKEN.findall(query) if t not in OPERATORS and t not in "()"]


def _substring_condition(query: str, params: dict[str, Any], dialect: str = "sqlite") -> str:
    """The query as SQL over substrings: each term must occur; AND, OR, NOT and brackets keep their sense."""
    parts: list[str] = []
    previous_is_term = False
    for n, token in enumerate(TOKEN.findall(query)):
        if token in OPERATORS:
            parts.append("AND NOT" if token == "NOT" else token)
            previous_is_term = False
        elif token == "(":
            parts.append("AND (" if previous_is_term else "(")
            previous_is_term = False
        elif token == ")":
            parts.append(")")
            previous_is_term = True
        else:
            term = token.strip('"').replace('""', '"')
            if dialect == "postgresql":  # ILIKE can use the pg_trgm indexes
                params[f"term{n}"] = "%" + re.sub(r"([%_\\])", r"\\\1", term) + "%"
                condition = f"(r.body ILIKE :term{n} OR r.title ILIKE :term{n})"
            else:
                params[f"term{n}"] = term
                condition = f"(instr(r.body, :term{n}) > 0 OR instr(r.title, :term{n}) > 0)"
            parts.append(("AND " if previous_is_term else "") + condition)
            previous_is_term = True
    expression = " ".join(parts)
    if expression.startswith("AND NOT"):
        expression = "NOT" + expression[len("AND NOT"):]
    return f"({expression})"


def _where(filters: Filters, params: dict[str, Any]) -> list[str]:
    clauses = []
    if filters.kinds:
        unknown = [k for k in filters.kinds if k not in KINDS]
        if unknown:
            raise PolicywatchError(f"unknown kind '{unknown[0]}' (kinds: {', '.join(KINDS)})")
        names = []
        for n, kind in enumerate(filters.kinds):
            params[f"kind{n}"] = kind
            names.append(f":kind{n}")
        clauses.append(f"r.kind IN ({', '.join(names)})")
    if filters.issuer:
        params["issuer"] = f"% {filters.issuer} %"
        clauses.append("r.issuers LIKE :issuer")
    if filters.technology:
        params["technology"] = f"% {filters.technology} %"
        clauses.append("r.technologies LIKE :technology")
    if filters.status:
        params["status"] = filters.status
        clauses.append("r.status = :status")
    if filters.date_from:
        params["date_from"] = filters.date_from
        clauses.append("r.date >= :date_from")
    if filters.date_to:
        # "2021-02" includes every day of February
        params["date_to"], params["date_to_prefix"] = filters.date_to, filters.date_to + "%"
        clauses.append("(r.date <= :date_to OR r.date LIKE :date_to_prefix)")
    if filters.document_id is not None:
        params["document_id"] = filters.document_id
        clauses.append("r.document_id = :document_id")
    return clauses


def _tsquery(query: str) -> str:
    """A query in policywatch's syntax as a PostgreSQL tsquery: & | ! for AND OR NOT, <-> in phrases, :* prefixes."""
    parts: list[str] = []
    previous_is_term = False
    for token in TOKEN.findall(query):
        if token in ("AND", "OR"):
            parts.append("&" if token == "AND" else "|")
            previous_is_term = False
        elif token == "NOT":
            parts.append("& !" if previous_is_term else "!")
            previous_is_term = False
        elif token in "()":
            parts.append(("& (" if previous_is_term else "(") if token == "(" else ")")
            previous_is_term = token == ")"
        else:
            words = re.findall(r"\w+", token.strip('"'))
            if not words:
                continue
            if len(words) > 1:
                term = "(" + " <-> ".join(words) + ")"
            else:
                term = words[0] + (":*" if token.endswith("*") and not token.startswith('"') else "")
            parts.append(("& " if previous_is_term else "") + term)
            previous_is_term = True
    return " ".join(parts)


def _sqlite_sql(query: str, terms: list[str], clauses: list[str], params: dict[str, Any]) -> str:
    if CJK.search(query) and any(len(t) < 3 for t in terms):
        # trigrams cannot find a word of one or two characters: look for each term in the text instead
        clauses.append(_substring_condition(query, params))
        return (f"SELECT r.*, substr(r.body, 1, 160) AS snippet, 0.0 AS score FROM search_rows r "
                f"WHERE {' AND '.join(clauses)} ORDER BY r.kind = 'document', r.date DESC LIMIT :limit OFFSET :offset")
    table = "search_tri" if CJK.search(query) else "search_en"
    params["match"] = " ".join(t if t in OPERATORS or t in "()" else '"' + t.strip('"') + '"'
                               for t in TOKEN.findall(query)) if CJK.search(query) else _fts_query(query)
    where = " AND ".join([f"{table} MATCH :match", *clauses])
    return (f"SELECT r.*, snippet({table}, 1, '{SNIPPET_OPEN}', '{SNIPPET_CLOSE}', '…', 16) AS snippet, "
            f"{table}.rank AS score FROM {table} JOIN search_rows r ON r.id = {table}.rowid "
            f"WHERE {where} ORDER BY {table}.rank LIMIT :limit OFFSET :offset")


def _postgresql_sql(query: str, terms: list[str], clauses: list[str], params: dict[str, Any]) -> str:
    if CJK.search(query):
        clauses.append(_substring_condition(query, params, "postgresql"))
        params["first"] = terms[0] if terms else ""
        return (f"SELECT r.*, substr(r.body, greatest(1, strpos(r.body, :first) - 60), 200) AS snippet, "
                f"0.0 AS score FROM search_rows r WHERE {' AND '.join(clauses)} "
                f"ORDER BY r.kind = 'document', r.date DESC NULLS LAST LIMIT :limit OFFSET :offset")
    params["tsquery"] = _tsquery(query)
    params["headline"] = (f"StartSel={SNIPPET_OPEN}, StopSel={SNIPPET_CLOSE}, MaxWords=30, MinWords=12, "
                          "MaxFragments=2, FragmentDelimiter=…")
    where = " AND ".join(["r.tsv @@ q.query", *clauses])
    return (f"SELECT r.*, ts_headline('english', r.body, q.query, :headline) AS snippet, "
            f"-ts_rank_cd(r.tsv, q.query) AS score FROM search_rows r, to_tsquery('english', :tsquery) AS q(query) "
            f"WHERE {where} ORDER BY score, r.id LIMIT :limit OFFSET :offset")


def _marked(snippet: str, terms: list[str]) -> str:
    """A snippet with its whitespace folded and, where the database did not mark matches, the terms marked."""
    snippet = re.sub(r"\s+", " ", snippet).strip()
    if SNIPPET_OPEN in snippet:
        return snippet
    for term in sorted({t for t in terms if t}, key=len, reverse=True):
        snippet = re.sub(re.escape(term), lambda m: SNIPPET_OPEN + m.group() + SNIPPET_CLOSE, snippet, flags=re.I)
    return snippet


def search(engine: Engine, query: str, filters: Filters | None = None, limit: int = 20, offset: int = 0) -> list[Hit]:
    """Rows matching ``query`` and ``filters``, best first (BM25 on SQLite, ts_rank_cd on PostgreSQL)."""
    query = query.replace("\x00", "").strip()
    if not query:
        raise PolicywatchError("empty search query")
    if limit < 1 or offset < 0:
        raise PolicywatchError("limit must be at least 1 and offset at least 0")
    params: dict[str, Any] = {"limit": limit, "offset": offset}
    clauses = _where(filters or Filters(), params)
    terms = _terms(query)
    build = _postgresql_sql if engine.dialect.name == "postgresql" else _sqlite_sql
    sql = build(query, terms, clauses, params)
    try:
        with engine.connect() as connection:
            rows = connection.execute(text(sql), params).mappings().all()
            sources = dict(connection.execute(select(documents.c.id, documents.c.source).where(
                documents.c.id.in_({r["document_id"] for r in rows}))).all()) if rows else {}
    except DBAPIError as exc:
        message = str(exc.orig).strip().splitlines()[0]
        if any(word in message for word in ("fts5", "syntax", "unterminated", "tsquery", "no such column", "malformed")):
            raise PolicywatchError(f"cannot read the query '{query}': {message}") from None
        raise
    return [Hit(kind=r["kind"], ref_id=r["ref_id"], document_id=r["document_id"], source=sources.get(r["document_id"], ""),
                start=r["start"], end=r["end"], title=r["title"], snippet=_marked(r["snippet"] or "", terms),
                score=float(r["score"] or 0.0), date=r["date"], status=r["status"], issuers=r["issuers"].split())
            for r in rows]
