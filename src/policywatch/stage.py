"""What a worker runs: one file read and analysed, or the reason it could not be. Kept apart from the API so
that a worker process imports only reading, extraction and the rows a document becomes, not the database, search
and briefing."""

from __future__ import annotations

from pathlib import Path

from policywatch.errors import ReadError
from policywatch.model import Document
from policywatch.outcome import IngestResult, Status  # noqa: F401 (stage.IngestResult is the name workers knew)
from policywatch.pipeline import Analysis, analyse
from policywatch.read import read_bytes, read_file
from policywatch.store.rows import search_words


def analyse_safely(document: Document) -> tuple[Document, Analysis] | IngestResult:
    """The document analysed (with its search texts cut into words, so that the writer need not), or a failed
    result naming the error: a bug on one file must not stop a batch."""
    try:
        analysis = analyse(document)
        analysis.words = search_words(document, analysis)
        return document, analysis
    except Exception as exc:  # the file is reported, not stored
        return IngestResult(document.source, "failed", reason=f"extraction failed ({exc.__class__.__name__}: {exc}); "
                                                               "please report this file")


def read_and_analyse(path: Path, limit: int | None = None) -> tuple[Document, Analysis] | IngestResult:
    """The per-document stages, reading to extraction, as one pure function of a file: what a worker runs.
    ``limit`` is the largest file read, in bytes (None: the file_max_bytes setting)."""
    try:
        document = read_file(path, limit)
    except ReadError as exc:
        return IngestResult(str(path), "failed", reason=exc.reason)
    return analyse_safely(document)


def read_and_analyse_bytes(name: str, data: bytes, limit: int | None = None
                           ) -> tuple[Document, Analysis] | IngestResult:
    """The per-document stages on a file's bytes (a worker elsewhere need not see the file system)."""
    try:
        document = read_bytes(data, name, limit)
    except ReadError as exc:
        return IngestResult(name, "failed", reason=exc.reason)
    return analyse_safely(document)
