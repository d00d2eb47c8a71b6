"""Scans through Tesseract and old Word / WPS files through LibreOffice: real binaries, as CI installs them."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import text

from policywatch import api
from policywatch.errors import ReadError
from policywatch.read import ocr, read_bytes, read_file
from policywatch.store import database
from tests.conftest import make_docx

CJK_FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
NOTICE = ["工业和信息化部关于印发", "《智能检测装备产业发展行动计划》的通知", "工信部通装〔2023〕12号", "",
          "各省、自治区工业和信息化主管部门：", "现将行动计划印发给你们，请结合实际抓好落实。", "",
          "到2025年，培育20家以上智能检测装备骨干企业。", "", "工业和信息化部", "2023年2月3日"]


def need(missing: str | None) -> None:
    """Skip a test whose binaries are missing, except in CI, which installs them."""
    if missing:
        if os.environ.get("CI"):
            pytest.fail(missing)
        pytest.skip(missing)


def page_image(lines: list[str]):
    """A white A4 page at 200 dpi with the lines typeset in a CJK font, as a scanner would give it."""
    from PIL import Image, ImageDraw, ImageFont

    need(None if CJK_FONT.exists() else f"{CJK_FONT} is missing (Debian fonts-noto-cjk)")
    font = ImageFont.truetype(str(CJK_FONT), 40)
    image = Image.new("L", (1654, 2339), 255)
    draw = ImageDraw.Draw(image)
    for row, line in enumerate(lines):
        draw.text((150, 200 + 80 * row), line, font=font, fill=0)
    return image


def scanned_pdf(pages: list[list[str]]) -> bytes:
    images = [page_image(lines) for lines in pages]
    buffer = io.BytesIO()
    images[0].save(buffer, "PDF", resolution=200, save_all=True, append_images=images[1:])
    return buffer.getvalue()


def test_scanned_chinese_notice_is_read_by_ocr(tmp_path: Path) -> None:
    need(ocr.available())
    data = scanned_pdf([NOTICE, ["第二页", "（此件公开发布）"]])
    document = read_bytes(data, "scan.pdf")
    assert document.ocr_confidence is not None and document.ocr_confidence > 60
    assert len(document.pages) == 2 and document.text[document.pages[1]:].startswith("第二页")
    _, analysis = api.extract(_write(tmp_path / "scan.pdf", data))
    (plan,) = [m for _, m in analysis.mentions]
    assert plan.title_zh == "智能检测装备产业发展行动计划"
    assert plan.doc_number == "工信部通装〔2023〕12号"
    assert (plan.date, plan.issuers) == ("2023-02-03", ["miit"])
    assert [(t.value, t.year) for t in plan.targets] == [(20, 2025)]


def test_scanned_page_image_and_its_confidence_in_the_database(tmp_path: Path) -> None:
    need(ocr.available())
    path = tmp_path / "page.png"
    page_image(NOTICE).save(path)
    engine = database.connect(f"sqlite:///{tmp_path / 'scan.db'}")
    (result,) = api.ingest([path], engine)
    assert result.status == "added"
    with engine.connect() as connection:
        fmt, confidence = connection.execute(text("SELECT format, ocr_confidence FROM documents")).one()
    assert fmt == "image" and confidence > 60


def test_english_scan_is_read_with_the_english_model() -> None:
    need(ocr.available())
    document = read_bytes(scanned_pdf([["The Ministry of Commerce issued export rules", "on 3 July 2023."]]), "en.pdf")
    assert "Ministry of Commerce issued export rules" in document.text


def test_scan_without_tesseract_is_refused_with_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    blank = io.BytesIO()
    from PIL import Image

    Image.new("L", (200, 200), 255).save(blank, "PDF")
    with pytest.raises(ReadError) as error:
        read_bytes(blank.getvalue(), "blank-scan.pdf")
    assert "blank-scan.pdf" in str(error.value) and "tesseract-ocr-chi-sim" in str(error.value)
    assert "\n" not in str(error.value)


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _to_doc(tmp_path: Path) -> Path:
    """A .doc written by LibreOffice itself from a DOCX the team composed."""
    need(None if shutil.which("soffice") else "LibreOffice is missing (Debian libreoffice-writer-nogui)")
    source = _write(tmp_path / "notice.docx", make_docx([
        ("p", "工业和信息化部关于开展工业互联网试点示范工作的通知"), ("p", "工信部信管函〔2024〕5号"),
        ("p", "各省、自治区工业和信息化主管部门："), ("p", "现开展试点示范工作。"), ("p", "工业和信息化部"),
        ("p", "2024年3月1日")]))
    subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                    "--convert-to", "doc", "--outdir", str(tmp_path), str(source)], check=True, capture_output=True,
                   timeout=180)
    return tmp_path / "notice.doc"


def test_old_word_and_wps_attachments_through_libreoffice(tmp_path: Path) -> None:
    doc = _to_doc(tmp_path)
    document = read_file(doc)
    assert document.format == "doc" and "工信部信管函〔2024〕5号" in document.text
    wps = _write(tmp_path / "notice.wps", doc.read_bytes() + b"\0")  # WPS writes the same binary format
    assert "试点示范" in read_file(wps).text
    _, analysis = api.extract(doc)
    (notice,) = [m for _, m in analysis.mentions]
    assert (notice.doc_number, notice.date, notice.issuers) == ("工信部信管函〔2024〕5号", "2024-03-01", ["miit"])


def test_doc_without_libreoffice_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(ReadError) as error:
        read_bytes(b"\xd0\xcf\x11\xe0 not really a doc", "attachment.doc")
    assert "libreoffice-writer-nogui" in str(error.value) and "attachment.doc" in str(error.value)


def test_corrupt_doc_is_one_line(tmp_path: Path) -> None:
    need(None if shutil.which("soffice") else "LibreOffice is missing (Debian libreoffice-writer-nogui)")
    with pytest.raises(ReadError) as error:
        read_bytes(b"\x00\x01\x02 this is no word file at all", "broken.doc")
    assert "broken.doc" in str(error.value) and "\n" not in str(error.value)


def test_spreadsheet_attachments(tmp_path: Path) -> None:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "名单"
    sheet.append(["序号", "企业名称", "所在地"])
    sheet.append([1, "示例智能装备有限公司", "江苏省"])
    workbook.save(tmp_path / "list.xlsx")
    document = read_file(tmp_path / "list.xlsx")
    assert document.format == "xlsx" and "示例智能装备有限公司\t江苏省" in document.text and "## 名单" in document.text
    need(None if shutil.which("soffice") else "LibreOffice is missing (Debian libreoffice-writer-nogui)")
    subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                    "--convert-to", "xls", "--outdir", str(tmp_path), str(tmp_path / "list.xlsx")], check=True,
                   capture_output=True, timeout=180)
    need(None if (tmp_path / "list.xls").exists() else "LibreOffice Calc is missing (Debian libreoffice-calc-nogui)")
    assert "示例智能装备有限公司" in read_file(tmp_path / "list.xls").text
    with pytest.raises(ReadError, match="not a readable spreadsheet"):
        read_bytes(b"PK\x03\x04 broken zip", "broken.xlsx")
