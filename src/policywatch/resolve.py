"""Resolution: mentions of one policy across documents become one Policy; lifecycle relations link policies;
targets restated by later versions form a history; companies and people are grouped by name.

Everything here is a pure function of mention records and manual overrides, so the result is the same
however often documents are ingested. Candidate pairs come from blocks (same document number, Chinese
title, rare title word, issuer and month) and, within large blocks, from neighbours in sorted order, so the
work grows as n log n. A pair merges only when every gate agrees (issuers, status, date, period) and the
titles or texts are close; pairs in between are kept apart and listed for review.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date as Date
from functools import lru_cache
from typing import Any

from rapidfuzz import fuzz

from policywatch.extract.context import RELEASE, content_words
from policywatch.glossary import translation_overlap
from policywatch.hanzi import to_simplified

MERGE_TITLE, REVIEW_TITLE = 90.0, 75.0
MERGE_TEXT, REVIEW_TEXT = 0.5, 0.3
NEIGHBOURS = 15
DATE_BONUS = 0.2
DATE_WINDOW = 7  # days between the full dates sources give for one policy (issue vs. publication)
MIN_SHARED_WORDS = 3  # a short text agreeing on a word or two proves nothing
CROSS_LANGUAGE = 0.75  # share of a Chinese title's glossary terms an English title must render


@dataclass
class MentionRecord:
    """What resolution needs of one stored mention."""

    id: int
    key: str  # stable across databases: document sha256, first evidence offset, kind
    document_id: int
    kind: str
    data: dict[str, Any]


@dataclass
class PolicyCluster:
    """One resolved policy: its mentions and the fields they agree on (or disagree about)."""

    key: str
    mention_ids: list[int]
    fields: dict[str, Any]
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    implied: bool = False  # known only from another policy's text ("first released as a draft on …")


@dataclass
class RelationLink:
    """A lifecycle link between two clusters (by key), with the mention whose text states it."""

    from_key: str
    to_key: str
    type: str
    mention_id: int | None
    evidence: list[list[int]]


@dataclass
class Resolution:
    """Policies, their relations, and the pairs left for a person to decide."""

    policies: list[PolicyCluster]
    relations: list[RelationLink]
    review: list[tuple[str, str, float, str]]


LABEL_END = re.compile(r"[,;(]|\.\s|\s(?:which|that|calls?|on (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec))\b")


def describe(summary: str) -> str | None:
    """What a report says was issued, for a policy without a title: "anti-monopoly guidelines for the platform economy".

    Brief-style bullets open with the instrument ("notice on industrial big data rolls out …"); news-style
    sentences name the issuer first and the instrument after the verb ("SAMR publishes the final version of …").
    A verb whose object is only a date ("What was announced On August 4, …", a heading glued to the text) is
    passed over for the next one.
    """
    first = summary.split(" | ", 1)[0]  # the first of the descriptions merged into one record
    text = re.sub(r"^[\s\-*•#]*(?:[A-Z][a-z]+\.? \d{1,2}(?:, \d{4})?:[\s*]*)?", "", first)
    if text[:1].islower() or text[:1] in "“\"‘'":
        verb = RELEASE.search(text)
        return _phrase(text[:verb.start()] if verb else text)
    for verb in RELEASE.finditer(text):
        if (phrase := _phrase(text[verb.end():])) is not None:
            return phrase
    return None


def _phrase(text: str) -> str | None:
    phrase = LABEL_END.split(text, maxsplit=1)[0]
    phrase = re.sub(r"^\s*(?:the|a|an|its|new|their)\s+(?:final version of (?:its|the)\s+)?", "", phrase.strip(" -*"))
    phrase = re.sub(r"\s+", " ", phrase).strip()
    if not phrase or re.match(r"(?i)(?:in|on|by|at|as|and|from|since)\b", phrase) or len(phrase.split()) < 2:
        return None
    return phrase[:100]


def _zh_key(text: str | None) -> str:
    """A Chinese title for comparison: Simplified characters, no spaces, quotes or brackets."""
    return re.sub(r"[\s《》“”\"'「」()（）]", "", to_simplified(unicodedata.normalize("NFKC", text or "")))


def number_key(text: str | None) -> str:
    """A document number for comparison: 国发〔2017〕35号, 国发[2017]35号 and 國發（2017）35號 are one; an order is
    the same with or without 中华人民共和国 in front."""
    key = re.sub(r"\s", "", to_simplified(unicodedata.normalize("NFKC", text or "")))
    key = re.sub(r"[〔【\[(（]", "[", re.sub(r"[〕】\])）]", "]", key))
    return key.removeprefix("中华人民共和国")


def _cross_language(a: dict[str, Any], b: dict[str, Any]) -> tuple[float, str] | None:
    """A Chinese title and an English one that renders it term for term (through the glossary)."""
    if a.get("title_zh") and not a.get("title_en") and (b.get("title_en") or b.get("summary")) and not b.get("title_zh"):
        zh, en = a["title_zh"], " ".join(filter(None, [b.get("title_en"), b.get("summary")]))
    elif b.get("title_zh") and not b.get("title_en") and (a.get("title_en") or a.get("summary")) and not a.get("title_zh"):
        zh, en = b["title_zh"], " ".join(filter(None, [a.get("title_en"), a.get("summary")]))
    else:
        return None
    rendered, found = translation_overlap(zh, en)
    if found >= 2 and rendered >= 2 and rendered / found >= CROSS_LANGUAGE:
        return 1.0 if (a.get("period") and b.get("period")) or rendered == found else 0.6, \
            f"translated title {rendered}/{found} terms"
    return None


def _title_stem(title: str) -> str:
    """A title without its period and brackets: the same plan across its editions."""
    return re.sub(r"\s+", " ", re.sub(r"\(?\s*(?:19|20)\d{2}\s*[-–—]\s*(?:19|20)\d{2}\s*\)?|[“”\"]", " ", title)).strip().lower()


@lru_cache(maxsize=65536)  # a few thousand distinct dates, compared hundreds of thousands of times
def _as_date(value: str) -> Date | None:
    try:
        return Date.fromisoformat(value) if len(value) == 10 else None
    except ValueError:
        return None


def dates_compatible(a: str | None, b: str | None, days: int = DATE_WINDOW) -> bool:
    """Same date at the precision both state, or full dates a few days apart (issue vs. publication)."""
    if not a or not b:
        return True
    if a.startswith(b) or b.startswith(a):
        return True
    da, db = _as_date(a), _as_date(b)
    return bool(da and db and abs((da - db).days) <= days)


Facts = tuple[frozenset[str], str | None, tuple[int, ...] | None, str | None]


def _facts(data: dict[str, Any]) -> Facts:
    """What the gates compare, read once per mention: issuers, status, period, date."""
    return (frozenset(data.get("issuers") or ()), data.get("status") or None,
            tuple(data["period"]) if data.get("period") else None, data.get("date") or None)


def _gates(a: Facts, b: Facts) -> bool:
    """Whether two mentions may be one policy at all: a shared issuer, the same status, period and date."""
    if a[0] and b[0] and not a[0] & b[0]:
        return False
    if a[1] and b[1] and a[1] != b[1]:
        return False
    if a[2] and b[2] and a[2] != b[2]:
        return False
    return dates_compatible(a[3], b[3])


def similarity(a: dict[str, Any], b: dict[str, Any], words_a: set[str], words_b: set[str]) -> tuple[float, str]:
    """How alike two policy mentions are, in [0, 1], and on what evidence."""
    if a.get("doc_number") and number_key(a["doc_number"]) == number_key(b.get("doc_number")):
        return 1.0, "document number"
    if a.get("title_zh") and _zh_key(a["title_zh"]) == _zh_key(b.get("title_zh")):
        return 1.0, "Chinese title"
    if a.get("title_en") and b.get("title_en"):
        score = fuzz.token_set_ratio(a["title_en"].lower(), b["title_en"].lower())
        if score >= MERGE_TITLE:
            return 1.0, f"title {score:.0f}"
        if score >= REVIEW_TITLE:
            return 0.4, f"title {score:.0f}"
        # two different titles may still name one policy, in other words: let the text decide
    if (translated := _cross_language(a, b)) is not None:
        return translated
    if not words_a or not words_b:
        return 0.0, "no text"
    shared = len(words_a & words_b)
    if shared < MIN_SHARED_WORDS:
        return 0.0, f"text: {shared} words in common"
    overlap = shared / min(len(words_a), len(words_b))
    # the same issuer acting within a few days is strong evidence by itself (sources disagree on issue
    # and publication dates by a day or two)
    da, db = _as_date(a.get("date") or ""), _as_date(b.get("date") or "")
    if da and db and abs((da - db).days) <= 3 and set(a.get("issuers") or []) & set(b.get("issuers") or []):
        return min(1.0, overlap + DATE_BONUS), f"text {overlap:.2f}, dates {abs((da - db).days)} days apart"
    return overlap, f"text {overlap:.2f}"


@dataclass(frozen=True)
class _Profile:
    """The statuses, periods and span of full dates a cluster's mentions state."""

    statuses: frozenset[str]
    periods: frozenset[tuple[int, ...]]
    first_day: Date | None
    last_day: Date | None

    @classmethod
    def of(cls, data: dict[str, Any]) -> _Profile:
        day = _as_date(data.get("date") or "")
        return cls(frozenset([data["status"]] if data.get("status") else []),
                   frozenset([tuple(data["period"])] if data.get("period") else []), day, day)

    def merge(self, other: _Profile) -> _Profile:
        days = [d for d in (self.first_day, self.last_day, other.first_day, other.last_day) if d]
        return _Profile(self.statuses | other.statuses, self.periods | other.periods,
                        min(days) if days else None, max(days) if days else None)

    def consistent(self) -> bool:
        span = (self.last_day - self.first_day).days if self.first_day and self.last_day else 0
        return len(self.statuses) <= 1 and len(self.periods) <= 1 and span <= DATE_WINDOW


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, i: int, j: int) -> None:
        ri, rj = self.find(i), self.find(j)
        if ri != rj:
            self.parent[max(ri, rj)] = min(ri, rj)


def _blocks(records: list[MentionRecord], words: list[set[str]]) -> list[list[int]]:
    title_counts = Counter(w for r in records for w in content_words(r.data.get("title_en") or ""))
    blocks: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for i, r in enumerate(records):
        d = r.data
        if d.get("doc_number"):
            blocks[("number", number_key(d["doc_number"]))].append(i)
        if d.get("title_zh"):
            blocks[("zh", _zh_key(d["title_zh"]))].append(i)
        rare = sorted(content_words(d.get("title_en") or ""), key=lambda w: (title_counts[w], w))[:2]
        for w in rare:
            blocks[("title", w)].append(i)
        for issuer in d.get("issuers") or ["-"]:
            blocks[("issuer", issuer)].append(i)
    return list(blocks.values())


def _candidate_pairs(records: list[MentionRecord], words: list[set[str]]) -> list[tuple[int, int]]:
    """Pairs worth comparing: all pairs of small blocks, neighbours in two sort orders within large ones."""
    n = len(records)
    by_date_key = [(records[i].data.get("date") or "", i) for i in range(n)]
    by_words_key = [(sorted(words[i])[:3], i) for i in range(n)]
    codes: set[int] = set()  # a pair (a, b), a < b, as the one integer a * n + b: cheap to hash
    for members in _blocks(records, words):
        if len(members) <= NEIGHBOURS + 1:
            codes.update(a * n + b if a < b else b * n + a for x, a in enumerate(members) for b in members[x + 1:])
            continue
        for key in (by_date_key, by_words_key):
            order = sorted(members, key=key.__getitem__)
            for x, a in enumerate(order):
                codes.update(a * n + b if a < b else b * n + a for b in order[x + 1:x + 1 + NEIGHBOURS])
    return sorted(divmod(code, n) for code in codes if code // n != code % n)


def _merge_fields(members: list[MentionRecord]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The cluster's fields: the best-supported value of each, and conflicts where mentions disagree."""
    fields: dict[str, Any] = {}
    conflicts: list[dict[str, Any]] = []
    for name in ("title_en", "title_zh", "doc_number", "status", "date", "date_effective", "period", "instrument",
                 "level"):
        values = [(m.data.get(name), m.id) for m in members if m.data.get(name)]
        if not values:
            continue
        counted = Counter(str(v) for v, _ in values)
        if name in ("title_en", "title_zh"):
            best = max(values, key=lambda vm: (counted[str(vm[0])], len(str(vm[0]))))[0]
        elif name in ("date", "date_effective"):
            # the most precise date that most sources give
            best = max(values, key=lambda vm: (counted[str(vm[0])], len(vm[0])))[0]
            distinct = sorted({v for v, _ in values})
            if len([d for d in distinct if not any(o != d and o.startswith(d) for o in distinct)]) > 1:
                conflicts.append({"field": name, "values": [{"value": v, "mention_id": mid} for v, mid in values]})
        else:
            best = max(values, key=lambda vm: counted[str(vm[0])])[0]  # ties: the first in key order
        fields[name] = best
    issuer_sets = [m.data.get("issuers") or [] for m in members]
    fields["issuers"] = list(dict.fromkeys(i for s in issuer_sets for i in s))
    nonempty = [set(s) for s in issuer_sets if s]
    if len(nonempty) > 1 and not set.intersection(*nonempty):
        conflicts.append({"field": "issuers", "values": [{"value": m.data.get("issuers"), "mention_id": m.id}
                                                         for m in members if m.data.get("issuers")]})
    fields["label"] = fields.get("title_en") or fields.get("title_zh") or next(
        (label for m in members if (label := describe(m.data.get("summary") or ""))), None)
    fields["technologies"] = sorted({t for m in members for t in m.data.get("technologies", [])})
    fields["targets"] = [{**t, "mention_id": m.id} for m in members for t in m.data.get("targets", [])]
    fields["amounts"] = [{**a, "mention_id": m.id} for m in members for a in m.data.get("amounts", [])]
    return fields, conflicts


def cluster_policies(records: list[MentionRecord], must_link: set[frozenset[str]] = frozenset(),
                     cannot_link: set[frozenset[str]] = frozenset(),
                     preferred: frozenset[str] | set[str] = frozenset()) -> tuple[list[PolicyCluster], list]:
    """Group policy mentions into policies; returns (clusters, review pairs).

    A cluster is named by the smallest key of its mentions, or of its ``preferred`` ones (a manual merge keeps the
    name, and so the id, of the policy merged into)."""
    records = [r for r in records if r.kind == "policy"]
    words = [content_words(" ".join(filter(None, [r.data.get("title_en"), r.data.get("summary")]))) for r in records]
    index = {r.key: i for i, r in enumerate(records)}
    uf = _UnionFind(len(records))
    forbidden: dict[int, set[int]] = defaultdict(set)  # mention -> mentions it must never share a policy with
    for a, b in (tuple(p) for p in cannot_link if len(p) == 2):
        if a in index and b in index:
            forbidden[index[a]].add(index[b])
            forbidden[index[b]].add(index[a])
    members_of: dict[int, list[int]] = {}  # only kept for clusters holding a forbidden mention
    # what a whole cluster states, so that a chain of pairwise matches cannot drift to another policy
    profile = {i: _Profile.of(r.data) for i, r in enumerate(records)}

    def join(i: int, j: int, forced: bool = False) -> bool:
        ri, rj = uf.find(i), uf.find(j)
        if ri == rj:
            return True
        if forbidden:
            left = members_of.get(ri, [ri])
            if any(uf.find(y) == rj for x in left for y in forbidden.get(x, ())):
                return False
        merged = profile[ri].merge(profile[rj])
        if not forced and not merged.consistent():
            return False
        uf.union(ri, rj)
        root = uf.find(ri)
        profile[root] = merged
        if forbidden:
            members_of[root] = members_of.pop(ri, [ri]) + members_of.pop(rj, [rj])
        return True

    for pair in must_link:
        keys = tuple(pair)
        if len(keys) == 2 and keys[0] in index and keys[1] in index:
            join(index[keys[0]], index[keys[1]], forced=True)
    scored = []
    facts = [_facts(r.data) for r in records]
    for a, b in _candidate_pairs(records, words):
        ra, rb = records[a], records[b]
        if ra.document_id == rb.document_id or not _gates(facts[a], facts[b]):
            continue
        score, reason = similarity(ra.data, rb.data, words[a], words[b])
        if score >= REVIEW_TEXT:  # below it a pair neither merges nor goes to review
            scored.append((score, a, b, reason))
    review = []
    for score, a, b, reason in sorted(scored, key=lambda s: (-s[0], s[1], s[2])):
        if score >= MERGE_TEXT:
            if not join(a, b):
                review.append((records[a].key, records[b].key, round(score, 3), reason + "; kept apart by hand"))
        elif score >= REVIEW_TEXT and uf.find(a) != uf.find(b):
            review.append((records[a].key, records[b].key, round(score, 3), reason))
    clusters: dict[int, list[MentionRecord]] = defaultdict(list)
    for i, r in enumerate(records):
        clusters[uf.find(i)].append(r)
    result, cluster_of = [], {}
    for members in clusters.values():
        fields, conflicts = _merge_fields(members)
        key = min((m.key for m in members if m.key in preferred), default=None) or min(m.key for m in members)
        result.append(PolicyCluster(key=key, mention_ids=sorted(m.id for m in members), fields=fields,
                                    conflicts=conflicts))
        cluster_of.update({m.key: key for m in members})
    pending = [(cluster_of[a], cluster_of[b], score, reason) for a, b, score, reason in review
               if cluster_of[a] != cluster_of[b]]
    unique = {frozenset(p[:2]): p for p in pending}
    return sorted(result, key=lambda c: c.key), sorted(unique.values(), key=lambda p: (-p[2], p[0], p[1]))


def _overlapping_issuers(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return not a.get("issuers") or not b.get("issuers") or bool(set(a["issuers"]) & set(b["issuers"]))


def _interpreted_plan(f: dict[str, Any], source: dict[str, Any], rel: dict[str, Any]) -> bool:
    title = f.get("title_en") or ""
    return f is not source and not title.lower().startswith("interpretation") and \
        fuzz.token_set_ratio(title.lower(), rel["title_en"].lower()) >= MERGE_TITLE


def _earlier_draft(f: dict[str, Any], source: dict[str, Any], rel: dict[str, Any]) -> bool:
    return f is not source and f.get("status") == "draft" and bool(rel.get("date")) and \
        f.get("date") == rel["date"] and _overlapping_issuers(f, source)


def _predecessor(f: dict[str, Any], source: dict[str, Any], rel: dict[str, Any]) -> bool:
    stem = _title_stem(source.get("title_en") or "")
    return f is not source and list(f.get("period") or []) == list(rel["period"]) and _overlapping_issuers(f, source) \
        and (not stem or fuzz.token_set_ratio(_title_stem(f.get("title_en") or ""), stem) >= REVIEW_TITLE)


def _revised(f: dict[str, Any], source: dict[str, Any], rel: dict[str, Any]) -> bool:
    return f is not source and (f.get("date") or "").startswith(rel["date"]) and _overlapping_issuers(f, source) \
        and (not rel.get("status") or f.get("status") == rel["status"])


def _implied_fields(kind: str, source: dict[str, Any], rel: dict[str, Any]) -> dict[str, Any]:
    """What a relation tells about a policy that no mention describes."""
    title = source.get("title_en")
    if kind == "interprets":
        title = rel["title_en"]
        period = re.search(r"((?:19|20)\d{2})\s*[-–—]\s*((?:19|20)\d{2})", title)
        return {"title_en": title, "status": "final", "instrument": "plan" if "plan" in title.lower() else None,
                "period": [int(period.group(1)), int(period.group(2))] if period else None}
    if kind == "final_of":
        return {"title_en": title, "status": "draft", "date": rel.get("date"), "instrument": source.get("instrument")}
    if kind == "supersedes":
        period = list(rel["period"])
        if title:
            title = re.sub(r"(?:19|20)\d{2}\s*[-–—]\s*(?:19|20)\d{2}", f"{period[0]}-{period[1]}", title)
        return {"title_en": title, "period": period, "status": "final", "instrument": source.get("instrument")}
    if kind == "forwarded_by":
        return {"title_zh": rel.get("title_zh"), "doc_number": rel["doc_number"], "status": "final",
                "instrument": "notice"}
    if kind == "repeals":
        return {"title_zh": rel["title_zh"], "status": "final"}
    return {"status": rel.get("status"), "date": rel.get("date")}


def _forwarding(f: dict[str, Any], source: dict[str, Any], rel: dict[str, Any]) -> bool:
    return f is not source and number_key(f.get("doc_number")) == number_key(rel["doc_number"])


def _repealed(f: dict[str, Any], source: dict[str, Any], rel: dict[str, Any]) -> bool:
    return f is not source and _zh_key(f.get("title_zh")) == _zh_key(rel["title_zh"])


RELATION_MATCHERS = {"interprets": _interpreted_plan, "final_of": _earlier_draft, "supersedes": _predecessor,
                     "revises": _revised, "forwarded_by": _forwarding, "repeals": _repealed}


def _applies(rel: dict[str, Any]) -> bool:
    needed = {"interprets": "title_en", "final_of": "date", "supersedes": "period", "revises": "date",
              "forwarded_by": "doc_number", "repeals": "title_zh"}
    return rel.get("type") in needed and bool(rel.get(needed[rel["type"]]))


def link_lifecycle(clusters: list[PolicyCluster], records: list[MentionRecord]) -> tuple[list[PolicyCluster],
                                                                                             list[RelationLink]]:
    """Relations stated by mentions (final of a draft, interpretation of a plan, successor, revision) and
    successions of plans with the same title and consecutive periods; policies known only from such a
    statement are added as implied policies."""
    by_mention = {mid: c for c in clusters for mid in c.mention_ids}
    clusters = list(clusters)
    links: list[RelationLink] = []
    for record in sorted((r for r in records if r.kind == "policy" and r.id in by_mention), key=lambda r: r.id):
        source = by_mention[record.id]
        interpreted: PolicyCluster | None = None
        for rel in filter(_applies, record.data.get("relations", [])):
            kind = rel["type"]
            # a predecessor named in an interpretation's text is the interpreted plan's predecessor
            subject = interpreted if kind == "supersedes" and interpreted is not None else source
            matches = RELATION_MATCHERS[kind]
            target = next((c for c in clusters if matches(c.fields, subject.fields, rel)), None)
            if target is None:
                detail = rel.get("date") or rel.get("period") or rel.get("title_en") or rel.get("title_zh") \
                    or rel.get("doc_number")
                target = PolicyCluster(key=f"implied:{kind}:{subject.key}:{detail}", mention_ids=[], implied=True,
                                       fields={"issuers": subject.fields.get("issuers", []), "targets": [],
                                               "amounts": [], "technologies": subject.fields.get("technologies", []),
                                               **_implied_fields(kind, subject.fields, rel)})
                clusters.append(target)
            if kind == "interprets":
                interpreted = target
            links.append(RelationLink(subject.key, target.key, kind, record.id, rel.get("evidence") or []))
    links += _editions(clusters, {(link.from_key, link.to_key) for link in links})
    return clusters, links


def _editions(clusters: list[PolicyCluster], linked: set[tuple[str, str]]) -> list[RelationLink]:
    """Editions of one plan, same title but for the period, consecutive periods: the later supersedes."""
    series: dict[str, list[PolicyCluster]] = defaultdict(list)
    periods: dict[str, tuple[int, int]] = {}
    for c in clusters:
        title = c.fields.get("title_en")
        in_title = re.findall(r"((?:19|20)\d{2})\s*[-–—]\s*((?:19|20)\d{2})", title or "")
        found = c.fields.get("period") or (in_title[-1] if in_title else None)
        if title and found:
            periods[c.key] = (int(found[0]), int(found[1]))
            series[_title_stem(title)].append(c)
    links = []
    for editions in series.values():
        editions.sort(key=lambda c: periods[c.key])
        for earlier, later in itertools.pairwise(editions):
            if periods[later.key][0] >= periods[earlier.key][1] and (later.key, earlier.key) not in linked \
                    and _overlapping_issuers(earlier.fields, later.fields):
                links.append(RelationLink(later.key, earlier.key, "supersedes", None, []))
    return links


def target_history(key: str, clusters: list[PolicyCluster], links: list[RelationLink]) -> list[dict[str, Any]]:
    """Targets of a policy and of its other versions (draft, final, predecessor, revised), oldest first.

    Rows with the same unit across versions show how a goal moved (a draft's 2020 goal, a final's 2025 goal).
    """
    by_key = {c.key: c for c in clusters}
    lineage, frontier = {key}, [key]
    while frontier:
        current = frontier.pop()
        for link in links:
            if link.type in ("final_of", "revises", "supersedes", "repeals"):
                for a, b in ((link.from_key, link.to_key), (link.to_key, link.from_key)):
                    if a == current and b not in lineage:
                        lineage.add(b)
                        frontier.append(b)
    rows = []
    for k in lineage:
        c = by_key.get(k)
        if c is None:
            continue
        for t in c.fields.get("targets", []):
            rows.append({"policy_key": k, "date": c.fields.get("date"), "status": c.fields.get("status"),
                         "title_en": c.fields.get("title_en"), **{f: t.get(f) for f in
                         ("metric", "value", "value_max", "unit", "year", "comparator", "mention_id")}})
    return sorted(rows, key=lambda r: (r["unit"] or "", r["date"] or "", r["year"] or 0))


def resolve(records: list[MentionRecord], must_link: set[frozenset[str]] = frozenset(),
            cannot_link: set[frozenset[str]] = frozenset(), preferred: frozenset[str] | set[str] = frozenset()) -> Resolution:
    """Policies with their mentions and relations, from every policy mention stored."""
    clusters, review = cluster_policies(records, must_link, cannot_link, preferred)
    clusters, links = link_lifecycle(clusters, records)
    return Resolution(clusters, links, review)


def _company_key(name: str) -> str:
    name = unicodedata.normalize("NFKC", name).lower()
    name = re.sub(r"[’'`]s\b|[.,()]", " ", name)
    name = re.sub(r"\b(?:co|ltd|limited|inc|corp|corporation|group|holdings?|plc|ag|se|gmbh|technologies|technology|"
                  r"company)\b", " ", name)
    return re.sub(r"\s+", " ", name).strip()


def group_companies(records: list[MentionRecord]) -> list[dict[str, Any]]:
    """Companies named by event mentions, one entry per firm (suffixes like Co., Ltd., Group ignored)."""
    groups: dict[str, dict[str, Any]] = {}
    for r in records:
        for name in r.data.get("companies", []):
            key = _company_key(name)
            if not key:
                continue
            entry = groups.setdefault(key, {"key": key, "name": name, "aliases": set(), "mention_ids": set()})
            entry["aliases"].add(name)
            entry["mention_ids"].add(r.id)
            if len(name) < len(entry["name"]):
                entry["name"] = name
    return [{**g, "aliases": sorted(g["aliases"]), "mention_ids": sorted(g["mention_ids"])}
            for g in sorted(groups.values(), key=lambda g: g["key"])]


def group_people(records: list[MentionRecord]) -> list[dict[str, Any]]:
    """People of personnel mentions, one entry per person (the Chinese name decides when it is given)."""
    groups: dict[str, dict[str, Any]] = {}
    for r in sorted((r for r in records if r.kind == "personnel"), key=lambda r: r.id):
        d = r.data
        english = re.sub(r"\s+", " ", (d.get("person_en") or "").lower()).strip()
        key = d.get("person_zh") or english
        if not key:
            continue
        entry = groups.get(key) or next((g for g in groups.values() if english and g["english"] == english), None)
        if entry is None:
            entry = groups.setdefault(key, {"key": key, "person_en": d.get("person_en"), "person_zh": d.get("person_zh"),
                                            "english": english, "changes": []})
        entry["person_zh"] = entry["person_zh"] or d.get("person_zh")
        entry["changes"].append({"mention_id": r.id, "change": d.get("change"), "role": d.get("role"),
                                 "organization": d.get("organization"), "date": d.get("date")})
    return [{k: v for k, v in g.items() if k != "english"} for g in groups.values()]
