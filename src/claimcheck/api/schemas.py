"""Request and response bodies: pydantic at the HTTP boundary only, built from domain objects.

Every limit a request model enforces is also in its OpenAPI schema (``maxLength``, ``pattern``,
``format``), so a request the schema calls valid is accepted and one it calls invalid is a 422
naming the field. Patterns are checked with Python's ``re`` -- the same engine that generates
and validates against the published schema in the contract tests -- with readable messages.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import sys
import unicodedata
from collections.abc import Sequence
from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

from claimcheck.api.factcheck_schemas import FactCheckMatchPublic
from claimcheck.domain import Claim, Document, Verdict, to_jsonable
from claimcheck.service import MAX_STATEMENT, Affiliation
from claimcheck.store.protocol import Job, SpeakerRecord, StoredClaim

T = TypeVar("T")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- text rules -------------------------------------------------------------------------------


def _char_class(chars: list[int]) -> str:
    """A regex character-class body for these code points, as ranges (BMP as \\u escapes, valid in
    both Python and ECMA regexes; astral code points as themselves)."""
    ranges: list[list[int]] = []
    for c in chars:
        if ranges and ranges[-1][1] == c - 1:
            ranges[-1][1] = c
        else:
            ranges.append([c, c])

    def one(c: int) -> str:
        return f"\\u{c:04x}" if c <= 0xFFFF else chr(c)

    return "".join(one(a) if a == b else f"{one(a)}-{one(b)}" for a, b in ranges)


def _planes() -> list[int]:
    # Format, control and space characters live in planes 0, 1 and 14 (Unicode 15); scanning only
    # those keeps import fast. tests/test_hostile.py checks the whole range still agrees.
    return [*range(0x20000), *range(0xE0000, 0xE1000)]


def blank(ch: str) -> bool:
    """What ``service.clean_statement`` folds to a space (and drops when nothing else is left)."""
    return ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp")


_BLANK = [c for c in _planes() if blank(chr(c))]
_SPACE = [c for c in _planes() if chr(c).isspace()]
_NO_NUL = "[^\\u0000]*$"

# At least one visible character (one ``clean_statement`` keeps) and no NUL anywhere.
STATEMENT_PATTERN = f"^[{_char_class([c for c in _BLANK if c])}]*[^{_char_class(_BLANK)}]{_NO_NUL}"
# A document: something besides whitespace (``str.strip``), and no NUL (binary data).
TEXT_PATTERN = f"^[{_char_class(_SPACE)}]*[^\\u0000{_char_class(_SPACE)}]{_NO_NUL}"
# A name: no NUL. One with no visible character counts as no name at all.
NAME_PATTERN = f"^{_NO_NUL}"
# Words to look for: no control characters (SQLite's LIKE would stop reading at a NUL).
SEARCH_PATTERN = "^[^\\u0000-\\u001f\\u007f]*$"
_VISIBLE = re.compile(f"[^{_char_class(_BLANK)}]")
assert sys.maxunicode == 0x10FFFF


def _error(message: str) -> PydanticCustomError:
    return PydanticCustomError("invalid_text", message)


def _no_surrogates(value: str) -> str:
    # JSON's \\ud800 escapes decode to lone surrogates: not Unicode text, cannot be stored.
    if any(0xD800 <= ord(ch) <= 0xDFFF for ch in value):
        raise _error("contains a lone surrogate (not valid Unicode text)")
    return value


def matching(pattern: str, why: str) -> AfterValidator:
    """Refuse strings the pattern (published in the schema) does not match, saying ``why``."""
    compiled = re.compile(pattern)

    def check(value: str | None) -> str | None:
        if value is not None and compiled.search(value) is None:
            raise _error("contains a NUL character" if "\x00" in value else why)
        return value

    return AfterValidator(check)


def _no_name_if_blank(value: str | None) -> str | None:
    return value if value is None or _VISIBLE.search(value) else None


def _iso_date(value: Any) -> Any:
    """Only a YYYY-MM-DD string (or a date from Python callers): pydantic alone would also take
    numbers as Unix times and date-times, which the schema (a date string) does not allow."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if not isinstance(value, str) or not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        raise PydanticCustomError("date_type", "must be a date string as YYYY-MM-DD")
    return value


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]
Text = Annotated[str, AfterValidator(_no_surrogates)]
Statement = Annotated[
    str,
    Field(min_length=1, max_length=MAX_STATEMENT, json_schema_extra={"pattern": STATEMENT_PATTERN},
          description="At least one visible character (not only spaces or control characters); no NUL.",
          examples=["Jane Roe said 40 workers died in the fire"]),
    matching(STATEMENT_PATTERN, "has no visible character (only spaces or control characters)"),
    AfterValidator(_no_surrogates),
]
SpeakerName = Annotated[
    str,
    Field(max_length=200, json_schema_extra={"pattern": NAME_PATTERN},
          description="Who said it. No NUL; a name with no visible character counts as none."),
    matching(NAME_PATTERN, "contains a NUL character"),
    AfterValidator(_no_surrogates),
    AfterValidator(_no_name_if_blank),
]
DocumentText = Annotated[
    str,
    Field(json_schema_extra={"pattern": TEXT_PATTERN},
          description="The document, stored exactly as sent: not only whitespace, no NUL."),
    matching(TEXT_PATTERN, "is empty (only whitespace)"),
    AfterValidator(_no_surrogates),
]


# --- requests ---------------------------------------------------------------------------------


class VerifyRequest(Strict):
    statement: Statement
    speaker: SpeakerName | None = None
    date: IsoDate | None = Field(default=None, description="Resolve relative dates in the statement against this day.")


class VerifyBatchRequest(Strict):
    statements: list[VerifyRequest] = Field(min_length=1, max_length=100)


class DocumentCreate(Strict):
    """One of: ``text`` (stored as sent), ``html`` (a web page: its article is read out of it) or
    ``url`` alone (the page is fetched, then read as ``html``). With text or html, ``url`` is
    the page's address, kept as metadata."""

    # The contract says which combinations are a request: text or html (not both), or url alone.
    model_config = ConfigDict(extra="forbid", json_schema_extra={"anyOf": [
        {"required": ["text"], "properties": {"text": {"type": "string"}}, "not": {"required": ["html"]}},
        {"required": ["html"], "properties": {"html": {"type": "string"}}, "not": {"required": ["text"]}},
        {"required": ["url"], "properties": {"url": {"type": "string", "pattern": "^https?://"}},
         "not": {"anyOf": [{"required": ["text"]}, {"required": ["html"]}]}},
    ]})

    text: DocumentText | None = None
    html: str | None = Field(default=None, description="A web page's HTML.")
    title: Text | None = Field(default=None, max_length=1000)
    source: Text | None = Field(default=None, max_length=1000)
    published: IsoDate | None = None
    url: Text | None = Field(default=None, max_length=2000)


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


# What the comparison reads, not the API's.
_INTERNAL = frozenset({"lemmas", "entities", "context", "predicates"})


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
    modality: Literal["asserted", "believed"] = Field(
        "asserted", description="believed: a belief cue (thinks, expects, is convinced) hedges it")

    @classmethod
    def of(cls, claim: Claim, speaker_id: str | None = None) -> ClaimPublic:
        # Only the public fields are converted: the internal ones are most of a claim's bulk.
        data = {"id": claim.id, **{f.name: to_jsonable(getattr(claim, f.name)) for f in dataclasses.fields(claim)
                                   if f.name not in _INTERNAL}}
        data["speaker"]["id"] = speaker_id
        return cls.model_validate(data)

    @classmethod
    def stored(cls, stored: StoredClaim) -> ClaimPublic:
        return cls.of(stored.claim, stored.speaker_id)


class AffiliationPublic(BaseModel):
    """A linked speaker: for a person, an organisation they speak for; for an organisation, a
    person who speaks for it. ``id`` is null when the organisation never speaks itself."""

    name: str
    id: str | None


class SpeakerPublic(BaseModel):
    id: str
    name: str
    aliases: list[str]
    roles: list[str]
    kind: str
    claim_count: int
    affiliations: list[AffiliationPublic] = []

    @classmethod
    def of(cls, s: SpeakerRecord, links: Sequence[Affiliation] = ()) -> SpeakerPublic:
        return cls(id=s.id, name=s.name, aliases=list(s.aliases), roles=list(s.roles),
                   kind=s.kind.value, claim_count=s.claim_count,
                   affiliations=[AffiliationPublic(name=a.name, id=a.speaker_id) for a in links])


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
    modality: Literal["asserted", "believed"] = "asserted"
    figures: list[FigurePublic]
    dates: list[DatePublic]
    said_on: DatePublic | None


class VerdictPublic(BaseModel):
    verdict: Literal["supported", "conflicting", "misattributed", "disputed", "not_enough_info"]
    confidence: float
    evidence: list[EvidencePublic]
    parsed: ParsedPublic
    factchecks: list[FactCheckMatchPublic] = Field(
        default_factory=list, description="Stored fact-checks (ClaimReview) of the same claim, best first")

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
                                negated=parsed.negated, modality=parsed.modality, figures=parsed.figures,
                                dates=parsed.dates,
                                said_on=parsed.said_on),
            factchecks=[FactCheckMatchPublic.matched(m) for m in verdict.factchecks],
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


class JobPublic(BaseModel):
    """An ingest job: POST /v1/documents?wait=false answers with one (202); poll its ``url``."""

    id: str
    url: str = Field(description="Where this job's state is read.")
    state: Literal["queued", "running", "done", "failed"]
    document_id: str = Field(description="The id the document has (or will have) once stored.")
    document_url: str | None = Field(description="The stored document, once the job is done.")
    label: str | None = Field(description="The document's path, URL or title.")
    attempts: int
    created: dt.datetime
    updated: dt.datetime
    claims: int | None = Field(description="Claims extracted, once done.")
    problem: Problem | None = Field(description="Why the job failed (RFC 9457), when it did.")

    @classmethod
    def of(cls, job: Job) -> JobPublic:
        done = job.state.value == "done"
        failed = job.state.value == "failed"
        return cls(id=job.id, url=f"/v1/jobs/{job.id}", state=job.state.value, document_id=job.document_id,
                   document_url=f"/v1/documents/{job.document_id}" if done else None, label=job.label,
                   attempts=job.attempts, created=job.created, updated=job.updated, claims=job.claims,
                   problem=Problem(title="Ingest failed", status=422, detail=job.error or "failed")
                   if failed else None)
