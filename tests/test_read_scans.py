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


NOTO = Path("/usr/share/fonts/opentype/noto")
FACES = {"song": NOTO / "NotoSerifCJK-Regular.ttc", "sans": NOTO / "NotoSansCJK-Regular.ttc"}
# A notice written for this test: a two-line title, its number, a few lines of body, the signature and a date in
# Chinese numerals, typeset as GB/T 9704 sets them (title at 22 pt, the rest at 16 pt, on A4).
TITLE = ["工业和信息化部关于印发", "《数字商务协同发展行动计划》的通知"]
NUMBER = "工信部科〔2021〕12号"
BODY = ["各省、自治区、直辖市工业和信息化主管部门：", "现将《数字商务协同发展行动计划》印发给你们，",
        "请结合实际认真贯彻落实。", "到2025年，培育30个数字商务示范企业。"]
SIGNED = ["工业和信息化部", "二〇二一年二月九日"]


def typeset(face: str, dpi: int, angle: float = 0.0):  # type: ignore[no-untyped-def]
    """The notice as a scanner gives it at ``dpi``: an A4 page, grey, optionally tilted by ``angle`` degrees."""
    from PIL import Image, ImageDraw, ImageFont

    need(None if FACES[face].exists() else f"{FACES[face]} is missing (Debian fonts-noto-cjk)")
    px = lambda mm: round(mm / 25.4 * dpi)  # noqa: E731
    pt = lambda size: round(size / 72 * dpi)  # noqa: E731
    page = Image.new("L", (px(210), px(297)), 255)
    draw = ImageDraw.Draw(page)
    large, normal = ImageFont.truetype(str(FACES[face]), pt(22)), ImageFont.truetype(str(FACES[face]), pt(16))
    y = px(37)
    for line in TITLE:
        draw.text(((page.width - draw.textlength(line, font=large)) / 2, y), line, font=large, fill=0)
        y += pt(22) * 1.6
    y += pt(16)
    draw.text(((page.width - draw.textlength(NUMBER, font=normal)) / 2, y), NUMBER, font=normal, fill=0)
    y += pt(16) * 2.5
    for line in BODY:
        draw.text((px(28), y), line, font=normal, fill=0)
        y += pt(16) * 1.75
    y += pt(16) * 2
    for line in SIGNED:
        draw.text((page.width - px(30) - draw.textlength(line, font=normal), y), line, font=normal, fill=0)
        y += pt(16) * 1.75
    return page.rotate(angle, resample=Image.BICUBIC, fillcolor=255) if angle else page


def _saved(image, kind: str, dpi: int) -> bytes:  # type: ignore[no-untyped-def]
    buffer = io.BytesIO()
    if kind == "png":
        image.save(buffer, "PNG", dpi=(dpi, dpi))
    else:
        image.save(buffer, "PDF", resolution=dpi)
    return buffer.getvalue()


@pytest.mark.parametrize("dpi", [150, 200, 300, 400])
@pytest.mark.parametrize("face", ["song", "sans"])
def test_a_notice_scanned_at_any_resolution(face: str, dpi: int) -> None:
    """Title, document number and date read right from a PNG and a scanned PDF, whatever the dpi and the face."""
    need(ocr.available())
    page = typeset(face, dpi)
    for kind in ("png", "pdf"):
        document = read_bytes(_saved(page, kind, dpi), f"notice.{kind}")
        flat = "".join(document.text.split())
        assert flat.count("《数字商务协同发展行动计划》") == 2, (kind, document.text)
        assert NUMBER in flat and SIGNED[1] in flat, (kind, document.text)


def test_a_tilted_scan_is_straightened() -> None:
    need(ocr.available())
    page = typeset("song", 200, angle=2.0)
    assert abs(ocr.skew(page) + 2.0) <= 0.3
    flat = "".join(read_bytes(_saved(page, "png", 200), "tilted.png").text.split())
    assert NUMBER in flat and SIGNED[1] in flat


def test_text_height_is_measured_from_the_page() -> None:
    need(None if FACES["song"].exists() else "fonts-noto-cjk is missing")
    for dpi in (150, 400):
        height = ocr.text_height(typeset("song", dpi))
        assert height is not None and abs(height - 16 / 72 * dpi) < 0.12 * dpi / 72 * 16  # the 16 pt lines


def test_repeated_numbers_and_titles_are_read_the_same_everywhere() -> None:
    header = ocr.PageText("工信部科〔2021〕12号\n现将《数字商务协同发展行动计划》印发", [])
    header.confidence = [90.0] * len(header.text)
    body = ocr.PageText("工信部料〔2021〕12号\n《效字商务协同发展行动计划》", [])
    body.confidence = [90.0] * len(body.text)
    body.confidence[body.text.index("料")] = 30.0  # weak readings lose to the confident ones
    body.confidence[body.text.index("效")] = 60.0
    ocr.consistent([header, body])
    assert body.text == "工信部科〔2021〕12号\n《数字商务协同发展行动计划》"
    assert header.text.startswith("工信部科〔2021〕12号")
    other = ocr.PageText("国发〔2017〕35号 国发〔2017〕36号", [90.0] * 27)
    ocr.consistent([other])
    assert other.text == "国发〔2017〕35号 国发〔2017〕36号"  # two numbers, not two readings of one


def test_years_in_chinese_numerals_read_with_letters_for_zero() -> None:
    for read, right in [("二OO二一年二月九日", "二〇二一年二月九日"), ("二 @ 〇二一年二月九日", "二〇二一年二月九日"),
                        ("二OO一年三月一日", "二〇〇一年三月一日")]:
        page = ocr.PageText(read, [80.0] * len(read))
        ocr._fix_years(page)
        assert page.text == right and len(page.confidence) == len(page.text)


def _png_header(width: int, height: int) -> bytes:
    """A PNG that states its size and holds one row: what a decompression bomb looks like before it is decoded."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * (width + 1)))
            + chunk(b"IEND", b""))


def test_pixel_budgets_refuse_bombs_in_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    need(ocr.available())
    # a 400-megapixel PNG is refused from its header, before its pixels are decoded
    with pytest.raises(ReadError) as error:
        read_bytes(_png_header(20000, 20000), "huge.png")
    assert "400 MP" in str(error.value) and "\n" not in str(error.value)
    monkeypatch.setenv("POLICYWATCH_OCR_MAX_IMAGE_PIXELS", "1000000")
    with pytest.raises(ReadError) as error:
        read_bytes(_png_header(2000, 2000), "large.png")
    assert "4 MP is over the OCR budget of 1 MP" in str(error.value) and "\n" not in str(error.value)
    # a 14,400 pt page (200 inches square) is rendered within the page budget
    import pypdfium2

    monkeypatch.setenv("POLICYWATCH_OCR_MAX_PAGE_PIXELS", "4000000")
    page = pypdfium2.PdfDocument.new().new_page(14400, 14400)
    scale = ocr._page_scale(page, [(60000, 14400, 60000)])
    assert 14400 * scale * 14400 * scale <= 4_000_000
    document = pypdfium2.PdfDocument.new()
    document.new_page(14400, 14400)
    buffer = io.BytesIO()
    document.save(buffer)
    with pytest.raises(ReadError, match="no text"):  # rendered at 4 MP, found blank: no gigabytes on the way
        read_bytes(buffer.getvalue(), "poster.pdf")
    # a scan inside a PDF is held to the image budget too: PDFium would decode it whole
    from PIL import Image

    scan = io.BytesIO()
    Image.new("L", (1654, 2339), 255).save(scan, "PDF", resolution=200)
    with pytest.raises(ReadError) as error:
        read_bytes(scan.getvalue(), "scan.pdf")
    assert "1654x2339 pixels, 4 MP is over the OCR budget of 1 MP" in str(error.value)
    assert ocr._page_scale(pypdfium2.PdfDocument.new().new_page(595, 842), [(1654, 595, 2339)]) * 72 == \
        pytest.approx(200, abs=1)  # an A4 scan at 200 dpi is rendered at 200 dpi


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
    with pytest.raises(ReadError, match="corrupt spreadsheet"):
        read_bytes(b"PK\x03\x04 broken zip", "broken.xlsx")
