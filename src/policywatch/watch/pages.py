"""A fetched notice page as a Document: its main text by trafilatura, in the page's own charset."""

from __future__ import annotations

import hashlib
import re

from policywatch.model import Document
from policywatch.read.language import detect_language
from policywatch.read.metadata import address_date, find_published
from policywatch.read.nesting import check_depth
from policywatch.read.text import normalise_newlines


def page_document(html: str, url: str, charset: str | None) -> Document:
    """The main text of a notice page (decoded already) as a Document whose source is the page's URL; ValueError if
    it has none."""
    import trafilatura

    check_depth(html)  # refused in one line, before lxml and BeautifulSoup spend seconds on 100,000 nested <div>
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
                    published=find_published(text) or published or address_date(url))
