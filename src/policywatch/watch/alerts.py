"""Alerts for a watchlist's new matches: one e-mail digest per run (SMTP, STARTTLS, credentials from the
environment) and a JSON webhook whose body is signed with HMAC-SHA256."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

from policywatch.shorten import shorten

SIGNATURE_HEADER = "X-Policywatch-Signature"


@dataclass(frozen=True)
class SmtpSettings:
    """Where digests are sent from: POLICYWATCH_SMTP_HOST, _PORT, _USER, _PASSWORD, _FROM, _STARTTLS (1 or 0),
    _CAFILE (a CA bundle for a server with its own certificate)."""

    host: str
    port: int = 587
    user: str | None = None
    password: str | None = None
    sender: str = "policywatch@localhost"
    starttls: bool = True
    cafile: str | None = None

    @classmethod
    def from_environment(cls) -> SmtpSettings | None:
        env = os.environ
        if not env.get("POLICYWATCH_SMTP_HOST"):
            return None
        return cls(env["POLICYWATCH_SMTP_HOST"], int(env.get("POLICYWATCH_SMTP_PORT", "587")),
                   env.get("POLICYWATCH_SMTP_USER"), env.get("POLICYWATCH_SMTP_PASSWORD"),
                   env.get("POLICYWATCH_SMTP_FROM", "policywatch@localhost"),
                   env.get("POLICYWATCH_SMTP_STARTTLS", "1") != "0", env.get("POLICYWATCH_SMTP_CAFILE"))


def digest_text(payload: dict[str, Any]) -> str:
    """The e-mail body: one paragraph per match, with where it was found."""
    lines = [f"{len(payload['matches'])} new matches for the watchlist '{payload['watchlist']}' "
             f"(query: {payload['query']})", ""]
    for match in payload["matches"]:
        lines += [f"- {match['title'] or '(untitled)'} [{match['kind']}]", f"  {shorten(match['snippet'], 300)}",
                  f"  source: {match['source']} (document {match['document_id']})", ""]
    return "\n".join(lines)


def send_email(settings: SmtpSettings, to: str, payload: dict[str, Any], timeout: float = 30.0) -> None:
    """Send one digest; raises OSError or smtplib.SMTPException when the server refuses or cannot be reached."""
    message = EmailMessage()
    message["Subject"] = f"policywatch: {len(payload['matches'])} new for {payload['watchlist']}"
    message["From"] = settings.sender
    message["To"] = to
    message.set_content(digest_text(payload))
    with smtplib.SMTP(settings.host, settings.port, timeout=timeout) as smtp:
        if settings.starttls:
            smtp.starttls(context=ssl.create_default_context(cafile=settings.cafile))
        if settings.user:
            smtp.login(settings.user, settings.password or "")
        smtp.send_message(message)


def signature(secret: str, body: bytes) -> str:
    """The signature header's value: sha256=<hex HMAC of the body>."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def send_webhook(url: str, payload: dict[str, Any], secret: str | None, timeout: float = 30.0) -> None:
    """POST the matches as JSON, signed with POLICYWATCH_WEBHOOK_SECRET; raises on a refusal or an error status."""
    import httpx

    body = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8")
    headers = {"Content-Type": "application/json"}
    if secret:
        headers[SIGNATURE_HEADER] = signature(secret, body)
    response = httpx.post(url, content=body, headers=headers, timeout=timeout)
    response.raise_for_status()
