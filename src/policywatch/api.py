"""The public Python API: ingest, list and show documents, extract, evaluate."""

from __future__ import annotations

import glob
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine

from policywatch.errors import PolicywatchError, ReadError
from policywatch.ingestion import engine_for, ingest_document, resolve, store
from policywatch.outcome import IngestResult
from policywatch.store import database

if TYPE_CHECKING:
    from policywatch.model import Document
    from policywatch.pipeline import Analysis
    from policywatch.store.search import Filters, Hit

# Readers, extractors, search and briefing are imported by the functions that use them: `policywatch documents
# list` and the watcher's alerts should not wait a second for every extractor to load.
_engine = engine_for  # ingest_document, store and resolve live in policywatch.ingestion, where the watcher calls them


def expand_paths(paths: Iterable[str | Path]) -> tuple[list[Path], list[IngestResult]]:
    """Files named, found in folders (recursively) or matched by globs; plus failures for missing paths."""
    from policywatch.read import is_supported
    from policywatch.read.address import is_sidecar

    files: list[Path] = []
    missing: list[IngestResult] = []
    for raw in paths:
        path = Path(raw).expanduser()
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.is_file() and is_supported(p)
                                and not any(part.startswith(".") for part in p.relative_to(path).parts)))
        elif path.exists():
            if not is_sidecar(path):  # a saved page's address (page.html.url) comes with its page
                files.append(path)
        elif matches := sorted(glob.glob(str(raw), recursive=True)):
            files.extend(Path(m) for m in matches if Path(m).is_file() and not is_sidecar(Path(m)))
        else:
            missing.append(IngestResult(str(raw), "failed", reason="no such file or folder"))
    unique = list(dict.fromkeys(files))
    return unique, missing


def ingest_file(engine: Engine, path: Path, max_bytes: int | None = None) -> IngestResult:
    """Read, analyse and store one file; a bad file gives a failed result, never an exception. ``max_bytes`` is the
    largest file read (None: the file_max_bytes setting of policywatch.limits)."""
    from policywatch.read import read_file

    try:
        document = read_file(path, max_bytes)
    except ReadError as exc:
        return IngestResult(str(path), "failed", reason=exc.reason)
    except Exception as exc:  # beyond the reader (language, title, date): still one line, and the batch goes on
        from policywatch.read import reason

        return IngestResult(str(path), "failed", reason=reason(exc))
    return ingest_document(engine, document)


def ingest_bytes(engine: Engine, data: bytes, name: str, max_bytes: int | None = None) -> IngestResult:
    """Ingest an uploaded file's bytes under its name (the name tells the format); resolves afterwards."""
    from policywatch.read import read_bytes

    try:
        document = read_bytes(data, name, max_bytes)
    except ReadError as exc:
        return IngestResult(name, "failed", reason=exc.reason)
    result = ingest_document(engine, document)
    if result.status == "added":
        resolve(engine)
    return result


def _analysed_on_dask(files: list[Path], address: Any, window: int = 64, max_bytes: int | None = None
                      ) -> Iterator[tuple[Document, Analysis] | IngestResult]:
    """Each file analysed on a Dask cluster (an address, or a Client); results come back in the order they finish,
    with at most ``window`` files in flight, so memory stays bounded."""
    from policywatch.stage import read_and_analyse_bytes

    try:
        from distributed import Client, as_completed
    except ImportError:
        raise PolicywatchError("--dask needs Dask: pip install 'policywatch[dask]'") from None
    try:
        client = address if isinstance(address, Client) else Client(address, timeout="20s")
    except (OSError, TimeoutError, ValueError) as exc:
        raise PolicywatchError(f"--dask {address}: cannot reach the scheduler ({exc.__class__.__name__})") from None
    try:
        pending = iter(files)
        running = as_completed()

        def submit() -> bool:
            path = next(pending, None)
            if path is None:
                return False
            try:
                data = path.read_bytes()
            except OSError as exc:
                running.add(client.submit(IngestResult, str(path), "failed", reason=exc.strerror or "cannot be read",
                                          pure=False))
                return True
            running.add(client.submit(read_and_analyse_bytes, str(path), data, max_bytes, pure=False))
            return True

        for _ in range(window):
            if not submit():
                break
        for future in running:
            yield future.result()
            future.release()
            submit()
    finally:
        if client is not address:
            client.close()


def _analysed(files: list[Path], workers: int, max_bytes: int | None = None
              ) -> Iterator[tuple[Document, Analysis] | IngestResult]:
    """Each file read and analysed, in order, in a pool of worker processes."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from functools import partial

    from policywatch.stage import read_and_analyse

    # spawn: workers start clean, without the parent's database connections and threads
    # workers run at a lower priority: the one writer is what the whole ingest waits for
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"), initializer=os.nice,
                             initargs=(5,)) as pool:
        chunks = max(1, min(16, len(files) // (workers * 8)))
        yield from pool.map(partial(read_and_analyse, limit=max_bytes), files, chunksize=chunks)


def ingest_files(engine: Engine, files: list[Path], progress: Callable[[IngestResult], None] | None = None,
                 workers: int = 1, dask: Any = None, max_bytes: int | None = None) -> list[IngestResult]:
    """Ingest files one transaction each, then resolve. Reading and extraction run here, in ``workers``
    processes, or on the Dask cluster at ``dask`` (an address or a Client); this process is the one writer.
    ``max_bytes`` is the largest file read, passed to every reader (None: the file_max_bytes setting)."""
    results = []
    if dask is not None:
        outcomes: Iterable[IngestResult] = (store(engine, analysed) for analysed in
                                            _analysed_on_dask(files, dask, max_bytes=max_bytes))
    elif workers <= 1 or len(files) < 2:  # alone, a file already stored is not analysed again
        outcomes = (ingest_file(engine, path, max_bytes) for path in files)
    else:  # workers cannot ask the database
        outcomes = (store(engine, analysed) for analysed in _analysed(files, workers, max_bytes))
    for result in outcomes:
        results.append(result)
        if progress:
            progress(result)
    if any(r.status == "added" for r in results):
        resolve(engine)
    return results


def ingest(paths: Iterable[str | Path], db: str | Engine | None = None,
           progress: Callable[[IngestResult], None] | None = None, workers: int = 1,
           dask: Any = None, max_bytes: int | None = None) -> list[IngestResult]:
    """Ingest files, folders and globs into the database; one transaction per document; files larger than
    ``max_bytes`` are refused (None: the file_max_bytes setting of policywatch.limits)."""
    engine = _engine(db)
    files, missing = expand_paths(paths)
    for result in missing:
        if progress:
            progress(result)
    return missing + ingest_files(engine, files, progress, workers, dask, max_bytes)


def policies(db: str | Engine | None = None, **filters: Any) -> list[dict[str, Any]]:
    """Resolved policies; filters: issuer, status, date_from, date_to, technology, include_implied."""
    from policywatch.store import policies as policy_store

    return policy_store.list_policies(_engine(db), **filters)


def policy(policy_id: int, db: str | Engine | None = None) -> dict[str, Any]:
    """One policy with its sources and evidence, relations and target history."""
    from policywatch.store import policies as policy_store

    return policy_store.get_policy(_engine(db), policy_id)


def merge_policies(first: int, second: int, db: str | Engine | None = None) -> int:
    """Merge two policies by hand (kept across re-ingest); returns the merged policy's id."""
    from policywatch.store import policies as policy_store

    return policy_store.merge_policies(_engine(db), first, second)


def split_policy(policy_id: int, mention_id: int, db: str | Engine | None = None) -> int:
    """Take one source out of a policy by hand (kept across re-ingest); returns its new policy's id."""
    from policywatch.store import policies as policy_store

    return policy_store.split_mention(_engine(db), policy_id, mention_id)


def review(db: str | Engine | None = None) -> list[dict[str, Any]]:
    """Policy pairs that look alike but were kept apart."""
    from policywatch.store import policies as policy_store

    return policy_store.review(_engine(db))


def entities(kind: str, db: str | Engine | None = None) -> list[dict[str, Any]]:
    """Companies ("company") or people ("person") grouped across documents."""
    from policywatch.store import policies as policy_store

    return policy_store.entities(_engine(db), kind)


def documents(db: str | Engine | None = None) -> list[dict[str, Any]]:
    """Stored documents (without text), oldest first."""
    engine = _engine(db)
    return database.list_documents(engine)


def document(document_id: int, db: str | Engine | None = None) -> dict[str, Any]:
    """One stored document with text, items and mentions; PolicywatchError when there is none."""
    engine = _engine(db)
    found = database.get_document(engine, document_id)
    if found is None:
        raise PolicywatchError(f"document {document_id}: not in the database")
    return found


def extract(path: str | Path) -> tuple[Document, Analysis]:
    """Read and analyse one file without a database: (Document, Analysis)."""
    from policywatch.pipeline import analyse
    from policywatch.read import read_file

    doc = read_file(path)
    return doc, analyse(doc)


def predictions(paths: Iterable[str | Path]) -> tuple[list[dict[str, Any]], list[IngestResult]]:
    """Extracted records of files and folders in the prediction format of the gold files; plus failures."""
    files, failed = expand_paths(paths)
    records: list[dict[str, Any]] = []
    for path in files:
        try:
            _, analysis = extract(path)
        except ReadError as exc:
            failed.append(IngestResult(str(path), "failed", reason=exc.reason))
            continue
        records += [m.prediction(str(path)) for _, m in analysis.mentions]
    return records, failed


def evaluate(gold: str | Path, corpus: str | Path) -> dict[str, Any]:
    """Extract every document of a gold file from ``corpus`` and score the records against the gold."""
    from policywatch import evaluate as evaluation

    gold_records = evaluation.load_jsonl(gold)
    names = sorted({g["doc"] for g in gold_records if g.get("kind") == "document"})
    missing = [n for n in names if not (Path(corpus) / n).is_file()]
    if missing:
        raise PolicywatchError(f"{Path(corpus) / missing[0]}: document of the gold file not found in the corpus")
    records, failed = predictions([Path(corpus) / n for n in names])
    if failed:
        raise PolicywatchError(f"{failed[0].source}: {failed[0].reason}")
    return evaluation.score(gold_records, records, corpus)


def search(query: str, db: str | Engine | None = None, filters: Filters | None = None, limit: int = 20,
           offset: int = 0, group_by_document: bool = False, exact: bool = False) -> list[Hit]:
    """Full-text search over documents, items and extracted records; see policywatch.store.search."""
    from policywatch.store.search import search as search_store

    return search_store(_engine(db), query, filters, limit, offset, group_by_document, exact)


def reindex(db: str | Engine | None = None, progress: Callable[[int, int], None] | None = None) -> int:
    """Rebuild the search index of every stored document (after extending the user dictionary); the count."""
    from policywatch.segmenter import reset
    from policywatch.store.search import reindex_all

    reset()
    with _engine(db).begin() as connection:
        return reindex_all(connection, progress)


def briefing(month: str, db: str | Engine | None = None, fmt: str = "md", top: int = 5, pin: list[int] | None = None,
             exclude: list[int] | None = None, template: Path | None = None,
             with_charts: bool = True, explain: bool = False,
             weights: Path | None = None) -> tuple[str | bytes, dict[str, str]]:
    """The month's briefing rendered as Markdown, HTML or PDF, and its charts (name -> SVG, the month in each
    name: issuers-2024-03); ``explain`` shows why each Top entry ranks where it does, ``weights`` is a ranking
    file (see briefing.ranking.weights_path). Without matplotlib (policywatch[briefing]) there are no charts."""
    from policywatch.briefing.compose import compose as compose_briefing
    from policywatch.briefing.ranking import weights_path
    from policywatch.briefing.render import render as render_briefing

    composed = compose_briefing(_engine(db), month, top, pin, exclude, weights=weights_path(weights), explain=explain)
    charts: dict[str, str] = {}
    if with_charts:
        from policywatch.briefing.charts import charts as make_charts

        try:
            charts = {f"{name}-{month}": svg for name, svg in make_charts(composed).items()}
        except ModuleNotFoundError as exc:
            if exc.name != "matplotlib" and not (exc.name or "").startswith("matplotlib."):
                raise
    return render_briefing(composed, fmt, template, charts), charts


def fit_briefing(db: str | Engine | None = None, top: int | None = None) -> Any:
    """Fit the Top ranking's weights to the team's past briefings in the archive (a ``briefing.fitting.Fit``)."""
    from policywatch.briefing.fitting import fit
    from policywatch.briefing.ranking import read_weights, weights_path

    return fit(_engine(db), top, read_weights(weights_path(None)))


def add_note(policy_id: int, text: str, author: str | None = None, db: str | Engine | None = None) -> int:
    """Store an analyst's note on a policy (shown as the comment in the briefing)."""
    from policywatch.store import notes as note_store

    return note_store.add_note(_engine(db), policy_id, text, author)


def create_token(name: str, db: str | Engine | None = None) -> str:
    """A new write token for the web API and pages (shown once)."""
    from policywatch.store import tokens as token_store

    return token_store.create_token(_engine(db), name)


# Watching sources and watchlists


def add_source(url: str, db: str | Engine | None = None, kind: str | None = None, every: str = "6h",
               name: str | None = None, follow: str | None = None) -> int:
    """Watch a page, a list page, a feed or a sitemap; returns its id."""
    from policywatch.store import watching

    return watching.add_source(_engine(db), url, kind, every, name, follow)


def sources(db: str | Engine | None = None) -> list[dict[str, Any]]:
    from policywatch.store import watching

    return watching.list_sources(_engine(db))


def source(key: str, db: str | Engine | None = None) -> dict[str, Any]:
    from policywatch.store import watching

    return watching.get_source(_engine(db), key)


def remove_source(key: str, db: str | Engine | None = None) -> str:
    from policywatch.store import watching

    return watching.remove_source(_engine(db), key)


def watch(db: str | Engine | None = None, every_source: bool = False, fetcher: Any = None,
          progress: Callable[[Any], None] | None = None) -> Any:
    """Fetch every due source once, then resolve, match watchlists and send alerts; a RunReport."""
    from policywatch.watch.runner import run_once

    return run_once(_engine(db), fetcher, every_source, progress=progress)


def add_watchlist(name: str, query: str, db: str | Engine | None = None, filters: Filters | None = None,
                  email: str | None = None, webhook: str | None = None) -> int:
    """Save a search whose new matches after each watch run are reported."""
    from policywatch.store import watchlists

    return watchlists.add_watchlist(_engine(db), name, query, filters, email, webhook)


def watchlists(db: str | Engine | None = None) -> list[dict[str, Any]]:
    from policywatch.store import watchlists as store

    return store.list_watchlists(_engine(db))


def watchlist(name: str, db: str | Engine | None = None, limit: int = 50) -> dict[str, Any]:
    from policywatch.store import watchlists as store

    return store.get_watchlist(_engine(db), name, limit)


def remove_watchlist(name: str, db: str | Engine | None = None) -> None:
    from policywatch.store import watchlists as store

    store.remove_watchlist(_engine(db), name)
