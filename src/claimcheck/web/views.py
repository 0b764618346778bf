"""What the desk's templates show: plain frozen values built from domain objects and store rows.

No HTML here and nothing marked safe: texts stay plain strings for the templates to escape;
highlighting is a list of ``highlight.Segment`` cut at the stored offsets.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

from claimcheck.api.weblinks import web_url
from claimcheck.domain import AttributionKind, Claim, Document, FactCheckMatch, Reason, Verdict
from claimcheck.service import Affiliation
from claimcheck.store.protocol import SpeakerRecord, StoredClaim
from claimcheck.web.highlight import Mark, Segment, segments, sentence_bounds

KINDS = {"direct_quote": "direct quote", "indirect": "reported speech", "according_to": "according to",
         "narrator": "the publication's narration"}
VERDICTS = {
    "supported": ("Supported", "A source says the same thing, by the speaker named if one is."),
    "conflicting": ("Conflicting", "A source about the same thing has a figure, date or polarity that disagrees."),
    "misattributed": ("Misattributed", "Sources say it, but only other speakers than the one named."),
    "disputed": ("Disputed", "Sources disagree with each other."),
    "not_enough_info": ("Not enough information", "Nothing in the stored articles decides it."),
}
# A claim shown with its speaker's mention only when the two are this close; else the content alone.
_NEAR = 600


@dataclass(frozen=True, slots=True)
class ArticleRef:
    id: str
    title: str
    source: str | None
    published: date | None
    url: str | None  # only http(s): a javascript: URL is never made a link
    href: str


@dataclass(frozen=True, slots=True)
class Link:
    name: str
    id: str | None


@dataclass(frozen=True, slots=True)
class SpeakerView:
    id: str
    name: str
    kind: str
    aliases: tuple[str, ...]
    roles: tuple[str, ...]
    claim_count: int
    affiliations: tuple[Link, ...]


@dataclass(frozen=True, slots=True)
class ClaimView:
    id: str
    kind: str
    speaker: str
    speaker_id: str | None
    text: str  # the content span as stored
    start: int
    end: int
    when: str
    href: str  # the claim in its article
    context: tuple[Segment, ...] = ()


@dataclass(frozen=True, slots=True)
class ClaimGroup:
    article: ArticleRef | None
    claims: tuple[ClaimView, ...]


@dataclass(frozen=True, slots=True)
class EvidenceView:
    claim: ClaimView
    stance: str
    score: float
    article: ArticleRef | None
    reasons: tuple[Reason, ...]


@dataclass(frozen=True, slots=True)
class FactCheckView:
    """A stored fact-check of the same claim, as the verify page shows it."""

    claim: str
    claimant: str | None
    rating: str  # its name ("Mostly false"), else the value on its scale ("2 of 1-5")
    publisher: str | None
    url: str | None  # None when it is not an http(s) link a page may show
    reviewed: date | None
    score: float
    reasons: tuple[Reason, ...]


@dataclass(frozen=True, slots=True)
class VerdictView:
    verdict: str
    label: str
    explanation: str
    confidence: int  # per cent
    read_speaker: str | None
    read_content: str
    evidence: tuple[EvidenceView, ...]
    factchecks: tuple[FactCheckView, ...] = ()


def article_ref(d: Document) -> ArticleRef:
    first_line = d.text.strip().split("\n", 1)[0][:120] if d.text.strip() else ""
    title = d.title or (d.headline.text if d.headline else None) or first_line or "Untitled article"
    return ArticleRef(id=d.id, title=title, source=d.source, published=d.published, url=web_url(d.url),
                      href=f"/articles/{d.id}")


def speaker_view(s: SpeakerRecord, links: Sequence[Affiliation] = ()) -> SpeakerView:
    return SpeakerView(id=s.id, name=s.name, kind=s.kind.value, aliases=s.aliases, roles=s.roles,
                       claim_count=s.claim_count, affiliations=tuple(Link(a.name, a.speaker_id) for a in links))


def speaker_label(claim: Claim) -> str:
    if claim.speaker.name:
        return claim.speaker.name
    return claim.speaker.mention.text if claim.speaker.mention else "unknown speaker"


def claim_marks(claim: Claim, kind: str, key: str, label: str) -> tuple[list[Mark], list[Mark]]:
    """A claim's content as an outer mark (figures and dates inside it as inner ones)."""
    outer = [Mark(claim.content.start, claim.content.end, kind, key, label)]
    inner = [Mark(f.start, f.end, "figure", label=f"figure: {f.text}") for f in claim.figures]
    inner += [Mark(d.start, d.end, "date", label=f"date: {d.text}") for d in claim.dates]
    return outer, inner


def claim_context(text: str, claim: Claim, kind: str, key: str, label: str) -> tuple[Segment, ...]:
    """The claim in its sentence(s): the content marked, figures and dates inside it, and the
    speaker's mention when it is near."""
    outer, inner = claim_marks(claim, kind, key, label)
    lo, hi = claim.content.start, claim.content.end
    mention = claim.speaker.mention
    if mention is not None and max(hi, mention.end) - min(lo, mention.start) <= _NEAR:
        outer.append(Mark(mention.start, mention.end, "speaker", label=label))
        lo, hi = min(lo, mention.start), max(hi, mention.end)
    lo, hi = sentence_bounds(text, lo, hi)
    return tuple(segments(text, outer, inner, lo, hi))


def _when(claim: Claim, document: Document | None) -> str:
    said = claim.said_on
    if said is not None and said.resolved_start is not None:
        return f"said {said.text} ({said.resolved_start.isoformat()})"
    if said is not None:
        return f"said {said.text}"
    if document is not None and document.published is not None:
        return f"published {document.published.isoformat()}"
    return "date not given"


def claim_view(stored: StoredClaim, document: Document | None, kind: str = "claim") -> ClaimView:
    claim = stored.claim
    label = speaker_label(claim)
    if document is not None:
        context = claim_context(document.text, claim, kind, stored.id, label)
    else:  # the article is gone (deleted since): the span alone, still at its offsets in it
        span = claim.content
        context = tuple(segments(" " * span.start + span.text, [Mark(span.start, span.end, kind, stored.id, label)],
                                 lo=span.start))
    return ClaimView(id=stored.id, kind=KINDS.get(claim.kind.value, claim.kind.value), speaker=label,
                     speaker_id=stored.speaker_id, text=claim.content.text, start=claim.content.start,
                     end=claim.content.end, when=_when(claim, document),
                     href=f"/articles/{claim.document_id}#claim-{stored.id}", context=context)


def claim_groups(rows: Sequence[StoredClaim], documents: Mapping[str, Document | None]) -> list[ClaimGroup]:
    """Claims by article, newest article first (undated ones last), each in text order."""
    by_document: dict[str, list[StoredClaim]] = {}
    for row in rows:
        by_document.setdefault(row.claim.document_id, []).append(row)

    def newest_first(document_id: str) -> tuple[bool, int, str]:
        d = documents.get(document_id)
        published = d.published if d is not None else None
        return (published is None, -(published.toordinal() if published else 0), document_id)

    groups = []
    for document_id in sorted(by_document, key=newest_first):
        d = documents.get(document_id)
        claims = sorted(by_document[document_id], key=lambda c: c.claim.content.start)
        groups.append(ClaimGroup(article_ref(d) if d is not None else None,
                                 tuple(claim_view(c, d) for c in claims)))
    return groups


def article_segments(document: Document, claims: Sequence[StoredClaim]) -> list[Segment]:
    """The whole text, every claim's content marked and anchored by its id, figures and dates
    inside. The publication's own narration is marked too (so evidence from it has an anchor),
    but placed after the attributed claims: where they overlap, the attributed claim shows."""
    outer: list[Mark] = []
    inner: list[Mark] = []
    for c in claims:
        narration = c.claim.kind == AttributionKind.NARRATOR
        o, i = claim_marks(c.claim, "narration" if narration else "claim", c.id, speaker_label(c.claim))
        outer += [replace(m, rank=1) for m in o] if narration else o
        inner += i
    return segments(document.text, outer, inner)


def claim_index(claims: Sequence[StoredClaim]) -> list[ClaimView]:
    return [claim_view(c, None) for c in sorted(claims, key=lambda c: c.claim.content.start)]


def verdict_view(verdict: Verdict, documents: Mapping[str, Document | None]) -> VerdictView:
    label, explanation = VERDICTS[verdict.verdict.value]
    evidence = []
    for e in verdict.evidence:
        d = documents.get(e.claim.document_id)
        view = claim_view(StoredClaim(e.claim_id, e.claim, e.speaker_id), d, kind="evidence")
        evidence.append(EvidenceView(claim=view, stance=e.stance.value, score=e.score,
                                     article=article_ref(d) if d is not None else None,
                                     reasons=tuple(e.reasons)))
    parsed = verdict.parsed
    return VerdictView(verdict=verdict.verdict.value, label=label, explanation=explanation,
                       confidence=round(verdict.confidence * 100), read_speaker=parsed.speaker.name,
                       read_content=parsed.content.text, evidence=tuple(evidence),
                       factchecks=tuple(factcheck_view(m) for m in verdict.factchecks))


def factcheck_view(m: FactCheckMatch) -> FactCheckView:
    fc = m.factcheck
    r = fc.rating
    if r.name:
        rating = r.name
    elif r.value is not None:
        worst, best = (r.worst if r.worst is not None else 1), (r.best if r.best is not None else 5)
        rating = f"{r.value:g} on a scale of {worst:g} to {best:g}"
    else:
        rating = "not rated"
    return FactCheckView(claim=fc.claim, claimant=fc.claimant, rating=rating, publisher=fc.publisher,
                         url=web_url(fc.url), reviewed=fc.reviewed, score=m.score, reasons=m.reasons)
