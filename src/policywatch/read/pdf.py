"""PDF: the text layer, one page after another, page starts kept as offsets."""

from __future__ import annotations

import io
import logging

from pypdf import PdfReader
from pypdf.errors import FileNotDecryptedError, PdfReadError, PdfStreamError

from policywatch.read.text import Decoded, normalise_newlines

PAGE_BREAK = "\f"


def read(data: bytes) -> Decoded:
    """Extract the text layer of a PDF; pages are separated by a form feed."""
    if not data.lstrip().startswith(b"%PDF"):
        raise ValueError("not a PDF file (no %PDF header)")
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ValueError("encrypted PDF (needs a password)")
        pages: list[int] = []
        parts: list[str] = []
        offset = 0
        for page in reader.pages:
            chunk = normalise_newlines(page.extract_text() or "")
            pages.append(offset)
            parts.append(chunk + PAGE_BREAK)
            offset += len(chunk) + len(PAGE_BREAK)
        meta = reader.metadata
    except FileNotDecryptedError:
        raise ValueError("encrypted PDF (needs a password)") from None
    except (PdfReadError, PdfStreamError, KeyError, TypeError, AttributeError) as exc:
        raise ValueError(f"corrupt PDF ({exc.__class__.__name__})") from None
    text = "".join(parts)
    if not text.strip():
        from policywatch.read import ocr

        return ocr.read_pdf(data)
    title = meta.title if meta and meta.title else None
    published = None
    if meta and meta.creation_date:
        published = meta.creation_date.date().isoformat()
    return Decoded(text, None, title=title, published=published, pages=pages)
