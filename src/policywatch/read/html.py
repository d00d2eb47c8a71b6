"""HTML pages: the main text, without menus, scripts or footers; headings and list items kept as Markdown marks."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, NavigableString, Tag

from policywatch.read.address import address_date
from policywatch.read.nesting import check_depth
from policywatch.read.text import Decoded, decode, normalise_newlines

BOILERPLATE = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form", "menu", "template",
               "iframe", "svg", "button")
BLOCKS = {"p", "div", "section", "article", "main", "li", "tr", "table", "ul", "ol", "blockquote", "pre",
          "h1", "h2", "h3", "h4", "h5", "h6", "br", "dd", "dt", "figcaption", "hr"}
DATE_META = ("article:published_time", "pubdate", "publishdate", "date", "dc.date", "dcterms.created",
             "firstpublishedtime")


def _charset(data: bytes) -> str | None:
    match = re.search(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_-]+)""", data[:4096], re.I)
    return match.group(1).decode("ascii").lower() if match else None


GB_NAMES = ("gb2312", "gbk", "x-gbk", "gb_2312-80")  # read as GB18030, their superset, which Chinese sites need


def _decode(data: bytes, server_charset: str | None = None) -> tuple[str, str]:
    """The page's text and encoding: the charset the server declares, else the page's meta charset, else detection."""
    for declared in (server_charset, _charset(data)):
        if declared:
            name = "gb18030" if declared.lower() in GB_NAMES else declared.lower()
            try:
                return data.decode(name), name
            except (LookupError, UnicodeDecodeError):
                continue
    return decode(data)


def decode_html(data: bytes, server_charset: str | None = None) -> str:
    """A fetched page's text, in the charset the server or the page declares."""
    return _decode(data, server_charset)[0]


def _render(node: Tag, out: list[str]) -> None:
    for child in node.children:
        if isinstance(child, NavigableString):
            if type(child) is NavigableString:  # skip comments, CDATA, doctype
                out.append(re.sub(r"\s+", " ", str(child)))
            continue
        if not isinstance(child, Tag) or child.name in BOILERPLATE:
            continue
        name = child.name
        if name in BLOCKS:
            out.append("\n")
        if name and re.fullmatch(r"h[1-6]", name):
            out.append("#" * int(name[1]) + " ")
        elif name == "li":
            out.append("- ")
        elif name in ("td", "th"):
            out.append(" | ")
        _render(child, out)
        if name in BLOCKS:
            out.append("\n")


def _clean(text: str) -> str:
    lines = [ln.strip() for ln in text.split("\n")]
    text = "\n".join(ln for ln in lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def read(data: bytes) -> Decoded:
    """Extract the main text of an HTML page."""
    raw, encoding = _decode(data)
    check_depth(raw)  # the tree below is walked recursively: a hostile page must not exhaust the stack
    soup = BeautifulSoup(raw, "html.parser")
    if soup.find() is None:
        raise ValueError("no HTML markup found")
    title_tag = soup.find("title")
    title = title_tag.get_text(" ", strip=True) if title_tag else None
    published = None
    for meta in soup.find_all("meta"):
        key = (meta.get("property") or meta.get("name") or "").lower()
        if key in DATE_META and meta.get("content"):
            published = str(meta["content"])[:10]
            break
    if published is None and (time_tag := soup.find("time", attrs={"datetime": True})):
        published = str(time_tag["datetime"])[:10]
    if published and not re.fullmatch(r"\d{4}(-\d{2}){0,2}", published):
        published = None
    main = soup.find("main") or soup.find("article") or soup.find(attrs={"role": "main"}) or soup.body or soup
    out: list[str] = []
    if published is None:
        # a saved page names its own address (canonical link, og:url), which news and government sites date
        link = soup.find("link", rel="canonical", href=True) or soup.find("meta", property="og:url", content=True)
        published = address_date(str(link.get("href") or link.get("content"))) if link else None
    _render(main, out)
    h1 = main.find("h1") if isinstance(main, Tag) else None
    return Decoded(_clean(normalise_newlines("".join(out))), encoding,
                   title=(h1.get_text(" ", strip=True) if h1 else None) or title, published=published)
