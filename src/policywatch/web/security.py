"""Writes need a token; forms carry a CSRF token; every response forbids framing and foreign scripts."""

from __future__ import annotations

import hmac
import secrets

from fastapi import Request
from starlette.middleware.base import BaseHTTPMiddleware

from policywatch.store.tokens import token_valid

TOKEN_COOKIE = "pw_token"
CSRF_COOKIE = "pw_csrf"
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
