"""DOCX: paragraphs and tables in reading order; heading styles kept as Markdown marks."""

from __future__ import annotations

import io
import re
import zipfile

import docx
from docx.document import Document as DocxDocument
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table
from docx.text.paragraph import Paragraph

from policywatch.read.archive import check_zip
from policywatch.read.text import Decoded, normalise_newlines


def _blocks(document: DocxDocument) -> list[str]:
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            text = block.text.strip()
            style = (block.style.name if block.style is not None else "") or ""
            level = re.match(r"Heading (\d)", style)
            if level and text:
                text = "#" * int(level.group(1)) + " " + text
            elif style.startswith("List") and text:
                text = "- " + text
            lines.append(text)
        elif isinstance(block, Table):
            for row in block.rows:
                lines.append(" | ".join(cell.text.strip() for cell in row.cells))
            lines.append("")
    return lines


def read(data: bytes) -> Decoded:
    """Extract the text of a Word document (its zip parts checked against the limits first)."""
    check_zip(data, "DOCX")
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError) as exc:
        raise ValueError(f"corrupt DOCX ({exc.__class__.__name__})") from None
    text = normalise_newlines("\n".join(_blocks(document)).strip() + "\n")
    # core_properties.created is when the file was made (often a template's date), not publication.
    return Decoded(text, None, title=document.core_properties.title or None)
