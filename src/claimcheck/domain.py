"""Domain types: plain frozen dataclasses, no framework imports.

Every span carries ``start``/``end`` as Python ``str`` indices into the document text exactly as
stored, so ``document.text[span.start:span.end] == span.text`` always holds.
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any


class AttributionKind(StrEnum):
    DIRECT_QUOTE = "direct_quote"
    INDIRECT = "indirect"
    ACCORDING_TO = "according_to"
    NARRATOR = "narrator"


class Modality(StrEnum):
    """How the speaker holds a claim: says it as so, or believes it ("Analysts expect profits to
    fall", "She is convinced that ..."). A belief hedges: it is evidence of what someone thinks,
    not an assertion of fact."""

    ASSERTED = "asserted"
    BELIEVED = "believed"


class SpeakerKind(StrEnum):
    PERSON = "person"
    ORGANISATION = "organisation"
    GROUP = "group"
    PUBLICATION = "publication"
    UNKNOWN = "unknown"


class FigureKind(StrEnum):
    COUNT = "count"
    MONEY = "money"
    PERCENT = "percent"
    DURATION = "duration"
    AGE = "age"
    ORDINAL = "ordinal"


class DateKind(StrEnum):
    POINT = "point"
    RANGE = "range"
    DURATION = "duration"
    WEEKDAY = "weekday"


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Document:
    """Text plus metadata. ``id`` is derived from the text alone, so re-reading is idempotent."""

    text: str
    title: str | None = None
    source: str | None = None
    published: date | None = None
    url: str | None = None
    path: str | None = None
    # Where the body starts and ends: the headline and a closing "Source:" line are outside it.
    body_start: int = 0
    body_end: int | None = None
    headline: Span | None = None
    # Read from a web page (ingest/html.py): its byline, its declared language, and the sha256 of
    # the bytes the text was extracted from.
    author: str | None = None
    language: str | None = None
    origin_sha256: str | None = None

    @property
    def id(self) -> str:
        return document_id(self.text)


def document_id(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Figure:
    """A quantity: the anchor ``value`` and the interval the qualifier maps it to.

    ``low``/``high`` of ``None`` mean unbounded on that side.
    """

    text: str
    start: int
    end: int
    value: float
    qualifier: str  # exact, at_least, more_than, at_most, less_than, about, nearly, up_to, between
    low: float | None
    high: float | None
    low_inclusive: bool = True
    high_inclusive: bool = True
    unit: str | None = None  # counted noun or unit as written: "rebel fighters", "per cent", "$"
    kind: FigureKind = FigureKind.COUNT

    def contains(self, x: float) -> bool:
        if self.low is not None and (x < self.low or (x == self.low and not self.low_inclusive)):
            return False
        if self.high is not None and (x > self.high or (x == self.high and not self.high_inclusive)):
            return False
        return True


@dataclass(frozen=True, slots=True)
class DateMention:
    text: str
    start: int
    end: int
    kind: DateKind
    # Resolution against the publication date (ISO dates), None when it cannot be resolved.
    resolved_start: date | None = None
    resolved_end: date | None = None
    granularity: str | None = None  # day, week, month, year, decade
    duration_days: float | None = None  # for durations
    weekday: int | None = None  # 0 = Monday, for weekday mentions


@dataclass(frozen=True, slots=True)
class SpeakerRef:
    """Who a claim is credited to, as resolved within its document."""

    name: str | None  # canonical: the fullest name in the document; None when unresolved
    kind: SpeakerKind
    mention: Span | None = None  # as written ("Okafor", "he"); None for the narrator
    role: str | None = None
    resolved: bool = True


@dataclass(frozen=True, slots=True)
class Entity:
    """A named entity (spaCy's label: PERSON, ORG, GPE, LOC, NORP, ...) inside a claim's content."""

    start: int
    end: int
    text: str
    label: str


@dataclass(frozen=True, slots=True)
class Claim:
    document_id: str
    kind: AttributionKind
    speaker: SpeakerRef
    content: Span
    cue: Span | None = None
    figures: tuple[Figure, ...] = ()
    dates: tuple[DateMention, ...] = ()
    said_on: DateMention | None = None  # when the claim was made, where the text says
    negated: bool = False
    modality: Modality = Modality.ASSERTED
    # Lower-case lemmas of the content's words (no stop words, no punctuation): what retrieval
    # indexes and text similarity compares, kept so an index can be rebuilt without the model.
    lemmas: str = ""
    # The named entities in the content, and the names mentioned around it in the article (the
    # sentences before it often name who "the militia" or "he" is): what a statement's names are
    # checked against.
    entities: tuple[Entity, ...] = ()
    context: tuple[str, ...] = ()
    # Lemmas of the content's verbs and adjectives: what it says happened and how. A
    # statement's must all be confirmed before a source supports it (its nouns may be worded
    # differently; "signed" against "scuttled" may not).
    predicates: str = ""

    @property
    def id(self) -> str:
        key = f"{self.document_id}:{self.kind}:{self.content.start}:{self.content.end}"
        return hashlib.sha256(key.encode()).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Speaker:
    """A speaker as known within one document: every alias it was mentioned by, every role, and
    the organisations a person speaks for ("a spokesman for X" -> X)."""

    name: str
    kind: SpeakerKind
    aliases: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    affiliations: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Extraction:
    document: Document
    claims: tuple[Claim, ...]
    speakers: tuple[Speaker, ...] = field(default=())


def to_jsonable(obj: Any) -> Any:
    """Dataclasses, enums and dates to plain JSON types (adds ``id`` where the type derives one)."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        out = {f.name: to_jsonable(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
        if isinstance(obj, (Claim, Document)):
            out = {"id": obj.id, **out}
        return out
    if isinstance(obj, StrEnum):
        return obj.value
    if isinstance(obj, date):
        return obj.isoformat()
    if isinstance(obj, (list, tuple)):
        return [to_jsonable(x) for x in obj]
    if isinstance(obj, float) and obj.is_integer():
        return int(obj)
    return obj


class Stance(StrEnum):
    SUPPORTS = "supports"
    CONFLICTS = "conflicts"
    RELATED = "related"


class VerdictLabel(StrEnum):
    SUPPORTED = "supported"
    CONFLICTING = "conflicting"
    MISATTRIBUTED = "misattributed"
    DISPUTED = "disputed"
    NOT_ENOUGH_INFO = "not_enough_info"


@dataclass(frozen=True, slots=True)
class Reason:
    code: str  # figure_match, figure_mismatch, speaker_match, date_mismatch, negation, ...
    message: str


@dataclass(frozen=True, slots=True)
class Evidence:
    claim_id: str
    claim: Claim
    stance: Stance
    score: float
    reasons: tuple[Reason, ...]
    speaker_id: str | None = None


@dataclass(frozen=True, slots=True)
class Verdict:
    verdict: VerdictLabel
    confidence: float  # calibrated: the share of such verdicts that are right
    evidence: tuple[Evidence, ...]
    parsed: Claim  # the statement as the extractor understood it
    strength: float = 0.0  # the engine's own score for the verdict, before calibration
    # Stored fact-checks of the same claim, best first (match/factchecks.py).
    factchecks: tuple[FactCheckMatch, ...] = ()


# --- prior fact-checks (schema.org ClaimReview) ------------------------------------------------


@dataclass(frozen=True, slots=True)
class Rating:
    """A review's rating as published: a value on its own scale, and/or its name ("Mostly false")."""

    value: float | None = None
    best: float | None = None
    worst: float | None = None
    name: str | None = None


@dataclass(frozen=True, slots=True)
class FactCheck:
    """A published fact-check of one claim. ``id`` is derived from the review's URL: the same
    review read again is the same record (updated when its content changed)."""

    url: str
    claim: str  # claimReviewed: the claim as the fact-checker wrote it
    rating: Rating
    claimant: str | None = None
    claimant_role: str | None = None  # the claimant's jobTitle ("Health Secretary")
    claimant_is_organization: bool = False  # the review says so (schema.org Organization)
    claim_date: date | None = None
    publisher: str | None = None
    publisher_url: str | None = None
    reviewed: date | None = None  # when the review was published
    appearances: tuple[str, ...] = ()  # where the claim was made (URLs)

    @property
    def id(self) -> str:
        return hashlib.sha256(self.url.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class FactCheckMatch:
    """A stored fact-check whose claim is the statement's claim, and why it matched."""

    factcheck: FactCheck
    score: float
    reasons: tuple[Reason, ...]
