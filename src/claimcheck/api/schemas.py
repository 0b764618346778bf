"""Request and response bodies: pydantic at the HTTP boundary only, built from domain objects."""

from __future__ import annotations

import datetime as dt
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from claimcheck.domain import Claim, Document, Verdict, to_jsonable
from claimcheck.service import MAX_STATEMENT
from claimcheck.store.protocol import SpeakerRecord, StoredClaim

T = TypeVar("T")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- requests ---------------------------------------------------------------------------------


class VerifyRequest(Strict):
    statement: str = Field(min_length=1, max_length=MAX_STATEMENT,
                           examples=["Jane Roe said 40 workers died in the fire"])
    speaker: str | None = Field(default=None, max_length=200)
    date: dt.date | None = Field(default=None, description="Resolve relative dates in the statement against this day.")


class VerifyBatchRequest(Strict):
    statements: list[VerifyRequest] = Field(min_length=1, max_length=100)


class DocumentCreate(Strict):
    text: str = Field(min_length=1)
    title: str | None = Field(default=None, max_length=1000)
    source: str | None = Field(default=None, max_length=1000)
    published: dt.date | None = None
    url: str | None = Field(default=None, max_length=2000)


# --- responses --------------------------------------------------------------------------------


class SpanPublic(BaseModel):
    start: int
    end: int
    text: str


class FigurePublic(SpanPublic):
    value: float
    qualifier: str
    low: float | None
    high: float | None
    low_inclusive: bool
    high_inclusive: bool
    unit: str | None
    kind: str


class DatePublic(SpanPublic):
    kind: str
    resolved_start: dt.date | None
    resolved_end: dt.date | None
    granularity: str | None
    duration_days: float | None
    weekday: int | None


class ClaimSpeakerPublic(BaseModel):
    id: str | None = None
    name: str | None
    kind: str
    mention: SpanPublic | None
    role: str | None
    resolved: bool


class ClaimPublic(BaseModel):
    id: str
    document_id: str
    kind: str
    speaker: ClaimSpeakerPublic
    cue: SpanPublic | None
    content: SpanPublic
    figures: list[FigurePublic]
    dates: list[DatePublic]
    said_on: DatePublic | None
    negated: bool

    @classmethod
    def of(cls, claim: Claim, speaker_id: str | None = None) -> ClaimPublic:
        data = to_jsonable(claim)
        data.pop("lemmas", None)
        data["speaker"]["id"] = speaker_id
        return cls.model_validate(data)

    @classmethod
    def stored(cls, stored: StoredClaim) -> ClaimPublic:
        return cls.of(stored.claim, stored.speaker_id)


class SpeakerPublic(BaseModel):
    id: str
    name: str
    aliases: list[str]
    roles: list[str]
    kind: str
    claim_count: int

    @classmethod
    def of(cls, s: SpeakerRecord) -> SpeakerPublic:
        return cls(id=s.id, name=s.name, aliases=list(s.aliases), roles=list(s.roles),
                   kind=s.kind.value, claim_count=s.claim_count)


class DocumentRef(BaseModel):
    id: str
    title: str | None
    source: str | None
    published: dt.date | None
    url: str | None

    @classmethod
    def of(cls, d: Document) -> DocumentRef:
        return cls(id=d.id, title=d.title, source=d.source, published=d.published, url=d.url)


class DocumentCreated(DocumentRef):
    claims: int


class DocumentPublic(DocumentRef):
    text: str = Field(description="Exactly the text every span's offsets index.")
    claims: list[ClaimPublic]


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None


class ReasonPublic(BaseModel):
    code: str
    message: str


class EvidencePublic(BaseModel):
    claim_id: str
    stance: Literal["supports", "conflicts", "related"]
    score: float
    speaker: ClaimSpeakerPublic
    document: DocumentRef | None
    span: SpanPublic
    reasons: list[ReasonPublic]


class ParsedPublic(BaseModel):
    speaker: str | None
    content: str
    negated: bool
    figures: list[FigurePublic]
    dates: list[DatePublic]
    said_on: DatePublic | None


class VerdictPublic(BaseModel):
    verdict: Literal["supported", "conflicting", "misattributed", "disputed", "not_enough_info"]
    confidence: float
    evidence: list[EvidencePublic]
    parsed: ParsedPublic

    @classmethod
    def of(cls, verdict: Verdict, documents: dict[str, Document | None]) -> VerdictPublic:
        parsed = ClaimPublic.of(verdict.parsed)
        evidence = []
        for e in verdict.evidence:
            claim = ClaimPublic.of(e.claim, e.speaker_id)
            doc = documents.get(e.claim.document_id)
            evidence.append(EvidencePublic(
                claim_id=e.claim_id, stance=e.stance.value, score=e.score, speaker=claim.speaker,
                document=DocumentRef.of(doc) if doc else None, span=claim.content,
                reasons=[ReasonPublic(code=r.code, message=r.message) for r in e.reasons]))
        return cls(
            verdict=verdict.verdict.value, confidence=verdict.confidence, evidence=evidence,
            parsed=ParsedPublic(speaker=parsed.speaker.name, content=parsed.content.text,
                                negated=parsed.negated, figures=parsed.figures, dates=parsed.dates,
                                said_on=parsed.said_on),
        )


class BatchResult(BaseModel):
    results: list[VerdictPublic]


class Problem(BaseModel):
    """RFC 9457 problem details."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    errors: list[dict[str, Any]] | None = Field(default=None, description="Offending fields, for validation problems.")
