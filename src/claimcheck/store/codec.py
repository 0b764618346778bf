"""Domain objects to and from plain JSON-able dicts, for stores that keep a claim as one row."""

from __future__ import annotations

import functools
import json
from datetime import date
from typing import Any

from claimcheck.domain import (
    AttributionKind,
    Claim,
    DateKind,
    DateMention,
    Document,
    Entity,
    Figure,
    FigureKind,
    Modality,
    Span,
    SpeakerKind,
    SpeakerRef,
    to_jsonable,
)


def claim_to_dict(claim: Claim) -> dict[str, Any]:
    return to_jsonable(claim)


def _span(d: dict[str, Any] | None) -> Span | None:
    return None if d is None else Span(d["start"], d["end"], d["text"])


def _date(s: str | None) -> date | None:
    return None if s is None else date.fromisoformat(s)


def _figure(d: dict[str, Any]) -> Figure:
    return Figure(
        text=d["text"], start=d["start"], end=d["end"], value=float(d["value"]),
        qualifier=d["qualifier"],
        low=None if d["low"] is None else float(d["low"]),
        high=None if d["high"] is None else float(d["high"]),
        low_inclusive=d["low_inclusive"], high_inclusive=d["high_inclusive"],
        unit=d["unit"], kind=FigureKind(d["kind"]),
    )


def _date_mention(d: dict[str, Any] | None) -> DateMention | None:
    if d is None:
        return None
    return DateMention(
        text=d["text"], start=d["start"], end=d["end"], kind=DateKind(d["kind"]),
        resolved_start=_date(d["resolved_start"]), resolved_end=_date(d["resolved_end"]),
        granularity=d["granularity"],
        duration_days=None if d["duration_days"] is None else float(d["duration_days"]),
        weekday=d["weekday"],
    )


@functools.lru_cache(maxsize=4096)
def claim_from_json(text: str) -> Claim:
    """A claim from its stored JSON. Cached by the text: verification reads the same candidate
    claims again and again, and a claim is a frozen value, so one decoded copy serves them all
    (a changed claim is another text, so never a stale hit)."""
    return claim_from_dict(json.loads(text))


def claim_from_dict(d: dict[str, Any]) -> Claim:
    sp = d["speaker"]
    return Claim(
        document_id=d["document_id"],
        kind=AttributionKind(d["kind"]),
        speaker=SpeakerRef(sp["name"], SpeakerKind(sp["kind"]), _span(sp["mention"]), sp["role"],
                           sp["resolved"]),
        content=_span(d["content"]),  # type: ignore[arg-type]
        cue=_span(d["cue"]),
        figures=tuple(_figure(f) for f in d["figures"]),
        dates=tuple(_date_mention(x) for x in d["dates"]),  # type: ignore[misc]
        said_on=_date_mention(d["said_on"]),
        negated=d["negated"],
        # Claims stored before modality was recorded were all read as assertions.
        modality=Modality(d.get("modality", Modality.ASSERTED.value)),
        lemmas=d.get("lemmas", ""),
        # Claims stored before entities were kept have none: the comparison then reads the text.
        entities=tuple(Entity(e["start"], e["end"], e["text"], e["label"]) for e in d.get("entities", ())),
        context=tuple(d.get("context", ())),
        predicates=d.get("predicates", ""),
    )


def document_to_dict(document: Document) -> dict[str, Any]:
    return to_jsonable(document)


def document_from_dict(d: dict[str, Any]) -> Document:
    return Document(
        text=d["text"], title=d.get("title"), source=d.get("source"), published=_date(d.get("published")),
        url=d.get("url"), path=d.get("path"), body_start=d.get("body_start", 0), body_end=d.get("body_end"),
        headline=_span(d.get("headline")), author=d.get("author"), language=d.get("language"),
        origin_sha256=d.get("origin_sha256"),
    )
