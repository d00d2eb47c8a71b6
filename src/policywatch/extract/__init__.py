"""Extraction: items in, Mentions out, one builder per item kind; every field cites a span of the text."""

from __future__ import annotations

import re
from typing import Any

from policywatch.extract.agencies import find_agencies, resolve_issuers
from policywatch.extract.context import COUNTED_BODIES, HEREBY, announcing_body, content_words, policy_trigger
from policywatch.extract.dates import find_dates, infer_reference
from policywatch.extract.law import law_mentions
from policywatch.extract.mentions import (
    SUMMARY_JOIN,
    SUMMARY_LIMIT,
    Context,
    event_from_text,
    merge_mentions,
    personnel_from_text,
    policy_from_block,
    policy_from_text,
    relations_in,
)
from policywatch.extract.news import news_mentions
from policywatch.extract.news_zh import news_zh_mentions
from policywatch.extract.official import official_mentions
from policywatch.extract.report import report_mentions
from policywatch.extract.reported import document_date, stamp
from policywatch.extract.targets import find_targets, lead_in_year, merge_targets
from policywatch.hanzi import to_simplified
from policywatch.model import Item, Mention
from policywatch.read.address import address_date
from policywatch.segment.sentences import sentence_spans, split_heading

Found = list[tuple[int | None, Mention]]
STOPWORDS = {
    "a", "an", "the", "of", "and", "or", "for", "to", "in", "on", "at", "by", "with", "from", "as", "is", "are",
    "was", "were", "be", "been", "its", "it", "this", "that", "these", "those", "which", "who", "new", "calls",
    "call", "policy", "policies", "plan", "notice", "document", "china", "chinese", "national", "government",
    "state", "ministry", "released", "issued", "published", "guidelines", "measures", "including", "such", "other",
    "their", "also", "will", "has", "have",
}


def _date_hint(item: Item, ctx: Context) -> str | None:
    span = item.fields.get("date")
    if not span:
        return None
    dates = find_dates(ctx.text[span[0]:span[1]], ctx.reference)
    return dates[0].value if dates else None


def _words(text: str) -> set[str]:
    return {w.rstrip("s") for w in re.findall(r"[a-z][a-z-]{2,}", text.lower()) if w not in STOPWORDS}


_merge = merge_mentions


ANAPHORA = re.compile(r"(?:The|This|These|That|It|Its)\b(?:\s+(?:new|draft|final|revised))?\s*(?:plan|notice|document|"
                      r"measures|guidelines?|policy|rules|regulations?|strategy|opinions|programme|program|law|"
                      r"blueprint|roadmap|aims?|sets?|calls?|targets?|goals?)?\b")


def _analysis(item: Item, ctx: Context) -> Mention | None:
    """The policy an analysis section is about: its first sentence where an agency issues an instrument."""
    body_end = item.end
    if takeaway := re.search(r"\n\s*Takeaways?:", ctx.text[item.start:item.end]):
        body_end = item.start + takeaway.start()
    for start, end in sentence_spans(ctx.text, item.start, body_end):
        start = split_heading(ctx.text, start, end)[1]  # the section's headline is no part of the sentence
        if policy_trigger(ctx.text[start:end], strict=True):
            mention = policy_from_text(start, end, ctx, target_window=(start, body_end))
            # the takeaway compares the policy with earlier versions ("a step down from a 2018 draft")
            mention.relations += [r for r in relations_in(ctx.text[body_end:item.end], body_end, ctx.reference, None)
                                  if r.type == "revises"]
            return mention
    return None


def _attach_analyses(bullets: Found, analyses: list[tuple[int, Mention, str]]) -> Found:
    """Merge each analysis into the brief bullet on the same policy, one to one, best pairs first.

    A pair needs a shared issuer and two shared content words; shared words are weighed against the
    bullet's length so that a long bullet does not win by saying more.
    """
    pairs = []
    for a, (_, mention, context) in enumerate(analyses):
        words = _words(context)
        for b, (_, bullet) in enumerate(bullets):
            if bullet.kind != "policy" or not set(bullet.issuers) & set(mention.issuers):
                continue
            bullet_words = _words(bullet.summary or "")
            shared = len(words & bullet_words)
            if shared >= 2:
                pairs.append((shared / len(bullet_words) ** 0.5, a, b))
    taken_a, taken_b = set(), set()
    for _, a, b in sorted(pairs, reverse=True):
        if a not in taken_a and b not in taken_b:
            _merge(bullets[b][1], analyses[a][1])
            taken_a.add(a)
            taken_b.add(b)
    return bullets + [(index, m) for a, (index, m, _) in enumerate(analyses) if a not in taken_a]


def extract_mentions(text: str, layout: str, items: list[Item], published: str | None = None,
                     source: str | None = None) -> Found:
    """Mentions stated by the items of one document, each paired with the index of its item; every policy record
    carries the date of the document (``reported``: its page date, dateline, address date or publication date).

    Text in Traditional characters is matched in a Simplified copy of the same length; titles and document
    numbers are taken as written.
    """
    folded = to_simplified(text)
    reported = document_date(folded, items, published, source)
    found = _extract(text, folded, layout, items, published or address_date(source), reported)
    if layout == "law":
        # a law's text is the version it states: its own date, not the first step of its history nor the day it
        # takes effect (which a closing article makes look like a date of writing)
        reported = address_date(source) or next((m.date for _, m in found if m.kind == "policy" and m.date), None)
    if layout in ("official", "law"):
        # an official text reports its own policy (and the one it forwards); those it cites are not news of its day
        own = [(i, m) for k, (i, m) in enumerate(found)
               if k == 0 or found[k - 1][0] != i or any(r.type == "forwarded_by" for r in m.relations)]
        stamp(own, reported)
        return found
    return stamp(found, reported)


def _extract(text: str, folded: str, layout: str, items: list[Item], published: str | None,
             reported: str | None) -> Found:
    """The records of one document by its layout, before each is stamped with the document's date."""
    ctx = Context(folded, infer_reference(folded, published), text if folded != text else None)
    if layout == "news_zh":
        return [(index, m) for index, item in enumerate(items) for m in news_zh_mentions(item, ctx, reported)]
    if layout == "report":
        return report_mentions(items, ctx)
    if layout == "news":
        return news_mentions(items, ctx)
    if layout in ("official", "law"):
        build = official_mentions if layout == "official" else law_mentions
        return [(index, m) for index, item in enumerate(items) for m in build(item, ctx)]
    found: Found = []
    analyses: list[tuple[int, Mention, str]] = []
    for index, item in enumerate(items):
        kind = item.kind_hint
        if kind == "policy" and "policy name" in item.fields:
            found.append((index, policy_from_block(item, ctx)))
        elif kind == "policy":
            found.append((index, policy_from_text(item.start, item.end, ctx, date_hint=_date_hint(item, ctx))))
        elif kind == "event":
            event = event_from_text(item.start, item.end, ctx, _date_hint(item, ctx))
            # a brief's company heading names the firm its bullets are about
            if item.heading and not find_agencies(item.heading) and item.heading not in event.companies:
                event.companies.insert(0, item.heading)
            found.append((index, event))
        elif kind == "top-story":
            glance = item.fields["at a glance"]
            first = sentence_spans(text, *glance)[0]
            if policy_trigger(text[first[0]:first[1]], strict=True):
                mention = policy_from_text(glance[0], glance[1], ctx)
            else:
                mention = event_from_text(glance[0], glance[1], ctx)
            mention.evidence = [(item.start, item.end)]
            found.append((index, mention))
        elif kind == "dated":
            if policy_trigger(text[item.start:item.end], strict=True):
                found.append((index, policy_from_text(item.start, item.end, ctx, date_hint=_date_hint(item, ctx))))
            else:
                found.append((index, event_from_text(item.start, item.end, ctx, _date_hint(item, ctx))))
        elif kind == "brief-policy":
            hint = resolve_issuers(item.heading) if item.heading else []
            found.append((index, policy_from_text(item.start, item.end, ctx, issuer_hint=hint)))
        elif kind == "analysis":
            if (mention := _analysis(item, ctx)) is not None:
                analyses.append((index, mention, (item.heading or "") + " " + text[item.start:item.end][:600]))
        elif kind == "personnel":
            found += [(index, m) for m in personnel_from_text(item.start, item.end, ctx, need_chinese_name=False)]
        elif kind == "sentence":
            sentence = text[item.start:item.end]
            if policy_trigger(sentence, strict=True) and (find_agencies(sentence) or COUNTED_BODIES.search(sentence)):
                found.append((index, policy_from_text(item.start, item.end, ctx)))
            elif HEREBY.search(sentence) and (body := announcing_body(text[:min(item.start, 3000)])):
                found.append((index, policy_from_text(item.start, item.end, ctx, issuer_hint=body, date_hint=published)))
            elif found and found[-1][1].kind == "policy" and ANAPHORA.match(sentence):
                # "The plan aims for …": goals stated in the sentences after the one that names the policy
                merge_targets(found[-1][1], find_targets(sentence, item.start, lead_in_year(sentence)))
            else:
                found += [(index, m) for m in personnel_from_text(item.start, item.end, ctx, need_chinese_name=True)]
    if analyses:
        found = _attach_analyses(found, analyses)
    return _merge_restatements(found)


def _merge_restatements(found: Found) -> Found:
    """One policy described twice in a document (a Top item and a news line) is one record with two spans.

    Two policy mentions are one when they say exactly the same but where, or when they name a shared issuer, give
    the same full date and share three or more content words; different policies of one body on one day rarely do
    all three.
    """
    kept: Found = []
    by_date: dict[str, list[Mention]] = {}  # candidates share a full date; only the latest few are compared
    # a record stated again word for word (a repeated sentence or paragraph) only adds its place, in linear time
    said: dict[str, Mention] = {}
    places: dict[int, list[tuple[int, int]]] = {}
    for index, mention in found:
        same = mention.model_dump_json(exclude=WHERE) if mention.kind == "policy" else None
        if same is not None and (holder := said.get(same)) is not None:
            places.setdefault(id(holder), []).extend(mention.evidence)
            continue
        twin = None
        if mention.kind == "policy" and mention.date and len(mention.date) == 10:
            words = content_words(_about(mention))
            twin = next((m for m in reversed(by_date.get(mention.date, [])[-RESTATEMENT_WINDOW:])
                         if set(m.issuers) & set(mention.issuers) and len(content_words(_about(m)) & words) >= 3), None)
        if twin is None:
            kept.append((index, mention))
            if mention.kind == "policy" and mention.date and len(mention.date) == 10:
                by_date.setdefault(mention.date, []).append(mention)
        else:
            _merge(twin, mention, places.setdefault(id(twin), []))
        if same is not None:
            said[same] = twin or mention
    for _, mention in kept:
        if id(mention) in places:
            mention.evidence = sorted(set(mention.evidence).union(places[id(mention)]))
    return kept


# the fields that say where a record and its parts stand, not what they say
WHERE: dict[str, Any] = {"evidence": True, **{name: {"__all__": {"evidence"}} for name in ("targets", "amounts", "relations")}}

# A restatement is looked for among this many earlier policies of the same day, so that the cost per item stays
# bounded however repetitive a document is (a briefing has a handful a day).
RESTATEMENT_WINDOW = 50


def _about(mention: Mention) -> str:
    return " ".join(filter(None, [mention.title_en, (mention.summary or "").split(SUMMARY_JOIN)[0][:300]]))


__all__ = ["SUMMARY_LIMIT", "extract_mentions"]
