"""Chinese laws and regulations as published: title, the adoption note in brackets, 目录, chapters and articles.

The whole text is one item; its fields are the title, the adoption note in brackets (the date and the body
whose session passed it, and any later amendments), and the article that brings it into force (本法自…起施行).
"""

from __future__ import annotations

import re

from policywatch.hanzi import to_simplified
from policywatch.model import Item, Span
from policywatch.segment.lines import lines, trimmed

LAW_TITLE = re.compile(r"^[\u4e00-\u9fff“”（）()、]{2,60}(?:法|条例|规定|办法|细则|规则|决定)(?:（[^）]*）)?$")
ADOPTION = re.compile(r"^[（(][^）)]{0,400}?(?:通过|公布|修正|修订|施行)[^）)]{0,400}[）)]$", re.S)
STRUCTURE = re.compile(r"^\s*(?:第[一二三四五六七八九十百零〇]+[章条]|目\s*录)")
IN_FORCE = re.compile(r"本(?:法|条例|规定|办法|细则|规则|决定)自[^。]{0,60}?(?:起|之日起)施行")


def detect(text: str) -> bool:
    """A law's title, then its adoption note or its chapters and articles, at the top."""
    content = [ln for ln in lines(to_simplified(text[:3000])) if not ln.blank][:8]
    if not content or not LAW_TITLE.match(content[0].stripped) or "关于" in content[0].text:
        return False
    following = content[1:5]
    return any(ADOPTION.match(ln.stripped) for ln in following) or \
        sum(bool(STRUCTURE.match(ln.text)) for ln in following) >= 2


def segment(text: str) -> list[Item]:
    """The law as one item: title, adoption note, in-force article."""
    folded = to_simplified(text)
    content = [ln for ln in lines(folded) if not ln.blank]
    if not content:
        return []
    fields: dict[str, Span] = {"title": trimmed(text, content[0].start, content[0].end)}
    # the adoption note may wrap over several lines: from "（" to the matching "）"
    if len(content) > 1 and content[1].stripped[:1] in "（(":
        close = re.search(r"[）)]", folded[content[1].start:])
        if close:
            note = (content[1].start, content[1].start + close.end())
            if ADOPTION.match(re.sub(r"\s+", "", folded[note[0]:note[1]])):
                fields["adoption"] = note
    if m := IN_FORCE.search(folded):
        fields["in_force"] = m.span()
    start, end = trimmed(text, 0, len(text))
    return [Item(start=start, end=end, kind_hint="law", section="law", fields=fields)]
