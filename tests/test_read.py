"""Readers: every format and encoding decodes to the right text, metadata and language; bad files fail clearly."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from policywatch.errors import ReadError
from policywatch.read import read_bytes, read_file
from policywatch.read.language import detect_language
from tests.conftest import CHINESE, ENGLISH, EXAMPLES, make_docx, make_encrypted_pdf, make_pdf


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "gb18030", "gbk", "big5"])
def test_chinese_text_decodes_in_every_common_encoding(encoding: str) -> None:
    text = CHINESE if encoding != "big5" else "經濟部關於推動半導體產業發展的公告\n中華民國一一二年三月三日\n"
    doc = read_bytes(text.encode(encoding), "notice.txt")
    assert doc.text == text
    assert doc.language == "zh"


def test_gb18030_file_published_date_from_closing_line() -> None:
    doc = read_bytes(CHINESE.encode("gb18030"), "notice.txt")
    assert doc.encoding == "gb18030"
    assert doc.published == "2023-03-03"


def test_crlf_is_read_like_python_text_mode(tmp_path: Path) -> None:
    path = tmp_path / "brief.txt"
    path.write_bytes(b"line one\r\nline two\r\n")
    assert read_file(path).text == path.read_text(encoding="utf-8")


def test_same_bytes_same_sha256_under_any_name() -> None:
    data = ENGLISH.encode()
    assert read_bytes(data, "a.txt").sha256 == read_bytes(data, "b.md").sha256


def test_markdown_title_and_header_date() -> None:
    doc = read_bytes(b"MARCH 3, 2023\n\n# Monthly Tech Briefing\n\nBody.\n", "brief.md")
    assert doc.format == "md"
    assert doc.title == "Monthly Tech Briefing"
    assert doc.published == "2023-03-03"


def test_html_keeps_main_text_and_drops_menus() -> None:
    html = ("<html><head><title>Site</title><meta name='pubdate' content='2023-03-03'></head><body>"
            "<nav>Home | About</nav><main><h2>MIIT plan</h2><p>" + ENGLISH + "</p><ul><li>one</li></ul></main>"
            "<footer>Copyright</footer><script>var x = 1;</script></body></html>").encode()
    doc = read_bytes(html, "page.html")
    assert "## MIIT plan" in doc.text and ENGLISH in doc.text and "- one" in doc.text
    assert "Home" not in doc.text and "Copyright" not in doc.text and "var x" not in doc.text
    assert doc.published == "2023-03-03"
    assert doc.title == "Site"


def test_html_declared_gbk_charset() -> None:
    html = ("<html><head><meta charset='gbk'></head><body><p>" + CHINESE + "</p></body></html>").encode("gbk")
    assert "推进5G工厂建设" in read_bytes(html, "page.htm").text


def test_pdf_pages_are_offsets_into_the_text() -> None:
    doc = read_bytes(make_pdf(["First page about MIIT.", "Second page about NDRC."]), "brief.pdf")
    assert doc.format == "pdf" and len(doc.pages) == 2
    assert doc.text[doc.pages[1]:].startswith("Second page")
    assert "First page" in doc.text[doc.pages[0]:doc.pages[1]]


def test_docx_headings_become_markdown_marks() -> None:
    doc = read_bytes(make_docx([("h1", "Semiconductor note"), ("p", ENGLISH)]), "note.docx")
    assert doc.text.startswith("# Semiconductor note\n")
    assert ENGLISH in doc.text
    assert doc.language == "en"


@pytest.mark.parametrize(("name", "data", "reason"), [
    ("empty.txt", b"  \n", "empty file"),
    ("broken.pdf", b"%PDF-1.4\n1 0 obj garbage", "corrupt PDF"),
    ("fake.pdf", b"this is not a pdf at all", "not a PDF"),
    ("broken.docx", b"PK\x03\x04 not really a zip", "corrupt DOCX"),
    ("blob.txt", bytes(range(256)) * 8, "binary data"),
    ("slides.pptx", b"data", "unsupported file type"),
], ids=["empty", "corrupt-pdf", "not-pdf", "corrupt-docx", "binary", "unsupported"])
def test_bad_files_fail_with_a_reason(name: str, data: bytes, reason: str) -> None:
    with pytest.raises(ReadError) as caught:
        read_bytes(data, name)
    assert caught.value.source == name
    assert reason in caught.value.reason


def test_encrypted_pdf_is_reported() -> None:
    with pytest.raises(ReadError, match="encrypted PDF"):
        read_bytes(make_encrypted_pdf("secret plan"), "locked.pdf")


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match="no such file"):
        read_file(tmp_path / "nothing.txt")


@pytest.mark.parametrize(("text", "language"), [
    (ENGLISH, "en"), (CHINESE, "zh"),
    ("工业和信息化部 MIIT published the 5G plan 关于推进5G工厂建设的通知 on Friday", "mixed"),
])
def test_language(text: str, language: str) -> None:
    assert detect_language(text) == language


def test_every_example_reads() -> None:
    docs = [read_file(p) for p in sorted(EXAMPLES.iterdir()) if p.suffix in {".md", ".txt", ".html", ".pdf", ".docx"}]
    assert {d.format for d in docs} == {"md", "txt", "html", "pdf", "docx"}
    notice = next(d for d in docs if d.format == "txt")
    assert notice.encoding == "gb18030" and notice.language == "zh"
    assert codecs.lookup(notice.encoding).name == "gb18030"
