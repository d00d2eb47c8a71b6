"""The FastAPI application: JSON API under /api/v1 (OpenAPI at /docs) and server-rendered pages."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Annotated, Any

from fastapi import FastAPI, File, Form, HTTPException, Query, Request, UploadFile
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape
from sqlalchemy import Engine, func, select
from starlette.exceptions import HTTPException as StarletteHTTPException

from policywatch import __version__, api, choices
from policywatch.errors import PolicywatchError
from policywatch.export import inert
from policywatch.figures import figure, span
from policywatch.read import SUPPORTED
from policywatch.registry import agencies
from policywatch.store import database
from policywatch.store.schema import documents, items, mentions, policy_mentions
from policywatch.store.search import KINDS, SNIPPET_CLOSE, SNIPPET_OPEN, Filters
from policywatch.web.document_view import item_row, marked_text, record_row
from policywatch.web.feeds import watchlist_atom
from policywatch.web.paragraphs import reflow
from policywatch.web.security import (
    CSRF_COOKIE,
    TOKEN_COOKIE,
    SecurityHeaders,
    WriteGuard,
    cookie_options,
    csrf_ok,
    csrf_token,
    may_write,
)

HERE = Path(__file__).parent
MAX_UPLOAD = 20 * 1024 * 1024
MONTH = r"^\d{4}-(0[1-9]|1[0-2])$"

Limit = Annotated[int, Query(ge=1, le=200, description="Results per page.")]
Offset = Annotated[int, Query(ge=0, le=100_000, description="Results to skip.")]
# Filter values are checked by policywatch.choices, not by patterns here, so that a wrong one is answered with the
# CLI's one line naming the nearest right ones (400) rather than a bare pattern mismatch or an empty list.
DateFrom = Annotated[str | None, Query(max_length=40, description="Earliest date, YYYY[-MM[-DD]].")]
DateTo = Annotated[str | None, Query(max_length=40, description="Latest date, YYYY[-MM[-DD]].")]
Ident = Annotated[str | None, Query(max_length=100, description="An id (`policywatch issuers`, `technologies`).")]
Status = Annotated[str | None, Query(max_length=40, description="draft or final.")]
MAX_ID = 2**31 - 1  # ids are 32-bit integers on PostgreSQL; larger numbers name nothing
RowId = Annotated[int, PathParam(ge=1, le=MAX_ID)]


def _marked(snippet: str) -> Markup:
    """A snippet, escaped, with the matched words in <mark>."""
    return Markup(str(escape(snippet)).replace(SNIPPET_OPEN, "<mark>").replace(SNIPPET_CLOSE, "</mark>"))


def highlighted(text: str, spans: list[list[int]], context: int = 400, reach: int = 4000, flow: bool = False) -> Markup:
    """The part of a document around its evidence, escaped, the evidence in <mark>: the places within ``reach``
    characters of the first, and how many more there are; ``flow`` joins a PDF's lines inside paragraphs."""
    if not spans:
        return Markup("")
    if flow:
        text = reflow(text)  # same length: the spans still point at their characters
    first = min(s for s, _ in spans)
    near = [(s, e) for s, e in spans if s < first + reach]
    start = max(0, first - context)
    end = min(len(text), max(e for _, e in near) + context)
    # the context starts and ends on whole words (English); Chinese, without spaces, is cut anywhere
    if start and (gap := re.search(r"\s", text[start:first])) and text[start - 1].isalnum() and gap.start() < 30:
        start += gap.end()
    last = max(e for _, e in near)
    if end < len(text) and text[end].isalnum() and (gap := re.search(r"\s\S*$", text[last:end])) and \
            end - last - gap.start() < 30:
        end = last + gap.start()
    def shown(chunk: str) -> str:  # PDF text puts a blank line after every line: one line break is enough
        return str(escape(re.sub(r"\n[ \t]*(?:\n[ \t]*)+", "\n", chunk)))

    parts, cursor = [], start
    for s, e in sorted(near):
        s, e = max(s, cursor), min(e, end)
        if s >= e:
            continue
        parts.append(shown(text[cursor:s]))
        parts.append(f"<mark>{shown(text[s:e])}</mark>")
        cursor = e
    parts.append(shown(text[cursor:end]))
    more = f" ({len(spans) - len(near)} more places further on)" if len(near) < len(spans) else ""
    return Markup(("…" if start else "") + "".join(parts) + ("…" if end < len(text) else "") + more)


def _check_filters(values: dict[str, str | None]) -> None:
    """Filter values of an API query or a page's form checked as the CLI checks them, each named by its query
    parameter: the first wrong one raises PolicywatchError naming the nearest right ones (answered with 400)."""
    choices.check_issuer(values.get("issuer") or None, "issuer")
    choices.check_status(values.get("status") or None, "status")
    choices.check_technology(values.get("technology") or None, "technology")
    choices.check_date(values.get("date_from") or None, "date_from")
    choices.check_date(values.get("date_to") or None, "date_to")


def create_app(db: str | Engine | None = None, max_upload: int = MAX_UPLOAD) -> FastAPI:
    """The web application on a database (default: the user's policywatch database)."""
    app = FastAPI(title="policywatch", version=__version__,
                  description="China industrial- and technology-policy records with their sources. Reading is open; "
                              "writing (upload, notes, merge) needs a token from `policywatch token create`, sent as "
                              "`Authorization: Bearer <token>`.")
    app.state.engine = db if isinstance(db, Engine) else database.connect(db)
    app.state.max_upload = max_upload
    app.add_middleware(SecurityHeaders)
    app.add_middleware(WriteGuard, max_body=lambda: app.state.max_upload)  # before any body is read
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.filters["marked"] = _marked
    templates.env.filters["figure"] = figure
    templates.env.globals["span"] = span
    engine: Engine = app.state.engine

    @app.exception_handler(PolicywatchError)
    async def user_error(request: Request, exc: PolicywatchError):
        status = 404 if "not in the database" in str(exc) else 400
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": str(exc)}, status_code=status)
        return templates.TemplateResponse(request, "error.html", {"message": str(exc), "can_write": False},
                                          status_code=status)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        if request.url.path.startswith(("/api/", "/static/", "/docs", "/openapi")):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)
        return templates.TemplateResponse(request, "error.html", {"message": exc.detail, "can_write": False},
                                          status_code=exc.status_code, headers=exc.headers)

    def need_token(request: Request) -> None:
        if not may_write(request):
            raise HTTPException(401, "a write token is needed (policywatch token create)",
                                headers={"WWW-Authenticate": "Bearer"})

    def filters(kind: list[str] | None, issuer, status, technology, date_from, date_to, document) -> Filters:
        return Filters(kinds=kind or None, issuer=issuer, status=status, technology=technology,
                       date_from=date_from, date_to=date_to, document_id=document)

    # ---------------------------------------------------------------- JSON API
    @app.get("/api/v1/documents", tags=["documents"], summary="Stored documents (without their text)")
    def list_documents(limit: Limit = 50, offset: Offset = 0) -> list[dict[str, Any]]:
        return api.documents(engine)[offset:offset + limit]

    @app.get("/api/v1/documents/{document_id}", tags=["documents"], summary="One document with items and mentions")
    def get_document(document_id: RowId) -> dict[str, Any]:
        return api.document(document_id, engine)

    @app.get("/api/v1/items/{item_id}", tags=["documents"], summary="One item: its span and text")
    def get_item(item_id: RowId) -> dict[str, Any]:
        with engine.connect() as connection:
            row = connection.execute(select(items, documents.c.text).join(documents, documents.c.id == items.c.document_id)
                                     .where(items.c.id == item_id)).mappings().first()
        if row is None:
            raise HTTPException(404, f"item {item_id}: not in the database")
        data = {k: v for k, v in row.items() if k != "text"}
        return {**data, "text": row["text"][row["start"]:row["end"]]}

    @app.get("/api/v1/policies", tags=["policies"], summary="Policies resolved across documents")
    def list_policies(issuer: Ident = None, status: Status = None, technology: Ident = None,
                      date_from: DateFrom = None, date_to: DateTo = None, limit: Limit = 50,
                      offset: Offset = 0) -> list[dict[str, Any]]:
        _check_filters({"issuer": issuer, "status": status, "technology": technology, "date_from": date_from,
                        "date_to": date_to})
        rows = api.policies(engine, issuer=issuer, status=status, technology=technology, date_from=date_from,
                            date_to=date_to)
        return rows[offset:offset + limit]

    @app.get("/api/v1/policies/{policy_id}", tags=["policies"],
             summary="One policy: sources with evidence, relations, target history")
    def get_policy(policy_id: RowId) -> dict[str, Any]:
        return api.policy(policy_id, engine)

    @app.get("/api/v1/events", tags=["news"], summary="Corporate news items")
    def list_events(date_from: DateFrom = None, date_to: DateTo = None, limit: Limit = 50,
                    offset: Offset = 0) -> list[dict[str, Any]]:
        _check_filters({"date_from": date_from, "date_to": date_to})
        query = select(mentions.c.id, mentions.c.document_id, mentions.c.date, mentions.c.data, mentions.c.evidence) \
            .where(mentions.c.kind == "event").order_by(mentions.c.date, mentions.c.id)
        if date_from:
            query = query.where(mentions.c.date >= date_from)
        if date_to:
            query = query.where((mentions.c.date <= date_to) | mentions.c.date.like(date_to + "%"))
        with engine.connect() as connection:
            rows = connection.execute(query.limit(limit).offset(offset)).mappings().all()
        return [{"id": r["id"], "document_id": r["document_id"], "date": r["date"], "evidence": r["evidence"],
                 **{k: r["data"].get(k) for k in ("companies", "event_type", "amounts", "summary")}} for r in rows]

    @app.get("/api/v1/people", tags=["news"], summary="People with their appointments and departures")
    def list_people() -> list[dict[str, Any]]:
        return api.entities("person", engine)

    @app.get("/api/v1/companies", tags=["news"], summary="Companies of corporate news")
    def list_companies() -> list[dict[str, Any]]:
        return api.entities("company", engine)

    @app.get("/api/v1/agencies", tags=["agencies"], summary="The agency registry")
    def list_agencies() -> list[dict[str, Any]]:
        return [a.__dict__ for a in agencies().values()]

    @app.get("/api/v1/agencies/{agency_id}", tags=["agencies"], summary="One agency and its policies")
    def get_agency(agency_id: str) -> dict[str, Any]:
        agency = agencies().get(agency_id)
        if agency is None:
            raise HTTPException(404, f"agency {agency_id}: not in the registry")
        return {**agency.__dict__, "policies": api.policies(engine, issuer=agency_id)}

    @app.get("/api/v1/search", tags=["search"], summary="Full-text search with filters (FTS5 query syntax)")
    def search(q: Annotated[str, Query(min_length=1, max_length=500)], kind: Annotated[list[str] | None, Query()] = None,
               issuer: Ident = None, status: Status = None, technology: Ident = None, date_from: DateFrom = None,
               date_to: DateTo = None, document: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None, limit: Limit = 20,
               offset: Offset = 0, group_by: Annotated[str | None, Query(pattern=r"^document$")] = None,
               exact: bool = False) -> list[dict[str, Any]]:
        _check_filters({"issuer": issuer, "status": status, "technology": technology, "date_from": date_from,
                        "date_to": date_to})
        hits = api.search(q, engine, filters(kind, issuer, status, technology, date_from, date_to, document),
                          limit, offset, group_by == "document", exact)
        return [{**h.__dict__, "snippet": h.snippet.replace(SNIPPET_OPEN, "").replace(SNIPPET_CLOSE, "")} for h in hits]

    @app.get("/api/v1/briefing", tags=["briefing"], summary="The monthly briefing as Markdown, HTML or PDF",
             response_class=Response)
    def get_briefing(month: Annotated[str, Query(pattern=MONTH)],
                     format: Annotated[str, Query(pattern=r"^(md|html|pdf)$")] = "md",
                     top: Annotated[int, Query(ge=0, le=20)] = 5, explain: bool = False) -> Response:
        document, _ = api.briefing(month, engine, format, top, explain=explain)
        media = {"md": "text/markdown; charset=utf-8", "html": "text/html; charset=utf-8", "pdf": "application/pdf"}
        return Response(document, media_type=media[format])

    @app.get("/api/v1/export/{what}.{fmt}", tags=["export"],
             summary="Every record of a kind (or search results) as CSV, JSON lines, XLSX or Parquet",
             response_class=Response)
    def export(what: Annotated[str, PathParam(pattern=r"^(documents|policies|targets|relations|events|people|companies"
                                                      r"|search)$")],
               fmt: Annotated[str, PathParam(pattern=r"^(csv|jsonl|xlsx|parquet)$")],
               q: Annotated[str | None, Query(max_length=500)] = None, kind: Annotated[list[str] | None, Query()] = None,
               issuer: Ident = None, status: Status = None, technology: Ident = None, date_from: DateFrom = None,
               date_to: DateTo = None, limit: Annotated[int, Query(ge=1, le=10_000)] = 1000) -> Response:
        from policywatch import export as exporter

        media = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson",
                 "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                 "parquet": "application/vnd.apache.parquet"}
        headers = {"Content-Disposition": f'attachment; filename="{what}.{fmt}"'}
        filters = {"issuer": issuer, "status": status, "technology": technology, "date_from": date_from,
                   "date_to": date_to}
        _check_filters(filters)
        if what != "search":
            if what not in ("policies", "targets"):
                filters = {k: v for k, v in filters.items() if k in ("date_from", "date_to")}
            try:
                body = exporter.to_bytes(engine, what, fmt, filters)
            except PolicywatchError as exc:
                raise HTTPException(400, str(exc)) from None
            return Response(body, media_type=media[fmt], headers=headers)
        if not q:
            raise HTTPException(400, "search export needs q")
        if fmt not in ("csv", "jsonl"):
            raise HTTPException(400, "search results export as csv or jsonl")
        rows: list[dict[str, Any]] = search(q, kind, issuer, status, technology, date_from, date_to, None, min(limit, 200))
        if fmt == "jsonl":
            body_text = "".join(json.dumps(r, ensure_ascii=False, default=str) + "\n" for r in rows)
            return Response(body_text, media_type=media[fmt], headers=headers)
        buffer = io.StringIO()
        if rows:
            writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
            writer.writeheader()
            for r in rows:
                writer.writerow({k: inert(";".join(map(str, v)) if isinstance(v, list) else v) for k, v in r.items()})
        return Response(buffer.getvalue(), media_type=media[fmt], headers=headers)

    async def _read_upload(upload: UploadFile) -> bytes:
        name = upload.filename or ""
        if Path(name).suffix.lower() not in SUPPORTED:
            raise HTTPException(415, f"{name or 'file'}: unsupported file type (supported: {', '.join(SUPPORTED)})")
        data = await upload.read(app.state.max_upload + 1)
        if len(data) > app.state.max_upload:
            raise HTTPException(413, f"{name}: larger than {app.state.max_upload // (1024 * 1024)} MB")
        return data

    @app.post("/api/v1/documents", tags=["documents"], status_code=201, summary="Upload a document to ingest (token)")
    async def upload(request: Request, file: Annotated[UploadFile, File()]) -> dict[str, Any]:
        need_token(request)
        data = await _read_upload(file)
        result = api.ingest_bytes(engine, data, Path(file.filename or "upload").name)
        if result.status == "failed":
            raise HTTPException(422, f"{result.source}: {result.reason}")
        return result.__dict__

    @app.post("/api/v1/policies/{policy_id}/notes", tags=["policies"], status_code=201,
              summary="Add an analyst note (token)")
    def add_note(request: Request, policy_id: RowId, text: Annotated[str, Form(min_length=1, max_length=5000)],
                 author: Annotated[str | None, Form(max_length=100)] = None) -> dict[str, Any]:
        need_token(request)
        return {"id": api.add_note(policy_id, text, author or "web", engine), "policy_id": policy_id}

    @app.post("/api/v1/policies/merge", tags=["policies"], summary="Merge two policies by hand (token)")
    def merge(request: Request, first: Annotated[int, Form(ge=1, le=MAX_ID)],
              second: Annotated[int, Form(ge=1, le=MAX_ID)]) -> dict[str, Any]:
        need_token(request)
        return {"policy_id": api.merge_policies(first, second, engine)}

    # ---------------------------------------------------------------- pages
    def page(request: Request, name: str, context: dict[str, Any], status_code: int = 200):
        token = csrf_token(request)
        response = templates.TemplateResponse(request, name, {**context, "csrf": token, "can_write": may_write(request)},
                                              status_code=status_code)
        if request.cookies.get(CSRF_COOKIE) != token:
            response.set_cookie(CSRF_COOKIE, token, **cookie_options(request))
        return response

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home(request: Request, q: str = "", kind: str = "", issuer: str = "", status: str = "", technology: str = "",
             date_from: str = "", date_to: str = "", group: str = "", exact: str = ""):
        hits, error = [], None
        if q.strip():
            try:
                _check_filters({"issuer": issuer, "status": status, "technology": technology, "date_from": date_from,
                                "date_to": date_to})
            except PolicywatchError as exc:
                error = str(exc)
            if error is None:
                try:
                    hits = api.search(q, engine, filters([kind] if kind else None, issuer or None, status or None,
                                                         technology or None, date_from or None, date_to or None, None), 50,
                                      group_by_document=group == "document", exact=bool(exact))
                except PolicywatchError as exc:
                    error = str(exc)
        with engine.connect() as connection:
            stats = {"documents": connection.execute(select(func.count()).select_from(documents)).scalar_one()}
        return page(request, "search.html", {"q": q, "kind": kind, "issuer": issuer, "status": status,
                                             "technology": technology, "date_from": date_from, "date_to": date_to,
                                             "hits": hits, "error": error, "kinds": KINDS, "stats": stats,
                                             "group": group == "document", "exact": bool(exact),
                                             "query_string": request.url.query},
                    status_code=400 if error else 200)

    @app.get("/policies/{policy_id}", response_class=HTMLResponse, include_in_schema=False)
    def policy_page(request: Request, policy_id: RowId):
        policy = api.policy(policy_id, engine)
        with engine.connect() as connection:
            found = connection.execute(select(documents.c.id, documents.c.text, documents.c.format).where(
                documents.c.id.in_({s["document_id"] for s in policy["sources"]}))).all()
        texts = {i: (text, fmt) for i, text, fmt in found}
        sources = [{**s, "excerpt": highlighted(texts[s["document_id"]][0], s["evidence"],
                                                flow=texts[s["document_id"]][1] == "pdf")} for s in policy["sources"]]
        registry = agencies()
        return page(request, "policy.html", {"p": policy, "sources": sources,
                                             "issuers": [(i, registry[i].name_en if i in registry else i)
                                                         for i in policy["issuers"]]})

    @app.get("/documents/{document_id}", response_class=HTMLResponse, include_in_schema=False)
    def document_page(request: Request, document_id: RowId):
        found = api.document(document_id, engine)
        text = found["text"]
        records = [record_row(m, text) for m in found["mentions"]]
        items = [item_row(i, text) for i in found["items"]]
        shown = marked_text(text, found["mentions"], found["items"], flow=found["format"] == "pdf")
        return page(request, "document.html", {"d": found, "records": records, "items": items, "text": shown})

    @app.get("/policies", response_class=HTMLResponse, include_in_schema=False)
    def policies_page(request: Request, issuer: str = "", status: str = "", technology: str = "", date_from: str = "",
                      date_to: str = ""):
        wanted = {"issuer": issuer, "status": status, "technology": technology, "date_from": date_from,
                  "date_to": date_to}
        rows, error = [], None
        try:
            _check_filters(wanted)
            rows = api.policies(engine, **{k: v or None for k, v in wanted.items()})
        except PolicywatchError as exc:
            error = str(exc)
        for r in rows:
            r["issuer_names"] = [choices.issuer_label(i) for i in r["issuers"]]
        return page(request, "policies.html", {"rows": rows, "f": wanted, "error": error},
                    status_code=400 if error else 200)

    @app.get("/companies", response_class=HTMLResponse, include_in_schema=False)
    def companies_page(request: Request):
        return page(request, "entities.html", {"rows": api.entities("company", engine), "kind": "company",
                                               "heading": "Companies"})

    @app.get("/people", response_class=HTMLResponse, include_in_schema=False)
    def people_page(request: Request):
        return page(request, "entities.html", {"rows": api.entities("person", engine), "kind": "person",
                                               "heading": "People"})

    @app.get("/policies/by-mention/{mention_id}", include_in_schema=False)
    def policy_of_mention(mention_id: RowId):
        with engine.connect() as connection:
            policy_id = connection.execute(select(policy_mentions.c.policy_id)
                                           .where(policy_mentions.c.mention_id == mention_id)).scalar_one_or_none()
        if policy_id is None:
            raise PolicywatchError(f"mention {mention_id}: not in the database")
        return RedirectResponse(f"/policies/{policy_id}", status_code=303)

    @app.get("/watchlists/{name}.atom", tags=["watchlists"], summary="A watchlist's matches as an Atom feed",
             response_class=Response)
    def watchlist_feed(request: Request, name: Annotated[str, PathParam(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")]
                       ) -> Response:
        try:
            found = api.watchlist(name, engine)
        except PolicywatchError as exc:
            raise HTTPException(404, str(exc)) from None
        return Response(watchlist_atom(found, str(request.base_url)), media_type="application/atom+xml")

    @app.get("/agencies/{agency_id}", response_class=HTMLResponse, include_in_schema=False)
    def agency_page(request: Request, agency_id: str):
        agency = agencies().get(agency_id)
        if agency is None:
            raise PolicywatchError(f"agency {agency_id}: not in the registry")
        return page(request, "agency.html", {"a": agency, "policies": api.policies(engine, issuer=agency_id)})

    @app.get("/month/{month}", response_class=HTMLResponse, include_in_schema=False)
    def month_page(request: Request, month: str):
        if not re.fullmatch(MONTH[1:-1], month):
            raise PolicywatchError(f"month {month}: expected YYYY-MM")
        policies = api.policies(engine, date_from=month, date_to=month, include_implied=False)
        events = list_events(month, month, 200, 0)
        return page(request, "month.html", {"month": month, "policies": policies, "events": events})

    @app.get("/upload", response_class=HTMLResponse, include_in_schema=False)
    def upload_page(request: Request):
        return page(request, "upload.html", {"result": None, "supported": SUPPORTED})

    @app.post("/upload", response_class=HTMLResponse, include_in_schema=False)
    async def upload_form(request: Request, file: Annotated[UploadFile, File()], csrf: Annotated[str, Form()] = ""):
        if not csrf_ok(request, csrf):
            raise HTTPException(403, "the form has expired; reload the page")
        need_token(request)
        data = await _read_upload(file)
        result = api.ingest_bytes(engine, data, Path(file.filename or "upload").name)
        return page(request, "upload.html", {"result": result, "supported": SUPPORTED},
                    status_code=201 if result.status == "added" else 200)

    @app.get("/token", response_class=HTMLResponse, include_in_schema=False)
    def token_page(request: Request):
        return page(request, "token.html", {"error": None})

    @app.post("/token", include_in_schema=False)
    def token_form(request: Request, token: Annotated[str, Form(max_length=200)], csrf: Annotated[str, Form()] = ""):
        if not csrf_ok(request, csrf):
            raise HTTPException(403, "the form has expired; reload the page")
        from policywatch.store.tokens import token_valid

        if not token_valid(engine, token.strip()):
            return page(request, "token.html", {"error": "this token is not known"}, status_code=401)
        response = RedirectResponse("/upload", status_code=303)
        response.set_cookie(TOKEN_COOKIE, token.strip(), **cookie_options(request))
        return response

    @app.get("/healthz", response_class=PlainTextResponse, include_in_schema=False)
    def health() -> str:
        return "ok"

    return app
