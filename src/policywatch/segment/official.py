"""Chinese official documents (GB/T 9704): issuing authority, document number, title, body, date of writing."""

from __future__ import annotations

import re

from policywatch.model import Item
from policywatch.segment.lines import lines, trimmed

DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,12}\s*[〔［\[(（]\s*(?:19|20)\d{2}\s*[〕］\]）)]\s*\d+\s*号"
                        r"|令\s*第\s*\d+\s*号|第\s*\d+\s*号")
TITLE = re.compile(r"^(?:[\u4e00-\u9fff、]{2,40})?关于.{2,80}的(?:通知|意见|决定|公告|通告|批复|函|报告|指导意见|实施意见)$"
                   r"|^《?[\u4e00-\u9fff“”（）()\d—-]{4,60}(?:办法|规定|条例|规划|方案|意见|通知|指南|细则|计划|纲要|决定|公告)(?:（[^）]*）)?》?$")
CLOSING_DATE = re.compile(r"^\s*(?:(?:19|20)\d{2}|[〇零一二三四五六七八九]{4})\s*年.{1,3}月.{1,4}日\s*$")


def detect(text: str) -> bool:
    """Chinese text with a document number or an official title line near the top."""
    head = text[:1500]
    cjk = len(re.findall(r"[\u4e00-\u9fff]", head))
    return cjk > 0.4 * max(1, len(head.strip())) and bool(
        DOC_NUMBER.search(head) or any(TITLE.match(ln.stripped) for ln in lines(head)))


def segment(text: str) -> list[Item]:
    """The whole document is one item; its parts are labelled fields."""
    all_lines = lines(text)
    fields: dict[str, tuple[int, int]] = {}
    content = [ln for ln in all_lines if not ln.blank]
    if not content:
        return []
    fields["authority"] = trimmed(text, content[0].start, content[0].end)
    if m := DOC_NUMBER.search(text[:1500]):
        fields["doc_number"] = m.span()
    for line in content[:12]:
        if TITLE.match(line.stripped):
            fields["title"] = trimmed(text, line.start, line.end)
            break
    for line in reversed(content[-6:]):
        if CLOSING_DATE.match(line.text):
            fields["closing_date"] = trimmed(text, line.start, line.end)
            break
    start, end = trimmed(text, 0, len(text))
    return [Item(start=start, end=end, kind_hint="official", section="official", fields=fields)]
