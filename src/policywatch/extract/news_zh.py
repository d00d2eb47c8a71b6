"""Records of Chinese news reports: one for each policy a report says a body issued, released or put out for
comment.

A policy is reported by a sentence in which a body issues a titled instrument ("日前，工业和信息化部印发《…》",
"2月7日，国务院反垄断委员会印发…", "工信部就《…》公开征求意见", "官网今天发布《…》解读": an interpretation names the
policy it interprets). The title is taken as written (Traditional kept); the issuers are the bodies named before the
verb, else those the title names before 关于; the date is the day the sentence states (a day without a year takes the
report's year), never a 日前 or 近日; a consultation makes a draft. A short name the report defines (以下简称《…》)
is the same policy. Titles cited in passing (以《反垄断法》为依据, 自《…》印发以来) are no records of the report.
"""

from __future__ import annotations

import bisect
import calendar
import itertools
import re

from policywatch.extract import titles
from policywatch.extract.dates import find_dates
from policywatch.extract.mentions import SUMMARY_CHARS, Context
from policywatch.extract.official import issuers_in, level_of
from policywatch.extract.targets_zh import find_targets_zh
from policywatch.extract.technologies import tag_technologies
from policywatch.model import Item, Mention, Span, Target
from policywatch.segment.news_zh import READING_AID

TITLE = re.compile(r"《(?P<t>[^《》\n]{2,120}|[^《》\n]{1,120}\n[^《》\n]{1,120})》")  # a title may wrap once
SHORT_NAME = re.compile(r"[（(]\s*(?:以下|下文)?(?:简称|下称|称)\s*[“\"《]?(?P<s>[^）)》”\"，,]{1,24})[》”\"]?\s*[）)]")
# the verb just before a title, after the body that acts and the day it acted
VERB_BEFORE = re.compile(r"(?:联合|正式|制定|共同|再次)?(?:印发|发布|出台|下发|公布|公开|颁布|发出|推出|批复|审议通过|"
                         r"印发了|发布了|出台了|公布了)\s*(?:了)?\s*(?:新修订的|修订后的|新版)?\s*$")
CONSULT_BEFORE = re.compile(r"就\s*$")
CONSULT_AFTER = re.compile(r"^\s*(?:[（(][^）)]{0,12}[）)])?\s*(?:向社会)?(?:公开)?征求(?:社会|公众)?意见")
# …发布关于（公开）征求《…》意见的通知: a consultation on the titled draft
ASKED_BEFORE = re.compile(r"(?:印发|发布|下发|发出)?(?:了)?\s*(?:关于)?(?:公开|向社会)?征求\s*(?:对)?\s*$")
ASKED_AFTER = re.compile(r"^\s*(?:[（(][^）)]{0,12}[）)])?\s*(?:的)?(?:修改)?意见")
# 《…》近日由工信部印发: the body after 由
BY_AFTER = re.compile(r"^\s*(?:[（(][^）)]{0,20}[）)])?\s*(?P<when>(?:日前|近日|\d{1,2}\s*月\s*\d{1,2}\s*日|\d{1,2}\s*日)?)\s*"
                      r"(?:已)?由(?P<by>[^，。；\n]{2,60}?)(?:联合|正式|共同)?(?:印发|发布|出台|公布|颁布)")
RELEASED_AFTER = re.compile(r"^\s*(?:[（(][^）)]{0,20}[）)])?\s*(?:日前|近日)?\s*(?:正式)?(?:印发|发布|出台|公布|出炉|公开)"
                            r"(?!以来|之后|后|前|的|给|你们)")  # 现将《…》印发给你们 is an official notice's own words
ACT = re.compile(r"制定|印发|发布|出台|下发|颁布|起草|编制")
# a report about a titled document: 这份《…》, 题为《…》, 《…》中…要求, 《…》提出
ABOUT_BEFORE = re.compile(r"(?:这份|这一|该|此|题为|名为|标题为)[\u4e00-\u9fff]{0,4}$")
ABOUT_AFTER = re.compile(r"\s*(?:[（(][^）)]{0,20}[）)])?\s*(?:中|里|全文|共|提出|明确|要求|指出|强调|规定|显示)")
INTERPRETED_AFTER = re.compile(r"^\s*(?:[（(][^）)]{0,20}[）)])?\s*(?:的)?(?:政策)?(?:解读|答记者问|问答)")
DRAFT = re.compile(r"征求意见稿|草案|试行稿|送审稿|^关于(?:公开)?征求.{2,80}(?:意见|建议)的(?:函|通知|公告)$")
DRAFT_AFTER = re.compile(r"^\s*[（(]\s*(?:征求意见稿|草案|送审稿)\s*[）)]")
# untitled instruments after the verb: 制定发布平台经济领域的反垄断指南
UNQUOTED = re.compile(r"(?:印发|发布|出台|下发|公布|颁布)(?:了)?(?P<t>[\u4e00-\u9fff、“”]{4,40}?(?:指南|指导意见|意见|通知|规划|"
                      r"行动计划|计划|方案|办法|规定|条例|纲要|决定|细则))(?=[，。；、,（(\s]|$)")
# when the body acted: 2月7日, 2021年2月7日, 3日, 今天, 日前（2月20日）
STATED_DAY = re.compile(r"(?:(?:(?P<y>(?:19|20)\d{2})\s*年\s*)?(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日"
                        r"|(?<![\d月])(?P<day>\d{1,2})\s*日)(?!\s*(?:[电讯]|消息))")
# a dateline (…2月22日电) or a news source's day (据工信部3月4日消息) is the report's, not the act's
# a body that drafts or is responsible for a text does not issue it: 全国信息安全标准化技术委员会归口的国家标准
RESPONSIBLE = re.compile(r"(?:(?!发布|印发|由|的|和|与)[\u4e00-\u9fff]){2,30}?(?:委员会|研究院|研究所|中心)"
                         r"(?:归口|提出|起草|负责起草|牵头起草|组织起草)")
SENTENCE = "。！？；\n"
SENTENCE_REACH = 400  # a sentence without an end (a page of one line) is read this far around a title
MAX_RECORDS = 200  # a report names a handful of policies; a hostile text cannot make the work quadratic



def _sentence(text: str, start: int, end: int) -> Span:
    """The sentence around a span (up to 。！？； or a line break), at most SENTENCE_REACH characters either side."""
    low, high = max(0, start - SENTENCE_REACH), min(len(text), end + SENTENCE_REACH)
    begin = max([text.rfind(c, low, start) for c in SENTENCE] + [low - 1]) + 1
    stops = [i for i in (text.find(c, end, high) for c in SENTENCE) if i >= 0]
    return begin, (min(stops) + 1 if stops else high)


def _masked(text: str) -> str:
    """The text with quoted titles blanked (same length): bodies named inside a title issue nothing here."""
    return TITLE.sub(lambda m: "※" * len(m.group()), text)


def _key(title: str) -> str:
    return re.sub(r"[\s\u3000（）()\-—–－~～“”\"]", "", title)


def _day(subject: str, reported: str | None) -> str | None:
    """The day a sentence says the body acted, completed from the report's date; 日前, 近日 and 今天 state none."""
    if (m := list(STATED_DAY.finditer(subject))) and (last := m[-1]):
        if last.group("day"):
            return _day_of_month(int(last.group("day")), reported)
        found = find_dates(re.sub(r"\s+", "", last.group()), reported)
        return found[0].value if found else None
    return None


def _day_of_month(day: int, reported: str | None) -> str | None:
    """A day named alone (3日) in a report of ``reported``: of the report's month, or of the month before when the
    day is later than the report's (28日 in a report of March 1st)."""
    if not reported or len(reported) < 7:
        return None
    year, month = int(reported[:4]), int(reported[5:7])
    if len(reported) == 10 and day > int(reported[8:10]):
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


class _Record:
    """One reported policy while the report is read: its title, where it is named, what the sentences say."""

    def __init__(self, span: Span, title: str, folded: str) -> None:
        self.span, self.title, self.folded = span, title, folded
        self.places: list[Span] = [span]
        self.issuers: list[str] = []
        self.date: str | None = None
        self.draft = False


def _reading(ctx: Context, m: re.Match[str], reported: str | None) -> tuple[list[str], str | None, bool] | None:
    """What the sentence around a title says of it: (issuers, day, draft), or None when it reports no issue."""
    text = ctx.text
    start, end = m.span()
    sentence = _sentence(text, start, end)
    before = text[sentence[0]:start]
    after = text[end:sentence[1]]
    draft = bool(DRAFT_AFTER.match(after) or CONSULT_AFTER.match(after) or DRAFT.search(m.group("t")))
    verb = VERB_BEFORE.search(before)
    consult = CONSULT_BEFORE.search(before) and CONSULT_AFTER.match(after)
    if verb:
        subject = before[:verb.start()]
    elif consult:
        subject = before[:before.rstrip().rfind("就")]
        draft = True
    elif (asked := ASKED_BEFORE.search(before)) and ASKED_AFTER.match(after):
        subject = before[:asked.start()]  # 发布关于征求《…》意见的通知
        draft = True
    elif by := BY_AFTER.match(after):
        return _subject_issuers(by.group("by")), _day(_masked(before + by.group("when")), reported), draft
    elif (RELEASED_AFTER.match(after) or INTERPRETED_AFTER.match(after)) and not re.search(r"自\s*$|随着\s*$|在\s*$", before):
        subject = before  # 《…》印发; 《…》解读 names the policy it interprets
    else:
        return None
    return _subject_issuers(subject), _day(_masked(subject), reported), draft


def _subject_issuers(subject: str) -> list[str]:
    """The bodies that act: those of the clause just before the verb ("工信部近日印发"), else of the whole subject
    (an earlier clause may name the meeting or the day: "工业和信息化部日前召开新闻发布会，…，工信部近日印发")."""
    masked = RESPONSIBLE.sub(lambda m: "※" * len(m.group()), _masked(subject))
    clause = re.split(r"[，,：:]", masked.rstrip("，, "))[-1]
    return issuers_in(clause, None) or issuers_in(masked, None)


def _acting(text: str, body: Span) -> list[str]:
    """The bodies of the first sentence of a report's lead in which a body makes or issues something."""
    position = body[0]
    while position < min(body[1], body[0] + 1500):
        sentence = _sentence(text, position, position)
        verb = ACT.search(text, sentence[0], sentence[1])
        if verb and (found := _subject_issuers(text[sentence[0]:verb.start()])):
            return found
        position = sentence[1] + 1
    return []


def _policy_title(title: str) -> bool:
    """A title that names an instrument (a plan, notice, letter, law…), not a newspaper or a book."""
    return titles.instrument(title) is not None or bool(re.search(r"(?:函|复函|批复|决议|公报)$", title))


def news_zh_mentions(item: Item, ctx: Context, reported: str | None = None) -> list[Mention]:
    """The policies a Chinese news report reports, one record each, in the order the report first names them.

    Reading aids some sites print after rare characters (产(chǎn)业(yè)) are read past: the report is read without
    them and its records' places are given in the text as written."""
    if not READING_AID.search(ctx.text, item.start, item.end):
        return _mentions(item, ctx, reported)
    keep = [True] * len(ctx.text)
    for aid in READING_AID.finditer(ctx.text):
        keep[aid.start():aid.end()] = [False] * (aid.end() - aid.start())
    offsets = [i for i, kept in enumerate(keep) if kept]
    compact_at = list(itertools.accumulate(keep, initial=0))  # position in the text -> position without the aids
    original = ctx.original if ctx.original is not None else ctx.text
    plain = Context("".join(ctx.text[i] for i in offsets), ctx.reference,
                    "".join(original[i] for i in offsets) if ctx.original is not None else None)
    inner = item.model_copy(update={"start": compact_at[item.start], "end": compact_at[item.end],
                                    "fields": {k: (compact_at[a], compact_at[b]) for k, (a, b) in item.fields.items()}})
    offsets.append(len(ctx.text))

    def back(span: Span) -> Span:
        return offsets[span[0]], (offsets[span[1] - 1] + 1 if span[1] > span[0] else offsets[span[0]])

    found = _mentions(inner, plain, reported)
    for mention in found:
        mention.evidence = [back(s) for s in mention.evidence]
        for target in mention.targets:
            target.evidence = [back(s) for s in target.evidence]
    return found


def _mentions(item: Item, ctx: Context, reported: str | None) -> list[Mention]:
    text = ctx.text
    body = item.fields.get("body", (item.start, item.end))
    headline = item.fields.get("headline")
    # each short name by its first definition (以下简称《意见》), which stands for the title just before it
    defined: dict[str, int] = {}
    for short in SHORT_NAME.finditer(text, item.start, item.end):
        defined.setdefault(short.group("s").strip(), short.start())
    shorts = set(defined)
    records: dict[str, _Record] = {}
    order: list[str] = []
    # the body first: the headline says it shorter ("国务院印发《…》" over "中共中央、国务院印发《…》")
    windows = [body] + ([headline] if headline and headline[1] <= body[0] else [])
    for window in windows:
        for m in TITLE.finditer(text, *window):
            folded = m.group("t").strip()
            if folded in shorts or not _policy_title(folded):
                continue
            reading = _reading(ctx, m, reported)
            if reading is None:
                continue
            issuers, day, draft = reading
            key = _key(folded)
            if key not in records:
                if len(records) == MAX_RECORDS:
                    continue
                records[key] = _Record((m.start("t"), m.end("t")), ctx.written(m.start("t"), m.end("t")), folded)
                order.append(key)
            record = records[key]
            record.places.append(_sentence(text, *m.span()))
            record.issuers = list(dict.fromkeys(record.issuers + issuers))
            record.date = record.date or day
            record.draft = record.draft or draft
    if not records:
        _fallback(ctx, item, body, headline, shorts, records, order, reported)
    for record in records.values():
        if not record.issuers:  # an interpretation titled by its policy: the body says who made it
            record.issuers = _acting(text, body)
    starts = sorted((records[k].span[1], k) for k in order)
    for name, at in list(defined.items())[:MAX_RECORDS]:
        # the places of a short name are the policy's whose title it follows
        owner = bisect.bisect_right(starts, (at, "\uffff")) - 1
        if owner >= 0:
            places = records[starts[owner][1]].places
            pattern = re.compile("《" + re.escape(name) + "》")
            places += [m.span() for m in pattern.finditer(text, item.start, item.end)]
    firsts = sorted(min(s for s, _ in records[k].places) for k in order)
    return [_mention(ctx, records[k], i == 0, firsts, body, reported) for i, k in enumerate(order)]


def _fallback(ctx: Context, item: Item, body: Span, headline: Span | None, shorts: set[str],
              records: dict[str, _Record], order: list[str], reported: str | None) -> None:
    """A report whose lead names its policy otherwise: an untitled instrument after a verb of issue ("…委员会制定发布
    平台经济领域的反垄断指南"), else the first titled instrument whose sentence or title names a body ("在这份《关于
    提升5G服务质量的通知》中，工信部要求", "这份文件题为《中共中央 国务院关于…》")."""
    text = ctx.text
    lead_end = min(body[1], body[0] + 600)
    spans = ([headline] if headline else []) + [(body[0], lead_end)]
    for window in spans:
        for m in UNQUOTED.finditer(text, *window):
            sentence = _sentence(text, *m.span())
            issuers = _subject_issuers(text[sentence[0]:m.start()])
            if not issuers:
                continue
            record = _Record(m.span("t"), ctx.written(*m.span("t")), m.group("t"))
            record.issuers, record.places = issuers, [record.span, sentence]
            record.date = _day(text[sentence[0]:m.start()], reported)
            records[_key(m.group("t"))] = record
            order.append(_key(m.group("t")))
            return
    for window in spans:
        for m in TITLE.finditer(text, *window):
            folded = m.group("t").strip()
            if folded in shorts or not _policy_title(folded):
                continue
            sentence = _sentence(text, *m.span())
            if not (ABOUT_BEFORE.search(text, sentence[0], m.start()) or ABOUT_AFTER.match(text, m.end(), sentence[1])):
                continue  # a title named in passing ("将落实《…》") is no report of it
            prefix = folded[:folded.find("关于")] if "关于" in folded else ""
            issuers = issuers_in(prefix, None) or issuers_in(_masked(text[sentence[0]:sentence[1]]), None)
            if not issuers:
                continue
            record = _Record((m.start("t"), m.end("t")), ctx.written(m.start("t"), m.end("t")), folded)
            record.issuers, record.places = issuers, [record.span, sentence]
            record.draft = bool(DRAFT.search(folded) or CONSULT_AFTER.match(text[m.end():sentence[1]]))
            records[_key(folded)] = record
            order.append(_key(folded))
            return


def _goal(target: Target, text: str, reported: str | None) -> bool:
    """A goal the report quotes, not a figure of the past ("“十三五”期间…年均增长13.6%" in a report of 2021) nor a
    word that begins with a numeral (零部件)."""
    if target.year is not None and reported and target.year < int(reported[:4]):
        return False
    return not (target.evidence and text[target.evidence[0][0]] == "零")


def _mention(ctx: Context, record: _Record, lead: bool, firsts: list[int], body: Span, reported: str | None) -> Mention:
    """The record of one reported policy: its goals are those stated from its first naming to the next policy's (the
    report's first policy takes those of its lead too)."""
    text = ctx.text
    first = min(s for s, _ in record.places)
    start = min(first, body[0]) if lead else first
    later = bisect.bisect_right(firsts, start)
    end = firsts[later] if later < len(firsts) else body[1]
    window = (start, max(end, start))
    targets = [t for t in find_targets_zh(text[window[0]:window[1]], window[0]) if _goal(t, text, reported)]
    evidence = [record.span, *sorted(set(record.places) - {record.span})]
    summary = re.sub(r"\s+", " ", text[body[0]:min(body[1], body[0] + 2 * SUMMARY_CHARS)])[:SUMMARY_CHARS].strip() or None
    mention = Mention(
        kind="policy", evidence=evidence, title_zh=re.sub(r"[\s\u3000]+", "", record.title), issuers=record.issuers,
        date=record.date, status="draft" if record.draft else "final", period=titles.period(record.folded),
        instrument=titles.instrument(record.folded), level=level_of(record.issuers), targets=targets[:200],
        summary=summary)
    mention.technologies = tag_technologies(record.folded + " " + text[body[0]:body[1]][:3000])
    return mention
