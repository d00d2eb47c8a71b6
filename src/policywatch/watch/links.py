"""Links to follow: notices on a list page (same site, optionally filtered), entries of an RSS/Atom feed,
locations of a sitemap, and the attachments of a notice page."""

from __future__ import annotations

import re
from urllib.parse import urldefrag, urljoin, urlsplit

ATTACHMENT = re.compile(r"\.(?:pdf|docx?|wps|xlsx?|txt)(?:$|\?)", re.I)
NOT_A_NOTICE = re.compile(r"\.(?:css|js|png|jpe?g|gif|svg|ico|zip|rar|mp4|mp3)(?:$|\?)|^(?:mailto|javascript|tel):", re.I)


def _absolute(base: str, href: str) -> str | None:
    href = href.strip()
    if not href or href.startswith("#") or NOT_A_NOTICE.search(href):
        return None
    url = urldefrag(urljoin(base, href))[0]
    return url if urlsplit(url).scheme in ("http", "https") else None


def _same_site(a: str, b: str) -> bool:
    return urlsplit(a).netloc.lower() == urlsplit(b).netloc.lower()


def page_links(html: str, base: str) -> list[tuple[str, str]]:
    """(absolute URL, link text) of every link of a page, in order, without repeats."""
    from bs4 import BeautifulSoup

    found: dict[str, str] = {}
    for a in BeautifulSoup(html, "html.parser").find_all("a", href=True):
        url = _absolute(base, a["href"])
        if url and url not in found:
            found[url] = a.get_text(" ", strip=True)
    return list(found.items())


def list_links(html: str, base: str, follow: str | None = None) -> list[str]:
    """Notices linked from a list page: same site, not the page itself, not attachments, matching ``follow``."""
    pattern = re.compile(follow) if follow else None
    links = []
    for url, _ in page_links(html, base):
        if not _same_site(url, base) or url.rstrip("/") == base.rstrip("/") or ATTACHMENT.search(url):
            continue
        if pattern is None or pattern.search(url):
            links.append(url)
    return links


def attachment_links(html: str, base: str) -> list[str]:
    """Attachments (PDF, DOC, DOCX, WPS, XLS, XLSX) linked from a notice page."""
    return [url for url, _ in page_links(html, base) if ATTACHMENT.search(urlsplit(url).path + "?")]


def feed_links(data: bytes, base: str, follow: str | None = None) -> list[str]:
    """Links of the entries of an RSS or Atom feed."""
    import feedparser

    parsed = feedparser.parse(data)
    if parsed.bozo and not parsed.entries:
        raise ValueError(f"not a readable feed ({parsed.bozo_exception.__class__.__name__})")
    pattern = re.compile(follow) if follow else None
    links = []
    for entry in parsed.entries:
        url = _absolute(base, entry.get("link") or "")
        if url and (pattern is None or pattern.search(url)) and url not in links:
            links.append(url)
    return links


def sitemap_links(data: bytes, follow: str | None = None) -> list[str]:
    """Page locations of a sitemap (a sitemap index's child sitemaps are listed too, to be read in turn)."""
    from xml.etree import ElementTree

    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        raise ValueError(f"not a readable sitemap ({exc})") from None
    pattern = re.compile(follow) if follow else None
    locations = [el.text.strip() for el in root.iter() if el.tag.endswith("loc") and el.text]
    return [u for u in locations if pattern is None or pattern.search(u) or u.endswith(".xml")]
