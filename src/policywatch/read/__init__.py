"""Readers: one module per format, each turning bytes into text with stable offsets."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from policywatch.errors import ReadError
from policywatch.model import Document
from policywatch.read import docx, html, ocr, office, pdf, text
from policywatch.read.language import detect_language
from policywatch.read.metadata import address_date, find_published, find_title, sidecar_address

# Each reader returns (text, extra metadata) or raises ReadError's reason as ValueError.
Reader = Callable[[bytes], "text.Decoded"]

READERS: dict[str, tuple[str, Reader]] = {
    ".txt": ("txt", text.read),
    ".text": ("txt", text.read),
    ".md": ("md", text.read),
    ".markdown": ("md", text.read),
    ".html": ("html", html.read),
    ".htm": ("html", html.read),
    ".pdf": ("pdf", pdf.read),
    ".docx": ("docx", docx.read),
    ".doc": ("doc", office.read),
    ".wps": ("wps", lambda data: office.read(data, ".wps")),
    ".xlsx": ("xlsx", office.read_sheet),
    ".xls": ("xls", lambda data: office.read_sheet(data, ".xls")),
    ".png": ("image", ocr.read_image),
    ".jpg": ("image", ocr.read_image),
    ".jpeg": ("image", ocr.read_image),
    ".tif": ("image", ocr.read_image),
    ".tiff": ("image", ocr.read_image),
}

SUPPORTED = tuple(sorted(READERS))
MB = 1024 * 1024


def max_bytes() -> int:
    """The largest file policywatch reads unless a caller passes its own limit: the named setting file_max_bytes
    (10 MB, or POLICYWATCH_MAX_MB megabytes; see policywatch.limits)."""
    from policywatch.limits import current

    return current().file_max_bytes


def _too_large(source: str, size: int, limit: int) -> ReadError:
    return ReadError(source, f"{size / MB:.1f} MB is larger than the limit of {limit / MB:g} MB "
                             "(raise it with --max-size or POLICYWATCH_MAX_MB)")


def reason(exc: BaseException) -> str:
    """A reader's exception as a one-line reason: its own message for ValueError, else what went wrong by class."""
    if isinstance(exc, ValueError) and not exc.__class__.__module__.startswith(("lxml", "PIL", "zipfile")):
        text = str(exc)
    elif isinstance(exc, RecursionError):
        text = "nested too deeply to read (RecursionError)"
    elif isinstance(exc, MemoryError):
        text = "too large to read in memory (MemoryError)"
    else:
        kind = exc.__class__.__name__
        detail = str(exc).strip().splitlines()
        text = f"unreadable file ({kind}: {detail[0][:200]})" if detail else f"unreadable file ({kind})"
    lines = text.strip().splitlines()
    return lines[0] if lines else exc.__class__.__name__


def is_supported(path: Path) -> bool:
    """True when a reader exists for the file's extension."""
    return path.suffix.lower() in READERS


def read_bytes(data: bytes, source: str, limit: int | None = None, address: str | None = None) -> Document:
    """Decode the bytes of a file named ``source`` into a Document; ReadError above the size limit. A saved page's
    web ``address``, where known, is recorded as its source (as the watcher records a page it fetched) and dates it
    when its text does not."""
    limit = limit or max_bytes()
    if len(data) > limit:
        raise _too_large(source, len(data), limit)
    suffix = Path(source).suffix.lower()
    if suffix not in READERS:
        raise ReadError(source, f"unsupported file type '{suffix or '(none)'}' (supported: {', '.join(SUPPORTED)})")
    if not data.strip():
        raise ReadError(source, "empty file")
    fmt, reader = READERS[suffix]
    try:
        decoded = reader(data)
    except Exception as exc:  # whatever a reader or its library raises is one line, never a traceback
        raise ReadError(source, reason(exc)) from None
    if not decoded.text.strip():
        raise ReadError(source, "no text found in the file")
    return Document(
        sha256=hashlib.sha256(data).hexdigest(),
        source=address or source,
        format=fmt,
        text=decoded.text,
        language=detect_language(decoded.text),
        encoding=decoded.encoding,
        title=decoded.title or find_title(decoded.text),
        published=find_published(decoded.text) or decoded.published or address_date(address),
        pages=decoded.pages,
        ocr_confidence=decoded.ocr_confidence,
    )


def read_file(path: str | Path, limit: int | None = None, address: str | None = None) -> Document:
    """Read one file from disk into a Document; raises ReadError with a one-line reason. The page's web address is
    ``address``, else the one its sidecar ``<file>.url`` names (see metadata.sidecar_address)."""
    path = Path(path)
    limit = limit or max_bytes()
    try:
        if path.is_file() and path.stat().st_size > limit:  # refused before it is read into memory
            raise _too_large(str(path), path.stat().st_size, limit)
        data = path.read_bytes()
    except IsADirectoryError:
        raise ReadError(str(path), "is a directory") from None
    except FileNotFoundError:
        raise ReadError(str(path), "no such file") from None
    except PermissionError:
        raise ReadError(str(path), "permission denied") from None
    except OSError as exc:
        raise ReadError(str(path), exc.strerror or "cannot be read") from None
    return read_bytes(data, str(path), limit, address or sidecar_address(path))
