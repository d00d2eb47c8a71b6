"""Chinese news reports and reposts: a headline, the page's date and source lines (发布时间：, 时间：, 来源：), a
dateline (新华社北京2月22日电, 中新社北京2月3日电), and paragraphs that report policies ("日前，工业和信息化部印发《…》",
"2月19日，工信部就《…》公开征求意见"), as portals, newspapers, magazines and Traditional-character gateways (big5.*)
print them.

The whole report is one item; its headline, date, source, dateline and body are labelled fields. A page that
carries a full official text (its document number or addressees on lines of their own) is left to the official
layout, which reads it as that text.
"""

from __future__ import annotations

import re

from policywatch.hanzi import to_simplified
from policywatch.model import Item, Span
from policywatch.segment.lines import Line, lines, trimmed
from policywatch.segment.official import ADDRESSEE, CHROME, DOC_NUMBER, ORDER_HEADER

# 新华社北京2月22日电, 中新社北京2月3日电, 中新网1月8日电, 北京2月24日电, (记者 …) after it
DATELINE = re.compile(r"(?:(?:新华社|中新社|中新网|人民网|央视网|央广网|光明网|经济日报|中国经济网|证券日报|本报)[^\S\n]*)?"
                      r"[\u4e00-\u9fff]{0,6}?\d{1,2}[^\S\n]*月[^\S\n]*\d{1,2}[^\S\n]*日[^\S\n]*电")
BYLINE = re.compile(r"本报记者|记者\s*[\u4e00-\u9fff]{2,4}\s*(?:报道|获悉)|记者[^。\n]{0,20}获悉|中国发展网讯|网讯")
# the page's own date: 发布时间：2021-02-02 10:26:27, 时间: 2021-02-22, 2021年02月03日 21:32 来源：…
DATE_LABEL = re.compile(r"(?:发布时间|发布日期|发表时间|发表于|更新时间|时间|日期)\s*[:：]\s*")
FULL_DATE = re.compile(r"(?:19|20)\d{2}\s*(?:-|/|\.|年)\s*\d{1,2}\s*(?:-|/|\.|月)\s*\d{1,2}\s*日?")
LEAD_CHARS, LEAD_LINES = 5000, 30  # where a report's dateline or reporting sentence is looked for
SOURCE_LABEL = re.compile(r"(?:来源|来自|信息来源|文章来源|稿件来源)\s*[:：]\s*")
SOURCE_END = re.compile(r"[|｜【\[]|\s{2,}|(?:19|20)\d{2}\s*[-年]|作者|编辑|发布者|参与互动")
# a body issues, releases or consults on a titled instrument: …印发《…》, …就《…》征求意见, 《…》印发; or an untitled one
# (…委员会制定发布平台经济领域的反垄断指南). An official title's 关于印发《…》的通知 reports nothing.
_VERB = r"(?:联合|正式|制定|近日|日前)?(?:印发|发布|出台|下发|公布|公开|颁布|发出|推出|批复|审议通过)了?"
# a title may wrap once onto the next line, as scraped headings do (《关于…疫情防控\n和复工复产工作的通知》解读)
_QUOTED = r"《[^《》\n]{1,120}(?:\n[^《》\n]{1,120})?》"
_INSTRUMENT = r"(?:指南|意见|通知|规划|方案|办法|规定|条例|纲要|计划|细则)"
REPORTING = re.compile(
    rf"(?<!关于)(?<!关于联合){_VERB}\s*(?:了)?\s*《|就\s*{_QUOTED}[^。\n]{{0,12}}征求"
    rf"|{_QUOTED}[^。\n]{{0,14}}由[^。\n]{{2,60}}?(?:印发|发布|出台|公布)|征求\s*{_QUOTED}\s*的?(?:修改)?意见"
    rf"|{_QUOTED}[^。\n]{{0,4}}(?:正式)?(?:印发|发布|出台|公布)(?!以来|之后|后|给|你们)|^\s*(?:关于)?{_QUOTED}的?(?:政策)?解读"
    rf"|(?:部|委|局|院|厅|委员会)[\u4e00-\u9fff\d]{{0,10}}?(?:印发|发布|出台|下发|公布)了?[\u4e00-\u9fff“”、]{{4,40}}?"
    rf"{_INSTRUMENT}(?=[，。；、,（(\s])", re.M)
# the end of an article: (编辑 田冬), (完), 【编辑：…】, 责任编辑, notices and lists of other articles
ARTICLE_END = re.compile(r"^\s*[（(【\[]\s*(?:编辑|责任编辑|责编|完)\s*[:：\s）)】\]]|^\s*(?:责任编辑|责编)\s*[:：]|"
                         r"免责声明|转载请注明|版权所有|相关文章|相关新闻|精彩推送|网友点评|最新文章|^\s*标签\s*[:：]")
# a reading aid after a rare character: 产(chǎn)业(yè), as some reprinting sites add them
READING_AID = re.compile(r"(?<=[\u4e00-\u9fff])\((?:[a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*)\)")
# breadcrumbs and share bars above a headline: 首页 快讯 > 正文, 亚洲资本网 > 资讯 > 科技频道 > 正文, 分享到
NAVIGATION = re.compile(r"(?:[>＞›»].{0,30}){2,}|^.{0,40}[>＞›»]\s*正文\s*$|^\s*分享到")


def _content(text: str) -> list[Line]:
    return [ln for ln in lines(text) if not ln.blank]


def _chinese(head: str) -> bool:
    cjk = len(re.findall(r"[\u4e00-\u9fff]", head))
    return cjk > 0.4 * max(1, len(re.sub(r"\s", "", head)))


def official_text(folded: str) -> bool:
    """A full official text near the top: its document number or its addressees on a line of their own, or an
    order's header (a news report quotes a number inline, never on a line alone)."""
    for line in _content(folded[:4000])[:40]:
        stripped = line.stripped
        if DOC_NUMBER.fullmatch(stripped) or ORDER_HEADER.match(line.text):
            return True
        if ADDRESSEE.match(line.text) and stripped.startswith("各") and len(stripped) <= 200:
            return True
    return False


def detect(text: str) -> bool:
    """Chinese prose that reports: a dateline or byline, or a body issuing a titled instrument, in its lead; and no
    official text of its own."""
    head = READING_AID.sub("", to_simplified(text[:LEAD_CHARS]))
    if not _chinese(head[:2500]):
        return False
    # a saved page may open with many lines of menus before its headline
    lead = "\n".join(ln.text for ln in _content(head)[:LEAD_LINES])
    if not (DATELINE.search(lead) or BYLINE.search(lead) or REPORTING.search(lead)):
        return False
    return not official_text(to_simplified(text[:LEAD_CHARS + 1000]))


def _page_date(text: str, folded: str, head: list[Line]) -> Span | None:
    """The page's own date: a labelled one (发布时间：…), else a line of the header that starts with a full date."""
    for line in head:
        label = DATE_LABEL.search(folded, line.start, line.end)
        if label and (m := FULL_DATE.match(folded, label.end(), line.end)):
            return m.start(), m.end()
    for line in head[:8]:
        m = FULL_DATE.search(folded, line.start, line.end)
        if m and not re.search(r"[。，,]", folded[line.start:m.start()]):  # a date inside a sentence is the story's
            return m.start(), m.end()
    return None


def _source(text: str, folded: str, head: list[Line]) -> Span | None:
    """Who the report is from: the value of a 来源： label, up to a date, a bar or the end of the line."""
    for line in head:
        if label := SOURCE_LABEL.search(folded, line.start, line.end):
            end = line.end
            if stop := SOURCE_END.search(folded, label.end(), line.end):
                end = stop.start()
            start, stop_at = trimmed(text, label.end(), end)
            if start < stop_at:
                return start, stop_at
    return None


def _reports(folded: str, line: Line) -> bool:
    """A line that reports a titled instrument, its title possibly wrapping onto the next line."""
    m = REPORTING.search(folded, line.start, min(len(folded), line.end + 125))
    return m is not None and m.start() < line.end


def segment(text: str) -> list[Item]:
    """The whole report as one item: headline, page date, source, dateline and body as labelled fields."""
    folded = to_simplified(text)
    content = [ln for ln in _content(folded)
               if not (CHROME.search(ln.text) or NAVIGATION.search(ln.text)) or REPORTING.search(ln.text)]
    if not content:
        return []
    fields: dict[str, Span] = {}
    head = content[:20]  # labelled dates and sources; a bare date only in the first lines
    first = content[0]
    if len(first.stripped) <= 80 and not re.search(r"[。！？]$", first.stripped):
        fields["headline"] = trimmed(text, first.start, first.end)
    if date := _page_date(text, folded, head):
        fields["published"] = date
    if source := _source(text, folded, head):
        fields["source"] = source
    if dateline := DATELINE.search(folded):
        fields["dateline"] = dateline.span()
    # the body: from the first line that reads as prose (a sentence end or a long line) after the header
    after_headline = content[1:] if "headline" in fields else content
    # or from a heading that reports (《…》解读), which may wrap onto the next line
    body = next((ln for ln in after_headline if len(ln.stripped) > 40 or re.search(r"[。！？]", ln.stripped)
                 or _reports(folded, ln)), None)
    if body is not None:
        # the article ends where the editor signs off or the page's lists and notices begin
        last = next((ln for ln in content if ln.start > body.start and ARTICLE_END.search(ln.text)), None)
        end = max((ln.end for ln in content if ln.start < last.start), default=body.end) if last else content[-1].end
        fields["body"] = trimmed(text, body.start, end)
    start, end = trimmed(text, 0, len(text))
    return [Item(start=start, end=end, kind_hint="news-zh", section="news_zh", fields=fields)]
