"""Response bodies for prior fact-checks (schema.org ClaimReview read in, matched at verify time)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from claimcheck.domain import FactCheck, FactCheckMatch


class RatingPublic(BaseModel):
    value: float | None = Field(description="ratingValue, on the review's own scale")
    best: float | None = Field(description="bestRating (schema.org's default when absent: 5)")
    worst: float | None = Field(description="worstRating (default when absent: 1)")
    name: str | None = Field(description="alternateName: the rating in words (\"Mostly false\")")


class FactCheckPublic(BaseModel):
    id: str
    url: str = Field(description="The review's own URL: it identifies the review")
    claim: str = Field(description="claimReviewed: the claim as the fact-checker wrote it")
    claimant: str | None
    claimant_role: str | None = Field(description="The claimant's jobTitle, as the review gives it")
    claimant_is_organization: bool = Field(description="The review names an Organization as the claimant")
    claim_date: dt.date | None
    rating: RatingPublic
    publisher: str | None
    publisher_url: str | None
    reviewed: dt.date | None = Field(description="When the review was published")
    appearances: list[str]

    @classmethod
    def of(cls, fc: FactCheck) -> FactCheckPublic:
        r = fc.rating
        return cls(id=fc.id, url=fc.url, claim=fc.claim, claimant=fc.claimant, claimant_role=fc.claimant_role,
                   claimant_is_organization=fc.claimant_is_organization,
                   claim_date=fc.claim_date,
                   rating=RatingPublic(value=r.value, best=r.best, worst=r.worst, name=r.name),
                   publisher=fc.publisher, publisher_url=fc.publisher_url, reviewed=fc.reviewed,
                   appearances=list(fc.appearances))


class MatchReason(BaseModel):
    code: str
    message: str


class FactCheckMatchPublic(FactCheckPublic):
    score: float = Field(description="How surely it is the same claim, 0 to 1")
    reasons: list[MatchReason]

    @classmethod
    def matched(cls, m: FactCheckMatch) -> FactCheckMatchPublic:
        return cls(**FactCheckPublic.of(m.factcheck).model_dump(), score=m.score,
                   reasons=[MatchReason(code=r.code, message=r.message) for r in m.reasons])


class FactChecksStored(BaseModel):
    created: int
    updated: int
    unchanged: int
    items: list[FactCheckPublic] = Field(description="Every review of the request, as stored, in order")
