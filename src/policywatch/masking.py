"""Secrets kept out of what is printed, logged or stored as text: the user:password@ of an address, the values of
query parameters named like credentials, and bearer tokens."""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

MASK = "***"
SECRET_PARAM = re.compile(r"(?i)([?&](?:token|access_token|api_key|apikey|key|secret|password|passwd|sig|signature)=)"
                          r"[^&#\s]+")
USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/\s@:]*(?::[^/\s@]*)?@")
BEARER = re.compile(r"(?i)\b(bearer\s+)[A-Za-z0-9._~+/=-]{8,}")


def mask_url(url: str) -> str:
    """The address with its user:password and credential-like query values replaced by ***."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return mask(url)
    netloc = parts.netloc
    if "@" in netloc:
        netloc = f"{MASK}@{netloc.rsplit('@', 1)[1]}"
    masked = urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
    return SECRET_PARAM.sub(rf"\1{MASK}", masked)


def mask(text: str) -> str:
    """A message with every address's credentials and every bearer token masked."""
    text = USERINFO.sub(rf"\1{MASK}@", text)
    text = SECRET_PARAM.sub(rf"\1{MASK}", text)
    return BEARER.sub(rf"\1{MASK}", text)
