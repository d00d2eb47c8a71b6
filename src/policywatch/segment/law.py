"""Chinese laws and regulations in the three layouts they are met in, each read as one item.

- LawRefBook Markdown: a ``# title`` heading, one line per step of the history (通过, 修正, 修订, 公布, 施行), the
  marker ``<!-- INFO END -->``, then chapters and articles.
- The national law database's: the title on a line, the whole history in brackets under it (steps separated by
  ideographic spaces), then chapters and articles.
- An order page in prose: an optional header (中华人民共和国国务院令 第N号), 《…》已经…通过，现予公布，自…起施行,
  the signatures and the date, then the text itself.

Fields: ``title``; ``history`` (the block or bracket that lists the steps) for the first two; ``order``,
``promulgation``, ``signature`` and ``closing_date`` for an order page.
"""

from __future__ import annotations

import re

from policywatch.hanzi import to_simplified
from policywatch.model import Item, Span
from policywatch.segment.lines import Line, lines, trimmed

MARKER = "<!-- INFO END -->"
HEAD = 6000  # the marker, a note or an order's sentence stand within this many characters of the top
# a date as histories write it: Arabic, full-width or Chinese digits
_ZH_NUMBER = r"[\d〇零一二三四五六七八九十]{1,3}"
DATE = rf"(?:[12１２]\d{{3}}|[〇零○Ｏ一二三四五六七八九]{{4}})\s*年\s*{_ZH_NUMBER}\s*月\s*{_ZH_NUMBER}\s*日"
STEP = r"(?:通过|修正|修订|公布|发布|颁布|施行|实施|批准)"
NOTE_DATE = re.compile(DATE)
NOTE_STEP = re.compile(STEP)
LAW_TITLE = re.compile(r"^[\u4e00-\u9fff“”（）()、]{2,60}(?:法|条例|规定|办法|细则|规则|决定)(?:（[^）]*）)?$")
TITLE_LINE = re.compile(r"^[\u4e00-\u9fff“”《》〈〉（）()、·\dA-Za-z—\-\s]{2,80}$")
STRUCTURE = re.compile(r"^\s*(?:第[一二三四五六七八九十百零〇]+[章条]|目\s*录)")
# 《X》已经…通过，现予公布: the sentence of an order that promulgates a law, a regulation or a ministry's rules
PROMULGATION = re.compile(r"^\s*《(?P<title>[^《》]{2,80})》(?:已经|已由|经)[^。]{0,300}?(?:通过|批准)"
                          r"[^。]{0,200}?现予(?:公布|发布|颁布)[^。]*。?")
# the older form of an order: 现发布《…条例》，自发布之日起施行 (the sentence may wrap onto the next line)
ISSUING = re.compile(r"^\s*现予?(?:发布|公布|颁布)《(?P<title>[^《》]{2,80})》"
                     r"[^。《》]{0,60}?自[^。]{0,40}?(?:施行|实施)[^。]*。?")
ORDER_LINE = re.compile(r"^[\u4e00-\u9fff、]{0,60}令$"
                        r"|^[\u4e00-\u9fff、]{0,60}令?\s*[（(]?第\s*[\d一二三四五六七八九十百零〇]{1,8}\s*号[）)]?$")
SIGNATURE_DATE = re.compile(rf"^\s*{DATE}\s*$")


def _content(text: str) -> list[Line]:
    return [ln for ln in lines(text) if not ln.blank]


def _is_note(line: Line) -> bool:
    """The national database's history line: in brackets, with a date and a step."""
    s = line.stripped
    # an empty pair of brackets is a history the collection left empty
    if s in ("（）", "()"):
        return True
    return s[:1] in "（(" and (bool(NOTE_DATE.match(s, 1)) or (bool(NOTE_DATE.search(s)) and bool(NOTE_STEP.search(s))))


def _promulgation(content: list[Line]) -> int | None:
    """Index of an order's promulgating sentence among the first lines, if there is one."""
    for i, line in enumerate(content[:12]):
        if PROMULGATION.match(line.text) or ISSUING.match(_with_next(content, i)):
            return i
    return None


def _with_next(content: list[Line], i: int) -> str:
    """A line and the one after it, joined: an order's sentence wrapped by the page."""
    return content[i].text.rstrip() + (content[i + 1].text.strip() if i + 1 < len(content) else "")


def detect(text: str) -> bool:
    """A law in any of the three layouts: Markdown heading and marker, title and bracketed history, or an order
    page's promulgating sentence; a title followed by chapters and articles also counts."""
    head = to_simplified(text[:HEAD])
    content = _content(head)[:14]
    if not content:
        return False
    first = content[0].stripped
    if first.startswith("#") and MARKER in head:
        return True
    if TITLE_LINE.match(first) and any(_is_note(ln) for ln in content[1:4]):
        return True
    if _promulgation(content) is not None:
        return True
    following = content[1:5]
    return bool(LAW_TITLE.match(first)) and "关于" not in first and \
        sum(bool(STRUCTURE.match(ln.text)) for ln in following) >= 2


def _bracket_end(text: str, start: int) -> int:
    """End of the note opened at ``start``: its line when the line closes it (a stray bracket inside the history
    does not cut it short), else where the brackets balance over the following lines."""
    line_end = text.find("\n", start)
    line_end = len(text) if line_end < 0 else line_end
    if text[start:line_end].rstrip(" \u3000\t\r").endswith(("）", ")")):
        return start + len(text[start:line_end].rstrip(" \u3000\t\r"))
    depth = 0
    for i in range(start, min(len(text), start + HEAD)):
        if text[i] in "（(":
            depth += 1
        elif text[i] in "）)":
            depth -= 1
            if depth == 0:
                return i + 1
        elif text[i] == "\n" and text[i + 1:i + 2] == "\n":
            return i  # a blank line ends a note left open
    return line_end


def _order_page(text: str, folded: str, content: list[Line], at: int) -> dict[str, Span]:
    """Fields of an order page whose promulgating sentence is the line at index ``at``."""
    sentence = content[at]
    end = sentence.end
    m = PROMULGATION.match(folded[sentence.start:sentence.end])
    if m is None:
        m = ISSUING.match(folded[sentence.start:sentence.end])
        if m is None:
            end = content[at + 1].end  # the sentence goes on to the next line
            m = ISSUING.match(folded[sentence.start:end])
    assert m is not None
    fields: dict[str, Span] = {"title": (sentence.start + m.start("title"), sentence.start + m.end("title")),
                               "promulgation": trimmed(text, sentence.start, end)}
    # the order's header: the short lines right above the sentence, up to the page's title (a portal repeats it)
    header: list[Line] = []
    for ln in reversed(content[:at]):
        if len(ln.stripped) > 60 or re.search(r"[，。：:；,]", ln.stripped) or LAW_TITLE.match(ln.stripped):
            break
        header.insert(0, ln)
    if header and ORDER_LINE.match(re.sub(r"[\s\u3000]+", "", header[-1].stripped)) and \
            re.search(r"令", "".join(ln.stripped for ln in header)):
        fields["order"] = trimmed(text, header[0].start, header[-1].end)
    # the signatures (title and name per line) end with the date of promulgation
    after = at + 1 if end == sentence.end else at + 2  # the first line after the sentence
    for k in range(after, min(at + 12, len(content))):
        if SIGNATURE_DATE.match(content[k].text):
            if k > after:
                fields["signature"] = trimmed(text, content[after].start, content[k - 1].end)
            fields["closing_date"] = trimmed(text, content[k].start, content[k].end)
            break
        if len(content[k].stripped) > 40:
            break
    if "closing_date" not in fields:
        # signed at the end instead: the last date line under a short line (the signature)
        for k in range(len(content) - 1, max(at, len(content) - 6), -1):
            above = content[k - 1].stripped
            if SIGNATURE_DATE.match(content[k].text) and len(above) <= 40 and not re.search(r"[，。；：:]", above):
                fields["signature"] = trimmed(text, content[k - 1].start, content[k - 1].end)
                fields["closing_date"] = trimmed(text, content[k].start, content[k].end)
                break
    return fields


def segment(text: str) -> list[Item]:
    """The law as one item with its title and history (or its order's parts) as fields."""
    folded = to_simplified(text)
    content = _content(folded)
    if not content:
        return []
    fields: dict[str, Span]
    first = content[0]
    marker = folded.find(MARKER, 0, HEAD + len(MARKER))
    section = "law"
    if first.stripped.startswith("#") and marker > 0:
        start = first.start
        while start < first.end and folded[start] in " \t\u3000#":
            start += 1
        fields = {"title": trimmed(text, start, first.end), "history": trimmed(text, first.end, marker)}
    elif (at := _promulgation(content)) is not None and not any(_is_note(ln) for ln in content[1:4]):
        fields = _order_page(text, folded, content, at)
        section = "order"
    else:
        fields = {"title": trimmed(text, first.start, first.end)}
        note = next((ln for ln in content[1:4] if _is_note(ln)), None)
        if note is not None:
            opening = note.start + len(note.text) - len(note.text.lstrip())
            fields["history"] = (opening, _bracket_end(folded, opening))
    start, end = trimmed(text, 0, len(text))
    return [Item(start=start, end=end, kind_hint="law", section=section, fields=fields)]
