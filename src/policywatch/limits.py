"""Bounds on what one fetch, one file or one request may cost, so that a hostile site or file cannot exhaust a
server. Each bound is a named setting with a safe default, overridden by the environment variable
POLICYWATCH_<NAME> (upper case), e.g. POLICYWATCH_FETCH_DEADLINE=30.

=====================  =========  ==================================================================================
setting                default    what it bounds
=====================  =========  ==================================================================================
fetch_max_bytes        50 MB      decoded bytes of one fetched response (the cap applies after decompression)
fetch_deadline         60 s       one request from its start to its last byte, redirects and retries excluded
fetch_timeout          20 s       silence while connecting or between two reads
max_redirects          5          redirect hops followed for one fetch (each hop checked against the fetch policy)
retry_after_max        120 s      the longest Retry-After (429, 503) waited for; a longer one fails this run
crawl_delay_max        60 s       the longest robots.txt Crawl-delay honoured between two requests to a host
pages_per_source       200        fetches (notices and attachments) of one source in one watch run
lease_seconds          900 s      how long a watcher holds a source; renewed while a long run goes on
zip_members            5000       members of a DOCX, XLSX or ODF file
zip_member_bytes       64 MB      the uncompressed size of one member
zip_total_bytes        256 MB     the uncompressed size of all members together
zip_ratio              200        uncompressed / compressed size of one member larger than 1 MB (a zip bomb's is ~1000)
html_depth             400        element nesting of an HTML page read as a file
file_max_bytes         10 MB      one file read by `ingest` or an upload (also POLICYWATCH_MAX_MB, in MB; `--max-size`)
=====================  =========  ==================================================================================
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """The bounds in force (see the module's table)."""

    fetch_max_bytes: int = 50 * MB
    fetch_deadline: float = 60.0
    fetch_timeout: float = 20.0
    max_redirects: int = 5
    retry_after_max: float = 120.0
    crawl_delay_max: float = 60.0
    pages_per_source: int = 200
    lease_seconds: int = 900
    zip_members: int = 5000
    zip_member_bytes: int = 64 * MB
    zip_total_bytes: int = 256 * MB
    zip_ratio: int = 200
    html_depth: int = 400
    file_max_bytes: int = 10 * MB


def current() -> Limits:
    """The limits, each from POLICYWATCH_<NAME> when set to a number, else its default."""
    values: dict[str, float | int] = {}
    for field in fields(Limits):
        raw = os.environ.get(f"POLICYWATCH_{field.name.upper()}")
        if field.name == "file_max_bytes" and raw is None and (megabytes := os.environ.get("POLICYWATCH_MAX_MB")):
            raw = _in_bytes(megabytes)  # the setting users know, in megabytes
        if raw is None:
            continue
        try:
            number = float(raw)
        except ValueError:
            continue  # an unreadable setting keeps the safe default
        if number > 0:
            values[field.name] = int(number) if field.type == "int" else number
    return Limits(**values)  # type: ignore[arg-type]


def _in_bytes(megabytes: str) -> str | None:
    """A number of megabytes as bytes (None when it is not a number)."""
    try:
        return str(float(megabytes) * MB)
    except ValueError:
        return None
