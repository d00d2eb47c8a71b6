"""Clustering: which policy mentions name one policy.

Every mention has blocking keys that depend on it alone (its document number, Chinese title, distinctive title
words by year, and a sketch of its text by issuer and date window), so the pairs compared for a new mention are
found by looking its keys up, whatever else is stored; in a block larger than ``WINDOW + 1`` a mention meets
only its ``WINDOW`` neighbours on each side in a rank order computed from each mention alone, so look-alikes
sharing a block cost a bounded number of comparisons each. A compared pair passes gates (issuers, status, date,
period) and is scored; pairs scoring at least ``REVIEW_TEXT`` are kept. Mentions joined by pairs that score at
least ``MERGE_TEXT`` form a component, and within a component pairs are taken best first, in the order of their
mentions' keys, joining two clusters unless their dates, statuses or periods would disagree. Each component is
therefore clustered on its own, with the same result whether it is resolved with everything else or alone.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date as Date
from datetime import timedelta
from functools import lru_cache
from typing import Any

from rapidfuzz import fuzz

from policywatch.extract.context import RELEASE, content_words
from policywatch.glossary import GENERIC as GENERIC_TERMS
from policywatch.glossary import chinese_terms, translation_overlap
from policywatch.glossary import words as glossary_words
from policywatch.hanzi import to_simplified

MERGE_TITLE, REVIEW_TITLE = 90.0, 75.0
MERGE_TEXT, REVIEW_TEXT = 0.5, 0.3
DATE_BONUS = 0.2
DATE_WINDOW = 7  # days between the full dates sources give for one policy (issue vs. publication)
MIN_SHARED_WORDS = 3  # a short text agreeing on a word or two proves nothing
CROSS_LANGUAGE = 0.75  # share of a Chinese title's glossary terms an English title must render
# An English report of a Chinese document comes out up to this many days after the document's own date
CROSS_LANGUAGE_DAYS = 60
KEY_TERMS_MERGE = 0.8  # a paraphrase rendering every key term, with issuer, period and instrument agreeing
KEY_TERMS_REVIEW = 0.35  # a paraphrase rendering a key term, some of the rest unknown or different: for review
UNNAMED_CAP = 0.45  # a mention that names no policy (no title, number or instrument) never merges by text alone
BLOCK_DAYS = 4  # full dates fall in windows this wide, each mention in two: mentions up to 4 days apart always meet
SKETCH = 8  # distinctive words that stand for a text in blocks
WINDOW = 16  # in a block, each mention meets the WINDOW before and the WINDOW after it in rank order
RANK_WORDS = 3  # words of a text's sketch its rank in a block begins with

# words of any report of figures and dates: they make two texts alike whatever they are about
NOISE = frozenset(content_words(
    "target targets percent year years billion million yuan said says according "
    "january february march april may june july august september october november december monday tuesday "
    "wednesday thursday friday saturday sunday"))
# words of policy texts too common to tell one policy from another; they stand for a text in blocks only when it
# has no others
GENERIC = NOISE | frozenset(content_words(
    "develop development industry industrial promote promoting accelerate further several certain management "
    "administrative administration interim trial draft comments implementation implementing implement action work "
    "high-quality quality support supporting build building construction key major improve improving strengthen "
    "strengthening regulation regulations provisions law guidance guiding opinion programme program project projects "
    "public people's republic municipal provincial local central department departments relevant reform innovation "
    "pilot"))


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


ScoredPair = tuple[str, str, float, str]  # two mention keys (smaller first), score, the evidence for it


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


def zh_key(text: str | None) -> str:
    """A Chinese title for comparison: Simplified characters, no spaces, quotes or brackets."""
    return re.sub(r"[\s《》“”\"'「」()（）]", "", to_simplified(unicodedata.normalize("NFKC", text or "")))


def number_key(text: str | None) -> str:
    """A document number for comparison: 国发〔2017〕35号, 国发[2017]35号 and 國發（2017）35號 are one; an order is
    the same with or without 中华人民共和国 in front."""
    key = re.sub(r"\s", "", to_simplified(unicodedata.normalize("NFKC", text or "")))
    key = re.sub(r"[〔【\[(（]", "[", re.sub(r"[〕】\])）]", "]", key))
    return key.removeprefix("中华人民共和国")


def _languages(a: dict[str, Any], b: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """(the Chinese mention, the English one) when one names a policy by its Chinese title only and the other
    speaks of it in English only; else None."""
    def english(data: dict[str, Any]) -> bool:
        return bool(data.get("title_en") or data.get("summary")) and not data.get("title_zh")

    if a.get("title_zh") and not a.get("title_en") and english(b):
        return a, b
    if b.get("title_zh") and not b.get("title_en") and english(a):
        return b, a
    return None


def _cross_language(a: dict[str, Any], b: dict[str, Any]) -> tuple[float, str] | None:
    """A Chinese title and an English report of it: one policy when the English renders the title term for term
    (through the glossary, the agency registry and the technology taxonomy), or, paraphrasing it, renders every
    key term of it with the same issuer, period and instrument. A paraphrase agreeing on less is left for review,
    with what is missing."""
    pair = _languages(a, b)
    if pair is None:
        return None
    zh_side, en_side = pair
    zh = zh_side["title_zh"]
    en = " ".join(filter(None, [en_side.get("title_en"), en_side.get("summary")]))
    rendered, found = translation_overlap(zh, en)
    if found >= 2 and rendered >= 2 and rendered / found >= CROSS_LANGUAGE:
        return 1.0 if (a.get("period") and b.get("period")) or rendered == found else 0.6, \
            f"translated title {rendered}/{found} terms"
    target = glossary_words(en)
    key = [t for t in chinese_terms(zh) if t.zh not in GENERIC_TERMS and len(t.zh) >= 2]
    said = [t for t in key if any(glossary_words(form) <= target for form in t.en)]
    if not said:
        return None
    agree, differ = _agreement(zh_side, en_side)
    reason = f"translated key terms {len(said)}/{len(key)}" + "".join(f", {fact}" for fact in agree)
    if len(said) == len(key) and {"issuer", "period"} <= set(agree) and "instrument" not in differ:
        return KEY_TERMS_MERGE, reason
    missing = [fact for fact in ("issuer", "period", "instrument") if fact not in agree]
    return KEY_TERMS_REVIEW, reason + "; near miss: " + ", ".join(
        [f"{fact} differs" if fact in differ else f"{fact} unknown" for fact in missing]
        + ([f"{len(key) - len(said)} key terms not rendered"] if len(said) < len(key) else []))


def _agreement(zh_side: dict[str, Any], en_side: dict[str, Any]) -> tuple[list[str], list[str]]:
    """Which facts besides the words two mentions agree on (issuer, period, instrument), and which they state
    differently."""
    agree, differ = [], []
    facts = {"issuer": (set(zh_side.get("issuers") or ()), set(en_side.get("issuers") or ())),
             "period": (tuple(zh_side.get("period") or ()), tuple(en_side.get("period") or ())),
             "instrument": (_kind(zh_side.get("instrument")), _kind(en_side.get("instrument")))}
    for fact, (x, y) in facts.items():
        if x and y:
            (agree if (x & y if isinstance(x, set) else x == y) else differ).append(fact)
    period = zh_side.get("period")
    goals = {t.get("year") for t in en_side.get("targets") or () if t.get("year")}
    if period and not en_side.get("period") and goals and period[1] in goals and max(goals) <= period[1]:
        agree.append("period")  # a report without the period whose goals are for the plan's last year
    return agree, differ


def _kind(instrument: str | None) -> str | None:
    """An instrument's family: an action plan is a plan."""
    return "plan" if instrument in ("plan", "action plan") else instrument

@lru_cache(maxsize=65536)  # a few thousand distinct dates, compared hundreds of thousands of times
def as_date(value: str) -> Date | None:
    """A full ISO date, or None for a month, a year or nothing."""
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
    da, db = as_date(a), as_date(b)
    return bool(da and db and abs((da - db).days) <= days)


Facts = tuple[frozenset[str], str | None, tuple[int, ...] | None, str | None]


def _facts(data: dict[str, Any]) -> Facts:
    """What the gates compare, read once per mention: issuers, status, period, date."""
    return (frozenset(data.get("issuers") or ()), data.get("status") or None,
            tuple(data["period"]) if data.get("period") else None, data.get("date") or None)


def _gates(a: Facts, b: Facts, days: int = DATE_WINDOW) -> bool:
    """Whether two mentions may be one policy at all: a shared issuer, the same status, period and date (full
    dates up to ``days`` apart)."""
    if a[0] and b[0] and not a[0] & b[0]:
        return False
    if a[1] and b[1] and a[1] != b[1]:
        return False
    if a[2] and b[2] and a[2] != b[2]:
        return False
    return dates_compatible(a[3], b[3], days)


def similarity(a: dict[str, Any], b: dict[str, Any], words_a: set[str], words_b: set[str]) -> tuple[float, str]:
    """How alike two policy mentions are, in [0, 1], and on what evidence."""
    if a.get("doc_number") and number_key(a["doc_number"]) == number_key(b.get("doc_number")):
        return 1.0, "document number"
    if a.get("title_zh") and zh_key(a["title_zh"]) == zh_key(b.get("title_zh")):
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
    value, reason = _text_similarity(a, b, words_a, words_b)
    if value >= MERGE_TEXT and not (_names_a_policy(a) and _names_a_policy(b)):
        # a sentence that names no policy (a footnote, a description of a body) is never merged by its words
        return UNNAMED_CAP, reason + "; one of them names no policy"
    return value, reason


CITATION = re.compile(r"^\W*(?:\d{1,3}\s+)?(?:[A-Z][\w'’&.-]*[ ,]+){1,6}(?:19|20)\d{2}[a-z]?\.\s+")


def _names_a_policy(data: dict[str, Any]) -> bool:
    """Whether a mention names a policy: a title or document number, or a text that reports one being issued or
    describes an instrument; not a footnote's fragment ("Frietsch 2020. assessments and …") or a body's role."""
    if data.get("title_en") or data.get("title_zh") or data.get("doc_number"):
        return True
    summary = (data.get("summary") or "").split(" | ", 1)[0]
    if (cited := CITATION.match(summary)) and summary[cited.end():cited.end() + 1].islower():
        return False
    return bool(RELEASE.search(summary) or describe(summary))


def _text_similarity(a: dict[str, Any], b: dict[str, Any], words_a: set[str], words_b: set[str]) -> tuple[float, str]:
    """How alike two mentions' words are, with a bonus for one issuer acting within a few days."""
    shared = len(words_a & words_b)
    if shared < MIN_SHARED_WORDS:
        return 0.0, f"text: {shared} words in common"
    overlap = shared / min(len(words_a), len(words_b))
    # the same issuer acting within a few days is strong evidence by itself (sources disagree on issue
    # and publication dates by a day or two)
    da, db = as_date(a.get("date") or ""), as_date(b.get("date") or "")
    if da and db and abs((da - db).days) <= 3 and set(a.get("issuers") or []) & set(b.get("issuers") or []):
        return min(1.0, overlap + DATE_BONUS), f"text {overlap:.2f}, dates {abs((da - db).days)} days apart"
    return overlap, f"text {overlap:.2f}"


def text_words(data: dict[str, Any]) -> set[str]:
    """The words a mention's title and summary are compared by. Figures' words ("target", "percent", a month) and
    the issuer's own name would make any two reports of one issuer alike, and chain unrelated policies into one."""
    words = content_words(" ".join(filter(None, [data.get("title_en"), data.get("summary")])))
    return words - NOISE - set(data.get("issuers") or ())


@lru_cache(maxsize=65536)  # a vocabulary's worth of words, each hashed once
def _hash_order(word: str) -> bytes:
    return hashlib.blake2b(word.encode(), digest_size=8).digest()


def sketch(words: Iterable[str], size: int = SKETCH) -> list[str]:
    """The words standing for a text in blocks: its distinctive (not generic) words, at most ``size`` of them in a
    fixed pseudo-random order; all its words when none is distinctive."""
    words = set(words)
    distinctive = words - GENERIC or words
    return sorted(distinctive, key=_hash_order)[:size]


def _translated_words(title_zh: str) -> set[str]:
    """English words of the glossary terms in a Chinese title, for meeting English titles that render it."""
    return {w for term in chinese_terms(title_zh) for form in term.en for w in content_words(form)} - GENERIC


Block = tuple[str, str]  # a key and the mention's role in it: m(ember), i(ndexed) or p(robe)


def _buckets(date: str) -> tuple[list[str], list[str], str | None]:
    """Where a date puts a mention: the buckets it shares with mentions of its own precision, the coarser ones it
    is found in, and the one it looks into for finer dates (a month looks at the full dates of that month)."""
    day = as_date(date)
    if day:
        return [f"w{day.toordinal() // BLOCK_DAYS + step}" for step in (0, 1)], [date[:7], date[:4], "*"], None
    if len(date) == 7:
        return [date], [date[:4], "*"], date
    if len(date) == 4:
        return [date], ["*"], date
    return ["undated"], [], "*"


def blocking_keys(data: dict[str, Any], words: set[str] | None = None) -> set[Block]:
    """The blocks a mention is in; two mentions are compared when one is a member of a block the other is a member
    of, or when one probes a block the other is a member of or indexed in.

    A document number or Chinese title is a block of its own. English title words (or the English words of a
    Chinese title's terms) make blocks by year, the years within a week of a full date. The text's distinctive
    words (when it has the three a text match needs) make blocks by issuer and date: two windows of ``BLOCK_DAYS``
    days for a full date, else the month or the year stated, or "undated". A mention with a coarser date probes the
    finer ones inside it (a month the full dates of that month, an undated one every date), so every pair whose
    dates agree can meet.
    """
    words = text_words(data) if words is None else words
    blocks: set[Block] = set()
    if data.get("doc_number"):
        blocks.add((f"number|{number_key(data['doc_number'])}", "m"))
    if data.get("title_zh"):
        blocks.add((f"zh|{zh_key(data['title_zh'])}", "m"))
    date = data.get("date") or ""
    own, coarser, probe = _buckets(date)
    title_words = content_words(data.get("title_en") or "") - GENERIC
    if not data.get("title_en") and data.get("title_zh"):
        title_words = _translated_words(data["title_zh"])
    day = as_date(date)
    years = sorted({str((day + timedelta(days)).year) for days in (-DATE_WINDOW, CROSS_LANGUAGE_DAYS)}) if day \
        else [date[:4] or "undated"]
    for word in title_words:
        blocks.update((f"title|{year}|{word}", "m") for year in years)
        blocks.add((f"title|*|{word}", "p" if not date else "i"))
    if len(words) < MIN_SHARED_WORDS:
        return blocks  # too few words for any text to agree with on enough of them
    standing = sketch(words)  # the text's words leave out its issuers' names already (text_words)
    for issuer in data.get("issuers") or ["-"]:
        for word in standing:
            blocks.update((f"text|{issuer}|{bucket}|{word}", "m") for bucket in own)
            blocks.update((f"text|{issuer}|in {bucket}|{word}", "i") for bucket in coarser)
            if probe:
                blocks.add((f"text|{issuer}|in {probe}|{word}", "p"))
    return blocks


MEETS = {"m": "mp", "i": "p", "p": "mi"}  # which roles a role meets in a block


Rank = tuple[tuple[bytes, ...], str, bytes]


def rank(record: MentionRecord, words: set[str]) -> Rank:
    """Where a mention stands in every block it is in, from the mention alone: texts that share their
    least-hashed distinctive words first (the MinHash idea: two texts' smallest hashes agree as often as their
    words do), then by date; ties in a hash of the key, so that one document's many look-alike mentions are
    scattered among other documents' instead of filling each other's windows."""
    return (tuple(_hash_order(w) for w in sketch(words, RANK_WORDS)), record.data.get("date") or "",
            _hash_order(record.key))


@dataclass(frozen=True)
class Prepared:
    """A mention with what comparing it needs, computed once: words, gate facts, blocks, rank in blocks."""

    record: MentionRecord
    words: set[str]
    facts: Facts
    blocks: set[Block]
    rank: Rank

    @classmethod
    def of(cls, record: MentionRecord, blocks: bool = True, words: set[str] | None = None) -> Prepared:
        """A mention prepared; without its blocks when it is only compared with (a stored mention, whose words are
        stored too)."""
        words = text_words(record.data) if words is None else words
        return cls(record, words, _facts(record.data), blocking_keys(record.data, words) if blocks else set(),
                   rank(record, words))


def score(a: Prepared, b: Prepared) -> ScoredPair | None:
    """The pair of two mentions worth keeping (at least ``REVIEW_TEXT``), or None: same document, failed gates,
    too little alike."""
    if a.record.document_id == b.record.document_id:
        return None
    if not _gates(a.facts, b.facts) and not (_languages(a.record.data, b.record.data) is not None
                                             and _gates(a.facts, b.facts, CROSS_LANGUAGE_DAYS)):
        return None
    value, reason = similarity(a.record.data, b.record.data, a.words, b.words)
    if value < REVIEW_TEXT:
        return None
    first, second = sorted((a.record.key, b.record.key))
    return first, second, round(value, 6), reason


Entry = tuple[Rank, int, str]  # a mention in a block: its rank, an index standing for it, its role


def block_pairs(entries: list[Entry], document: list[int], fresh: int = 0) -> Iterator[tuple[int, int]]:
    """The pairs a block's entries (sorted by rank) make: roles that meet, other documents, at most ``WINDOW``
    places apart; with ``fresh``, only pairs with an index below it (the mentions being added).

    A block of up to WINDOW + 1 mentions pairs them all; a larger one (look-alikes of one issuer, month and words)
    pairs each mention with its neighbours only, so no block costs more than WINDOW comparisons per mention."""
    probes = any(role == "p" for _, _, role in entries)
    for k, (_, a, role) in enumerate(entries):
        if role == "i" and not probes:
            continue
        meets, da = MEETS[role], document[a]
        for _, b, other in entries[k + 1:k + 1 + WINDOW]:
            if other in meets and document[b] != da and (not fresh or a < fresh or b < fresh):
                yield (a, b) if a < b else (b, a)


def lost_pairs(entries: list[Entry], document: list[int], fresh: int) -> Iterator[tuple[int, int]]:
    """The pairs of earlier mentions (indexes from ``fresh`` on) this block made before the fresh ones came in
    between them and no longer makes: they were at most ``WINDOW`` places apart and are now further."""
    earlier = [entry for entry in entries if entry[1] >= fresh]
    if len(entries) <= WINDOW + 1 or not earlier or len(earlier) == len(entries):
        return
    place = {index: k for k, (_, index, _) in enumerate(entries)}
    for k, (_, a, role) in enumerate(earlier):
        span = earlier[k + 1:k + 1 + WINDOW]
        if not span or place[span[-1][1]] - place[a] <= WINDOW:
            continue  # nothing came in between: distances are as they were
        meets, da = MEETS[role], document[a]
        for _, b, other in span:
            if place[b] - place[a] > WINDOW and other in meets and document[b] != da:
                yield (a, b) if a < b else (b, a)


def places(entries: list[Entry]) -> dict[int, tuple[int, str]]:
    """Each index of a block's entries (sorted by rank): its place and role."""
    return {index: (k, role) for k, (_, index, role) in enumerate(entries)}


def meet(place: dict[int, tuple[int, str]], a: int, b: int) -> bool:
    """Whether two mentions of another document each make a pair in a block (see ``places``): roles that meet,
    near enough."""
    if a not in place or b not in place:
        return False
    (ka, ra), (kb, rb) = place[a], place[b]
    return rb in MEETS[ra] and abs(ka - kb) <= WINDOW


def scored_pairs(prepared: list[Prepared]) -> list[ScoredPair]:
    """Every pair of mentions a block makes (see ``block_pairs``), scored; those below ``REVIEW_TEXT`` left out."""
    blocks: dict[str, list[Entry]] = defaultdict(list)
    for i, p in enumerate(prepared):
        for key, role in p.blocks:
            blocks[key].append((p.rank, i, role))
    document = [p.record.document_id for p in prepared]
    found: set[tuple[int, int]] = set()
    for entries in blocks.values():
        if len(entries) > 1:
            found.update(block_pairs(sorted(entries), document))
    scored = (score(prepared[a], prepared[b]) for a, b in found)
    return sorted(p for p in scored if p is not None)


@dataclass(frozen=True)
class _Profile:
    """The statuses, periods and span of full dates a cluster's mentions state: the dates of the Chinese originals
    (mentions with a Chinese title) and of the reports apart, since a report comes out weeks after its original."""

    statuses: frozenset[str]
    periods: frozenset[tuple[int, ...]]
    first_day: Date | None
    last_day: Date | None
    first_original: Date | None = None
    last_original: Date | None = None

    @classmethod
    def of(cls, data: dict[str, Any]) -> _Profile:
        day = as_date(data.get("date") or "")
        statuses = frozenset([data["status"]] if data.get("status") else [])
        periods = frozenset([tuple(data["period"])] if data.get("period") else [])
        if data.get("title_zh"):
            return cls(statuses, periods, None, None, day, day)
        return cls(statuses, periods, day, day)

    def merge(self, other: _Profile) -> _Profile:
        days = [d for d in (self.first_day, self.last_day, other.first_day, other.last_day) if d]
        originals = [d for d in (self.first_original, self.last_original, other.first_original,
                                 other.last_original) if d]
        return _Profile(self.statuses | other.statuses, self.periods | other.periods,
                        min(days) if days else None, max(days) if days else None,
                        min(originals) if originals else None, max(originals) if originals else None)

    def consistent(self) -> bool:
        span = (self.last_day - self.first_day).days if self.first_day and self.last_day else 0
        span_original = (self.last_original - self.first_original).days \
            if self.first_original and self.last_original else 0
        days = [d for d in (self.first_day, self.last_day, self.first_original, self.last_original) if d]
        across = (max(days) - min(days)).days if days else 0
        return len(self.statuses) <= 1 and len(self.periods) <= 1 and span <= DATE_WINDOW \
            and span_original <= DATE_WINDOW and across <= CROSS_LANGUAGE_DAYS


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


def merge_fields(members: list[MentionRecord]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The cluster's fields: the best-supported value of each, and conflicts where mentions disagree."""
    fields: dict[str, Any] = {}
    conflicts: list[dict[str, Any]] = []
    by_id = {m.id: m for m in members}
    for name in ("title_en", "title_zh", "doc_number", "status", "date", "date_effective", "period", "instrument",
                 "level"):
        values = [(m.data.get(name), m.id) for m in members if m.data.get(name)]
        if not values:
            continue
        counted = Counter(str(v) for v, _ in values)
        if name in ("title_en", "title_zh"):
            best = max(values, key=lambda vm: (counted[str(vm[0])], len(str(vm[0]))))[0]
        elif name in ("date", "date_effective"):
            # the text itself (it carries its document number) states its own dates: a report of it that dates
            # it otherwise (by the day it was reported) is outvoted, not a conflict
            official = [(v, mid) for v, mid in values if by_id[mid].data.get("doc_number")]
            values = official or values
            counted = Counter(str(v) for v, _ in values)
            # the most precise date that most sources give
            best = max(values, key=lambda vm: (counted[str(vm[0])], len(vm[0])))[0]
            distinct = sorted({v for v, _ in values})
            if len([d for d in distinct if not any(o != d and o.startswith(d) for o in distinct)]) > 1:
                conflicts.append({"field": name, "values": [{"value": v, "mention_id": mid} for v, mid in values]})
        else:
            best = max(values, key=lambda vm: counted[str(vm[0])])[0]  # ties: the first in key order
        fields[name] = best
    # the day the policy was first reported: what places a policy without a date of its own in a month
    if reported := min((m.data["reported"] for m in members if m.data.get("reported")), default=None):
        fields["reported"] = reported
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
    # a law's history: the earlier steps its sources state, each once, oldest first
    steps = {(v.get("step"), v.get("date"), v.get("body")): {**v, "mention_id": m.id}
             for m in members for v in m.data.get("versions", [])}
    if steps:
        fields["versions"] = sorted(steps.values(), key=lambda v: v.get("date") or "")
    return fields, conflicts


def group_mentions(records: list[MentionRecord], pairs: Iterable[ScoredPair],
                   must_link: Iterable[frozenset[str]] = (), cannot_link: Iterable[frozenset[str]] = (),
                   preferred: Iterable[str] = ()) -> list[tuple[str, list[MentionRecord]]]:
    """Group policy mentions into policies by their scored pairs and the manual decisions: (key, members) in key
    order. Only the mentions' keys, dates, statuses and periods are read.

    A group is named by the smallest key of its mentions, or of its ``preferred`` ones (a manual merge keeps the
    name, and so the id, of the policy merged into)."""
    records = sorted(records, key=lambda r: r.key)
    index = {r.key: i for i, r in enumerate(records)}
    preferred = set(preferred)
    uf = _UnionFind(len(records))
    forbidden: dict[int, set[int]] = defaultdict(set)  # mention -> mentions it must never share a policy with
    for a, b in (sorted(p) for p in cannot_link if len(p) == 2):
        if a in index and b in index:
            forbidden[index[a]].add(index[b])
            forbidden[index[b]].add(index[a])
    # a cluster's mentions that have a cannot-link, by the cluster's root: only these need checking on a join, so a
    # huge component with a few manual splits costs no more than one without
    held: dict[int, list[int]] = {i: [i] for i in forbidden}
    # what a whole cluster states, so that a chain of pairwise matches cannot drift to another policy
    profile = {i: _Profile.of(r.data) for i, r in enumerate(records)}

    def join(i: int, j: int, forced: bool = False) -> None:
        ri, rj = uf.find(i), uf.find(j)
        if ri == rj:
            return
        if forbidden:
            mine, theirs = held.get(ri, []), held.get(rj, [])
            small, other = (mine, rj) if len(mine) <= len(theirs) else (theirs, ri)
            if any(uf.find(y) == other for x in small for y in forbidden[x]):
                return
        merged = profile[ri].merge(profile[rj])
        if not forced and not merged.consistent():
            return
        uf.union(ri, rj)
        root = uf.find(ri)
        profile[root] = merged
        if forbidden:
            mine, theirs = held.pop(ri, []), held.pop(rj, [])
            if mine or theirs:
                big, small = (mine, theirs) if len(mine) >= len(theirs) else (theirs, mine)
                big.extend(small)  # the smaller list into the larger: each mention moves O(log n) times
                held[root] = big

    for a, b in sorted(tuple(sorted(p)) for p in must_link if len(p) == 2):
        if a in index and b in index:
            join(index[a], index[b], forced=True)
    # best first, ties in the order of the pair's keys: never in the order of ids, which differ between databases
    for value, a, b in sorted((-p[2], min(p[0], p[1]), max(p[0], p[1])) for p in pairs):
        value = -value
        if value >= MERGE_TEXT and a in index and b in index:
            join(index[a], index[b])
    clusters: dict[int, list[MentionRecord]] = defaultdict(list)
    for i, r in enumerate(records):
        clusters[uf.find(i)].append(r)
    return sorted(((min((m.key for m in members if m.key in preferred), default=None) or members[0].key, members)
                   for members in clusters.values()), key=lambda group: group[0])


def as_cluster(key: str, members: list[MentionRecord]) -> PolicyCluster:
    """A group of whole mention records as a policy, its fields merged."""
    fields, conflicts = merge_fields(members)
    return PolicyCluster(key=key, mention_ids=sorted(m.id for m in members), fields=fields, conflicts=conflicts)


def cluster_policies(records: list[MentionRecord], pairs: Iterable[ScoredPair],
                     must_link: Iterable[frozenset[str]] = (), cannot_link: Iterable[frozenset[str]] = (),
                     preferred: Iterable[str] = ()) -> list[PolicyCluster]:
    """Policies from whole mention records (see ``group_mentions``), in key order."""
    return [as_cluster(key, members) for key, members in group_mentions(records, pairs, must_link, cannot_link,
                                                                        preferred)]


def review_pairs(pairs: Iterable[ScoredPair], cluster_of: dict[str, str],
                 cannot_link: Iterable[frozenset[str]] = ()) -> list[tuple[str, str, float, str]]:
    """Pairs of policies (by key) that some of their mentions' pairs say may be one, best pair per policy pair."""
    by_hand = set(cannot_link)
    best: dict[frozenset[str], tuple[str, str, float, str]] = {}
    for a, b, value, reason in sorted(pairs, key=lambda p: (-p[2], p[0], p[1])):
        ca, cb = cluster_of.get(a), cluster_of.get(b)
        if ca is None or cb is None or ca == cb:
            continue
        if value >= MERGE_TEXT:
            reason += "; kept apart by hand" if frozenset((a, b)) in by_hand else \
                "; kept apart: the sources of the two differ in date, status or period"
        best.setdefault(frozenset((ca, cb)), (ca, cb, round(value, 3), reason))
    return sorted(best.values(), key=lambda p: (-p[2], p[0], p[1]))
