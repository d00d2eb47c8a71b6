"""Records of Chinese laws and regulations: the version the text is, with the earlier steps of its history.

A law's history lists its steps (通过, 修正, 修订, 公布, 施行…), each with its date and the body that took it. The
record is the version the text is: its date is that of the last step that made a text (通过, 修正, 修订, 公布…),
its issuer the body of that step, its effective date the one this version states; the earlier steps become its
``versions``. An order page (《…》已经…通过，现予公布) is read as an official order, its adoption an earlier step.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from policywatch.extract import titles
from policywatch.extract.agencies import find_agencies
from policywatch.extract.dates import find_dates
from policywatch.extract.mentions import Context
from policywatch.extract.official import cited_policies, official_mentions, repeals
from policywatch.extract.technologies import tag_technologies
from policywatch.model import Item, Mention, Span, Version
from policywatch.segment.law import DATE

STEP_DATE = re.compile(DATE)
MAKES = ("通过", "修正", "修订", "公布", "发布", "颁布", "修改")  # steps that make a version of the text
IN_FORCE_STEP = ("施行", "实施", "生效")
# 批准 (approved before a ministry publishes it) and 废止 (repealed) are steps that make no text of it
STEP_WORD = re.compile("|".join(MAKES + IN_FORCE_STEP + ("批准", "废止")))
QUOTED = re.compile(r"《[^《》]*》")
ORDINAL = re.compile(r"第[一二三四五六七八九十]+次$")
ORDER_NUMBER = re.compile(r"[\u4e00-\u9fff、]{2,60}?令\s*第\s*[\d一二三四五六七八九十百零〇]{1,8}\s*号"
                          r"|[\u4e00-\u9fff、]{2,60}?第\s*[\d一二三四五六七八九十百零〇]{1,8}\s*号令")
# the article that brings this text into force: 本法自2021年11月1日起施行, 本条例自公布之日起施行
IN_FORCE = re.compile(rf"本[\u4e00-\u9fff]{{1,6}}?[自从]\s*(?:(?P<date>{DATE})|(?P<issue>公布|发布|颁布|印发)之日)\s*起?\s*"
                      r"(?:施行|实施|生效|执行)")
# the order's sentence: 自2002年1月1日起施行, 自发布之日起施行 (a line break may fall anywhere in it)
ORDER_IN_FORCE = re.compile(rf"自\s*(?:(?P<date>{DATE})|(?:公\s*布|发\s*布|颁\s*布)\s*之\s*日)\s*起?\s*(?:施\s*行|实\s*施)")
ADOPTION = re.compile(r"(?:已经|已由|经)(?P<by>[^，。；]{2,200}?)(?:审议)?通过")


@dataclass
class Step:
    """One step of a law's history as its text states it."""

    step: str
    date: str | None
    span: Span
    body: str | None = None
    issuers: list[str] = field(default_factory=list)
    in_force: bool = False  # the same step also brings it into force (公布施行)

    def version(self) -> Version:
        return Version(step=self.step, date=self.date, issuers=self.issuers, body=self.body, evidence=[self.span])


# full-width digits (２０１２年１２月１９日), as some histories write them, read as ASCII ones
FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def _date(text: str) -> str | None:
    found = find_dates(text.translate(FULL_WIDTH_DIGITS))
    return found[0].value if found else None


def _masked(text: str) -> str:
    """The text with quoted titles blanked (same length): their words (实施条例, 决定) are no steps."""
    return QUOTED.sub(lambda m: "※" * len(m.group()), text)


def _issuers(body: str) -> list[str]:
    """The body that took a step: the first agency named outside quoted titles, else inside them; a joint order
    (国务院、中央军事委员会令) or a session of bodies joined by 、 or 和 is taken by all of them."""
    text = _masked(body)
    found = find_agencies(text)
    if not found:
        text, found = body, find_agencies(body)
    if not found:
        return []
    joint = [found[0]]
    for nxt in found[1:]:
        # the next name follows the last after only a joiner (and the state's name it may repeat)
        gap = re.sub(r"中华人民共和国|中国", "", text[joint[-1].end:nxt.start])
        if gap.strip(" \u3000") not in ("、", "和", "与", "及"):
            break
        joint.append(nxt)
    return list(dict.fromkeys(a.id for a in joint))


def history_steps(text: str, span: Span) -> list[Step]:
    """The steps of a history block or note: each begins at a date and names what was done (linear in its size)."""
    block = text[span[0]:span[1]]
    dates = list(STEP_DATE.finditer(block))
    steps: list[Step] = []
    for i, m in enumerate(dates):
        end = dates[i + 1].start() if i + 1 < len(dates) else len(block)
        chunk = block[m.end():end]
        masked = _masked(chunk)
        # (word, start, end) of each step word outside quoted titles
        words = [(w.group(), w.start(), w.end()) for w in STEP_WORD.finditer(masked)]
        if not words:
            # an entry cut short (…第十三届全国人民代表大会第二次) that still names the body: adopted, then amended
            if not find_agencies(masked):
                continue
            at = len(chunk.rstrip())
            words = [("修正" if steps else "通过", at, at)]
        makes = next((w for w in words if w[0] in MAKES), None)
        word, word_start, word_end = makes or words[0]
        body = chunk[:word_start].strip(" \u3000\t\n，,")
        body = re.sub(r"^(?:根据|经|由|在)", "", body)
        body = ORDINAL.sub("", body).strip(" \u3000\t\n，,")
        # the body is the session or order; the amending decision's title names it only when nothing else does
        unquoted = QUOTED.sub("", body).strip(" \u3000\t\n，,")
        stop = re.search(r"[。；]|根据\s*$", chunk[word_end:])
        step_end = word_end + (stop.start() if stop else len(chunk) - word_end)
        steps.append(Step(
            step=word, date=_date(m.group()), span=(span[0] + m.start(), span[0] + m.end() + step_end),
            body=unquoted or body or None, issuers=_issuers(body) if body else [],
            in_force=makes is not None and any(w[0] in IN_FORCE_STEP and w[1] > word_start for w in words)))
    return steps


def _effective(ctx: Context, steps: list[Step], current: int, body_start: int, item_end: int) -> str | None:
    """When the version takes effect: a 施行 step after it, the text's own article, or the version's day."""
    record = steps[current]
    if record.in_force:
        return record.date
    later = next((s for s in steps[current + 1:] if s.step in IN_FORCE_STEP), None)
    if later is not None:
        return later.date
    # a 施行 line the history keeps from the first version (公布, 施行, then amendments) is the day it states
    stated_step = next((s for s in reversed(steps[:current]) if s.step in IN_FORCE_STEP and s.date), None)
    if stated_step is not None:
        return stated_step.date
    stated = _effective_from_article(ctx, body_start, item_end, record.date)
    if stated is None or (record.date is not None and stated < record.date):
        # a text that names no day is in force from its promulgation; an article naming a day before the version was
        # made speaks for an earlier version (an amending decision leaves it as it was): the version's own day
        return record.date
    return stated


def _number(ctx: Context, span: Span) -> str | None:
    """An order's number in a step (中华人民共和国国务院令第745号), as written."""
    start = (dated.end() if (dated := STEP_DATE.match(ctx.text, span[0], span[1])) else span[0])
    if m := ORDER_NUMBER.search(_masked(ctx.text[start:span[1]])):
        return re.sub(r"[\s\u3000]+", "", ctx.written(start + m.start(), start + m.end()))
    return None


def _cited(ctx: Context, span: Span, own: str | None) -> list[Mention]:
    """Laws the text names as its basis, one record per title (its places gathered); not the law itself."""
    found: dict[str, Mention] = {}
    for mention in cited_policies(ctx, span, None, set()):
        key = mention.doc_number or mention.title_zh or ""
        if own and own in (mention.title_zh or ""):
            continue  # the law itself, or its own amendment: where the law is named, it is the record
        if key in found:
            found[key].evidence += mention.evidence
        else:
            found[key] = mention
    return list(found.values())


def law_mentions(item: Item, ctx: Context) -> list[Mention]:
    """A law or regulation: the version the text is, its earlier steps, and the laws it names as its basis."""
    if item.section == "order":
        return order_mentions(item, ctx)
    title_span = item.fields["title"]
    history = item.fields.get("history")
    steps = history_steps(ctx.text, history) if history else []
    current = max((i for i, s in enumerate(steps) if s.step in MAKES and s.date), default=None)
    body_start = history[1] if history else title_span[1]
    date = effective = number = None
    issuers: list[str] = []
    versions: list[Version] = []
    evidence = [title_span]
    if current is not None:
        record = steps[current]
        date, number, evidence = record.date, _number(ctx, record.span), [title_span, record.span]
        # a law promulgated by the President's order is made by the congress that passed it
        issuers = next((s.issuers for s in reversed(steps[:current + 1]) if s.issuers), [])
        if current and steps[current - 1].step == "批准":
            # approved by the State Council, then published by a ministry's order: a regulation of both
            issuers = list(dict.fromkeys(steps[current - 1].issuers + issuers))
        effective = _effective(ctx, steps, current, body_start, item.end)
        versions = [s.version() for s in steps[:current]]
    else:
        effective = _effective_from_article(ctx, body_start, item.end, None)
    folded_title = ctx.text[title_span[0]:title_span[1]]
    body = ctx.text[body_start:item.end]
    mention = Mention(
        kind="policy", evidence=evidence, title_zh=re.sub(r"[\s\u3000]+", "", ctx.written(*title_span)),
        doc_number=number, issuers=issuers, date=date, date_effective=effective,
        status="draft" if re.search(r"草案|征求意见稿", folded_title) else "final", period=titles.period(folded_title),
        instrument=titles.instrument(folded_title), level="national", versions=versions)
    mention.technologies = tag_technologies(folded_title + " " + body[:3000])
    mention.relations += repeals(ctx.text, body_start, body)
    return [mention, *_cited(ctx, (body_start, item.end), mention.title_zh)]


def _effective_from_article(ctx: Context, start: int, end: int, issued: str | None) -> str | None:
    """The date the text's last in-force article names (本法自…起施行), or the day of issue (自公布之日起)."""
    last = None
    for found in IN_FORCE.finditer(ctx.text, start, end):
        last = found
    if last is None:
        return None
    return _date(last.group("date")) if last.group("date") else issued


def order_mentions(item: Item, ctx: Context) -> list[Mention]:
    """An order page: read as an official order; its adoption (已经…通过) becomes the earlier step, and a page
    without a header or a date line takes its issuer and date from the adoption."""
    found = official_mentions(item, ctx)
    if not found:
        return found
    main = found[0]
    sentence = item.fields["promulgation"]
    adopted = ADOPTION.search(ctx.text, sentence[0], sentence[1])
    if adopted is None:
        # 现发布《…》，自发布之日起施行: the order's own sentence says when, the page may wrap it
        if main.date_effective is None and (stated := ORDER_IN_FORCE.search(ctx.text, sentence[0], sentence[1])):
            main.date_effective = _date(stated.group("date")) if stated.group("date") else main.date
        return found
    by = adopted.group("by")
    date = _date(by)
    body = re.sub(r"[\s\u3000]+", "", STEP_DATE.sub("", by)).removesuffix("于").removesuffix("审议") or None
    step = Step(step="通过", date=date, span=adopted.span(), body=body, issuers=_issuers(by))
    if not main.issuers:
        main.issuers = step.issuers
    if main.date is None:
        main.date = date
        if main.date_effective is None:
            main.date_effective = _effective_from_article(ctx, sentence[0], sentence[1], date)
    else:
        main.versions = [step.version()]
    return found
