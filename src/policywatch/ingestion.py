"""Storing analysed documents and resolving them into policies: what the api and the watcher both call.

policywatch.api re-exports these; the watcher imports them from here, below the api, so that the api can call
the watcher without an import circle."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import Engine

from policywatch.outcome import IngestResult
from policywatch.store import database

if TYPE_CHECKING:  # the pipeline loads every extractor: imported when a document is analysed, not before
    from policywatch.model import Document
    from policywatch.pipeline import Analysis


def engine_for(db: str | Engine | None) -> Engine:
    """The engine itself, or one connected to a URL or path (None: the default database)."""
    return db if isinstance(db, Engine) else database.connect(db)


def ingest_document(engine: Engine, document: Document) -> IngestResult:
    """Analyse and store a Document read already (skipped when its bytes are stored)."""
    with engine.connect() as connection:
        if (existing := database.find_document_id(connection, document.sha256)) is not None:
            return IngestResult(document.source, "present", existing)
    from policywatch.stage import analyse_safely

    return store(engine, analyse_safely(document))


def store(engine: Engine, analysed: tuple[Document, Analysis] | IngestResult) -> IngestResult:
    """Write one analysed document in its own transaction (or pass a failure on)."""
    if isinstance(analysed, IngestResult):
        return analysed
    document, analysis = analysed
    if analysis.title:
        document = document.model_copy(update={"title": analysis.title})
    saved = database.save_document(engine, document, analysis.layout, analysis.items, analysis.mentions,
                                   analysis.words)
    return IngestResult(document.source, "added" if saved.added else "present", saved.document_id,
                        mentions=len(analysis.mentions) if saved.added else 0)


def resolve(db: str | Engine | None = None, full: bool = False) -> dict[str, int]:
    """Resolve the mentions stored since the last resolution, with those they join (manual decisions kept);
    ``full`` rebuilds every policy and relation from every mention."""
    from policywatch.store import resolution

    engine = engine_for(db)

    def run() -> dict[str, int]:
        with engine.begin() as connection:
            return resolution.resolve_store(connection, full=full)

    return database.retrying(run)
