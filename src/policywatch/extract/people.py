"""Personnel changes: who (English and Chinese name), which role at which organisation, appointed or left, when."""

from __future__ import annotations

import re
from dataclasses import dataclass

from policywatch.extract.agencies import resolve
from policywatch.extract.dates import find_dates

NAME_EN = r"(?P<en>[A-Z][a-z]+(?:[ -][A-Z][a-z]+){1,3})"
# titles written before a name, with what qualifies them: "Minister Miao Wei", "Commerce Minister Zhong Shan"
TITLES = re.compile(r"^.*\b(?:Premier|President|Minister|Chairman|Chairwoman|Director|Governor|Mayor|Secretary|"
                    r"General|Manager|Chief|Executive|Commissioner|Ambassador|Spokesperson|Mr|Ms|Dr)\s+")
NAME_ZH = r"\s*[(（](?P<zh>[\u4e00-\u9fff·]{2,5})[)）]"
PERSON = re.compile(NAME_EN + r"(?:" + NAME_ZH + r")?")
LEFT = re.compile(r"\b(?:retired|retires|resigned|resigns|stepped down|steps down|left|leaves|was removed|"
                  r"has been removed|was dismissed|was sacked|was replaced|is replaced|quit|departed|"
                  r"was expelled|is under investigation|was placed under investigation|ousted)\b", re.I)
APPOINTED = re.compile(r"\b(?:was|has been|have been|is|were)\s+(?:made|appointed|named|promoted|elected|"
                       r"nominated|confirmed|tapped)\b|\b(?:appointed|named|became|becomes|took over|takes over|"
                       r"succeeds|succeeded|returned to|returns to|joined|joins)\b", re.I)
ROLE_OF = re.compile(r"(?:\b(?:a|an|the|as|its|new)\s+)?(?P<role>(?:[A-Za-z-]+\s+){0,3}?[A-Za-z-]+)\s+"
                     r"(?:of|at|for)\s+(?:the\s+)?(?P<org>[A-Z][^,.;()]*?)(?=\s+(?:on|in|since|from|after|"
                     r"and(?!\s+[A-Z])|who|until|effective)\b|[,.;(]|$)")
ROLE_WORDS = re.compile(r"chair|director|minister|secretary|governor|president|engineer|manager|head|chief|"
                        r"officer|ceo|cfo|cto|commissioner|deputy|member|mayor|leader|spokes|founder|partner|"
                        r"administrator|executive|dean|general", re.I)


@dataclass
class PersonnelFacts:
    """What one sentence says about one person."""

    person_en: str
    person_zh: str | None
    change: str
    role: str | None
    organization: str | None
    date: str | None
    start: int
    end: int


def _role_and_org(text: str) -> tuple[str | None, str | None]:
    for m in ROLE_OF.finditer(text):
        role = m.group("role").strip()
        role_words = role.split()
        # keep only the trailing words that belong to the title ("was made a vice-chairman" -> "vice-chairman")
        while role_words and not ROLE_WORDS.search(role_words[0]) and len(role_words) > 1:
            role_words.pop(0)
        role = " ".join(role_words)
        if not ROLE_WORDS.search(role):
            continue
        org = re.sub(r"\s+", " ", m.group("org")).strip()
        return role.lower(), (resolve(org) or org)
    return None, None


def find_personnel(text: str, offset: int = 0, reference: str | None = None,
                   need_chinese_name: bool = True) -> list[PersonnelFacts]:
    """Personnel changes stated in ``text``; one per named person with an appointment or departure verb."""
    found: list[PersonnelFacts] = []
    for sentence in re.finditer(r"[^.!?;]+(?:\.(?=\s*\d)|\.(?=[A-Za-z])|[^.!?;])*[.!?;]?", text):
        s = sentence.group()
        person = PERSON.search(s)
        if person is None or (need_chinese_name and not person.group("zh")):
            continue
        name = TITLES.sub("", person.group("en"))
        if len(name.split()) < 2 and not person.group("zh"):
            continue  # a title and a surname ("Minister Wang") is too little to tell who it is
        rest = s[person.end():]
        left, appointed = LEFT.search(rest), APPOINTED.search(rest)
        if not (left or appointed):
            continue
        if left and (not appointed or left.start() < appointed.start()):
            change, verb = "left", left
        else:
            change, verb = "appointed", appointed
        assert verb is not None
        role, org = _role_and_org(rest[verb.end():]) if change == "appointed" else (None, None)
        if role is None:
            role, org = _role_and_org(rest[:verb.start()] + " " + rest[verb.end():])
        if role is None and (post := re.search(r"\bas\s+(?:the\s+|a\s+)?((?:(?!on|in|at|of|from|since)[a-z-]+\s+){0,2}"
                                               r"(?!on|in|at|of|from|since)[a-z-]+)", rest)):
            role = post.group(1) if ROLE_WORDS.search(post.group(1)) else None
        dates = [d for d in find_dates(rest[verb.start():], reference) if len(d.value) >= 7] or \
            [d for d in find_dates(text, reference) if len(d.value) >= 7 and d.end <= sentence.start()][-1:]
        found.append(PersonnelFacts(
            person_en=name, person_zh=person.group("zh"), change=change, role=role,
            organization=org, date=dates[0].value if dates else None,
            start=offset + sentence.start() + (len(s) - len(s.lstrip())), end=offset + sentence.end()))
    return found
