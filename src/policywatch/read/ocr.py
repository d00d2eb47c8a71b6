"""Scans: page images read by Tesseract (Simplified Chinese and English models), one page at a time.

Each page is read at its own resolution, not re-rendered at a fixed one: an image at the size it was scanned, a
PDF page at the resolution of the scan it holds. The page is then straightened (deskew) and scaled so that its
text lines are as tall as Tesseract reads best (``TEXT_HEIGHT``), whatever the scan's dpi. What OCR read is
checked against itself: a document number or a quoted title the text repeats (the header's 发文字号 and the one in
the body, 《title》 in the title and in 现将《…》印发) is made the same everywhere from its most confident reading,
and a date in Chinese numerals whose 〇 came out as letters (二OO二一年) is put right.

Pixel budgets bound what one page may cost: an image larger than ``ocr_max_image_pixels`` is refused before it is
decoded, and a PDF page is rendered at no more than ``ocr_max_page_pixels`` (a 14,400 pt page is scaled down), so
a hostile file costs at most a page's budget of memory. Both are settings in the manner of ``policywatch.limits``:
the environment variables POLICYWATCH_OCR_MAX_IMAGE_PIXELS and POLICYWATCH_OCR_MAX_PAGE_PIXELS override them.

PDF pages are rendered by PDFium (pypdfium2) and released before the next page, so memory stays bounded by one
page whatever the length of the file. The text keeps a form feed between pages, as the text-layer reader does, and
the mean word confidence is reported with it.
"""

from __future__ import annotations

import io
import os
import re
import shutil
from collections import Counter
from dataclasses import dataclass, field

from policywatch.hanzi import HAN_CHARS
from policywatch.read.text import Decoded

LANGUAGES = "chi_sim+eng"  # both must be installed; a page is read with one of them at a time
PAGE_BREAK = "\f"
INSTALL = ("install Tesseract with its Chinese model (Debian: apt-get install tesseract-ocr tesseract-ocr-chi-sim "
           "tesseract-ocr-eng) and pip install 'policywatch[ocr]'")
# Height in pixels of a text line's ink (a CJK glyph at body size) that Tesseract's models read best; measured on
# a notice typeset in Noto Serif and Sans CJK and scanned at 150-400 dpi (tests/test_read_scans.py).
TEXT_HEIGHT = 36
# The resolution of a PDF page that holds no scan image, and of an image that states none (told to Tesseract).
DEFAULT_DPI = 300
MAX_SKEW = 5.0  # degrees; a page tilted more than this is read as it is
# Pixel budgets (see the module's docstring): 120 MP is an A3 page at 600 dpi; an A4 page at 400 dpi is 15.5 MP.
MAX_IMAGE_PIXELS = 120_000_000
MAX_PAGE_PIXELS = 60_000_000
# Tesseract separates Chinese characters by spaces; between two CJK characters or punctuation marks they are noise.
_CJK = rf"[\u3000-\u303f{HAN_CHARS}\uff00-\uffef]"  # with CJK and full-width punctuation
CJK_GAP = re.compile(rf"(?<={_CJK})[ \t]+(?={_CJK})|(?<={_CJK})[ \t]+(?=[\d(\[【〔（])|(?<=[\d)\]】〕）])[ \t]+(?={_CJK})")
# The year bracket of a document number (国发〔2017〕35号) comes out of OCR as any bracket shape, or loses its
# closing one: (2017], 【2023)], [2021 12号
YEAR_BRACKET = re.compile(r"[(\[【〔（［]+\s*((?:19|20)\d{2})(?:\s*[)\]】〕）］]+|\s+)\s*(?=\d{1,4}\s*号)")
# A year in Chinese numerals whose 〇 was read as a letter or a sign: 二OO二一年, 二@〇二一年, 二GO二一年
_ZERO_LIKE = "〇○OoＯ0@©®QDGC"
ZH_YEAR = re.compile(rf"(?<![{HAN_CHARS}])([一二](?:[ \t]*[{_ZERO_LIKE}一二三四五六七八九]){{2,6}})"
                     r"(?=[ \t]*年[ \t]*[一二三四五六七八九十〇]{1,2}[ \t]*月)")
# What the consistency check compares: document numbers and titles in 《》
NUMBER_LIKE = re.compile(rf"[{HAN_CHARS}]{{1,12}}〔(?:19|20)\d{{2}}〕\d{{1,4}}号")
QUOTED = re.compile(r"《([^《》\n]{4,60})》")


def _setting(name: str, default: int) -> int:
    """A pixel budget: POLICYWATCH_<NAME> when set to a positive number, else the safe default."""
    try:
        value = int(float(os.environ.get(f"POLICYWATCH_{name.upper()}", "")))
    except ValueError:
        return default
    return value if value > 0 else default


def max_image_pixels() -> int:
    """Pixels an image may have to be read (larger ones are refused before they are decoded)."""
    return _setting("ocr_max_image_pixels", MAX_IMAGE_PIXELS)


def max_page_pixels() -> int:
    """Pixels a PDF page is rendered with at most (a larger page is rendered smaller)."""
    return _setting("ocr_max_page_pixels", MAX_PAGE_PIXELS)


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


@dataclass
class PageText:
    """What OCR read on one page: the text and the confidence of each of its characters (0-100)."""

    text: str = ""
    confidence: list[float] = field(default_factory=list)

    def sub(self, pattern: re.Pattern[str], replace: str | None = None) -> None:
        """Replace matches of ``pattern`` (by ``replace``, a template, or nothing) in text and confidences alike."""
        text, confidence, last = [], [], 0
        for m in pattern.finditer(self.text):
            text.append(self.text[last:m.start()])
            confidence += self.confidence[last:m.start()]
            new = m.expand(replace) if replace is not None else ""
            text.append(new)
            confidence += [min(self.confidence[m.start():m.end()], default=0.0)] * len(new)
            last = m.end()
        text.append(self.text[last:])
        confidence += self.confidence[last:]
        self.text, self.confidence = "".join(text), confidence

    def put(self, start: int, new: str, confidence: list[float]) -> None:
        """Write ``new`` (same length as what it replaces) at ``start``."""
        self.text = self.text[:start] + new + self.text[start + len(new):]
        self.confidence[start:start + len(new)] = confidence


def _recognise(image, language: str, dpi: int) -> tuple[PageText, list[float]]:  # type: ignore[no-untyped-def]
    """One page read by Tesseract, with its words' confidences."""
    import pytesseract

    # Tesseract's own threads only slow it down on a busy machine, and readers run in parallel processes
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    data = pytesseract.image_to_data(image, lang=language, config=f"--dpi {dpi}",
                                     output_type=pytesseract.Output.DICT)
    lines: dict[tuple[int, int, int], list[tuple[str, float]]] = {}
    words = []
    for i, word in enumerate(data["text"]):
        confidence = float(data["conf"][i])
        if confidence < 0 or not word.strip():
            continue
        words.append(confidence)
        lines.setdefault((data["block_num"][i], data["par_num"][i], data["line_num"][i]), []).append((word, confidence))
    page, previous_block = PageText(), None
    for (block, paragraph, _), line in lines.items():
        if previous_block is not None:
            # a blank line between paragraphs, as a text layer would have
            gap = "\n\n" if (block, paragraph) != previous_block else "\n"
            page.text += gap
            page.confidence += [100.0] * len(gap)
        for n, (word, confidence) in enumerate(line):
            spaced = (" " if n else "") + word
            page.text += spaced
            page.confidence += [100.0] * (len(spaced) - len(word)) + [confidence] * len(word)
        previous_block = (block, paragraph)
    page.sub(CJK_GAP)
    page.sub(YEAR_BRACKET, r"〔\1〕")
    _fix_years(page)
    return page, words


def _fix_years(page: PageText) -> None:
    """A year in Chinese numerals read with letters or signs for its 〇 (二OO二一年, 二 @ 〇二一年): four digits,
    each run of them one 〇 (or the missing 〇s, where one run stands for them all)."""
    for m in reversed(list(ZH_YEAR.finditer(page.text))):
        runs = re.findall(rf"[{_ZERO_LIKE}]+|[一二三四五六七八九]", re.sub(r"[ \t]", "", m.group(1)))
        zeros = sum(r[0] in _ZERO_LIKE for r in runs)
        digits = len(runs) - zeros
        if not zeros or digits >= 4 or (zeros != 4 - digits and zeros != 1):
            continue
        each = "〇" if zeros == 4 - digits else "〇" * (4 - digits)
        year = "".join(each if r[0] in _ZERO_LIKE else r for r in runs)
        if year != m.group(1):
            page.sub(re.compile(re.escape(m.group(1))), year)


def _page_text(image, dpi: int) -> tuple[PageText, list[float]]:  # type: ignore[no-untyped-def]
    """Text of one page image (prepared by :func:`prepare`) and the confidence of each word.

    The Chinese model reads the digits and Latin letters of a Chinese page better than both models together;
    a page that turns out to be mostly Latin is read again with the English model.
    """
    page, confidences = _recognise(image, "chi_sim", dpi)
    letters = re.findall(rf"[A-Za-z{HAN_CHARS}]", page.text)
    if letters and sum(ch.isascii() for ch in letters) > 0.8 * len(letters):
        english = _recognise(image, "eng", dpi)
        if sum(english[1]) / max(1, len(english[1])) >= sum(confidences) / max(1, len(confidences)):
            return english
    return page, confidences


def _ink(image):  # type: ignore[no-untyped-def]
    """The page as a boolean array, True where there is ink."""
    import numpy as np

    pixels = np.asarray(image.convert("L"))
    return pixels < min(160, int(pixels.mean()) - 40)


def text_height(image) -> float | None:  # type: ignore[no-untyped-def]
    """The median height in pixels of the page's text lines (runs of rows with ink), or None without text."""
    import numpy as np

    rows = _ink(image).sum(axis=1) > max(2, image.width // 400)
    edges = np.flatnonzero(np.diff(np.concatenate(([0], rows.astype(np.int8), [0]))))
    heights = edges[1::2] - edges[::2]
    heights = heights[heights >= 4]  # specks, rules and underlines are no line of text
    if len(heights) < 2:
        return None
    return float(np.median(heights))


def skew(image) -> float:  # type: ignore[no-untyped-def]
    """The angle in degrees that straightens the page's lines: the rotation whose rows of ink are sharpest."""
    import numpy as np
    from PIL import Image

    small = image.convert("L")
    small.thumbnail((800, 800))
    small = Image.fromarray((~_ink(small)).astype(np.uint8) * 255)

    def sharpness(angle: float) -> float:
        turned = small.rotate(angle, resample=Image.NEAREST, fillcolor=255)
        return float(np.var((np.asarray(turned) < 128).sum(axis=1)))

    coarse = max(range(-int(MAX_SKEW), int(MAX_SKEW) + 1), key=sharpness)  # whole degrees, then tenths
    return round(max((coarse + a / 10 for a in range(-6, 7)), key=sharpness), 1)


def prepare(image, dpi: float | None):  # type: ignore[no-untyped-def]
    """A page image made ready for Tesseract: grey, straightened, its text lines scaled to ``TEXT_HEIGHT``.
    Returns the image and the resolution to tell Tesseract."""
    from PIL import Image

    image = image.convert("L")
    angle = skew(image)
    if abs(angle) >= 0.3:
        image = image.rotate(angle, resample=Image.BICUBIC, fillcolor=255, expand=True)
    height = text_height(image)
    factor = min(max(TEXT_HEIGHT / height, 0.25), 4.0) if height else 1.0  # no lines to measure: as it is
    # never past the page budget, whatever the text height says
    factor = min(factor, (max_page_pixels() / max(1, image.width * image.height)) ** 0.5)
    if abs(factor - 1) > 0.1:
        image = image.resize((max(1, round(image.width * factor)), max(1, round(image.height * factor))),
                             Image.LANCZOS)
    else:
        factor = 1.0
    return image, max(70, round((dpi or DEFAULT_DPI) * factor))


def _same_reading(a: str, b: str, most: int) -> bool:
    """Two readings of one string: same length, at most ``most`` characters apart, none of them a digit (two
    numbers or years that differ are two things, and Tesseract reads digits well)."""
    if len(a) != len(b) or a == b:
        return a == b
    apart = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
    return len(apart) <= most and not any(x.isdigit() or y.isdigit() for x, y in apart)


def _vote(group: list[tuple[PageText, int, str]]) -> tuple[str, list[float]]:
    """Each character from the readings of a group, weighted by their confidence."""
    chars, confidence = [], []
    for k in range(len(group[0][2])):
        votes: Counter[str] = Counter()
        for page, start, value in group:
            votes[value[k]] += page.confidence[start + k] + 1
        char = votes.most_common(1)[0][0]
        chars.append(char)
        confidence.append(max(p.confidence[s + k] for p, s, v in group if v[k] == char))
    return "".join(chars), confidence


def consistent(pages: list[PageText], title_lines: int = 6) -> None:
    """Make a document number and the title the text repeats read the same everywhere (the header's 发文字号 and
    the one cited below it; 《title》 in the title and in 现将《…》印发给你们): where readings of the same length
    differ in a few non-digit characters, each character is taken by a vote weighted by OCR confidence."""
    numbers = [(p, m.start(), m.group()) for p in pages for m in NUMBER_LIKE.finditer(p.text)]
    quoted = [(p, m.start(1), m.group(1)) for p in pages for m in QUOTED.finditer(p.text)]
    head = pages[0].text.lstrip()
    title_end = len(pages[0].text) - len(head) + sum(len(line) + 1 for line in head.split("\n")[:title_lines])
    anchors = [(p, s, v) for p, s, v in quoted if p is pages[0] and s < title_end]  # titles as the title reads them
    for found, seeds, most in ((numbers, numbers, 2), (quoted, anchors, 3)):
        for page, start, _ in seeds:
            value = page.text[start:start + len(_)]
            group = [(q, s, q.text[s:s + len(v)]) for q, s, v in found
                     if _same_reading(q.text[s:s + len(v)], value, min(most, max(1, len(value) // 5)))]
            if len({v for _, _, v in group}) < 2:
                continue
            fixed, confidence = _vote(group)
            for q, s, _v in group:
                q.put(s, fixed, confidence)


def _join(pages: list[tuple[PageText, list[float]]]) -> Decoded:
    consistent([page for page, _ in pages])
    parts, starts, confidences, offset = [], [], [], 0
    for page, page_confidences in pages:
        starts.append(offset)
        parts.append(page.text + PAGE_BREAK)
        offset += len(page.text) + len(PAGE_BREAK)
        confidences += page_confidences
    text = "".join(parts)
    if not text.strip():
        raise ValueError("OCR found no text in the scan")
    mean = round(sum(confidences) / len(confidences), 1) if confidences else 0.0
    return Decoded(text, None, pages=starts, ocr_confidence=mean)


def _page_scale(page, images: list[tuple[int, int, int]]) -> float:  # type: ignore[no-untyped-def]
    """The scale (pixels per point) to render a PDF page at: the resolution of the scan it holds (its largest
    image's pixels over the points it covers), else ``DEFAULT_DPI``; within the page pixel budget."""
    width, height = page.get_size()
    scale = DEFAULT_DPI / 72
    if images:
        pixels, points, _ = max(images)
        if points > 0:
            scale = min(max(pixels / points, 72 / 72), 1200 / 72)
    budget = max_page_pixels()
    if width * height * scale * scale > budget:
        scale = (budget / (width * height)) ** 0.5
    return scale


def _images(page) -> list[tuple[int, int, int]]:  # type: ignore[no-untyped-def]
    """The page's images: (pixel width, width in points on the page, pixel height)."""
    import pypdfium2
    import pypdfium2.raw as pdfium_c

    found = []
    try:
        for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2):
            left, _, right, _ = obj.get_bounds()
            width, height = obj.get_px_size()
            found.append((width, round(right - left), height))
    except (pypdfium2.PdfiumError, AttributeError, TypeError):
        return []
    return found


def read_pdf(data: bytes, max_pages: int = 500) -> Decoded:
    """OCR every page of a PDF that has no text layer, each at the resolution of the scan it holds."""
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
            images = _images(page)
            for width, _, height in images:  # PDFium would decode a scan whole, whatever size it renders the page
                if width * height > max_image_pixels():
                    raise ValueError(f"page {index + 1} holds an image of {width}x{height} pixels, "
                                     f"{width * height / 1e6:.0f} MP is over the OCR budget of "
                                     f"{max_image_pixels() / 1e6:.0f} MP (POLICYWATCH_OCR_MAX_IMAGE_PIXELS)")
            scale = _page_scale(page, images)
            bitmap = page.render(scale=scale, grayscale=True)
            image = bitmap.to_pil()
            prepared, dpi = prepare(image, scale * 72)
            pages.append(_page_text(prepared, dpi))
            image.close()
            bitmap.close()
            page.close()
    finally:
        document.close()
    return _join(pages)


def _image_dpi(image) -> float | None:  # type: ignore[no-untyped-def]
    """The resolution an image file states, when it is a plausible scanning one."""
    dpi = image.info.get("dpi")
    try:
        value = float(dpi[0]) if dpi else None
    except (TypeError, ValueError, IndexError):
        return None
    return value if value and 50 <= value <= 2400 else None


def read_image(data: bytes) -> Decoded:
    """OCR a scanned page saved as an image (PNG, JPEG, TIFF; every frame of a multi-page TIFF) at its own size."""
    if (missing := available()) is not None:
        raise ValueError(f"an image needs OCR, which is not available: {missing}")
    from PIL import Image, ImageSequence, UnidentifiedImageError

    budget = max_image_pixels()
    pages = []
    try:
        image = Image.open(io.BytesIO(data))
        for frame in ImageSequence.Iterator(image):
            width, height = frame.size
            if width * height > budget:  # checked from the header, before a pixel is decoded
                raise ValueError(f"image of {width}x{height} pixels, {width * height / 1e6:.0f} MP is over the OCR "
                                 f"budget of {budget / 1e6:.0f} MP (POLICYWATCH_OCR_MAX_IMAGE_PIXELS)")
            prepared, dpi = prepare(frame, _image_dpi(frame))
            pages.append(_page_text(prepared, dpi))
    except Image.DecompressionBombError as exc:
        size = re.search(r"\((\d+) pixels\)", str(exc))
        mp = f"{int(size.group(1)) / 1e6:.0f} MP " if size else ""
        raise ValueError(f"image of {mp}refused as a decompression bomb (over Pillow's pixel limit)") from None
    except (UnidentifiedImageError, OSError) as exc:
        raise ValueError(f"not a readable image ({exc.__class__.__name__})") from None
    return _join(pages)
