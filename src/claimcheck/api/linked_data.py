"""Verdicts and claims in vocabularies other tools already read: pure functions from the API's
response models (and stored documents) to JSON-LD dicts, no I/O.

- a verdict as a schema.org ``ClaimReview`` (what fact-check aggregators and search engines read);
- claims and evidence spans as W3C Web Annotations (https://www.w3.org/TR/annotation-model/),
  which annotation viewers anchor in the article with the selectors.

``docs/exports.md`` has the mapping tables; ``tests/test_linked_data.py`` checks every term
against the schema.org vocabulary and every selector against the stored text.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from claimcheck.api.factcheck_schemas import FactCheckMatchPublic
from claimcheck.api.schemas import ClaimPublic, ClaimSpeakerPublic, DocumentRef, EvidencePublic, VerdictPublic
from claimcheck.api.weblinks import web_url
from claimcheck.domain import Document

SCHEMA_CONTEXT = "https://schema.org"
ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
LD_JSON = "application/ld+json"
ANNOTATION_MEDIA = f'{LD_JSON}; profile="{ANNO_CONTEXT}"'
# Characters of neighbouring text a TextQuoteSelector carries on each side: enough to tell two
# occurrences of a short quote apart, short enough to stay readable.
CONTEXT_CHARS = 32
# Verdict ids are derived from the request, so asking twice names the same review (no state kept).
_NAMESPACE = uuid.UUID("6f1c2a4e-52d4-4b0e-9d3e-6b8f0c1d2e3a")


@dataclass(frozen=True, slots=True)
class Rating:
    value: int | None  # None: not a point on the scale
    label: str  # schema.org alternateName: what ClaimReview readers (Google among them) display
    explanation: str


BEST, WORST = 5, 1
# Source-relative labels: claimcheck says what its stored articles say, never whether the
# statement is true, so the labels name the sources ("Supported by sources", not "True").
RATINGS: dict[str, Rating] = {
    "supported": Rating(5, "Supported by sources",
                        "A stored source says the same thing, credited to the speaker the statement names."),
    "disputed": Rating(3, "Disputed by sources", "Stored sources disagree: some support the statement, "
                                                 "some conflict with it."),
    # The content is attested but the attribution is wrong: worse than disputed, better than a
    # contradicted content.
    "misattributed": Rating(2, "Misattributed", "Stored sources say this, but credit it to someone other "
                                                "than the speaker the statement names."),
    "conflicting": Rating(1, "Contradicted by sources", "A stored source about the same thing gives an "
                                                        "incompatible figure, date or polarity."),
    # No number: "we found nothing" is not a degree of truth, and a midpoint would read as disputed.
    "not_enough_info": Rating(None, "Not enough information", "No stored source decides the statement."),
}
_STANCES = {"supports": "Supports", "conflicts": "Conflicts", "related": "Related"}
_STANCE_PHRASES = {"supports": "Supports", "conflicts": "Conflicts with", "related": "Related to"}
_KINDS = {"direct_quote": "Direct quote", "indirect": "Reported speech", "according_to": "According to",
          "narrator": "The publication's own assertion"}


def verdict_key(statement: str, speaker: str | None, date: dt.date | None) -> uuid.UUID:
    return uuid.uuid5(_NAMESPACE, "\x00".join((statement, speaker or "", date.isoformat() if date else "")))


# --- schema.org ClaimReview -------------------------------------------------------------------


def service_author(base: str, name: str = "claimcheck") -> dict[str, Any]:
    return {"@type": "Organization", "name": name, "url": f"{base}/"}


def _agent(name: str, kind: str) -> dict[str, Any]:
    # group and publication are collective speakers; unknown is taken as a person (schema.org's
    # author is a Person or an Organization, nothing vaguer).
    return {"@type": "Person" if kind in ("person", "unknown") else "Organization", "name": name}


def _speaker_kind(name: str, evidence: Iterable[EvidencePublic]) -> str:
    """The statement's speaker kind, as the corpus knows a speaker of that name (else a person)."""
    folded = name.casefold()
    return next((e.speaker.kind for e in evidence if e.speaker.name and e.speaker.name.casefold() == folded),
                "person")


def news_article(doc: DocumentRef, base: str) -> dict[str, Any]:
    """A stored article; its ``@id`` is the API's document URL, ``url`` the original when known."""
    node: dict[str, Any] = {"@type": "NewsArticle", "@id": f"{base}/v1/documents/{doc.id}", "identifier": doc.id}
    if url := web_url(doc.url):
        node["url"] = url
    if doc.title:
        node["name"] = node["headline"] = doc.title
    if doc.published:
        node["datePublished"] = doc.published.isoformat()
    if doc.source:
        node["publisher"] = {"@type": "Organization", "name": doc.source}
    return node


def _reasons(e: EvidencePublic) -> str:
    return "; ".join(r.message for r in e.reasons) or "no specific reason"


def _quotation(e: EvidencePublic, base: str) -> dict[str, Any]:
    node: dict[str, Any] = {"@type": "Quotation", "@id": f"{base}/v1/claims/{e.claim_id}", "text": e.span.text,
                            "description": f"{_STANCES[e.stance]}: {_reasons(e)}"}
    if e.speaker.name:
        node["spokenByCharacter"] = _agent(e.speaker.name, e.speaker.kind)
    if e.document is not None:
        node["isPartOf"] = news_article(e.document, base)
    return node


def _review_body(label: str, verdict: VerdictPublic) -> str:
    lines = [f"{label} (confidence {verdict.confidence:.2f})."]
    for e in verdict.evidence:
        where = f' in "{e.document.title or e.document.id}"' if e.document else ""
        when = f" ({e.document.published.isoformat()})" if e.document and e.document.published else ""
        who = e.speaker.name or "an unnamed speaker"
        lines.append(f'{_STANCES[e.stance]}: {who}{where}{when}: "{e.span.text}" ({_reasons(e)})')
    return "\n".join(lines)


def claim_review(statement: str, speaker: str | None, verdict: VerdictPublic, *, base: str, today: dt.date,
                 review_id: uuid.UUID, author: dict[str, Any] | None = None,
                 context: bool = True) -> dict[str, Any]:
    """A verdict as a schema.org ClaimReview. ``speaker`` is the one the request named (else the
    statement's own, as parsed); ``base`` the service's URL without a trailing slash."""
    rating = RATINGS[verdict.verdict]
    review_rating: dict[str, Any] = {"@type": "Rating", "alternateName": rating.label, "bestRating": BEST,
                                     "worstRating": WORST,
                                     "ratingExplanation": f"{rating.explanation} Confidence "
                                                          f"{verdict.confidence:.2f}."}
    if rating.value is not None:
        review_rating["ratingValue"] = rating.value
    claim: dict[str, Any] = {"@type": "Claim"}
    named = speaker or verdict.parsed.speaker
    if named:
        claim["author"] = _agent(named, _speaker_kind(named, verdict.evidence))
    # Appearances are articles where the claim as stated appears: a supporting source's, by the
    # named speaker when one is named. Not for a misattributed statement (its content appears,
    # credited to someone else), and no firstAppearance: the first article in this corpus is not
    # the claim's first appearance.
    if verdict.verdict != "misattributed":
        seen: dict[str, dict[str, Any]] = {}
        for e in verdict.evidence:
            by_speaker = not named or any(r.code == "speaker_match" for r in e.reasons)
            if e.stance == "supports" and by_speaker and e.document is not None and e.document.id not in seen:
                seen[e.document.id] = news_article(e.document, base)
        if seen:
            claim["appearance"] = list(seen.values())
    review: dict[str, Any] = {
        "@type": "ClaimReview",
        "@id": review_id.urn,
        "claimReviewed": statement,
        "itemReviewed": claim,
        "reviewRating": review_rating,
        "author": author or service_author(base),
        "datePublished": today.isoformat(),
        "reviewBody": _review_body(rating.label, verdict),
    }
    # Cited: the source spans, then the published fact-checks of the same claim.
    citations = [_quotation(e, base) for e in verdict.evidence] + [prior_review(f) for f in verdict.factchecks]
    if citations:
        review["citation"] = citations
    return {"@context": SCHEMA_CONTEXT, **review} if context else review


def prior_review(f: FactCheckMatchPublic) -> dict[str, Any]:
    """A stored fact-check of the same claim, cited as the ClaimReview its publisher published."""
    rating: dict[str, Any] = {"@type": "Rating"}
    for key, value in (("ratingValue", f.rating.value), ("bestRating", f.rating.best),
                       ("worstRating", f.rating.worst), ("alternateName", f.rating.name)):
        if value is not None:
            rating[key] = int(value) if isinstance(value, float) and value.is_integer() else value
    out: dict[str, Any] = {"@type": "ClaimReview", "url": f.url, "claimReviewed": f.claim, "reviewRating": rating}
    if f.publisher:
        out["author"] = {"@type": "Organization", "name": f.publisher, **({"url": f.publisher_url}
                                                                          if f.publisher_url else {})}
    if f.reviewed:
        out["datePublished"] = f.reviewed.isoformat()
    if f.claimant:
        out["itemReviewed"] = {"@type": "Claim", "author": {
            "@type": "Organization" if f.claimant_is_organization else "Person", "name": f.claimant}}
    return out


def claim_review_graph(reviews: list[dict[str, Any]]) -> dict[str, Any]:
    """Several reviews (a batch) as one JSON-LD document: one context, the reviews in ``@graph``."""
    return {"@context": SCHEMA_CONTEXT, "@graph": reviews}


# --- W3C Web Annotation -----------------------------------------------------------------------


def _software(base: str) -> dict[str, Any]:
    return {"id": f"{base}/", "type": "Software", "name": "claimcheck"}


def text_body(value: str, purpose: str) -> dict[str, Any]:
    return {"type": "TextualBody", "value": value, "purpose": purpose, "format": "text/plain"}


def source_of(doc: Document | DocumentRef, base: str) -> str:
    """The annotated article: its own URL when it has one, else the API's copy. Offsets always
    count in the stored text, which is what the API serves."""
    return web_url(doc.url) or f"{base}/v1/documents/{doc.id}"


def selectors(start: int, end: int, text: str | None, exact: str) -> list[dict[str, Any]]:
    """A TextQuoteSelector and a TextPositionSelector for ``[start, end)``: two descriptions of
    the same span, as the model requires of several selectors. Python ``str`` indices count code
    points, which is what TextPositionSelector counts (not UTF-16 units as JavaScript does)."""
    quote: dict[str, Any] = {"type": "TextQuoteSelector", "exact": exact}
    if text is not None:
        if prefix := text[max(0, start - CONTEXT_CHARS) : start]:
            quote["prefix"] = prefix
        if suffix := text[end : end + CONTEXT_CHARS]:
            quote["suffix"] = suffix
    return [quote, {"type": "TextPositionSelector", "start": start, "end": end}]


def _target(doc: Document | DocumentRef, text: str | None, start: int, end: int, exact: str,
            base: str) -> dict[str, Any]:
    return {"source": source_of(doc, base), "selector": selectors(start, end, text, exact)}


def _speaker_bodies(speaker: ClaimSpeakerPublic, base: str) -> list[dict[str, Any]]:
    bodies = []
    if speaker.name:
        bodies.append(text_body(speaker.name, "identifying"))
    if speaker.id:
        bodies.append({"type": "SpecificResource", "source": f"{base}/v1/speakers/{speaker.id}",
                       "purpose": "identifying"})
    return bodies


def claim_annotation(claim: ClaimPublic, doc: Document, base: str, *, context: bool = True) -> dict[str, Any]:
    """A claim as an Annotation on its content span: motivation "describing", with bodies for
    what it is (describing), its kind (tagging) and who said it (identifying)."""
    who = claim.speaker.name or "an unresolved speaker"
    role = f", {claim.speaker.role}" if claim.speaker.role else ""
    description = (f"{_KINDS[claim.kind]} ({who})" if claim.kind == "narrator"
                   else f"{_KINDS.get(claim.kind, claim.kind)} by {who}{role} ({claim.speaker.kind})")
    annotation: dict[str, Any] = {
        "id": f"{base}/v1/claims/{claim.id}?format=annotation",
        "type": "Annotation",
        "motivation": "describing",
        "body": [text_body(description, "describing"), text_body(claim.kind, "tagging"),
                 *_speaker_bodies(claim.speaker, base)],
        "target": _target(doc, doc.text, claim.content.start, claim.content.end, claim.content.text, base),
        "generator": _software(base),
    }
    return {"@context": ANNO_CONTEXT, **annotation} if context else annotation


def _collection(collection: str, label: str, items: list[dict[str, Any]]) -> dict[str, Any]:
    """An AnnotationCollection whose first (and only) page embeds every item. An empty collection
    has no page (a page exists to carry annotations; the model's collection needs none), only
    ``total`` 0."""
    out: dict[str, Any] = {"@context": ANNO_CONTEXT, "id": collection, "type": "AnnotationCollection",
                           "label": label, "total": len(items)}
    if items:
        page = f"{collection}#page1"
        out["first"] = {"id": page, "type": "AnnotationPage", "partOf": collection, "startIndex": 0,
                        "items": items}
        out["last"] = page
    return out


def document_annotations(doc: Document, claims: list[ClaimPublic], base: str) -> dict[str, Any]:
    """Every claim of a document, as an AnnotationCollection."""
    return _collection(f"{base}/v1/documents/{doc.id}/annotations", doc.title or f"Claims of document {doc.id}",
                       [claim_annotation(c, doc, base, context=False) for c in claims])


def evidence_annotation(e: EvidencePublic, statement: str, doc: Document | DocumentRef, text: str | None,
                        base: str, key: uuid.UUID) -> dict[str, Any]:
    """An evidence span as an assessing Annotation: the stance in an assessing body, the reasons
    in a describing body and as tags (their codes), the source claim linked."""
    return {
        "id": uuid.uuid5(key, e.claim_id).urn,
        "type": "Annotation",
        "motivation": "assessing",
        "body": [text_body(e.stance, "assessing"),
                 text_body(f'{_STANCE_PHRASES[e.stance]} the statement "{statement}": {_reasons(e)}', "describing"),
                 *[text_body(code, "tagging") for code in dict.fromkeys(r.code for r in e.reasons)],
                 *_speaker_bodies(e.speaker, base),
                 {"type": "SpecificResource", "source": f"{base}/v1/claims/{e.claim_id}", "purpose": "linking"}],
        "target": _target(doc, text, e.span.start, e.span.end, e.span.text, base),
        "generator": _software(base),
    }


def evidence_annotations(statement: str, verdict: VerdictPublic, documents: Mapping[str, Document], base: str,
                         key: uuid.UUID) -> dict[str, Any]:
    """A verdict's evidence as an AnnotationCollection (in evidence order), labelled with the
    verdict and the statement. An evidence whose article was deleted since the verdict (no
    document) has nothing to anchor in and is left out."""
    items = []
    for e in verdict.evidence:
        if e.document is None:
            continue
        doc = documents.get(e.document.id)
        items.append(evidence_annotation(e, statement, doc or e.document, doc.text if doc else None, base, key))
    label = f"{RATINGS[verdict.verdict].label} (confidence {verdict.confidence:.2f}): {statement}"
    # Not the review's own id: the collection is another resource than the ClaimReview.
    return _collection(uuid.uuid5(key, "evidence").urn, label, items)
