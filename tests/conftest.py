"""Shared fixtures: small documents the team wrote, written out in each format the readers accept."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
SHARED = ROOT.parent / "shared"

ENGLISH = (
    "The Ministry of Industry and Information Technology (MIIT) published a plan on March 3, 2023 "
    "to build 5G factories."
)
CHINESE = "工业和信息化部关于推进5G工厂建设的通知\n各省、自治区、直辖市工业和信息化主管部门：\n现印发。\n2023年3月3日\n"


def make_pdf(pages: list[str]) -> bytes:
    """A PDF with one page per string (Latin text only: fpdf2's core fonts)."""
    from fpdf import FPDF

    pdf = FPDF()
    for text in pages:
        pdf.add_page()
        pdf.set_font("Helvetica", size=12)
        pdf.multi_cell(0, 8, text)
    return bytes(pdf.output())


def make_encrypted_pdf(text: str) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf([text]))))
    writer.encrypt(user_password="secret", owner_password="owner")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def make_docx(paragraphs: list[tuple[str, str]]) -> bytes:
    """A DOCX from (style, text) pairs; style 'h1'/'h2' makes a heading, anything else a paragraph."""
    import docx

    document = docx.Document()
    for style, text in paragraphs:
        if style.startswith("h"):
            document.add_heading(text, level=int(style[1]))
        else:
            document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'test.db'}"
