"""Plain text and Markdown: encoding detection with stable offsets."""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field

from charset_normalizer import from_bytes

# Encodings we trust charset-normalizer to choose between for non-UTF-8 bytes; a short list keeps
# GB18030 and Big5 from losing to exotic single-byte code pages on short Chinese files.
CANDIDATES = ["gb18030", "big5", "utf_16", "cp1252", "latin_1", "shift_jis", "euc_kr"]


@dataclass
class Decoded:
    """What a reader returns: text plus whatever metadata the format itself carries."""

    text: str
    encoding: str | None = None
    title: str | None = None
    published: str | None = None
    pages: list[int] = field(default_factory=list)
    ocr_confidence: float | None = None  # set when the text was recognised from images


def normalise_newlines(text: str) -> str:
    """Translate CRLF and CR to LF, as Python's text mode does, so offsets match `open(...).read()`."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def decode(data: bytes) -> tuple[str, str]:
    """Decode bytes of unknown encoding; returns (text, encoding name)."""
    for bom, name in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                      (codecs.BOM_UTF16_BE, "utf-16"), (codecs.BOM_UTF32_LE, "utf-32")):
        if data.startswith(bom):
            return data.decode(name), name
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if b"\x00" in data[:8192]:
        for name in ("utf-16-le", "utf-16-be"):
            try:
                candidate = data.decode(name)
            except UnicodeDecodeError:
                continue
            if sum(ch.isprintable() or ch.isspace() for ch in candidate) > 0.95 * len(candidate):
                return candidate, name
        raise ValueError("binary data, not text")
    best = from_bytes(data, cp_isolation=CANDIDATES).best()
    if best is None:
        raise ValueError("cannot detect the text encoding")
    name = best.encoding
    # GB2312 and GBK are subsets of GB18030: decoding with the superset never loses characters.
    if name in ("gb2312", "gbk"):
        name = "gb18030"
    return data.decode(name, errors="strict"), name


def read(data: bytes) -> Decoded:
    """Decode a .txt or .md file."""
    text, encoding = decode(data)
    if "\x00" in text:
        raise ValueError("binary data, not text")
    return Decoded(normalise_newlines(text), encoding)
