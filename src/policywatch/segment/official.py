"""Chinese official documents (GB/T 9704): notices, opinions, orders, whether clean or copied from a web page.

The whole document is one item whose parts are labelled fields: the issuing bodies' header, an order's header
(…令 第N号), the document number, the title (over one or several lines), the addressees, the body, the
signature block and its date of writing (成文日期), what follows it (attachments, 抄送, 印发), and the facts of a
government site's metadata table (发文机关, 成文日期, 标题, 发文字号, 发布日期). Navigation and page furniture
(当前位置, 字号 大 中 小, 打印本页, 扫一扫) are skipped.
"""

from __future__ import annotations

import itertools
import re

from policywatch.hanzi import to_simplified
from policywatch.model import Item, Span
from policywatch.segment.lines import Line, lines, trimmed

YEAR_BRACKETS = r"[〔［\[(（【]\s*(?:19|20)\d{2}\s*[〕］\]）)】]"
# 国发〔2017〕35号, 国发[2017]35号, 工信部信管（2020）197号; damaged copies lose a bracket or the 号
DOC_NUMBER = re.compile(
    r"(?P<prefix>[\u4e00-\u9fff]{1,16}?)\s*(?:"
    rf"{YEAR_BRACKETS}\s*第?\s*\d{{1,4}}\s*号?"
    r"|[〔［\[(（【]\s*(?:19|20)\d{2}\s*第?\s*\d{1,4}\s*号"
    r"|(?:19|20)\d{2}\s*[〕］\]）)】]\s*第?\s*\d{1,4}\s*号)"
    # announcements are numbered by year: 工业和信息化部公告 2021年第43号
    r"|(?P<announcement>[\u4e00-\u9fff]{0,20}?公告\s*)?(?:19|20)\d{2}\s*年\s*第\s*\d{1,4}\s*号")
_ORDER_NO = r"第\s*(?:\d{1,4}|[一二三四五六七八九十百零〇]{1,8})\s*号"
ORDER_HEADER = re.compile(rf"^\s*(?P<body>[\u4e00-\u9fff、]{{2,40}}?令)\s*(?P<number>{_ORDER_NO})?\s*$")
ORDER_NUMBER = re.compile(rf"^\s*(?:[\(（]?\s*)?{_ORDER_NO}\s*[\)）]?\s*$")
KINDS = r"(?:通知|意见|决定|公告|通告|批复|函|复函|报告|指导意见|实施意见|通报|决议|规定|办法|方案|规划|细则|命令|令)"
TITLE = re.compile(rf"^(?:[\u4e00-\u9fff、（）()]{{2,80}})?关于.{{2,160}}的{KINDS}(?:（[^）]*）)?$"
                   r"|^《?[\u4e00-\u9fff“”\"（）()\d〔〕—－-]{4,80}(?:办法|规定|条例|规划|方案|意见|通知|指南|细则|计划|纲要|决定|"
                   r"公告|规则|清单|目录)(?:（[^）]*）)*》?$")
CLOSING_DATE = re.compile(r"^\s*(?:(?:19|20)\d{2}|[〇零○Ｏ一二三四五六七八九]{4})\s*年.{1,3}月.{1,4}日\s*$")
# A signature run into the body's last line (a page that lost its line breaks): …认真贯彻执行。 某某部办公厅 2020 年 2 月 27 日
INLINE_SIGNATURE = re.compile(r"[。！]\s*(?P<signature>[\u4e00-\u9fff、]{2,40}?(?:部|厅|委|局|院|署|办公室|政府|委员会))\s*"
                              r"(?P<date>(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)")
# Page furniture of government sites: navigation, font-size switches, print and share buttons.
CHROME = re.compile(r"当前位置|您的位置|首页\s*[>＞›]|字号[:：]?\s*[【\[]?\s*大\s*中\s*小|字体[:：]\s*大\s*中\s*小|"
                    r"【?\s*打印(?:本页)?\s*】?|"
                    r"【\s*关闭(?:窗口)?\s*】|关闭窗口|扫一扫|分享到|收藏本页|相关链接|责任编辑|网站地图|版权所有|主办单位|"
                    r"ICP备|访问量|浏览次数|阅读次数|\[\s*打印\s*\]|【\s*纠错\s*】")
META_LABELS = {"索引号": "index", "主题分类": "topic", "发文机关": "issuer", "发布机构": "issuer", "发文单位": "issuer",
               "发布单位": "issuer", "成文日期": "date", "成文时间": "date", "印发日期": "date", "标题": "title",
               "名称": "title", "发文字号": "number", "文号": "number", "发布日期": "published", "发布时间": "published",
               "来源": "source", "信息来源": "source", "主题词": "keywords", "有效性": "validity", "生效日期": "effective",
               "实施日期": "effective"}
META = re.compile("(?P<label>" + "|".join(r"[\s\u3000]*".join(label) for label in sorted(META_LABELS, key=len, reverse=True))
                  + r")[\s\u3000]*[：:]")
AFTER_SIGNATURE = re.compile(r"^\s*(?:[（(]此件.{0,8}[）)]|抄送[：:]|附件\s*\d*\s*[：:]?\s*$"
                             r"|.{0,30}\d{4}年.{1,3}月.{1,4}日印发\s*$)")
ADDRESSEE = re.compile(r"^\s*[^。！？]{2,300}[：:]\s*$")


def _content(text: str) -> list[Line]:
    return [ln for ln in lines(text) if not ln.blank and not CHROME.search(ln.text)]


def detect(text: str) -> bool:
    """Chinese text with a document number, an order header, a metadata table or an official title near the top."""
    head = to_simplified(text[:2000])
    cjk = len(re.findall(r"[\u4e00-\u9fff]", head))
    if cjk <= 0.4 * max(1, len(re.sub(r"\s", "", head))):
        return False
    content = _content(head)[:15]
    return bool(DOC_NUMBER.search(head) or len(META.findall(head)) >= 2
                or any(TITLE.match(ln.stripped) or ORDER_HEADER.match(ln.text) for ln in content)
                or any(TITLE.match(a.stripped + b.stripped) for a, b in itertools.pairwise(content)))


def metadata(text: str, folded: str) -> dict[str, Span]:
    """Facts of a site's metadata table: label: value, one or several to a line, or the value on the next line.

    Page furniture on the same line ("来源：省工业和信息化厅 【字体：大 中 小】") ends a value.
    """
    fields: dict[str, Span] = {}
    content = [ln for ln in lines(folded) if not ln.blank]
    for index, line in enumerate(content[:40]):
        found = list(META.finditer(line.text))
        for k, m in enumerate(found):
            end = found[k + 1].start() if k + 1 < len(found) else len(line.text)
            if chrome := CHROME.search(line.text, m.end(), end):
                end = chrome.start()
            end = min(end, line.text.find("【", m.end()) % (len(line.text) + 1))
            start, stop = trimmed(text, line.start + m.end(), line.start + end)
            if start >= stop and k + 1 == len(found) and index + 1 < len(content) \
                    and not META.search(content[index + 1].text):
                start, stop = trimmed(text, content[index + 1].start, content[index + 1].end)
            name = META_LABELS[re.sub(r"[\s\u3000]", "", m.group("label"))]
            if start < stop:
                fields.setdefault(f"meta_{name}", (start, stop))
    return fields


def _title(text: str, content: list[Line], folded: str) -> tuple[int, Span] | None:
    """The title: one line, or up to four consecutive lines that together read as one; (index of last line, span)."""
    for i, line in enumerate(content[:25]):
        if META.search(line.text) or DOC_NUMBER.fullmatch(line.stripped) or CLOSING_DATE.match(line.text):
            continue
        joined = ""
        for k in range(i, min(i + 4, len(content))):
            if k > i and (content[k].start - content[k - 1].end > 1 or CLOSING_DATE.match(content[k].text)):
                break  # a blank line or a date ends a title
            joined += re.sub(r"[\s\u3000]", "", folded[content[k].start:content[k].end])
            if TITLE.match(joined):
                return k, trimmed(text, line.start, content[k].end)
    return None


def _order(text: str, content: list[Line], fields: dict[str, Span]) -> int | None:
    """An order's header near the top: "…令 第N号" on one line or two, or the bodies of a joint order on lines of
    their own above a line "令"; returns the index of its last line."""
    for i, line in enumerate(content[:10]):
        order = ORDER_HEADER.match(line.text)
        alone = line.stripped == "令"
        if not (order or alone):
            continue
        numbered = bool(order and order.group("number"))
        if not numbered and not (i + 1 < len(content) and ORDER_NUMBER.match(content[i + 1].text)):
            continue
        first = i
        while alone and first > 0 and len(content[first - 1].stripped) <= 30 and \
                not re.search(r"[，。：:；]", content[first - 1].stripped):
            first -= 1
        last = i if numbered else i + 1
        fields["order"] = trimmed(text, content[first].start, content[last].end)
        return last
    return None


def _promulgated(text: str, content: list[Line], after: int, folded: str) -> tuple[int, Span] | None:
    """The instrument an order promulgates: 《X》已经…通过，现予公布; (line index, span of X)."""
    for i in range(after + 1, min(after + 6, len(content))):
        line = content[i]
        m = re.search(r"《(?P<t>[^《》]{2,80})》", folded[line.start:line.end])
        if m and re.search(r"公布|发布|施行|通过", folded[line.start:line.end]):
            return i, (line.start + m.start("t"), line.start + m.end("t"))
    return None


def _closing(text: str, content: list[Line], after: int) -> int | None:
    """Index of the date of writing: the first date line after the body that closes a signature."""
    dates = [i for i, ln in enumerate(content) if i > after and CLOSING_DATE.match(ln.text)]
    for i in dates:
        above = content[i - 1].stripped if i else ""
        if len(above) <= 40 and not re.search(r"[，。；：:]", above):
            return i
    return dates[0] if dates else None


def segment(text: str) -> list[Item]:
    """The whole document as one item with labelled fields."""
    folded = to_simplified(text)
    content = _content(folded)
    if not content:
        return []
    fields = metadata(text, folded)
    order_index = _order(text, content, fields)
    title = _title(text, content, folded) if order_index is None else _promulgated(text, content, order_index, folded)
    title_index = title[0] if title else (order_index if order_index is not None else -1)
    if title:
        fields["title"] = title[1]
    # header: the issuing bodies above the title (several lines, or "… 文件")
    first_title_line = next((i for i, ln in enumerate(content) if title and ln.start >= title[1][0]), 0)
    header = [ln for ln in content[:first_title_line] if not META.search(ln.text) and not DOC_NUMBER.search(ln.text)
              and len(ln.stripped) <= 60 and not re.search(r"[，。：:]", ln.stripped)]
    if header and "order" not in fields:
        fields["header"] = trimmed(text, header[0].start, header[-1].end)
    # the document number stands on a line of its own near the title (a number in the body cites another)
    for i, line in enumerate(content[:max(title_index + 5, 6)]):
        lead = len(line.text) - len(line.text.lstrip())
        m = DOC_NUMBER.match(folded, line.start + lead, line.end)
        if m and not META.search(line.text) and not folded[m.end():line.end].strip():
            start = m.start()
            if m.group("announcement") is None and re.match(r"(?:19|20)\d{2}\s*年", folded[m.start():]) \
                    and i > 0 and content[i - 1].stripped.endswith("公告"):
                start = content[i - 1].start + len(content[i - 1].text) - len(content[i - 1].text.lstrip())
            fields["doc_number"] = trimmed(text, start, m.end())
            title_index = max(title_index, i)
            break
    body_from = title_index + 1
    if body_from < len(content) and ADDRESSEE.match(content[body_from].text) and not AFTER_SIGNATURE.match(
            content[body_from].text):
        fields["addressees"] = trimmed(text, content[body_from].start, content[body_from].end)
        body_from += 1
    closing = _closing(text, content, title_index)
    if closing is not None:
        fields["closing_date"] = trimmed(text, content[closing].start, content[closing].end)
        signature = []
        for line in reversed(content[body_from:closing]):
            if len(line.stripped) > 40 or re.search(r"[，。；：:！？]", line.stripped) or len(signature) == 8:
                break
            signature.insert(0, line)
        if signature:
            fields["signature"] = trimmed(text, signature[0].start, signature[-1].end)
        body_end = signature[0].start if signature else content[closing].start
        after = content[closing + 1:]
        if after:
            fields["after"] = trimmed(text, after[0].start, after[-1].end)
    else:
        body_end = content[-1].end
        if body_from < len(content) and (inline := INLINE_SIGNATURE.search(folded, content[body_from].start)):
            # the first signed date closes the notice; what follows it (the text it issues) stays body
            fields["signature"] = inline.span("signature")
            fields["closing_date"] = inline.span("date")
    if body_from < len(content) and content[body_from].start < body_end:
        fields["body"] = trimmed(text, content[body_from].start, body_end)
    start, end = trimmed(text, 0, len(text))
    return [Item(start=start, end=end, kind_hint="official", section="official", fields=fields)]
