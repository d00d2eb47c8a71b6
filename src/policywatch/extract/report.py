"""Records of long reports: a policy is a referent, not a sentence.

A report names a policy, describes it over the next sentences ("The plan aims …", "It sets out rules …", "In this
outline, …") and names it again chapters later ("MIC 2025 …"). Each policy becomes one record: the sentence that
reports or names it first, every later naming and every continuation adding its place as evidence and the fields it
states (dates in force, goals, money, period). Sentences about agencies, studies and footnotes are no policies.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from policywatch import places
from policywatch.extract import titles
from policywatch.extract.agencies import GENERIC_GOVERNMENT, agency_ids, find_agencies
from policywatch.extract.companies import find_companies
from policywatch.extract.context import (
    INSTRUMENT_NOUN,
    RELEASE,
    bodies_listed,
    policy_trigger,
    release_dates,
    squash,
)
from policywatch.extract.dates import find_dates
from policywatch.extract.mentions import Context, _amounts, merge_mentions, policy_from_text
from policywatch.extract.targets import find_targets, lead_in_year, merge_targets
from policywatch.model import Item, Mention

Found = list[tuple[int | None, Mention]]

# A continuation speaks of the policy just described: "It …", "The plan …", "This city-level fund …",
# "In this outline, …", "According to Chengjin, the plan …". Words between the article and the noun are lower-case
# modifiers, never a verb or a second article ("The MIIT issued a plan" is no continuation).
PLAN_NOUN = (r"(?:action plan|plan|strategy|rules|regulations?|outline|law|guidelines?|guidance|guide|polic(?:y|ies)|"
             r"directive|measures|notice|document|programme|program|initiative|fund|scheme|framework|blueprint|"
             r"roadmap|package|statement|masterplan|opinions|system|project)s?")
_MODIFIER = r"(?!(?:a|an|the|is|was|are|were|has|have|had|which|that|of|and|issued|released|published|announced|" \
            r"launched|adopted|introduced|main|first|key|most|only)\b|[a-z]+est\b)[‘’'\"]?[a-z][\w-]*[’'\"]?"
ANAPHORA = re.compile(
    rf"^(?:[A-Z][a-z]+(?:ly)?,\s+)?(?:"
    rf"(?:[Ii]n|[Uu]nder|[Tt]hrough|[Ww]ith|[Ww]ithin|[Aa]s part of|[Aa]ccording to|[Bb]y)\s+(?:this|these|that|its|the)\s+"
    rf"(?:{_MODIFIER}\s+){{0,2}}?{PLAN_NOUN}\b"
    rf"|(?:According to|Led by|As stated by)\s+[^,]{{1,60}},\s+(?:the|this|these)\s+(?:{_MODIFIER}\s+){{0,2}}?{PLAN_NOUN}\b"
    rf"|(?:[Tt]he|[Tt]his|[Tt]hese|[Tt]hat|[Ss]uch|[Ii]ts)\s+(?:{_MODIFIER}\s+){{0,3}}?{PLAN_NOUN}\b"
    rf"|(?:The|Its|Their)\s+(?:main\s+|key\s+|overall\s+)?(?:targets?|goals?|aims?)\s+(?:for|of|is|are)\b"
    rf"|To (?:achieve|reach|meet|implement|support|realise|realize) (?:this|these|them|the (?:goals?|targets?))\b"
    rf"|(?:It|They)\b(?!\s+(?:is|was)\s+(?:expected|likely|important|clear|worth|possible|necessary|estimated)\b))")
# "The key industries addressed in this initiative …": the policy spoken of early in the sentence.
EARLY_ANAPHORA = re.compile(rf"\b(?:in|of|under|by|from|on|for|to|with)\s+(?:this|these|the said)\s+"
                            rf"(?:{_MODIFIER}\s+){{0,2}}?{PLAN_NOUN}\b")
# A report's pronoun for a body just described ("… the NDRC is an important actor. Furthermore, it …").
PRONOUN = re.compile(r"^(?:[A-Z][a-z]+(?:\s+[a-z]+)?,\s+)?(?:[Ii]t|[Ii]ts)\b")

# Sentences that describe a body: its role, remit, founding, what it supports.
AGENCY_ROLE = re.compile(
    r"\b(?:is|are|was|were)\s+(?:an?|the|one of the)\b[^.;]{0,60}?\b(?:actor|body|agency|authority|ministry|commission|"
    r"think-?tank|department|institut\w+|organi[sz]ation|committee|council|administration|regulator|player|cent(?:re|er)|"
    r"office|bureau|unit)s?\b"
    r"|\bis responsible for\b|\bacts? as\b|\b(?:was|were) (?:originally |first )?(?:founded|established|set up|created|"
    r"formed|renamed|restructured)\b|\bsupports? the\b|\bassists?\b|\boperates?\b|\bconsists? of\b|\bsubordinated\b|"
    r"\bis (?:in charge|tasked)\b|\boversees\b|\bcoordinates\b")

# A citation of the literature opening a line: "Frietsch 2020.", "State Council 2015a.", "Wübbeke et al. 2016, p. 20."
REFERENCE = re.compile(r"(?:\d{1,3}\s+)?(?:(?:[A-Z][\w'’&.()-]*|de|van|von|der|and|et al\.?)[ ,]+){1,8}"
                       r"(?:19|20)\d{2}[a-z]?(?:,\s*pp?\.\s*[\d-]+)?\.(?:\s+|$)")
FOOTNOTE_LEAD = re.compile(r"^(?:\d{1,3}\s+)+(?=[A-Z‘'“’])")

# Names whose last word says they are a policy: quoted or capitalised ("the ‘2030 Innovation Mega Projects’",
# "National Advanced Manufacturing Investment Fund", "the 13th Five-Year Plan").
NAME_HEAD = re.compile(
    r"(?:Plan|Law|Strategy|Outline|Guidance|Guidelines?|Principles|Measures|Notice|Opinions|Regulations?|Rules|"
    r"Provisions|Programme|Program|Initiative|Fund|System|Zones|Projects|Points|List|Catalogue|Standards?|Scheme|"
    r"Framework|Roadmap|Campaign|Decision|Circular|Blueprint|Masterplan)$")
QUOTED_HEAD = re.compile(r"\b(?:Plan|Law|Strategy|Outline|Guidance|Guidelines?|Principles|Measures|Notice|Opinions|"
                         r"Regulations?|Rules|Provisions|Programme|Program|Initiative|Fund|System|Zones|Projects|Points|"
                         r"Catalogue|Scheme|Framework|Roadmap|Campaign|Decision|Circular|Blueprint|Masterplan)\b")
HEAD_AFTER = re.compile(r"^[’'”\"]?\s*(?:[(（][^)）]{1,30}[)）]\s*)?(?:initiative|plan|programme|program|strategy|"
                        r"project|campaign|policy|scheme|fund)\b", re.I)
_CAPWORD = r"(?:[A-Z][\w’'+-]*|\d{4}|\d{1,2}(?:st|nd|rd|th))"
_LINK = r"(?:of|for|on|in|the|and|to|with|by|from|at)"
CAPITALISED_NAME = re.compile(rf"(?<![\w’'-])(?:{_CAPWORD}\s+(?:{_LINK}\s+)*){{1,14}}?(?:[A-Z][\w-]*\s+)?"
                              rf"(?:Plan|Law|Strategy|Outline|Programme|Initiative|Fund|Projects|Guidelines|Measures|"
                              rf"Regulations|Opinions|Notice|Masterplan|Blueprint)(?![\w-])")
# New policies introduced as such: "A separate Action plan to …", "Another fund aimed at …", "A guide to …".
INDEFINITE = re.compile(r"^(?:A|An|Another)\s+(?:(?:new|separate|further|second|third|similar|dedicated|national|"
                        r"[a-z]+-level|[a-z]+-year)\s+){0,2}(?P<noun>(?:[Aa]ction plan|plan|guide|guideline|strategy|"
                        r"programme|program|fund|initiative|scheme|roadmap|blueprint))\b(?=\s+(?:to|for|on|aimed|aiming|"
                        r"that|was|is|has|of))")
# Bodies that drafted a policy with its issuer: "…, which were formulated by the … Committee"
DRAFTED_BY = re.compile(r"\b(?:formulated|drafted|drawn up|compiled|co-?issued|jointly (?:issued|released|published))"
                        r"\s+by\s+(?:the\s+)?")
# Places that set their own goals: "the province set itself new targets", "Shanghai's plan aims to …".
GOAL_SETTING = re.compile(r"\bset (?:itself|themselves|out)\s+(?:an? |the )?(?:series of |number of |several |ambitious |"
                          r"new )*(?:goals|targets|objectives)\b|(?P<place>[A-Z][a-z]+)(?:'s|’s)\s+(?:[a-z-]+\s+)?"
                          r"(?:plan|strategy|programme|roadmap)\s+(?:aims|seeks|targets|calls)\b"
                          # "Guangdong, for instance, aims to produce 2 million …"
                          r"|^(?P<subject>[A-Z][a-z]+)(?:,\s+(?:for instance|for example|in particular),)?\s+"
                          r"(?:aims|plans|seeks|intends|wants)\s+to\b")
# Policies spoken of in general, none in particular: "A number of provinces have issued their own plans."
GENERAL = re.compile(r"\b(?:their own|its own|various|many|numerous|a number of|a series of|a range of|"
                     r"a variety of|other|such)\s+(?:[a-z-]+\s+)?(?:plans|policies|measures|strategies|programmes|"
                     r"programs|initiatives|documents|guidelines|rules|regulations)\b")
LOCAL_PRONOUN = re.compile(r"\bthe (?P<kind>city|province|municipality|region)\b")
# A report speaking of itself, and its captions, report no policy.
NOT_A_POLICY = re.compile(r"\b(?:this|the present|our|previous)\s+(?:\w+\s+)?(?:report|study|paper|update|publication|"
                          r"chapter|section|analysis|edition)\b|^\s*(?:Table|Figure|Fig\.|Chart|Box|Source)\s+\d", re.I)
COMPANY_CUE = re.compile(r"\b(?:company|companies|firm|operator|giant|maker|manufacturer|corporation|enterprise|"
                         r"start-?up|carrier|Co\.|Ltd|Inc\.?|Corp\.?|Group|Holdings|Technologies)\b")
# Footnote markers PDF text glues to words, amounts and years: "China25,", "bn52)", "in 2008.91 Today".
GLUED_NOTE = re.compile(r"(?<=[a-z])\d{1,3}(?=[\s,.;:)’”]|$)|(?<=[a-z][.,;:’”)])\d{1,3}(?=\s|$)|"
                        r"(?<=(?:19|20)\d\d[.,])\d{1,3}(?=\s|$)")
# A name is compared with at most this many earlier names sharing a distinctive word, and with this many earlier
# records without a name: the cost per sentence stays bounded however many policies a report names.
CANDIDATES = 50
# How close a continuation must follow what it continues (characters of text between them).
REACH = 900
# A continuation that opens with "It" refers to the sentence just before, no further.
PRONOUN_REACH = 300
SUMMARY_CHARS = 600


def blank_notes(text: str) -> str:
    """The text with glued footnote markers blanked (offsets kept), so that "bn52" reads as "bn"."""
    return GLUED_NOTE.sub(lambda m: " " * len(m.group()), text)


def acronyms(text: str) -> dict[str, str]:
    """Long forms of abbreviations the document defines: "Made in China 2025 (MIC 2025)", "… System' (SoCs)"."""
    found = {}
    flat = squash(text)
    for m in re.finditer(r"\(([A-Z][A-Za-z]{1,8}(?: \d{4})?)\)", flat):
        short = m.group(1)
        capitals = [c.lower() for c in short if c.isupper()]
        letters = capitals if len(capitals) >= 2 else [c.lower() for c in short if c.isalpha()]
        words = flat[max(0, m.start() - 120):m.start()].strip(" ’'”\"").split()
        for n in range(len(letters), min(len(words), len(letters) + 4) + 1):
            candidate = [w.strip("‘'“\"’”") for w in words[-n:]]
            initials = "".join(w[0].lower() for w in candidate if w and w[0].isalpha())
            if candidate[0] and initials.startswith(letters[0]) and _subsequence(letters, initials) \
                    and candidate[0][0].isupper():
                found[short] = " ".join(candidate)
                break
    return found


def _subsequence(needle: list[str], haystack: str) -> bool:
    it = iter(haystack)
    return all(c in it for c in needle)


def _key(name: str) -> str:
    """A name compared across its namings: case, quotes, hyphens and a leading article ignored."""
    flat = name.lower().replace("-", "").replace("artificial intelligence", "ai")
    words = [VARIANTS.get(w, w) for w in re.findall(r"[a-z0-9+]+", flat)]
    return " ".join(w for w in words if w not in SMALL_WORDS)


# Words that translations of one Chinese title render differently (新一代: "new" or "next generation").
VARIANTS = {"next": "new", "programme": "program", "centre": "center", "guideline": "guidelines",
            "standardisation": "standardization", "digitalisation": "digitalization", "organisation": "organization"}


def _clean_name(name: str) -> str:
    """A name as a title: one line, no quotes or article, a hyphen PDF text lost put back ("FiveYear")."""
    name = re.sub(r"\s+", " ", name).strip(" ‘’'“”\".,;:")
    name = re.sub(r"\b(Two|Three|Four|Five|Ten)(Year)\b", r"\1-\2", name)
    return re.sub(r"^(?:the|The)\s+", "", name)


def names_in(sentence: str) -> list[tuple[str, int, int]]:
    """Policies a sentence names: quoted titles with a policy's head word (or followed by one) and capitalised names
    ending in one; (name, start, end) in order."""
    found: list[tuple[str, int, int]] = []
    quoted = list(titles.quoted_titles(sentence))
    # a closing quote opening a title (PDF text of ‘…’ often loses its opening mark's direction)
    quoted += [(m.group(1), m.start(1), m.end(1)) for m in re.finditer(r"(?:^|\s)’([A-Z0-9][^’‘\n]{4,120}?)’(?![a-z])",
                                                                     sentence)]
    for title, start, end in quoted:
        name = _clean_name(title)
        if re.search(r"[\u4e00-\u9fff]", name) or (not name[:1].isupper() and not name[:1].isdigit()):
            continue
        if QUOTED_HEAD.search(name) or HEAD_AFTER.match(sentence[end:end + 14]):
            found.append((name, start, end))
    flat = sentence.replace("\n", " ")
    inside = [(s, e) for _, s, e in quoted]
    for m in CAPITALISED_NAME.finditer(flat):
        begin = m.start()
        if (joined := list(re.finditer(r"\band the\s+", m.group()))):
            begin = m.start() + joined[-1].end()  # "MIC 2025 and the Next Generation AI Plan": the last name
        name = _clean_name(flat[begin:m.end()])
        words = name.split()
        capitals = sum(1 for w in words if w[0].isupper() or w[0].isdigit())
        if len(words) < 3 or capitals < 3 or any(s <= m.start() < e or s < m.end() <= e for s, e in inside):
            continue
        if find_agencies(name) and sum(a.end - a.start for a in find_agencies(name)) >= len(name) / 2:
            continue  # a body's name ("National Development and Reform Commission")
        found.append((name, begin, m.end()))
    return sorted(found, key=lambda f: f[1])


@cache
def _place_pattern() -> re.Pattern[str]:
    names = sorted((n for n in places.by_english() if len(n) > 3), key=len, reverse=True)
    return re.compile(r"\b(" + "|".join(re.escape(n) for n in names) + r")\b")


def _government_of(name: str) -> list[str]:
    place = places.by_english().get(name)
    return [f"{place.slug}-government"] if place is not None and place.slug != "beijing" else []


def _place_before(text: str, position: int, kind: str) -> list[str]:
    """The government of the last place of a kind named before ``position`` ("the city" -> that city)."""
    level = {"city": "municipal", "municipality": "municipal", "province": "provincial", "region": "provincial"}[kind]
    window = text[max(0, position - 800):position]
    named = [m.group(1) for m in _place_pattern().finditer(window)]
    fitting = [n for n in named if places.by_english()[n].level == level] or named
    return _government_of(fitting[-1]) if fitting else []


def _agency_role(flat: str) -> str | None:
    """The body a sentence describes ("The CAICT supports the development of …"), or None."""
    m = AGENCY_ROLE.search(flat)
    if m is None or re.search(r"\b(?:which|who|that)\s+(?:\w+\s+)?$", flat[max(0, m.start() - 20):m.start()]):
        return None
    # the body is the subject just before the verb, perhaps with its abbreviation: "The CAICT supports …"
    subject = [a for a in find_agencies(flat[:m.start()]) if m.start() - a.end <= 40]
    if not subject or RELEASE.search(flat[subject[-1].end:m.start()]) or "," in flat[subject[-1].end:m.start()]:
        return None
    return subject[-1].id


def _company_acts(sentence: str) -> bool:
    """A company, not a government body, is what announces or releases: corporate news, not policy."""
    flat = squash(sentence)
    verb = RELEASE.search(flat)
    if verb is None:
        return False
    subject = flat[:verb.start()]
    firm = COMPANY_CUE.search(subject) and find_companies(subject)
    return bool(firm) and not find_agencies(subject) and not GENERIC_GOVERNMENT.search(subject) \
        and not INSTRUMENT_NOUN.search(subject) and not re.search(r"[‘'“\"]", subject)


REPORT_NOUN = re.compile(r"\b(?:funds?|initiatives?|programmes?|projects?|zones?|mega-projects?)\b", re.I)


# "The MOST identified seven key areas for …": a body setting priorities is a policy
PRIORITIES = re.compile(r"\b(?:identified|designated|listed|named|selected|set out)\s+(?:\w+\s+){0,2}?(?:key|priority|"
                        r"strategic|major)\s+(?:areas|sectors|industries|fields|tasks|projects|directions)\b")


def _triggered(flat: str) -> bool:
    """Does a report's sentence say that a policy was issued, launched or set up?"""
    if policy_trigger(flat, strict=False):
        return True
    if (priorities := PRIORITIES.search(flat)) and find_agencies(flat[:priorities.start()]):
        return True
    if (initiated := re.search(r"\binitiat(?:es|ed|ing)\b", flat)) and INSTRUMENT_NOUN.search(flat[initiated.end():][:80]):
        return True
    verb = RELEASE.search(flat) or re.search(r"\b(?:set up|established|initiated)\b", flat)
    if not (verb and REPORT_NOUN.search(flat[max(0, verb.start() - 120):verb.end() + 120])):
        return False
    # funds, projects and zones are policies when a government sets them up or they bear a name
    return bool(find_agencies(flat) or GENERIC_GOVERNMENT.search(flat) or _place_pattern().search(flat)
                or CAPITALISED_NAME.search(flat) or titles.quoted_titles(flat))


def _goal_list_end(items: list[Item], index: int, text: str) -> int:
    """Where the targets of a report's policy sentence end: with the sentence, or with the list of goals
    that it or one of the next two sentences introduces ("… ambitious goals for 2020:")."""
    for at in range(index, min(index + 3, len(items))):
        lead = items[at]
        if re.search(r":[\s\d]*$", text[lead.start:lead.end]) and lead.heading in (None, items[index].heading):
            following = items[at + 1:at + 15]
            end = next((it.start for it in following if it.heading), following[-1].end if following else lead.end)
            return min(end, lead.end + 1500)
    return items[index].end


N_YEAR = re.compile(r"\b(?P<n>three|five|two|four|ten|\d{1,2})[- ]?year\b", re.I)
_N = {"two": 2, "three": 3, "four": 4, "five": 5, "ten": 10}
PART_OF_FYP = re.compile(r"\b(?:part of|under|during|in)\s+the\s+(?P<n>1[1-6])th\s+Five[- ]?Year\s+Plan\b", re.I)


def _period(mention: Mention, text: str) -> tuple[int, int] | None:
    """A plan's period: from its title, "part of the 13th Five-Year Plan", or "a three-year plan" of known year."""
    if mention.title_en and (found := titles.period(mention.title_en)):
        return found
    if m := PART_OF_FYP.search(text):
        start = 2006 + 5 * (int(m.group("n")) - 11)
        return start, start + 4
    m = N_YEAR.search(mention.title_en or "") or N_YEAR.search(text)
    if m is None:
        return None
    n = _N.get(m.group("n").lower()) or int(m.group("n"))
    goal_years = sorted({t.year for t in mention.targets if t.year})
    if goal_years:
        return goal_years[-1] - n + 1, goal_years[-1]
    if mention.date:
        first = int(mention.date[:4])
        return first, first + n - 1
    return None


@dataclass
class _Referents:
    """The records of one report, by every name they go by, and the one the text speaks of now."""

    found: Found = field(default_factory=list)
    by_name: dict[str, Mention] = field(default_factory=dict)
    current: Mention | None = None
    current_end: int = -1
    short_forms: dict[str, str] = field(default_factory=dict)
    body: str | None = None  # a body the text just described
    body_end: int = -1
    # places found for a record, sorted into its evidence once at the end: a report naming a policy thousands of
    # times stays linear
    places: dict[int, list[tuple[int, int]]] = field(default_factory=dict)
    by_start: dict[tuple[str, ...], list[str]] = field(default_factory=dict)  # names by their first two words
    by_word: dict[str, list[str]] = field(default_factory=dict)  # names by each distinctive word
    untitled: list[tuple[Mention, str]] = field(default_factory=list)  # records without a name, with their words

    def place(self, mention: Mention, span: tuple[int, int]) -> None:
        """Another place of a record."""
        self.places.setdefault(id(mention), []).append(span)

    def finish(self) -> Found:
        """The records with every place in their evidence."""
        for _, mention in self.found:
            if id(mention) in self.places:
                mention.evidence = sorted(set(mention.evidence).union(self.places[id(mention)]))
        return self.found

    def named(self, mention: Mention, *names: str) -> None:
        """Know a record by these names too (a name of one word, or without a policy's head word, is too vague).
        Names are indexed by their first two words (finding them in a sentence) and by their distinctive words
        (finding a name that differs in a word), so a report naming thousands of policies stays linear."""
        for name in names:
            key = _key(name)
            if key and key not in self.by_name and ((len(key.split()) >= 2 and QUOTED_HEAD.search(name))
                                                    or re.fullmatch(r"[A-Z][A-Za-z]+(?: \d{4})?", name)
                                                    or re.search(r"\b(?:19|20)\d{2}$", name)):
                self.by_name[key] = mention
                words = key.split()
                self.by_start.setdefault(tuple(words[:2]), []).append(key)
                for word in set(words) - GENERIC_WORDS:
                    self.by_word.setdefault(word, []).append(key)

    def lookup(self, name: str) -> Mention | None:
        """The record known by this name, or by a name that differs only in a word or two ("Next Generation AI
        Development Plan" and "New Generation of AI Development Plan")."""
        key = _key(name)
        if key in self.by_name:
            return self.by_name[key]
        words = set(key.split())
        if len(words) < 2:
            return None
        # candidates share a distinctive word; the most recent few of each word are enough
        candidates = dict.fromkeys(k for w in words - GENERIC_WORDS for k in self.by_word.get(w, [])[-CANDIDATES:])
        for other in candidates:
            mention = self.by_name[other]
            theirs = set(other.split())
            common = words & theirs
            if len(theirs) >= 2 and common - GENERIC_WORDS and \
                    2 * len(common) / (len(words) + len(theirs)) >= 0.8:
                return mention
        return None

    def focus(self, mention: Mention, end: int) -> None:
        self.current, self.current_end = mention, end


def _enrich(into: Mention, start: int, end: int, ctx: Context, window: tuple[int, int] | None = None) -> None:
    """A continuation's place and the facts it adds: in force since, goals with a deadline, money, draft."""
    sentence = ctx.text[start:end]
    dates = release_dates(sentence, ctx.reference)
    if into.date_effective is None and dates.effective is not None:
        into.date_effective = dates.effective.value
    if into.date is None and dates.issued is not None and re.search(
            r"\b(?:launched|introduced|issued|released|published|presented|adopted|set up|initiated)\b", sentence):
        into.date = dates.issued.value
    span = window or (start, end)
    goals = ctx.text[span[0]:span[1]]
    merge_targets(into, _deadlines(find_targets(goals, span[0], lead_in_year(goals)), into, ctx.text))
    known = {(a.value, a.currency) for a in into.amounts}
    money = [t.evidence[0] for t in into.targets if t.unit and t.unit.isupper()]
    into.amounts += [a for a in _amounts(sentence, start, into.date or ctx.reference, money)
                     if (a.value, a.currency) not in known]
    if into.status == "final" and titles.status(sentence) == "draft" and re.search(r"\bas a draft\b", sentence):
        into.status = "draft"
    if len(into.summary or "") < 1500:
        into.summary = squash(" ".join(filter(None, [into.summary, sentence])))[:1500]


def _deadlines(targets: list, mention: Mention, text: str) -> list:
    """Goals with a deadline; the year a plan was issued is never one ("MIC 2025 was introduced in 2015"), and a
    goal without a figure needs a "by 2025" (a footnote's "rates for 2017" is none)."""
    issued = int(mention.date[:4]) if mention.date else None
    return [t for t in targets if t.year is not None and not (t.value is None and (
        t.year == issued or not re.match(r"(?i)by\b", text[t.evidence[0][0]:t.evidence[0][1]])))]


def report_mentions(items: list[Item], ctx: Context) -> Found:
    """Long reports: one record per policy, from the sentence that reports or first names it, enriched by the
    sentences that continue describing it and by every later naming."""
    ctx = Context(blank_notes(ctx.text), ctx.reference, ctx.original)
    refs = _Referents(short_forms=acronyms(ctx.text))
    for index in range(len(items)):
        _read(index, items, ctx, refs)
    _backfill_dates(refs.found, ctx.text, refs.short_forms)
    for _, mention in refs.found:
        mention.period = mention.period or _period(mention, "")
    return refs.finish()


def _own_start(text: str, item: Item) -> int:
    """Where a sentence's own words begin: after the citations ("Frietsch 2020.") and footnote number glued to it."""
    raw = text[item.start:item.end]
    cut = 0
    while (lead := REFERENCE.match(raw, cut)) is not None and lead.end() > cut:
        cut = lead.end()
    start = item.start + cut
    if (number := FOOTNOTE_LEAD.match(text[start:item.end])) is not None:
        start += number.end()
    return start


def _read(index: int, items: list[Item], ctx: Context, refs: _Referents) -> None:
    """What one sentence of a report says: a body's role, a continuation of the policy just described, a report of
    a policy (new or known), or only names of policies."""
    item, text = items[index], ctx.text
    start = _own_start(text, item)
    sentence = text[start:item.end]
    flat = squash(sentence)
    if not flat.strip() or NOT_A_POLICY.search(flat) or re.search(r"\b(?:Table|Figure)\s+\d+:", flat):
        return
    fragment = not re.match(r"[A-Z0-9‘'“\"’(]", flat)  # the tail of a sentence cut by a page break
    names = names_in(sentence)
    known = _known_names(sentence, start, refs)
    pronoun = bool(PRONOUN.match(flat)) or flat.startswith("In this capacity")
    if not fragment and (body := _agency_role(flat)) is not None and not titles.quoted_titles(sentence):
        refs.body, refs.body_end = body, item.end
        _name_only(names, known, start, item.end, ctx, refs, issuers=[])
        return
    acting: list[str] | None = None
    if refs.body is not None and pronoun and 0 <= start - refs.body_end <= PRONOUN_REACH:
        refs.body_end = item.end  # "In this capacity, it …", "Furthermore, it …": the body goes on acting
        acting = [refs.body]
    else:
        refs.body = None
    anaphor = None if fragment or acting else (ANAPHORA.match(sentence) or EARLY_ANAPHORA.search(sentence, 0, 90))
    if anaphor is not None:
        current = refs.current
        reach = PRONOUN_REACH if pronoun else REACH
        subject = names and names[0][1] <= anaphor.end() + 2  # "The Big Data Plan …" names its own subject
        if current is not None and 0 <= start - refs.current_end <= reach and not subject:
            _enrich(current, start, item.end, ctx, (start, _goal_list_end(items, index, text)))
            refs.place(current, (start + anaphor.start(), start + anaphor.end()))
            current.period = current.period or _period(current, sentence)
            refs.focus(current, item.end)
            _name_only([n for n in names if refs.by_name.get(_key(n[0])) is not current],
                       [k for k in known if k[0] is not current], start, item.end, ctx, refs, issuers=None)
            return
        if not subject:
            _name_only(names, known, start, item.end, ctx, refs, issuers=None)
            return
    if fragment or not (_triggered(flat) or GOAL_SETTING.search(flat) or INDEFINITE.match(flat)) \
            or _company_acts(sentence):
        _name_only(names, known, start, item.end, ctx, refs, issuers=None)
        return
    _reported(index, items, start, ctx, refs, names, known, acting)


def _reported(index: int, items: list[Item], start: int, ctx: Context, refs: _Referents,
              names: list[tuple[str, int, int]], known: list[tuple[Mention, int, int]],
              acting: list[str] | None) -> None:
    """A sentence that reports a policy: the one it names, if the report knows it already, else a new record."""
    item, text = items[index], ctx.text
    flat = squash(text[start:item.end])
    if not names and not known and GENERAL.search(flat) and not GOAL_SETTING.search(flat):
        return  # plans in general, none in particular
    mention = _new(start, item.end, index, items, ctx, item.heading, names, acting)
    if (m := GOAL_SETTING.search(flat)) and not find_agencies(flat):
        place = m.group("place") or m.group("subject")
        mention.issuers = (_government_of(place) if place else []) or (
            _place_before(text, start, local.group("kind")) if (local := LOCAL_PRONOUN.search(flat))
            else mention.issuers)
    if (m := INDEFINITE.match(flat)) and m.group("noun")[0].isupper() and mention.title_en is None:
        rest = re.match(r"[^.;]*?(?=\s+(?:focus\w*|aims?|is|was|has|sets?|calls?|seeks?|targets?|which|that)\b|[.;]|$)",
                        flat[m.start("noun"):])
        mention.title_en = _clean_name(rest.group()) if rest else None
    target = refs.lookup(mention.title_en) if mention.title_en else None
    if target is None and mention.title_en is None and known and not INDEFINITE.match(flat) \
            and not GOAL_SETTING.search(flat):
        target = known[0][0]
    if target is None and mention.title_en:
        target = _alike(mention, refs)
    if target is not None:
        _absorb(target, mention, refs)
        refs.focus(target, item.end)
        _name_only(names[1:], [k for k in known if k[0] is not target], start, item.end, ctx, refs, issuers=None)
        return
    _add(mention, index, names, refs, refs.short_forms)
    _name_only(names[1:], [k for k in known if k[0] is not mention], start, item.end, ctx, refs, issuers=None)


SMALL_WORDS = frozenset({"the", "a", "an", "of", "for", "on", "and", "to", "in", "with", "by"})
GENERIC_WORDS = frozenset({"development", "plan", "programme", "program", "action", "industry", "national", "policy",
                           "strategy", "fund", "investment", "guidance", "guidelines", "project", "projects", "china",
                           "new", "generation", "of", "for", "the", "and", "on", "data", "big", "ai", "law"})


def _alike(mention: Mention, refs: _Referents) -> Mention | None:
    """A record the report described earlier without its name: "eleven pilot zones" of the MOST, later named
    "‘AI Pilot Zones’" of the MOST. The name's last two words, one of them distinctive, and the issuer agree."""
    words = _key(mention.title_en or "").split()
    if len(words) < 2 or not set(words[-2:]) - GENERIC_WORDS:
        return None
    phrase = " " + " ".join(words[-2:]) + " "
    for other, said in reversed(refs.untitled[-CANDIDATES:]):
        if other.title_en is None and set(other.issuers) & set(mention.issuers) and phrase in said:
            other.title_en = mention.title_en
            refs.named(other, mention.title_en)
            return other
    return None


def _known_names(sentence: str, offset: int, refs: _Referents) -> list[tuple[Mention, int, int]]:
    """Records a sentence names again, by title or by the abbreviation the report defined for it: (record, start,
    end) with document offsets, a name inside a longer one found at the same place left out. Names are compared
    word by word, small words, case and hyphens ignored ("ThreeYear Action Plan for Promoting Development of a …")."""
    if not refs.by_name:
        return []
    tokens = [(m.group().lower().replace("-", ""), m.start(), m.end())
              for m in re.finditer(r"[A-Za-z0-9+]+(?:-[A-Za-z0-9+]+)*", sentence)]
    tokens = [(VARIANTS.get(t[0], t[0]), t[1], t[2]) for t in tokens if t[0] not in SMALL_WORDS]
    words = [t[0] for t in tokens]
    hits: list[tuple[int, int, Mention]] = []
    found: set[str] = set()
    for i in range(len(words)):
        for start in (tuple(words[i:i + 2]), (words[i],)):
            for key in refs.by_start.get(start, ()):
                wanted = key.split()
                if key not in found and words[i:i + len(wanted)] == wanted:
                    found.add(key)
                    hits.append((i, i + len(wanted), refs.by_name[key]))
    hits.sort(key=lambda h: (h[0], -h[1]))
    seen: list[tuple[Mention, int, int]] = []
    covered = -1
    for first, last, mention in hits:
        if first < covered:
            continue  # inside a longer name found at the same place ("Internet Plus" in "… Internet Plus AI")
        covered = last
        if all(s[0] is not mention for s in seen):
            seen.append((mention, offset + tokens[first][1], offset + tokens[last - 1][2]))
    return seen


def _new(start: int, end: int, index: int, items: list[Item], ctx: Context, heading: str | None,
         names: list[tuple[str, int, int]], issuers: list[str] | None) -> Mention:
    """A policy record from a report's sentence; fields missing from it are looked up nearby."""
    text = ctx.text
    sentence = text[start:end]
    # the item's own year stands for a "February 6" without one
    local = [d for d in find_dates(text[max(0, start - 3000):end]) if d.explicit_year]
    local_ctx = Context(text, local[-1].value[:4] if local else ctx.reference, ctx.original)
    mention = policy_from_text(start, end, local_ctx, heading=heading, strict=False,
                               target_window=(start, _goal_list_end(items, index, text)))
    if names:
        mention.title_en = names[0][0]
    elif mention.title_en is None and heading and NAME_HEAD.search(heading.strip()) and len(heading.split()) >= 2:
        mention.title_en = _clean_name(heading)
    if mention.title_en is None and (verb := RELEASE.search(squash(sentence)) or re.search(r"\bamended\b", sentence)) \
            and (described := titles.described_title(squash(sentence)[verb.end():], anchored=True)) is not None:
        mention.title_en = described  # "amended the guidelines for patent examination": the verb's object
    mention.instrument = titles.instrument(mention.title_en or sentence) or mention.instrument
    mention.title_zh = mention.title_zh or _chinese_title(sentence, mention.title_en)
    mention.targets = _deadlines(mention.targets, mention, text)
    following = " ".join(text[it.start:it.end] for it in items[index + 1:index + 3])
    mention.summary = squash(sentence + " " + following)[:SUMMARY_CHARS]
    if issuers is not None:
        mention.issuers = issuers
    elif not mention.issuers or (mention.issuers == ["state-council"] and GENERIC_GOVERNMENT.search(sentence)):
        # the next sentences, not the citations and footnotes among them
        nearby = " ".join(text[it.start:it.end] for it in items[index + 1:index + 5]
                          if not it.heading and not REFERENCE.match(text[it.start:it.end]))
        found = agency_ids(nearby)[:1]
        mention.issuers = found or (["state-council"] if GENERIC_GOVERNMENT.search(sentence) else [])
    mention.period = mention.period or _period(mention, sentence)
    flat = squash(sentence)
    if drafted := DRAFTED_BY.search(flat):  # "…, which were formulated by the National … Committee"
        mention.issuers = list(dict.fromkeys(mention.issuers + bodies_listed(flat, find_agencies(flat), drafted.end())))
    return mention


def _chinese_title(sentence: str, title_en: str | None) -> str | None:
    """The report's own Chinese title right after the English one: "the ‘Made in China 2025’ (中国制造2025)"."""
    at = sentence.find(title_en) if title_en else -1
    if at < 0:
        return None
    after = re.match(r"[’'”\"]?\s*(?=[(（])", sentence[at + len(title_en):])
    return titles.bracketed_zh(sentence[at + len(title_en) + after.end():][:90]) if after else None


def _add(mention: Mention, index: int, names: list[tuple[str, int, int]], refs: _Referents,
         short_forms: dict[str, str]) -> None:
    refs.found.append((index, mention))
    if mention.title_en is None:
        said = " " + " ".join(re.findall(r"[a-z0-9+]+", (mention.summary or "")[:300].lower())) + " "
        refs.untitled.append((mention, said))
    if mention.title_en:
        refs.named(mention, mention.title_en)
        long_form = short_forms.get(mention.title_en)
        if long_form:
            mention.title_en = long_form
            refs.named(mention, long_form)
        refs.named(mention, *[short for short, long in short_forms.items() if _key(long) == _key(mention.title_en)])
        if short_forms.get(mention.title_en.split(" (")[0]) is None and any(
                _key(long) == _key(mention.title_en) for long in short_forms.values()):
            refs.by_name.setdefault(_key(mention.title_en), mention)
    if names:
        refs.named(mention, names[0][0])
    refs.focus(mention, mention.evidence[-1][1])


def _absorb(into: Mention, other: Mention, refs: _Referents) -> None:
    """A second report of a known policy: its place and the fields the record lacks (issuers only if it has none)."""
    issuers = into.issuers
    merge_mentions(into, other, refs.places.setdefault(id(into), []))
    if issuers:
        into.issuers = issuers


def _name_only(names: list[tuple[str, int, int]], known: list[tuple[Mention, int, int]], start: int, end: int,
               ctx: Context, refs: _Referents, issuers: list[str] | None) -> None:
    """A sentence that only names policies: each known one gains the name's place; a new name becomes a record
    whose evidence is where the name stands."""
    for mention, name_start, name_end in known:
        refs.place(mention, (name_start, name_end))
    sentence = ctx.text[start:end]
    if len(re.findall(r"\b[a-z]{3,}\b", sentence)) < 5:
        return  # a table's cells or a caption, not a sentence
    for name, name_start, name_end in names:
        place = (start + name_start, start + name_end)
        if (holder := refs.lookup(name)) is not None:
            if all(k[0] is not holder for k in known):
                refs.place(holder, place)
            continue
        bodies = issuers
        if bodies is None:
            after = sentence[name_end:name_end + 40]
            by = re.search(r"\bby\s+(?:the\s+)?", sentence[name_end:name_end + 30])
            near = find_agencies(after[by.end():] if by else re.sub(r"^[’'”\"]?,?\s*(?:the\s+)?", "", after))
            bodies = [near[0].id] if near and near[0].start <= 2 else []
        if not bodies and refs.current is not None and 0 <= start - refs.current_end <= PRONOUN_REACH \
                and not find_agencies(sentence):
            bodies = list(refs.current.issuers)  # an initiative named right after a body's measure is the body's
        mention = Mention(kind="policy", evidence=[place], title_en=name, issuers=bodies,
                          instrument=titles.instrument(name), period=titles.period(name), status="final",
                          summary=squash(sentence)[:SUMMARY_CHARS])
        if (similar := _alike(mention, refs)) is not None:
            refs.place(similar, place)
            continue
        refs.found.append((None, mention))
        refs.named(mention, name, *[short for short, long in refs.short_forms.items() if _key(long) == _key(name)])


def _backfill_dates(found: Found, text: str, short_forms: dict[str, str]) -> None:
    """A titled policy without a date takes the year another sentence gives for its launch."""
    reverse = {long: short for short, long in short_forms.items()}
    for _, mention in found:
        if mention.date or not mention.title_en:
            continue
        names = [mention.title_en] + ([reverse[mention.title_en]] if mention.title_en in reverse else [])
        for name in names:
            pattern = re.escape(name).replace(r"\ ", r"\s+")
            for m in re.finditer(pattern + r"[^.]{0,80}?\b(?:launched|introduced|proposed|issued|released|adopted)\s+"
                                 r"in\s+((?:19|20)\d{2})\b", text):
                mention.date = m.group(1)
                break
            if mention.date:
                break


__all__ = ["acronyms", "blank_notes", "names_in", "report_mentions"]
