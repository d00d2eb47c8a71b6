"""The records of DESIGN.md: Document, Item, Mention and the fields a mention carries."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Span = tuple[int, int]
Kind = Literal["policy", "event", "personnel"]


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Document(Record):
    """A source file or page, decoded to text whose character offsets everything later cites."""

    sha256: str
    source: str
    format: str
    text: str
    language: Literal["en", "zh", "mixed"]
    encoding: str | None = None
    title: str | None = None
    published: str | None = None
    pages: list[int] = Field(default_factory=list)  # start offset of each PDF page
    ocr_confidence: float | None = None  # mean word confidence (0-100) when the text was read by OCR


class Item(Record):
    """A span of a document that reports one thing."""

    start: int
    end: int
    heading: str | None = None
    section: str | None = None
    kind_hint: str | None = None  # what the layout says it is: "policy", "event", "personnel"…
    fields: dict[str, Span] = Field(default_factory=dict)  # labelled fields of a block ("Issuing body") as spans


class Target(Record):
    """A quantitative (or dated qualitative) goal."""

    metric: str | None = None
    value: float | None = None
    value_max: float | None = None
    unit: str | None = None
    year: int | None = None
    comparator: str | None = None  # ">=", ">", "<=", "<", "≈" or None for "equal/reach"
    evidence: list[Span] = Field(default_factory=list)


class Amount(Record):
    """A sum of money in full units, with its EUR value at the ECB reference rate of the date it refers to."""

    value: float
    currency: str
    year: int | None = None
    eur: float | None = None
    rate: float | None = None  # units of the currency per euro used for ``eur``
    rate_basis: str | None = None  # which rate: "ECB reference rate of 2021-02-07", "mean of … of 2021"
    evidence: list[Span] = Field(default_factory=list)


class Relation(Record):
    """A lifecycle link stated by the text (draft → final, interprets, revises…)."""

    type: Literal["final_of", "interprets", "revises", "supersedes", "repeals", "forwarded_by"]
    title_en: str | None = None
    title_zh: str | None = None
    doc_number: str | None = None
    date: str | None = None
    status: str | None = None
    period: tuple[int, int] | None = None
    evidence: list[Span] = Field(default_factory=list)


class Version(Record):
    """One step of a law's history (adopted, amended, revised, promulgated, in force), earlier than the text's."""

    step: str  # as the text names it: 通过, 修正, 修订, 公布, 施行…
    date: str | None = None
    issuers: list[str] = Field(default_factory=list)
    body: str | None = None  # the body as written (第十三届全国人民代表大会常务委员会第二十二次会议)
    evidence: list[Span] = Field(default_factory=list)


class Mention(Record):
    """What one item says about one policy, corporate event or personnel change."""

    kind: Kind
    evidence: list[Span]
    # policy
    title_en: str | None = None
    title_zh: str | None = None
    doc_number: str | None = None
    issuers: list[str] = Field(default_factory=list)
    date: str | None = None  # issued, only as stated
    reported: str | None = None  # the date of the document that reports it (page date, dateline, 发布时间)
    date_effective: str | None = None
    status: Literal["draft", "final"] | None = None
    comment_deadline: str | None = None  # a draft's last day for comments
    period: tuple[int, int] | None = None
    instrument: str | None = None
    level: str | None = None
    technologies: list[str] = Field(default_factory=list)
    targets: list[Target] = Field(default_factory=list)
    amounts: list[Amount] = Field(default_factory=list)
    relations: list[Relation] = Field(default_factory=list)
    versions: list[Version] = Field(default_factory=list)  # a law's earlier steps; the record is the latest
    # event
    event_type: str | None = None
    companies: list[str] = Field(default_factory=list)
    # personnel
    person_en: str | None = None
    person_zh: str | None = None
    organization: str | None = None
    role: str | None = None
    change: Literal["appointed", "left"] | None = None
    summary: str | None = None

    def prediction(self, doc: str) -> dict:
        """This mention in the gold/prediction JSON format of shared/gold/README.md."""
        data = self.model_dump(exclude_none=True, exclude_defaults=True)
        data["kind"] = self.kind
        data["evidence"] = [list(s) for s in self.evidence]
        if self.period:
            data["period"] = list(self.period)
        return {"doc": doc, **data}
