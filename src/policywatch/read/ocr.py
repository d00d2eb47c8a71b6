"""Scans: page images read by Tesseract (Simplified Chinese and English models), one page at a time.

PDF pages are rendered by PDFium (pypdfium2) at OCR resolution and released before the next page, so memory
stays bounded by one page whatever the length of the file. The text keeps a form feed between pages, as the
text-layer reader does, and the mean word confidence is reported with it.
"""

from __future__ import annotations

import io
import re
import shutil

from policywatch.hanzi import HAN_CHARS
from policywatch.read.text import Decoded

LANGUAGES = "chi_sim+eng"  # both must be installed; a page is read with one of them at a time
DPI = 300
PAGE_BREAK = "\f"
INSTALL = ("install Tesseract with its Chinese model (Debian: apt-get install tesseract-ocr tesseract-ocr-chi-sim "
           "tesseract-ocr-eng) and pip install 'policywatch[ocr]'")
# Tesseract separates Chinese characters by spaces; between two CJK characters or punctuation marks they are noise.
_CJK = rf"[\u3000-\u303f{HAN_CHARS}\uff00-\uffef]"  # with CJK and full-width punctuation
CJK_GAP = re.compile(rf"(?<={_CJK})[ \t]+(?={_CJK})|(?<={_CJK})[ \t]+(?=[\d(\[【〔（])|(?<=[\d)\]】〕）])[ \t]+(?={_CJK})")
# The year bracket of a document number (国发〔2017〕35号) comes out of OCR as any bracket shape: (2017], 【2023]
YEAR_BRACKET = re.compile(r"[(\[【〔（［]\s*((?:19|20)\d{2})\s*[)\]】〕）］]\s*(?=\d{1,4}\s*号)")


def available() -> str | None:
    """None when OCR can run here, else what to install."""
    try:
        import pypdfium2  # noqa: F401
        import pytesseract
    except ImportError:
        return INSTALL
    if shutil.which("tesseract") is None:
        return INSTALL
    try:
        languages = set(pytesseract.get_languages(config=""))
    except Exception:
        return INSTALL
    missing = [lang for lang in LANGUAGES.split("+") if lang not in languages]
    return f"Tesseract has no model for {', '.join(missing)}: {INSTALL}" if missing else None


def _recognise(image, language: str) -> tuple[str, list[float]]:  # type: ignore[no-untyped-def]
    import pytesseract

    data = pytesseract.image_to_data(image, lang=language, output_type=pytesseract.Output.DICT)
    lines: dict[tuple[int, int, int], list[str]] = {}
    confidences = []
    for i, word in enumerate(data["text"]):
        confidence = float(data["conf"][i])
        if confidence < 0 or not word.strip():
            continue
        confidences.append(confidence)
        lines.setdefault((data["block_num"][i], data["par_num"][i], data["line_num"][i]), []).append(word)
    text, previous_block = [], None
    for (block, paragraph, _), words in lines.items():
        if previous_block is not None and (block, paragraph) != previous_block:
            text.append("")  # a blank line between paragraphs, as a text layer would have
        line = CJK_GAP.sub("", " ".join(words))
        text.append(YEAR_BRACKET.sub(r"〔\1〕", line))
        previous_block = (block, paragraph)
    return "\n".join(text), confidences


def _page_text(image) -> tuple[str, list[float]]:  # type: ignore[no-untyped-def]
    """Text of one page image and the confidence of each word.

    The Chinese model reads the digits and Latin letters of a Chinese page better than both models together;
    a page that turns out to be mostly Latin is read again with the English model.
    """
    text, confidences = _recognise(image, "chi_sim")
    letters = re.findall(rf"[A-Za-z{HAN_CHARS}]", text)
    if letters and sum(ch.isascii() for ch in letters) > 0.8 * len(letters):
        english = _recognise(image, "eng")
        if sum(english[1]) / max(1, len(english[1])) >= sum(confidences) / max(1, len(confidences)):
            return english
    return text, confidences


def _join(pages: list[tuple[str, list[float]]]) -> Decoded:
    parts, starts, confidences, offset = [], [], [], 0
    for text, page_confidences in pages:
        starts.append(offset)
        parts.append(text + PAGE_BREAK)
        offset += len(text) + len(PAGE_BREAK)
        confidences += page_confidences
    text = "".join(parts)
    if not text.strip():
        raise ValueError("OCR found no text in the scan")
    mean = round(sum(confidences) / len(confidences), 1) if confidences else 0.0
    return Decoded(text, None, pages=starts, ocr_confidence=mean)


def read_pdf(data: bytes, max_pages: int = 500) -> Decoded:
    """OCR every page of a PDF that has no text layer."""
    if (missing := available()) is not None:
        raise ValueError(f"PDF has no text layer and OCR is not available: {missing}")
    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as exc:
        raise ValueError(f"corrupt PDF ({exc})") from None
    pages = []
    try:
        if len(document) > max_pages:
            raise ValueError(f"scan of {len(document)} pages is longer than the OCR limit of {max_pages} pages")
        for index in range(len(document)):
            page = document[index]
            bitmap = page.render(scale=DPI / 72, grayscale=True)
            image = bitmap.to_pil()
            pages.append(_page_text(image))
            image.close()
            bitmap.close()
            page.close()
    finally:
        document.close()
    return _join(pages)


def read_image(data: bytes) -> Decoded:
    """OCR a scanned page saved as an image (PNG, JPEG, TIFF; every frame of a multi-page TIFF)."""
    if (missing := available()) is not None:
        raise ValueError(f"an image needs OCR, which is not available: {missing}")
    from PIL import Image, ImageSequence, UnidentifiedImageError

    try:
        image = Image.open(io.BytesIO(data))
        pages = [_page_text(frame.convert("L")) for frame in ImageSequence.Iterator(image)]
    except (UnidentifiedImageError, OSError) as exc:
        raise ValueError(f"not a readable image ({exc.__class__.__name__})") from None
    return _join(pages)
