"""A fetched notice page as a Document: its main text by trafilatura, in the page's own charset."""

from __future__ import annotations

import hashlib
import re

from policywatch.model import Document
from policywatch.read.language import detect_language
from policywatch.read.metadata import find_published
from policywatch.read.text import normalise_newlines


def decode_html(data: bytes, charset: str | None) -> str:
    """The page's text: the charset the server declares, else the page's meta charset, else detection.
    GB2312 and GBK are read as GB18030, their superset, which government sites often need."""
    from policywatch.read.html import _charset, _decode

    for declared in (charset, _charset(data)):
        if declared:
            name = "gb18030" if declared.lower() in ("gb2312", "gbk", "x-gbk", "gb_2312-80") else declared
            try:
                return data.decode(name)
            except (LookupError, UnicodeDecodeError):
                continue
    return _decode(data)[0]


def page_document(data: bytes, url: str, charset: str | None) -> Document:
    """The main text of a notice page as a Document whose source is the page's URL; ValueError if it has none."""
    import trafilatura

    html = decode_html(data, charset)
    text = trafilatura.extract(html, url=url, include_tables=True, include_comments=False, favor_recall=True,
                               deduplicate=False, output_format="txt")
    if not text or not text.strip():
        raise ValueError("no main text found on the page")
    text = normalise_newlines(text).strip() + "\n"
    metadata = trafilatura.extract_metadata(html, default_url=url)
    title = metadata.title.strip() if metadata and metadata.title else None
    if title and title not in text[:len(title) + 200]:
        # the page's heading is the notice's title, which the main text leaves out
        text = f"{title}\n\n{text}"
    published = metadata.date if metadata and metadata.date and re.fullmatch(r"\d{4}-\d{2}-\d{2}", metadata.date) else None
    return Document(sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(), source=url, format="html", text=text,
                    language=detect_language(text), encoding=charset, title=title,
                    published=find_published(text) or published)
