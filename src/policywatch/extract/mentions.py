"""Build Mentions (policy, event, personnel) from the items a segmenter found, field extractor by field extractor."""

from __future__ import annotations

import re
from dataclasses import dataclass

from policywatch.extract import titles
from policywatch.extract.agencies import agency_ids, find_agencies, resolve_issuers
from policywatch.extract.companies import find_companies
from policywatch.extract.context import (
    drop_links,
    release_dates,
    squash,
    subject_issuers,
)
from policywatch.extract.dates import find_dates
from policywatch.extract.money import amount, find_money
from policywatch.extract.people import find_personnel
from policywatch.extract.targets import find_targets, lead_in_year, merge_targets
from policywatch.extract.technologies import tag_technologies
from policywatch.model import Item, Mention, Relation, Span

EVENT_TYPES = [
    ("M&A", r"\bacqui\w+|\bmerger|\btakeover|\bbuys?\b|\bstake\b"),
    ("IPO", r"\bIPO\b|\blisting\b|\bgoes public\b|\blist(?:s|ed)? (?:on|in)\b"),
    ("investment", r"\binvest\w*|\bfunding\b|\braises?\b|\bfinancing\b|\bround\b"),
    ("partnership", r"\bpartner\w*|\bagreement\b|\bjoint venture\b|\bcooperat\w+|\bteams? up\b|\bwill use\b"),
    ("licence", r"\blicen[cs]e\b|\bapproval\b|\bpermit\b"),
    ("termination", r"\bterminat\w+|\bcancel\w*|\bwithdraw\w*|\bexits?\b"),
    ("product", r"\blaunch\w*|\bunveil\w*|\brelease\w*|\broll\w* out\b"),
    ("report", r"\bsurvey\b|\breport\w*|\bestimat\w+|\bforecast\w*"),
]


SUMMARY_CHARS = 1000
SUMMARY_JOIN = " | "  # between the summaries of two descriptions of one record
SUMMARY_LIMIT = 1500  # a summary this long takes no further description's (their places stay in the evidence)


@dataclass(frozen=True)
class Context:
    """What every builder needs besides the item: the text and the date the document speaks from.

    ``text`` is folded to Simplified characters for matching; ``original`` is the text as written, which titles
    and document numbers are taken from (both have the same offsets).
    """

    text: str
    reference: str | None
    original: str | None = None

    def written(self, start: int, end: int) -> str:
        """The text of a span as the document writes it."""
        return (self.original if self.original is not None else self.text)[start:end]


def _when(date: str | None, reference: str | None) -> str | None:
    """The date money refers to: the record's own, else the date the document speaks from."""
    return date or reference


def _amounts(text: str, offset: int, when: str | None, exclude: list[Span] | None = None) -> list:
    found = []
    for money in find_money(text):
        span = (offset + money.start, offset + money.end)
        if exclude and any(s <= span[0] < e for s, e in exclude):
            continue
        found.append(amount(money.__class__(money.value, money.currency, *span), when))
    return found


PREDECESSOR = re.compile(r"predecessor\W*(?:\([^)]*\)\W*)?\(?(?:covering|for|of)?\s*((?:19|20)\d{2})\s*[-–—to]+\s*"
                         r"((?:19|20)\d{2})", re.I)
EARLIER_VERSION = re.compile(r"(?:step\s+(?:down|up|back)|departure|change|different|revision|revised|up|down)\s+from\s+"
                             r"(?:an?|the)\s+((?:19|20)\d{2})\s+(?:[A-Z]{2,6}\s+)?(draft|plan|policy|version)", re.I)


def relations_in(text: str, offset: int, reference: str | None, title_en: str | None) -> list[Relation]:
    relations: list[Relation] = []
    for m in PREDECESSOR.finditer(text):
        relations.append(Relation(type="supersedes", period=(int(m.group(1)), int(m.group(2))),
                                  evidence=[(offset + m.start(), offset + m.end())]))
    for m in EARLIER_VERSION.finditer(text):
        relations.append(Relation(type="revises", date=m.group(1), status="draft" if m.group(2).lower() == "draft" else None,
                                  evidence=[(offset + m.start(), offset + m.end())]))
    if title_en and (m := re.match(r"(?i)interpretation of (?:the )?(.+)", title_en)):
        relations.append(Relation(type="interprets", title_en=m.group(1).strip(" “”\"")))
    if m := re.search(r"(?:first|originally|initially) (?:released|published|issued|circulated) as a draft", text, re.I):
        dates = find_dates(text[m.end():m.end() + 40], reference)
        relations.append(Relation(type="final_of", status="draft", date=dates[0].value if dates else None,
                                  evidence=[(offset + m.start(), offset + m.end())]))
    return relations


def _names_a_body(phrase: str) -> bool:
    """An agency's name that looks like a title ("State Administration for Market Regulation")."""
    return sum(a.end - a.start for a in find_agencies(phrase)) >= len(phrase) / 2


def _finish(mention: Mention, text: str) -> Mention:
    mention.technologies = tag_technologies(text)
    return mention


def policy_from_block(item: Item, ctx: Context) -> Mention:
    """A policy described by a labelled block: Policy name / Issuing body / Date / At a glance."""
    def field(name: str) -> str:
        span = item.fields.get(name)
        return ctx.text[span[0]:span[1]] if span else ""

    title_en, title_zh = titles.split_policy_name(field("policy name"))
    dates = find_dates(field("date"), ctx.reference)
    glance_span = item.fields.get("at a glance", (item.end, item.end))
    glance = ctx.text[glance_span[0]:glance_span[1]]
    date = dates[0].value if dates else None
    effective = release_dates(glance, ctx.reference).effective
    name_text = field("policy name")
    status_text = name_text + " " + (glance.split(".")[0] if glance else "")
    targets = find_targets(glance, glance_span[0], lead_in_year(glance))
    money_targets = [t.evidence[0] for t in targets if t.unit and t.unit.isupper()]
    mention = Mention(
        kind="policy", evidence=[(item.start, item.end)], title_en=title_en, title_zh=title_zh,
        issuers=resolve_issuers(field("issuing body") or field("issuing bodies")), date=date,
        date_effective=effective.value if effective else None, status=titles.status(status_text),
        period=titles.period(name_text), instrument=titles.instrument(title_en or title_zh or ""),
        targets=targets, amounts=_amounts(glance, glance_span[0], _when(date, ctx.reference), money_targets),
        relations=relations_in(glance, glance_span[0], ctx.reference, title_en) + [
            r for r in relations_in(field("comment"), item.fields.get("comment", (0, 0))[0], ctx.reference, None)
            if r.type == "supersedes"],
        summary=squash(glance)[:SUMMARY_CHARS] or None,
    )
    return _finish(mention, name_text + " " + glance)


def policy_from_text(start: int, end: int, ctx: Context, issuer_hint: list[str] | None = None,
                     date_hint: str | None = None, heading: str | None = None, strict: bool = True,
                     target_window: tuple[int, int] | None = None) -> Mention:
    """A policy reported in running text (a news bullet, a sentence of a report)."""
    raw = ctx.text[start:end]
    text = drop_links(raw)
    issuers = subject_issuers(text) or list(issuer_hint or [])
    if not issuers and not strict:
        issuers = agency_ids(text)[:3]
    dates = release_dates(text, ctx.reference)
    date = date_hint or (dates.issued.value if dates.issued else None)
    quoted = [t for t in titles.quoted_titles(text) if titles.instrument(t[0]) or len(t[0].split()) >= 2]
    title_en = next((t[0] for t in quoted if not re.search(r"[\u4e00-\u9fff]", t[0])), None)
    title_zh = next((t[0] for t in quoted if re.search(r"[\u4e00-\u9fff]", t[0])), None)
    if title_en is None and (unquoted := titles.unquoted_title(text)) and not _names_a_body(unquoted[0]):
        title_en = unquoted[0]
        title_zh = title_zh or titles.bracketed_zh(text[unquoted[2]:unquoted[2] + 120])
    if title_en is None and heading and (titles.instrument(heading) or re.search(r"\b(?:law|plan|20\d\d)\b", heading, re.I)):
        title_en = heading
    if target_window:
        window = ctx.text[target_window[0]:target_window[1]]
        targets = find_targets(window, target_window[0], lead_in_year(window))
    else:
        targets = find_targets(text, start, lead_in_year(text))
    money_targets = [t.evidence[0] for t in targets if t.unit and t.unit.isupper()]
    mention = Mention(
        kind="policy", evidence=[(start, end)], title_en=title_en, title_zh=title_zh, issuers=issuers, date=date,
        date_effective=dates.effective.value if dates.effective else None, status=titles.status(text),
        period=titles.period(title_en or ""), instrument=titles.instrument(title_en or text),
        targets=targets, amounts=_amounts(text, start, _when(date, ctx.reference), money_targets),
        relations=relations_in(text, start, ctx.reference, title_en), summary=squash(text)[:SUMMARY_CHARS],
    )
    return _finish(mention, text)


def event_from_text(start: int, end: int, ctx: Context, date_hint: str | None = None) -> Mention:
    """A corporate news item: date, companies, amounts, type."""
    text = drop_links(ctx.text[start:end])
    body = text
    if label := re.match(r"\s*[-•*]?\s*\*?[A-Z][a-z]+\.? \d{1,2}(?:, \d{4})?:?\*?:?", text):
        body = " " * label.end() + text[label.end():]
    companies = [name for name, _, _ in find_companies(body)]
    if date_hint is None:
        dates = [d for d in find_dates(body, ctx.reference) if len(d.value) >= 7]
        date_hint = dates[0].value if dates else None
    event_type = next((name for name, pattern in EVENT_TYPES if re.search(pattern, body, re.I)), None)
    mention = Mention(kind="event", evidence=[(start, end)], date=date_hint, companies=companies,
                      event_type=event_type, amounts=_amounts(body, start, _when(date_hint, ctx.reference)),
                      summary=squash(body).strip(" -*")[:SUMMARY_CHARS])
    return _finish(mention, body)


def personnel_from_text(start: int, end: int, ctx: Context, need_chinese_name: bool) -> list[Mention]:
    """Personnel changes in a passage, one mention per person."""
    return [Mention(kind="personnel", evidence=[(p.start, p.end)], person_en=p.person_en, person_zh=p.person_zh,
                    organization=p.organization, role=p.role, change=p.change, date=p.date,
                    summary=squash(ctx.text[p.start:p.end])[:SUMMARY_CHARS])
            for p in find_personnel(ctx.text[start:end], start, ctx.reference, need_chinese_name)]


def policy_from_official(item: Item, ctx: Context) -> Mention:
    """A Chinese official document (GB/T 9704): 发文机关, 发文字号, title, 成文日期, 施行日期."""
    def field(name: str) -> str:
        span = item.fields.get(name)
        return ctx.text[span[0]:span[1]] if span else ""

    body = ctx.text[item.start:item.end]
    authority = field("authority")
    issuers = agency_ids(authority)
    if re.search(r"等[一二三四五六七八九十\d]+(?:个)?部[门委]", authority):
        first_paragraph = body[:600]
        issuers = list(dict.fromkeys(issuers + agency_ids(first_paragraph)))
    signature = body[-300:]
    issuers = list(dict.fromkeys(issuers + agency_ids(signature.split("\n", 1)[-1])))
    title = field("title").strip("《》")
    if not title and (quoted := titles.QUOTED_ZH.search(body)):
        title = quoted.group("t")
    closing = find_dates(field("closing_date"))
    effective = re.search(r"自\s*((?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)\s*起(?:施行|实施|生效)", body)
    effective_dates = find_dates(effective.group(1)) if effective else []
    mention = Mention(
        kind="policy", evidence=[(item.start, item.end)], title_zh=title or None,
        doc_number=squash(field("doc_number")) or None, issuers=issuers,
        date=closing[0].value if closing else None,
        date_effective=effective_dates[0].value if effective_dates else None,
        status=titles.status(title + body[:300]), period=titles.period(title), instrument=titles.instrument(title),
        targets=find_targets(body, item.start), level="national",
    )
    return _finish(mention, body)


def merge_mentions(into: Mention, other: Mention, places: list[tuple[int, int]] | None = None) -> None:
    """Fold a second description of the same policy into the first; nothing the first says is lost. With
    ``places``, the second's evidence is added there (to be sorted in once), not sorted into the first's."""
    if places is None:
        into.evidence = sorted(set(into.evidence) | set(other.evidence))
    else:
        places.extend(other.evidence)
    if len(into.summary or "") < SUMMARY_LIMIT:
        into.summary = SUMMARY_JOIN.join(filter(None, [into.summary, other.summary])) or None
    for name in ("date", "date_effective", "title_en", "title_zh", "period", "instrument", "doc_number"):
        if getattr(into, name) is None and getattr(other, name) is not None:
            setattr(into, name, getattr(other, name))
    into.issuers = list(dict.fromkeys(into.issuers + other.issuers))
    merge_targets(into, other.targets)
    known_amounts = {(a.value, a.currency) for a in into.amounts}
    into.amounts += [a for a in other.amounts if (a.value, a.currency) not in known_amounts]
    into.technologies = list(dict.fromkeys(into.technologies + other.technologies))
    into.relations += other.relations
