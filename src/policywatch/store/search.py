"""Full-text search: rows for documents, items and mentions; FTS5 queries with filters, BM25 rank and snippets.

English queries use the stemming index (search_en). Chinese queries use a word index (search_zh; on PostgreSQL a
`simple` tsvector) of jieba's words, Traditional folded to Simplified, so that 数据 finds 网络数据安全管理条例 and
軟件 finds 软件; quoted Chinese phrases and single characters use the trigram index and substrings. Titles weigh
more than bodies, and a row whose title holds every word of the query comes first. Unless asked for the exact
query, a query in one language also searches the other through the glossary, the agency registry and the
technology taxonomy; such hits are marked as expanded. Results can be grouped by document.

Query syntax is FTS5's: words, "phrases", prefix*, AND / OR / NOT and parentheses; a word with other characters
("anti-monopoly", "R&D") is read as a phrase.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Engine, delete, insert, select, text
from sqlalchemy.exc import DBAPIError

from policywatch.errors import PolicywatchError
from policywatch.glossary import chinese_for, english_for
from policywatch.hanzi import is_traditional, to_mainland, to_simplified
from policywatch.segmenter import CJK, query_words
from policywatch.shorten import clip_edges
from policywatch.store.rows import rows_for_document
from policywatch.store.schema import documents, items, mentions, policies, policy_mentions, search_rows

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
    expanded: str | None = None  # the translated query that found this hit, when it came from the other language
    hits: int = 1  # with results grouped by document: how many rows of the document matched


def index_rows(connection: Connection, document: dict[str, Any], item_rows: list[dict[str, Any]],
               mention_rows: list[dict[str, Any]], words: dict[bytes, str] | None = None) -> None:
    """Write the search rows of a document just stored, from its rows as written (``words``: the word index's
    words of its Chinese texts, where its analysis computed them)."""
    rows = rows_for_document(document, item_rows, mention_rows, words)
    if rows:
        connection.execute(insert(search_rows), rows)


def index_document(connection: Connection, document_id: int) -> None:
    """(Re)build the search rows of one stored document inside the caller's transaction."""
    document = connection.execute(select(documents.c.id, documents.c.text, documents.c.title, documents.c.published)
                                  .where(documents.c.id == document_id)).mappings().one()
    item_rows = [dict(r) for r in connection.execute(select(items).where(items.c.document_id == document_id)).mappings()]
    # the columns the index reads, named: a migration may run this before later columns exist
    mention_rows = [dict(r) for r in connection.execute(
        select(mentions.c.id, mentions.c.item_id, mentions.c.kind, mentions.c.title_en, mentions.c.title_zh,
               mentions.c.status, mentions.c.date, mentions.c.issuers, mentions.c.data, mentions.c.evidence)
        .where(mentions.c.document_id == document_id)).mappings()]
    connection.execute(delete(search_rows).where(search_rows.c.document_id == document_id))
    rows = rows_for_document(dict(document), item_rows, mention_rows)
    if rows:
        connection.execute(insert(search_rows), rows)


def reindex_all(connection: Connection, progress: Callable[[int, int], None] | None = None) -> int:
    """Rebuild the search rows of every stored document; ``progress(done, total)`` after each. Returns the count."""
    ids = [document_id for (document_id,) in connection.execute(select(documents.c.id)).all()]
    for done, document_id in enumerate(ids, 1):
        index_document(connection, document_id)
        if progress:
            progress(done, len(ids))
    return len(ids)


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
            forms = list(dict.fromkeys([term, to_simplified(term)]))  # a Traditional query finds Simplified text
            conditions = []
            for k, form in enumerate(forms):
                name = f"term{n}_{k}"
                if dialect == "postgresql":  # ILIKE can use the pg_trgm indexes
                    params[name] = "%" + re.sub(r"([%_\\])", r"\\\1", form) + "%"
                    conditions.append(f"r.body ILIKE :{name} OR r.title ILIKE :{name}")
                else:
                    params[name] = form
                    conditions.append(f"instr(r.body, :{name}) > 0 OR instr(r.title, :{name}) > 0")
            condition = "(" + " OR ".join(conditions) + ")"
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


def _tsquery_of(terms: list[tuple[str, str | None]]) -> str:
    """tsquery syntax from a query's tokens: & | ! for AND OR NOT, brackets, and each term as already rendered
    (None for an operator or a bracket); terms side by side are ANDed."""
    parts: list[str] = []
    previous_is_term = False
    for token, term in terms:
        if term is None and token in ("AND", "OR"):
            parts.append("&" if token == "AND" else "|")
            previous_is_term = False
        elif term is None and token == "NOT":
            parts.append("& !" if previous_is_term else "!")
            previous_is_term = False
        elif term is None and token in "()":
            parts.append(("& (" if previous_is_term else "(") if token == "(" else ")")
            previous_is_term = token == ")"
        elif term:
            parts.append(("& " if previous_is_term else "") + term)
            previous_is_term = True
    return " ".join(parts)


def _tsquery(query: str) -> str:
    """A query in policywatch's syntax as a PostgreSQL tsquery: <-> in phrases, :* prefixes."""
    terms: list[tuple[str, str | None]] = []
    for token in TOKEN.findall(query):
        if token in OPERATORS or token in "()":
            terms.append((token, None))
            continue
        words = re.findall(r"\w+", token.strip('"'))
        if len(words) > 1:
            terms.append((token, "(" + " <-> ".join(words) + ")"))
        elif words:
            terms.append((token, words[0] + (":*" if token.endswith("*") and not token.startswith('"') else "")))
    return _tsquery_of(terms)


def _plan(query: str) -> str:
    """Which index answers a query: "en" (stemmed English), "words" (Chinese words) or "substring" (trigrams and
    substrings: a quoted Chinese phrase, or a single Chinese character, which no word index holds)."""
    if not CJK.search(query):
        return "en"
    for token in TOKEN.findall(query):
        if not CJK.search(token):
            continue
        words = query_words(token)
        # a term cut into single characters is a name the dictionary lacks: trigrams find it as written
        if token.startswith('"') or len(CJK.findall(token)) < 2 or not words or \
                (len(words) > 1 and any(len(w) == 1 and CJK.match(w) for w in words)):
            return "substring"
    return "words"


def _matches_without_chinese(query: str) -> bool:
    """Whether a row without Chinese characters could match: the query has a term without any, and OR or NOT
    (a boolean query of only AND needs its Chinese terms)."""
    tokens = TOKEN.findall(query)
    return bool({"OR", "NOT"} & set(tokens)) and any(
        t not in OPERATORS and t not in "()" and not CJK.search(t) for t in tokens)


def _word_terms(query: str) -> list[tuple[str, list[str]]]:
    """The query's tokens for the word index: (operator or bracket, []) or (term, its words)."""
    found: list[tuple[str, list[str]]] = []
    for token in TOKEN.findall(query):
        if token in OPERATORS or token in "()":
            found.append((token, []))
        elif CJK.search(token):
            found.append((token, query_words(token)))
        else:
            found.append((token, [w.lower() for w in re.findall(r"\w+", token)]))
    return found


def _title_words(terms: list[tuple[str, list[str]]]) -> list[str]:
    """The words a query asks for (negated terms left out): a row whose title holds them all comes first."""
    wanted, negated = [], False
    for token, words in terms:
        if token == "NOT":
            negated = True
            continue
        if words and not negated:
            wanted += words
        if words:
            negated = False
    return list(dict.fromkeys(wanted))


def _title_first(terms: list[tuple[str, list[str]]], params: dict[str, Any]) -> str:
    """SQL that is 0 when the row's title holds every word the query asks for, else 1."""
    conditions = []
    for n, word in enumerate(_title_words(terms)):
        params[f"tw{n}"] = f"% {word} %"
        conditions.append(f"(' ' || r.title_words || ' ') LIKE :tw{n}")
    return f"(CASE WHEN {' AND '.join(conditions)} THEN 0 ELSE 1 END)" if conditions else "1"


def _words_match(terms: list[tuple[str, list[str]]]) -> str:
    """FTS5 MATCH over the word index: a term's words all present, operators kept."""
    parts = []
    for token, words in terms:
        if not words:
            parts.append(token)
        else:
            quoted = ['"' + w.replace('"', '""') + '"' for w in words]
            parts.append(quoted[0] if len(quoted) == 1 else "(" + " AND ".join(quoted) + ")")
    return " ".join(parts)


def _words_tsquery(terms: list[tuple[str, list[str]]]) -> str:
    """The same over PostgreSQL's `simple` tsvector of words: a term's words all present."""
    return _tsquery_of([(token, None) if not words else
                        (token, "(" + " & ".join("'" + w.replace("'", "''").replace("\\", "") + "'" for w in words) + ")")
                        for token, words in terms])


def _first_word_snippet(dialect: str) -> str:
    """200 characters of the body around the query's first term, with where they start and the body's length
    (so that words the window cuts can be left out)."""
    position = "instr(r.body, :first)" if dialect == "sqlite" else "strpos(r.body, :first)"
    start = f"max(1, {position} - 60)" if dialect == "sqlite" else f"greatest(1, {position} - 60)"
    return f"substr(r.body, {start}, 200) AS snippet, {start} AS snippet_from, length(r.body) AS body_length"


def _fts_snippet(table: str, grouped: bool, terms: list[str], params: dict[str, Any]) -> str:
    """FTS5's snippet, or (where rows are grouped, which FTS5's functions cannot see through) the text around
    the query's first term."""
    if not grouped:
        return f"snippet({table}, 1, '{SNIPPET_OPEN}', '{SNIPPET_CLOSE}', '…', 16) AS snippet"
    params.setdefault("first", next((t for t in terms if t), ""))
    return _first_word_snippet("sqlite")


# How a builder's rows are to be ordered: by the FTS rank alone (FTS5 then stops at the page's end), titles that
# hold the query first, or already paged on narrow rows (only the page's rows left to order).
RANK, TITLE_FIRST, PAGED = "rank", "title first", "paged"


def _sqlite_sql(query: str, terms: list[str], clauses: list[str], params: dict[str, Any],
                grouped: bool = False) -> tuple[str, str]:
    plan = _plan(query)
    if plan == "substring":
        clauses.append(_substring_condition(query, params))
        if any(len(t) < 3 for t in terms) or _matches_without_chinese(query):
            # trigrams cannot find a word of one or two characters, nor a row without Chinese (not in the
            # trigram index): look for each term in the text instead
            # no index to rank by: rows whose title holds the first term, then the most occurrences of it
            params["first"] = next((t for t in terms if t), "")
            return (f"SELECT r.*, {_first_word_snippet('sqlite')}, "
                    f"-((length(r.body) - length(replace(r.body, :first, ''))) / max(length(:first), 1)) AS score, "
                    f"(instr(r.title, :first) = 0) AS title_miss FROM search_rows r WHERE {' AND '.join(clauses)}"), TITLE_FIRST
        params["match"] = " ".join(t if t in OPERATORS or t in "()" else '"' + t.strip('"') + '"'
                                   for t in TOKEN.findall(query))
        where = " AND ".join(["search_tri MATCH :match", *clauses])
        return (f"SELECT r.*, {_fts_snippet('search_tri', grouped, terms, params)}, "
                f"search_tri.rank AS score, 0 AS title_miss FROM search_tri "
                f"JOIN search_rows r ON r.id = search_tri.rowid WHERE {where}"), RANK
    if plan == "words":
        word_terms = _word_terms(query)
        params["match"] = _words_match(word_terms)
        params["first"] = next((w for _, words in word_terms for w in words if CJK.search(w)), "")
        wanted = _title_words(word_terms)
        title_first = "1"
        if wanted:
            # the rows whose title holds every word, found by the index itself, once
            params["title_match"] = "title_words : (" + " AND ".join('"' + w.replace('"', '""') + '"' for w in wanted) + ")"
            title_first = ("(CASE WHEN search_zh.rowid IN (SELECT rowid FROM search_zh WHERE search_zh MATCH :title_match) "
                           "THEN 0 ELSE 1 END)")
        where = " AND ".join(["search_zh MATCH :match", *clauses])
        # filters need the row; without them the index alone ranks
        join = " JOIN search_rows r ON r.id = search_zh.rowid" if clauses else ""
        ranked = (f"SELECT search_zh.rowid AS id, search_zh.rank AS score, {title_first} AS title_miss "
                  f"FROM search_zh{join} WHERE {where}")
        if not grouped:
            # rank and sort narrow rows, then read the page's rows whole
            ranked += " ORDER BY title_miss, score, id LIMIT :limit OFFSET :offset"
        return (f"SELECT r.*, {_first_word_snippet('sqlite')}, p.score AS score, p.title_miss AS title_miss "
                f"FROM ({ranked}) p JOIN search_rows r ON r.id = p.id"), TITLE_FIRST if grouped else PAGED
    params["match"] = _fts_query(query)
    where = " AND ".join(["search_en MATCH :match", *clauses])
    return (f"SELECT r.*, {_fts_snippet('search_en', grouped, terms, params)}, "
            f"search_en.rank AS score, 0 AS title_miss FROM search_en "
            f"JOIN search_rows r ON r.id = search_en.rowid WHERE {where}"), RANK


def _postgresql_sql(query: str, terms: list[str], clauses: list[str], params: dict[str, Any],
                    grouped: bool = False) -> tuple[str, str]:
    plan = _plan(query)
    if plan == "substring":
        clauses.append(_substring_condition(query, params, "postgresql"))
        params["first"] = terms[0] if terms else ""
        return (f"SELECT r.*, {_first_word_snippet('postgresql')}, "
                f"-((length(r.body) - length(replace(r.body, :first, ''))) / greatest(length(:first), 1)) AS score, "
                f"(CASE WHEN strpos(r.title, :first) = 0 THEN 1 ELSE 0 END) AS title_miss FROM search_rows r "
                f"WHERE {' AND '.join(clauses)}"), TITLE_FIRST
    if plan == "words":
        word_terms = _word_terms(query)
        params["tsquery"] = _words_tsquery(word_terms)
        params["first"] = next((w for _, words in word_terms for w in words if CJK.search(w)), "")
        title_first = _title_first(word_terms, params)
        where = " AND ".join(["r.tsv_zh @@ q.query", *clauses])
        return (f"SELECT r.*, {_first_word_snippet('postgresql')}, -ts_rank_cd(r.tsv_zh, q.query) AS score, "
                f"{title_first} AS title_miss "
                f"FROM search_rows r, to_tsquery('simple', :tsquery) AS q(query) WHERE {where}"), TITLE_FIRST
    params["tsquery"] = _tsquery(query)
    params["headline"] = (f"StartSel={SNIPPET_OPEN}, StopSel={SNIPPET_CLOSE}, MaxWords=30, MinWords=12, "
                          "MaxFragments=2, FragmentDelimiter=…")
    where = " AND ".join(["r.tsv @@ q.query", *clauses])
    return (f"SELECT r.*, ts_headline('english', r.body, q.query, :headline) AS snippet, "
            f"-ts_rank_cd(r.tsv, q.query) AS score, 0 AS title_miss "
            f"FROM search_rows r, to_tsquery('english', :tsquery) AS q(query) WHERE {where}"), RANK


def _paged(base: str, ordering: str, dialect: str, group_by_document: bool) -> str:
    """The ranked rows of a query, one page; grouped, the best row of each document and its number of rows.

    Rows whose title holds the whole query (title_miss 0) come first, then by score; rank is read once a row.
    """
    if not group_by_document:
        if ordering == PAGED:
            return f"{base} ORDER BY title_miss, score, r.id"
        if ordering == TITLE_FIRST:
            return f"{base} ORDER BY title_miss, score, r.id LIMIT :limit OFFSET :offset"
        return f"{base} ORDER BY score LIMIT :limit OFFSET :offset"
    if dialect == "postgresql":
        return (f"SELECT * FROM (SELECT DISTINCT ON (g.document_id) g.*, COUNT(*) OVER (PARTITION BY g.document_id) "
                f"AS hits FROM ({base}) g ORDER BY g.document_id, g.title_miss, g.score, g.id) d "
                f"ORDER BY d.title_miss, d.score, d.id LIMIT :limit OFFSET :offset")
    # SQLite takes the other columns from the row that holds the minimum
    return (f"SELECT g.*, MIN(g.title_miss * 1000000000.0 + g.score) AS best, COUNT(*) AS hits FROM ({base}) g "
            f"GROUP BY g.document_id ORDER BY best, g.id LIMIT :limit OFFSET :offset")


def translate(query: str) -> str | None:
    """The query in the other language, through the bilingual lexicon; None when a term has no translation.

    Chinese terms become their English forms ("数据安全" -> ("data security")); an English query becomes the
    Chinese terms that render it as a whole ("integrated circuit" -> 集成电路)."""
    tokens = TOKEN.findall(query)
    if CJK.search(query):
        parts = []
        for token in tokens:
            if token in OPERATORS or token in "()":
                parts.append(token)
            elif CJK.search(token):
                forms = english_for(token.strip('"'), query_words(token.strip('"')))
                if not forms:
                    return None
                parts.append("(" + " OR ".join('"' + f.replace('"', "") + '"' for f in forms) + ")")
            else:
                parts.append(token)
        return " ".join(parts)
    plain = " ".join(t.strip('"') for t in tokens if t not in OPERATORS and t not in "()")
    if "NOT" in tokens or "OR" in tokens:
        return None
    found = chinese_for(plain)
    return " ".join(found) if found else None


def _run(connection: Connection, query: str, filters: Filters, limit: int, offset: int,
         group_by_document: bool) -> list[Hit]:
    """One query's hits, their sources left for the caller to fill."""
    params: dict[str, Any] = {"limit": limit, "offset": offset}
    clauses = _where(filters, params)
    terms = _terms(query)
    build = _postgresql_sql if connection.dialect.name == "postgresql" else _sqlite_sql
    sql = _paged(*build(query, terms, clauses, params, group_by_document), connection.dialect.name, group_by_document)
    try:
        with connection.begin_nested() if connection.dialect.name == "postgresql" else _nothing():
            rows = connection.execute(text(sql), params).mappings().all()
    except DBAPIError as exc:
        message = str(exc.orig).strip().splitlines()[0]
        if any(word in message for word in ("fts5", "syntax", "unterminated", "tsquery", "no such column", "malformed")):
            raise PolicywatchError(f"cannot read the query '{query}': {message}") from None
        raise
    marks = terms + [w for _, words in (_word_terms(query) if CJK.search(query) else []) for w in words]

    def snippet(r: Any) -> str:
        text = r["snippet"] or ""
        if r.get("snippet_from") is not None:
            text = clip_edges(text, r["snippet_from"] > 1, r["snippet_from"] + len(text) <= (r["body_length"] or 0))
        return _marked(text, marks)

    return [Hit(kind=r["kind"], ref_id=r["ref_id"], document_id=r["document_id"], source="",
                start=r["start"], end=r["end"], title=r["title"], snippet=snippet(r),
                score=float(r["score"] or 0.0), date=r["date"], status=r["status"], issuers=r["issuers"].split(),
                hits=int(r.get("hits") or 1))
            for r in rows]


@contextmanager
def _nothing() -> Iterator[None]:
    yield


def regional(query: str) -> tuple[str, str]:
    """The query with each Traditional term that Taiwan and the mainland word differently searched both ways
    (資料安全 as (資料安全 OR 数据安全)), and the query in mainland words alone (what the glossary translates)."""
    searched, mainland = [], []
    for token in TOKEN.findall(query):
        other = token if token in OPERATORS or token in "()" or not is_traditional(token) else to_mainland(token)
        if other == token or other == to_simplified(token):  # the same words once folded: the index finds them
            searched.append(token)
        else:
            searched.append(f"({token} OR {other})")
        mainland.append(other)
    if searched == TOKEN.findall(query):
        return query, query
    return " ".join(searched), " ".join(mainland)


def _with_sources(connection: Connection, hits: list[Hit]) -> list[Hit]:
    """Hits with their document's source, and a policy record without a title named as its policy is."""
    if hits:
        sources = dict(connection.execute(select(documents.c.id, documents.c.source).where(
            documents.c.id.in_({h.document_id for h in hits}))).all())
        for hit in hits:
            hit.source = sources.get(hit.document_id, "")
        untitled = {h.ref_id for h in hits if h.kind == "policy" and not h.title.strip()}
        if untitled:
            labels = {mention_id: data.get("label") or title_en or title_zh for mention_id, data, title_en, title_zh
                      in connection.execute(select(policy_mentions.c.mention_id, policies.c.data, policies.c.title_en,
                                                   policies.c.title_zh)
                                            .join(policies, policies.c.id == policy_mentions.c.policy_id)
                                            .where(policy_mentions.c.mention_id.in_(untitled)))}
            for hit in hits:
                if hit.kind == "policy" and hit.ref_id in labels and labels[hit.ref_id]:
                    hit.title = labels[hit.ref_id]
    return hits


def _merge(native: list[Hit], expanded: list[Hit], group_by_document: bool) -> list[Hit]:
    """Both lists in one order: each hit's score relative to the best of its list, expanded ones weighed less."""
    def relative(hits: list[Hit], weight: float) -> list[tuple[float, int, Hit]]:
        best = min((h.score for h in hits), default=0.0)
        return [((h.score / best if best < 0 else 1.0) * weight, -i, h) for i, h in enumerate(hits)]

    ranked = sorted(relative(native, 1.0) + relative(expanded, EXPANDED_WEIGHT), key=lambda t: (t[0], t[1]), reverse=True)
    seen: set[tuple[Any, ...]] = set()
    merged = []
    for _, _, hit in ranked:
        key = (hit.document_id,) if group_by_document else (hit.kind, hit.ref_id)
        if key not in seen:
            seen.add(key)
            merged.append(hit)
    return merged


EXPANDED_WEIGHT = 0.6  # a translated query finds related rows, the query's own language the ones asked for


def _marked(snippet: str, terms: list[str]) -> str:
    """A snippet with its whitespace folded and, where the database did not mark matches, the terms marked."""
    snippet = re.sub(r"\s+", " ", snippet).strip()
    if SNIPPET_OPEN in snippet:
        return snippet
    for term in sorted({t for t in terms if t}, key=len, reverse=True):
        snippet = re.sub(re.escape(term), lambda m: SNIPPET_OPEN + m.group() + SNIPPET_CLOSE, snippet, flags=re.I)
    return snippet


def search(engine: Engine, query: str, filters: Filters | None = None, limit: int = 20, offset: int = 0,
           group_by_document: bool = False, exact: bool = False) -> list[Hit]:
    """Rows matching ``query`` and ``filters``, best first (BM25 on SQLite, ts_rank_cd on PostgreSQL).

    ``group_by_document`` gives each document once, at its best row; ``exact`` searches the query's own language
    only, without the translated query."""
    query = query.replace("\x00", "").strip()
    if not query:
        raise PolicywatchError("empty search query")
    if limit < 1 or offset < 0:
        raise PolicywatchError("limit must be at least 1 and offset at least 0")
    filters = filters or Filters()
    query, mainland = regional(query)
    translated = None if exact else translate(mainland)
    with engine.connect() as connection:
        if translated is None:
            return _with_sources(connection, _run(connection, query, filters, limit, offset, group_by_document))
        # both lists from their start, so that the merged order can be paged
        native = _run(connection, query, filters, limit + offset, 0, group_by_document)
        try:
            expanded = _run(connection, translated, filters, limit + offset, 0, group_by_document)
        except PolicywatchError:
            expanded = []
        for hit in expanded:
            hit.expanded = translated
        return _with_sources(connection, _merge(native, expanded, group_by_document)[offset:offset + limit])
