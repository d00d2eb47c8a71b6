"""Records of Chinese official documents and laws: the policy a notice issues or transmits, the notice that
forwards another, orders and the measures they promulgate, laws with their adoption note, and the policies a
text cites by title and number or names as its legal basis.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from policywatch import places
from policywatch.extract import titles
from policywatch.extract.agencies import find_agencies, issuing_bodies
from policywatch.extract.context import squash
from policywatch.extract.dates import find_dates
from policywatch.extract.localities import find_local_bodies
from policywatch.extract.mentions import SUMMARY_CHARS, Context
from policywatch.extract.money import MoneyMatch, amount, funding_zh
from policywatch.extract.targets_zh import find_targets_zh
from policywatch.extract.technologies import tag_technologies
from policywatch.model import Item, Mention, Relation, Span
from policywatch.registry import agency
from policywatch.segment.official import DOC_NUMBER

_ZH_DIGIT = r"[\d〇零一二三四五六七八九十]"
_ZH_DATE = rf"(?:(?:19|20)\d{{2}}|[〇零○Ｏ一二三四五六七八九]{{4}})\s*年\s*{_ZH_DIGIT}{{1,3}}\s*月\s*{_ZH_DIGIT}{{1,3}}\s*日"
EFFECTIVE = re.compile(rf"自\s*(?P<date>{_ZH_DATE})\s*起\s*(?:施行|实施|生效|执行)")
ON_ISSUE = re.compile(r"自(?:公布|发布|印发|颁布)之日起\s*(?:施行|实施|生效|执行)")
# 关于转发《…》的通知, or 国务院办公厅转发国家发展改革委关于…的意见的通知 (the forwarded title as written)
FORWARD = re.compile(r"^(?P<issuer>.*?)(?:关于)?(?:转发|印转)(?:(?P<x>《.+》)的?|(?P<xb>.+?关于.+)的)(?:通知|函)$")
_NOTICE = r"(?:通知|决定|公告|通告|函)"
TRANSMIT = re.compile(rf"^(?P<issuer>.*?)关于(?:联合|重新|修订)?(?:印发|发布|颁布|公布|下发|印送|出台)(?P<x>.+?)的{_NOTICE}$")
COMMENT = re.compile(rf"^(?P<issuer>.*?)关于(?:公开|向社会公开)?征求(?:对)?(?P<x>《.+?》)(?:（征求意见稿）)?(?:的)?"
                     rf"(?:意见|修改意见)的{_NOTICE}$"
                     rf"|^(?P<issuer2>.*?)关于(?:对)?(?P<x2>《.+?》)(?:（征求意见稿）)?(?:公开|向社会公开)?征求(?:社会)?意见的{_NOTICE}$")
REFERENCE = re.compile(r"《(?P<t>[^《》]{4,120})》\s*[（(]\s*(?P<n>[^（）()]{4,40}?)\s*[）)]")
BASIS = re.compile(r"(?:根据|依据|依照|按照)(?P<list>(?:\s*[《](?:[^《》]{2,80})[》](?:\s*[和及与、，,]\s*)?)+)")
REPEALED = re.compile(r"(?P<list>(?:《[^《》]{2,80}》\s*(?:[（(][^（）()]{2,40}[）)])?\s*[和及与、，,]?\s*)+)(?:同时|即行)?废止")
DEADLINE = re.compile(rf"(?:截止|截至)(?:日期|时间)?(?:为|是|[：:])?\s*(?P<date>{_ZH_DATE})|(?P<date2>{_ZH_DATE})(?:前|之前)")
ADOPTED_BY = re.compile(r"(?P<body>全国人民代表大会常务委员会|全国人民代表大会|国务院)第.{1,12}次(?:常务)?(?:会议|全体会议)")
SHORTHAND_PROVINCE = re.compile(r"^\s*(?P<abbrev>[\u4e00-\u9fff])[\u4e00-\u9fff]{0,10}[〔［\[(（【]")
FIVE_YEAR = re.compile(r"[“\"]?十[一二三四五六]五[”\"]?")


@dataclass(frozen=True)
class Title:
    """A notice's title read: the policy it names (span inside the title) and how."""

    kind: str  # "forward", "transmit", "comment" or "own"
    policy: Span  # the policy's title, as a span of the document
    issuer: Span  # the issuing bodies written before 关于


def _joined(text: str, span: Span) -> tuple[str, list[int]]:
    """A title over several lines as one string without its line breaks, with each character's offset."""
    chars, offsets = [], []
    for i in range(*span):
        if not text[i].isspace() or (0 < i < len(text) - 1 and text[i] == " " and text[i - 1].isascii()
                                     and text[i + 1].isascii() and text[i - 1].isalnum()):
            chars.append(text[i])
            offsets.append(i)
    return "".join(chars), offsets


def _strip_quotes(joined: str, start: int, end: int) -> tuple[int, int]:
    while end - start > 2 and joined[start] in "《〈" and joined[end - 1] in "》〉":
        start, end = start + 1, end - 1
    return start, end


def read_title(text: str, span: Span) -> Title:
    """What a title says: 关于印发《X》的通知 names X; 关于转发《…》的通知 forwards; a comment notice names its draft."""
    joined, offsets = _joined(text, span)

    def to_span(a: int, b: int) -> Span:
        return (offsets[a], offsets[b - 1] + 1) if b > a else (span[0], span[0])

    whole = to_span(0, len(joined))
    if m := FORWARD.match(joined):
        return Title("forward", whole, to_span(*m.span("issuer")))
    if m := COMMENT.match(joined):
        group = "x" if m.group("x") else "x2"
        issuer = "issuer" if m.group("x") else "issuer2"
        return Title("comment", to_span(*_strip_quotes(joined, *m.span(group))), to_span(*m.span(issuer)))
    if m := TRANSMIT.match(joined):
        return Title("transmit", to_span(*_strip_quotes(joined, *m.span("x"))), to_span(*m.span("issuer")))
    issuer_end = joined.find("关于")
    return Title("own", whole, to_span(0, max(issuer_end, 0)))


def written(ctx: Context, span: Span) -> str:
    """A title or number as the document writes it, without its line breaks."""
    return _joined(ctx.original if ctx.original is not None else ctx.text, span)[0]


def _field(item: Item, *names: str) -> Span | None:
    return next((item.fields[n] for n in names if n in item.fields), None)


def _place(item: Item, ctx: Context) -> places.Place | None:
    """The province or city a document speaks for: its signature, header, page source, or document number."""
    for name in ("signature", "header", "meta_issuer", "meta_source", "order"):
        if (span := item.fields.get(name)) is not None:
            for body in find_local_bodies(ctx.text[span[0]:span[1]]):
                if body.place is not None:
                    return body.place
    number = _field(item, "doc_number", "meta_number")
    if number and (m := SHORTHAND_PROVINCE.match(ctx.text[number[0]:number[1]])):
        return places.by_abbrev().get(m.group("abbrev"))
    return None


def issuers_in(text: str, place: places.Place | None) -> list[str]:
    """Issuing bodies named in a header, signature or title prefix; a local body written without its place
    (省工业和信息化厅) takes the document's place; a body the registry lacks keeps its name as written."""
    found = [(a.start, a.id) for a in issuing_bodies(text)]
    for body in find_local_bodies(text):
        if body.place is None and place is not None:
            found.append((body.start, f"{place.slug}-{body.counterpart}"))
    return list(dict.fromkeys(i for _, i in sorted(found)))


def _date(ctx: Context, span: Span | None) -> str | None:
    if span is None:
        return None
    dates = find_dates(ctx.text[span[0]:span[1]])
    return dates[0].value if dates else None


def effective_date(text: str, issued: str | None) -> str | None:
    """The date a text says it takes effect: 自2025年1月1日起施行, or 自公布之日起施行 (its date of issue)."""
    if m := EFFECTIVE.search(text):
        dates = find_dates(m.group("date"))
        return dates[0].value if dates else None
    return issued if ON_ISSUE.search(text) else None


def level_of(issuers: list[str]) -> str:
    """The level of government of the highest issuer (national before provincial, municipal and county)."""
    levels = [a.level for i in issuers if (a := agency(i)) is not None]
    for level in ("national", "provincial", "municipal", "county"):
        if level in levels:
            return level
    return "national"


def _sentence(text: str, position: int) -> Span:
    """The sentence (up to 。；！？ or a line break) around a position."""
    start = max(text.rfind(c, 0, position) for c in "。；！？\n") + 1
    ends = [i for i in (text.find(c, position) for c in "。；！？\n") if i >= 0]
    return start, (min(ends) + 1 if ends else len(text))


def _policy(ctx: Context, title: Title | None, *, evidence: list[Span], issuers: list[str], date: str | None,
            doc_number: str | None, body: str, targets_from: Span | None) -> Mention:
    title_zh = written(ctx, title.policy) if title else None
    folded_title = _joined(ctx.text, title.policy)[0] if title else ""
    targets = find_targets_zh(ctx.text[targets_from[0]:targets_from[1]], targets_from[0]) if targets_from else []
    evidence = list(evidence) + [_sentence(ctx.text, t.evidence[0][0]) for t in targets if t.evidence]
    status = "draft" if (title and title.kind == "comment") or re.search(r"征求意见稿|草案|试行稿", folded_title) else "final"
    # the title's span first: it is what a search hit on the record cites
    mention = Mention(
        kind="policy", evidence=list(dict.fromkeys(evidence)), title_zh=title_zh or None, doc_number=doc_number,
        issuers=issuers, date=date, date_effective=effective_date(body, date), status=status,
        period=titles.period(folded_title), instrument=titles.instrument(folded_title), level=level_of(issuers),
        targets=targets, summary=squash(body)[:SUMMARY_CHARS].strip() or None)
    if status == "draft" and (deadline := DEADLINE.search(body)):
        found = find_dates(deadline.group("date") or deadline.group("date2"))
        mention.comment_deadline = found[0].value if found else None
    if targets_from:
        goals = {t.evidence[0] for t in targets if t.evidence}
        mention.amounts = [amount(MoneyMatch(m.value, m.currency, targets_from[0] + m.start, targets_from[0] + m.end), date)
                           for m in funding_zh(ctx.text[targets_from[0]:targets_from[1]])
                           if (targets_from[0] + m.start, targets_from[0] + m.end) not in goals]
    mention.technologies = tag_technologies(folded_title + " " + body[:3000])
    return mention


def _number(ctx: Context, item: Item) -> tuple[str | None, list[Span]]:
    """The document number as written and its spans: 发文字号, or an order's header and number (…令第790号)."""
    spans = [s for s in (item.fields.get("doc_number"), item.fields.get("meta_number")) if s]
    if order := item.fields.get("order"):
        return re.sub(r"[\s\u3000]+", "", ctx.written(*order)), [order]
    if not spans:
        return None, []
    return re.sub(r"[\s\u3000]+", "", ctx.written(*spans[0])), spans


def official_mentions(item: Item, ctx: Context) -> list[Mention]:
    """The records of one official document: its policy (or the notice and the policy it forwards) and the
    policies it cites."""
    title_span = _field(item, "title", "meta_title")
    title = read_title(ctx.text, title_span) if title_span else None
    place = _place(item, ctx)
    doc_number, number_spans = _number(ctx, item)
    sources = [item.fields[n] for n in ("header", "order", "meta_issuer", "signature") if n in item.fields]
    if title is not None and title.issuer[1] > title.issuer[0]:
        sources.insert(0, title.issuer)
    issuers = list(dict.fromkeys(i for s in sources for i in issuers_in(ctx.text[s[0]:s[1]], place)))
    order = item.fields.get("order")
    if order and re.search(r"等[一二三四五六七八九十\d]+(?:个)?部[门委]", ctx.text[order[0]:order[1]]) and title_span:
        # "…等七部门令": the other bodies are named where the order says who agreed (经…同意)
        line_end = ctx.text.find("\n", title_span[1])
        issuers = list(dict.fromkeys(issuers + issuers_in(ctx.text[title_span[0]:line_end], place)))
    if order and not issuers and title_span:
        # a presidential order promulgates what a congress passed: the body named in the promulgation
        line_end = ctx.text.find("\n", title_span[1])
        if by := ADOPTED_BY.search(ctx.text[title_span[1]:line_end if line_end > 0 else item.end]):
            issuers = [a.id for a in find_agencies(by.group("body"))][:1]
    date = _date(ctx, _field(item, "closing_date", "meta_date"))
    body_span = (title_span[1] if title_span else item.start, item.end)
    body = ctx.text[body_span[0]:body_span[1]]
    evidence = [s for s in (title_span, item.fields.get("meta_title"), order, item.fields.get("closing_date"))
                if s] + number_spans
    found: list[Mention] = []
    forwarded: Mention | None = None
    if title is not None and title.kind == "forward":
        notice = _policy(ctx, title, evidence=evidence, issuers=issuers, date=date, doc_number=doc_number,
                         body=body, targets_from=None)
        notice.instrument = "notice"
        found.append(notice)
        forwarded = _forwarded(ctx, title, body_span, place)
        if forwarded is not None:
            forwarded.relations.append(Relation(type="forwarded_by", title_zh=notice.title_zh,
                                                doc_number=doc_number, evidence=[title.policy]))
            found.append(forwarded)
    else:
        found.append(_policy(ctx, title, evidence=evidence, issuers=issuers, date=date, doc_number=doc_number,
                             body=body, targets_from=body_span))
    main = found[0]
    main.relations += repeals(ctx.text, body_span[0], body)
    skip = {forwarded.doc_number} if forwarded is not None and forwarded.doc_number else set()
    found += cited_policies(ctx, body_span, place, skip | ({doc_number} if doc_number else set()))
    return found


def _forwarded(ctx: Context, title: Title, body_span: Span, place: places.Place | None) -> Mention | None:
    """The policy a 转发 notice forwards: its own title read again, its number where the body cites it."""
    joined, offsets = _joined(ctx.text, title.policy)
    m = FORWARD.match(joined)
    if m is None:
        return None
    a, b = _strip_quotes(joined, *m.span("x" if m.group("x") else "xb"))
    inner = read_title(ctx.text, (offsets[a], offsets[b - 1] + 1))
    inner_text = _joined(ctx.text, (offsets[a], offsets[b - 1] + 1))[0]
    number, number_span = None, None
    body = ctx.text[body_span[0]:body_span[1]]
    for ref in REFERENCE.finditer(body):
        if _joined(ref.group("t"), (0, len(ref.group("t"))))[0] == inner_text and DOC_NUMBER.fullmatch(ref.group("n")):
            number = re.sub(r"[\s\u3000]+", "", ctx.written(body_span[0] + ref.start("n"), body_span[0] + ref.end("n")))
            number_span = (body_span[0] + ref.start(), body_span[0] + ref.end())
            break
    issuers = issuers_in(ctx.text[inner.issuer[0]:inner.issuer[1]], place)
    evidence = [number_span] if number_span else [inner.policy]
    return _policy(ctx, inner, evidence=evidence, issuers=issuers, date=None, doc_number=number, body=body,
                   targets_from=body_span)


def repeals(text: str, offset: int, body: str) -> list[Relation]:
    """Policies a text repeals (…同时废止)."""
    relations = []
    for m in REPEALED.finditer(body):
        for title in re.finditer(r"《([^《》]{2,80})》", m.group("list")):
            relations.append(Relation(type="repeals", title_zh=title.group(1),
                                      evidence=[(offset + m.start(), offset + m.end())]))
    return relations


def cited_policies(ctx: Context, span: Span, place: places.Place | None, skip: set[str]) -> list[Mention]:
    """Policies a text cites: 《title》（document number）, and laws named as its legal basis (根据《…》)."""
    text = ctx.text[span[0]:span[1]]
    found: list[Mention] = []
    for m in REFERENCE.finditer(text):
        if not DOC_NUMBER.fullmatch(m.group("n")):
            continue
        number = re.sub(r"[\s\u3000]+", "", ctx.written(span[0] + m.start("n"), span[0] + m.end("n")))
        if number in skip:
            continue
        skip.add(number)
        title = read_title(ctx.text, (span[0] + m.start("t"), span[0] + m.end("t")))
        issuers = issuers_in(ctx.text[title.issuer[0]:title.issuer[1]], place)
        found.append(_policy(ctx, title, evidence=[(span[0] + m.start(), span[0] + m.end())], issuers=issuers,
                             date=None, doc_number=number, body="", targets_from=None))
    for m in BASIS.finditer(text):
        for law in re.finditer(r"《([^《》]{2,80})》", m.group("list")):
            start, end = span[0] + m.start("list") + law.start(), span[0] + m.start("list") + law.end()
            if any(s <= start < e for f in found for s, e in f.evidence):
                continue
            folded = law.group(1)
            found.append(Mention(kind="policy", evidence=[(start, end)], title_zh=ctx.written(start + 1, end - 1),
                                 status="final", instrument=titles.instrument(folded), level="national"))
    return found

