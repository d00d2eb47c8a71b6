"""What happened to one input file, in a module of its own: the CLI, the api and the workers all report it, and
importing it must not load the readers or the database."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Status = Literal["added", "present", "failed"]


@dataclass(frozen=True)
class IngestResult:
    """What happened to one input file."""

    source: str
    status: Status
    document_id: int | None = None
    reason: str | None = None
    mentions: int = 0
