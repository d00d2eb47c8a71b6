"""Content-Encoding undone chunk by chunk with the size cap applied to the DECODED bytes: a decompressor is never
asked for more than the bytes still allowed, so a 7 KB gzip bomb costs 50 MB at most, not gigabytes."""

from __future__ import annotations

import zlib

CODINGS = ("identity", "gzip", "x-gzip", "deflate", "br")


class TooLarge(Exception):
    """The decoded body passed the cap."""


class Undecodable(Exception):
    """The body or its Content-Encoding header cannot be decoded; the message is one line."""


def coding_of(header: str | None) -> str:
    """The one content coding of a response; more than one (``gzip, gzip``) or an unknown one is refused."""
    codings = [c.strip().lower() for c in (header or "").split(",") if c.strip() and c.strip().lower() != "identity"]
    if len(codings) > 1:
        raise Undecodable(f"more than one content coding ({', '.join(codings)}) refused")
    coding = codings[0] if codings else "identity"
    if coding not in CODINGS:
        raise Undecodable(f"unsupported content coding '{coding}'")
    return coding


class BoundedDecoder:
    """Decodes one response body, raising TooLarge as soon as more than ``limit`` decoded bytes would result."""

    def __init__(self, coding: str, limit: int) -> None:
        self.coding, self.limit, self.size = coding, limit, 0
        self._first = True
        self._zlib: zlib._Decompress | None = None
        self._brotli = None
        if coding in ("gzip", "x-gzip"):
            self._zlib = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif coding == "deflate":
            self._zlib = zlib.decompressobj()
        elif coding == "br":
            import brotli

            self._brotli = brotli.Decompressor()

    def _room(self) -> int:
        """How many more decoded bytes may come (one over the cap, to notice passing it)."""
        return self.limit - self.size + 1

    def _count(self, data: bytes) -> bytes:
        self.size += len(data)
        if self.size > self.limit:
            raise TooLarge(f"larger than the limit of {self.limit} bytes once decompressed")
        return data

    def feed(self, chunk: bytes) -> bytes:
        """The decoded bytes of the next raw chunk."""
        try:
            if self._zlib is not None:
                return self._inflate(chunk)
            if self._brotli is not None:
                return self._unbrotli(chunk)
        except (zlib.error, OSError) as exc:
            raise Undecodable(f"corrupt {self.coding} body ({exc})") from None
        except Exception as exc:  # brotli.error is a plain Exception subclass
            if exc.__class__.__name__ == "error":
                raise Undecodable(f"corrupt {self.coding} body") from None
            raise
        return self._count(chunk)

    def _inflate(self, chunk: bytes) -> bytes:
        assert self._zlib is not None
        out = bytearray()
        data = chunk
        while data:
            try:
                piece = self._zlib.decompress(data, self._room())
            except zlib.error:
                if self.coding == "deflate" and self._first:  # servers send raw deflate without the zlib header
                    self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)
                    self._first = False
                    continue
                raise
            self._first = False
            out += self._count(piece)
            if self._zlib.eof:  # a gzip body may hold several members one after the other
                data = self._zlib.unused_data
                if data and self.coding != "deflate":
                    self._zlib = zlib.decompressobj(16 + zlib.MAX_WBITS)
                else:
                    break
            else:
                data = self._zlib.unconsumed_tail
        return bytes(out)

    def _unbrotli(self, chunk: bytes) -> bytes:
        assert self._brotli is not None
        out = bytearray()
        out += self._count(self._brotli.process(chunk, output_buffer_limit=self._room()))
        while not self._brotli.can_accept_more_data():  # output held back by the limit comes out in turn
            piece = self._brotli.process(b"", output_buffer_limit=self._room())
            if not piece:
                break
            out += self._count(piece)
        return bytes(out)
