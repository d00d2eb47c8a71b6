"""Writes need a token; forms carry a CSRF token; every response forbids framing and foreign scripts.

Every write (POST, PUT, PATCH, DELETE) passes ``WriteGuard`` before its body is read: a body larger than the
upload limit (by its Content-Length) is refused with 413, a write without a valid token with 401, and a write
authenticated by the token COOKIE (not an Authorization header) must come from the site's own pages: its Origin
(or Referer) must name this host, else 403. A 2 GB upload without a token is therefore never written to disk."""

from __future__ import annotations

import hmac
import json
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import urlsplit

from fastapi import Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.middleware.base import BaseHTTPMiddleware

from policywatch.store.tokens import token_valid

TOKEN_COOKIE = "pw_token"
CSRF_COOKIE = "pw_csrf"
CSRF_HEADER = "x-csrf-token"
WRITES = {"POST", "PUT", "PATCH", "DELETE"}
OPEN_WRITES = {"/token"}  # the sign-in form: it checks the token it is given, and its own CSRF field
MULTIPART_SLACK = 64 * 1024  # a form's boundaries and fields around the uploaded file
HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                               "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


class SecurityHeaders(BaseHTTPMiddleware):
    """Adds the security headers to every response."""

    async def dispatch(self, request: Request, call_next):
        response = await call_next(request)
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        return response


def bearer(request: Request) -> str | None:
    """The token of an API call's Authorization header."""
    header = request.headers.get("authorization", "")
    return header[7:].strip() if header.lower().startswith("bearer ") else None


def may_write(request: Request) -> bool:
    """Whether the request carries a valid write token (header for the API, cookie for the pages)."""
    engine = request.app.state.engine
    return token_valid(engine, bearer(request)) or token_valid(engine, request.cookies.get(TOKEN_COOKIE))


def csrf_token(request: Request) -> str:
    """The CSRF token of this browser (from its cookie, or a new one the response must set)."""
    return request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(24)


def csrf_ok(request: Request, submitted: str | None) -> bool:
    """A form's hidden CSRF field must equal the browser's CSRF cookie."""
    cookie = request.cookies.get(CSRF_COOKIE)
    return bool(cookie and submitted and hmac.compare_digest(cookie, submitted))


def exposure_warning(engine: Any, host: str) -> str | None:
    """A warning when the server listens beyond loopback while no write token exists (anyone who can reach it reads
    everything, and nobody can write: probably not what was meant)."""
    import ipaddress

    from sqlalchemy import select

    from policywatch.store.schema import api_tokens

    try:
        loopback = host == "localhost" or ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        loopback = False
    if loopback:
        return None
    with engine.connect() as connection:
        if connection.execute(select(api_tokens.c.id).limit(1)).first() is not None:
            return None
    return (f"warning: serving on {host}, beyond this machine, and no write token exists: everything stored is "
            "readable by anyone who reaches the port. Create a token (policywatch token create) and put the server "
            "behind HTTPS.")


def is_https(request: Request) -> bool:
    """Whether the browser reached us over HTTPS: directly, or through a proxy that says so (X-Forwarded-Proto)."""
    forwarded = request.headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
    return request.url.scheme == "https" or forwarded == "https"


def cookie_options(request: Request) -> dict[str, Any]:
    """How policywatch sets its cookies: HttpOnly, SameSite=Strict, and Secure whenever served over HTTPS."""
    return {"httponly": True, "samesite": "strict", "secure": is_https(request)}


Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]


def same_site(headers: Headers, cookies: dict[str, str]) -> bool:
    """Whether a cookie-authenticated write comes from this site: its Origin (or, without one, its Referer) names
    the Host it was sent to, or it carries the CSRF cookie's value in the X-CSRF-Token header."""
    submitted, cookie = headers.get(CSRF_HEADER), cookies.get(CSRF_COOKIE)
    if submitted and cookie and hmac.compare_digest(submitted, cookie):
        return True
    source = headers.get("origin") or headers.get("referer")
    if not source or source == "null":
        return False
    host = headers.get("x-forwarded-host") or headers.get("host") or ""
    return urlsplit(source).netloc.lower() == host.split(",")[0].strip().lower()


class WriteGuard:
    """Size, token and origin of every write checked from its headers, before its body is read (pure ASGI, so
    nothing upstream reads the body first)."""

    def __init__(self, app: Callable[[Scope, Receive, Send], Awaitable[None]], max_body: Callable[[], int]) -> None:
        self.app, self.max_body = app, max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in WRITES:
            return await self.app(scope, receive, send)
        headers = Headers(scope=scope)
        refusal = await self.refusal(scope, headers)
        if refusal is None:
            return await self.app(scope, receive, send)
        status, detail = refusal
        body = json.dumps({"detail": detail}).encode()
        extra = [(b"www-authenticate", b"Bearer")] if status == 401 else []
        # the body is never read: close the connection rather than drain what the client still sends
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close"), *extra]})
        await send({"type": "http.response.body", "body": body})

    async def refusal(self, scope: Scope, headers: Headers) -> tuple[int, str] | None:
        """(status, reason) when the write is refused, from its headers alone."""
        length = headers.get("content-length")
        limit = self.max_body() + MULTIPART_SLACK
        if length is None and headers.get("transfer-encoding"):
            return 411, "a write needs a Content-Length"
        if length is not None and (not length.isdigit() or int(length) > limit):
            return 413, f"the body is larger than the limit of {self.max_body() // (1024 * 1024)} MB"
        if scope["path"] in OPEN_WRITES:
            return None
        request = Request(scope)
        engine = scope["app"].state.engine
        token = bearer(request)
        if token is not None:
            valid = await run_in_threadpool(token_valid, engine, token)
            return None if valid else (401, "this write token is not known (policywatch token create)")
        cookie = request.cookies.get(TOKEN_COOKIE)
        if not cookie or not await run_in_threadpool(token_valid, engine, cookie):
            return 401, "a write token is needed (policywatch token create)"
        # the API's cookie writes need a same-site Origin; page forms carry their own CSRF field, but a foreign
        # Origin is refused there too
        api_write = scope["path"].startswith("/api/")
        foreign = bool(headers.get("origin")) and not same_site(headers, request.cookies)
        if foreign or (api_write and not same_site(headers, request.cookies)):
            return 403, "a write signed in by cookie must come from this site's own pages (Origin refused)"
        return None
