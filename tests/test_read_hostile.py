"""Hostile files in one batch: each bad file is one `file: reason` line, the good files around them are ingested,
the exit code says something failed, and no traceback is printed; zip bombs are refused before any parser runs."""

from __future__ import annotations

import io
import resource
import time
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from policywatch import api
from policywatch.cli import app
from policywatch.errors import ReadError
from policywatch.read import read_bytes
from policywatch.read.archive import check_zip
from policywatch.read.nesting import depth
from tests.conftest import make_docx

MB = 1024 * 1024
GOOD_TEXT = ("工业和信息化部关于印发《工业数据分类分级指南》的通知\n\n各省、自治区工业和信息化主管部门：\n"
             "现将《工业数据分类分级指南》印发给你们。（policywatch 团队为测试编写）\n")


def zeros_docx(size: int) -> bytes:
    """A DOCX whose document part inflates to ``size`` bytes of zeros, written as a stream (never held whole)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            block = b"\0" * MB
            for _ in range(size // MB):
                part.write(block)
    return buffer.getvalue()


def bad_xml_docx() -> bytes:
    """A real DOCX whose document part is cut in the middle of its XML (lxml's XMLSyntaxError)."""
    source = zipfile.ZipFile(io.BytesIO(make_docx([("p", "试点申报指南")])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            data = source.read(item.filename)
            archive.writestr(item, data[: len(data) // 2] if item.filename == "word/document.xml" else data)
    return buffer.getvalue()


pytestmark = pytest.mark.usefixtures("default_limits")  # the limits' defaults, whatever ran before


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return zeros_docx(1024 * MB)  # 1 GB of zeros in about 5 MB


def test_zip_bomb_is_refused_before_parsing(bomb: bytes) -> None:
    assert len(bomb) < 10 * MB
    started, before = time.monotonic(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(ReadError, match=r"inflates to 1024 MB, more than the limit"):
        read_bytes(bomb, "bomb.docx", limit=10 * MB)  # the 10 MB file limit given, so only the zip check can refuse
    assert time.monotonic() - started < 10  # generous for a loaded machine; the memory check shows nothing inflated
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 100 * 1024  # KB: nothing inflated


def test_ratio_limit_catches_a_member_under_the_size_limit() -> None:
    with pytest.raises(ValueError, match=r"inflates \d+ times \(a zip bomb\?\)"):
        check_zip(zeros_docx(20 * MB), "DOCX")
    check_zip(make_docx([("p", "试点申报指南")]), "DOCX")  # a real document passes


def test_depth_scan_skips_elements_without_end_tags() -> None:
    assert depth("<html><body>" + "<p>one<br>two<li>three" * 500 + "<div><span>x</span></div></body></html>") == 4
    assert depth("<div>" * 1000 + "</div>" * 1000) == 1000


def test_every_hostile_file_is_one_line_and_the_batch_goes_on(tmp_path: Path, bomb: bytes) -> None:
    folder = tmp_path / "batch"
    folder.mkdir()
    good = make_docx([("p", "工业和信息化部关于开展算力基础设施试点工作的通知"),
                      ("p", "为推动算力基础设施高质量发展，决定开展试点工作。（policywatch 团队为测试编写）")])
    (folder / "a_truncated.docx").write_bytes(good[: len(good) // 2])
    (folder / "b_bad_xml.docx").write_bytes(bad_xml_docx())
    (folder / "c_bomb.docx").write_bytes(bomb)
    (folder / "d_deep.html").write_text("<html><body><p>数据分类分级</p>" + "<div>" * 100_000 + "深" + "</div>" * 100_000
                                        + "</body></html>", encoding="utf-8")
    (folder / "e_not_a_sheet.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    (folder / "f_good.docx").write_bytes(good)
    (folder / "g_good.txt").write_text(GOOD_TEXT, encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'hostile.db'}"
    result = CliRunner().invoke(app, ["--db", db, "ingest", str(folder)])
    output = result.output
    assert result.exit_code == 1, output
    assert "Traceback" not in output and isinstance(result.exception, SystemExit)  # typer.Exit(1), nothing else
    failed = [line for line in output.splitlines() if line.startswith("failed ")]
    assert len(failed) == 5, output
    for name, reason in [("a_truncated.docx", "corrupt DOCX"), ("b_bad_xml.docx", "unreadable file (XMLSyntaxError"),
                         ("c_bomb.docx", "more than the limit"), ("d_deep.html", "nested 100002 elements deep"),
                         ("e_not_a_sheet.xlsx", "corrupt spreadsheet")]:
        assert any(name in line and reason in line for line in failed), (name, failed)
    stored = {Path(d["source"]).name for d in api.documents(db)}
    assert stored == {"f_good.docx", "g_good.txt"}
