"""Other representations than the API's JSON, chosen by the Accept header (or ``?format=``).

- Claims for analysts: ``GET /v1/claims`` as CSV or JSON Lines, streamed page by page from the
  store (a whole corpus never sits in memory), every claim that matches the filters from the
  cursor on.
- Linked data (built by ``linked_data.py``): a verdict as a schema.org ClaimReview, claims and
  evidence as W3C Web Annotations; here only which one a request asks for, and how it is sent.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator
from typing import Annotated, Any, Literal

from fastapi import Query, Request
from fastapi.responses import JSONResponse

from claimcheck.api import linked_data
from claimcheck.api.linked_data import ANNO_CONTEXT, ANNOTATION_MEDIA, LD_JSON
from claimcheck.api.schemas import ClaimPublic, VerdictPublic, VerifyRequest
from claimcheck.api.weblinks import own_url
from claimcheck.domain import Document
from claimcheck.errors import NotFound
from claimcheck.store.protocol import ClaimStore, StoredClaim

CSV = "text/csv"
NDJSON = "application/x-ndjson"
_PAGE = 500

CSV_COLUMNS = ("id", "document_id", "document_title", "speaker", "speaker_id", "speaker_kind", "kind", "cue",
               "said_on", "start", "end", "content", "negated", "figures", "dates")


def _ranges(accept: str) -> list[tuple[str, list[str]]]:
    """The Accept header's media ranges, most wanted first: by quality (``q``, RFC 9110
    12.5.1), in list order where equal; ranges with ``q=0`` (not acceptable) left out."""
    ranges = []
    for i, part in enumerate(accept.split(",")):
        kind, *params = (p.strip() for p in part.split(";"))
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0  # not a quality: not something to serve by
        if kind and q > 0:
            ranges.append((-q, i, kind.lower(), [p for p in params if not p.lower().startswith("q=")]))
    return [(kind, params) for _, _, kind, params in sorted(ranges)]


_JSON_RANGES = ("application/json", "*/*", "application/*")


def wanted(accept: str) -> str | None:
    """CSV or NDJSON when the Accept header wants one of them more than JSON; None for JSON."""
    for kind, _ in _ranges(accept):
        if kind in (CSV, NDJSON):
            return kind
        if kind in _JSON_RANGES:
            return None
    return None


def ld_wanted(accept: str) -> Literal["jsonld", "annotation"] | None:
    """``annotation`` for ``application/ld+json`` with the Web Annotation profile, ``jsonld`` for
    it without, when the Accept header wants it more than JSON; None for JSON."""
    for kind, params in _ranges(accept):
        if kind == LD_JSON:
            # A profile parameter is a quoted, space-separated list of URIs (RFC 6906).
            profiles = [p.split("=", 1)[1].strip().strip('"') for p in params if p.lower().startswith("profile=")]
            return "annotation" if any(ANNO_CONTEXT in p.split() for p in profiles) else "jsonld"
        if kind in _JSON_RANGES:
            return None
    return None


def chosen(request: Request, query: str | None, jsonld: str, annotation: str | None = None) -> str:
    """The representation a request wants: ``?format=`` wins; else the Accept header, where plain
    JSON-LD means ``jsonld`` (the endpoint's linked-data form) and the Web Annotation profile
    means ``annotation`` (or ``jsonld`` where the endpoint has no annotation form)."""
    if query is not None:
        return query
    asked = ld_wanted(request.headers.get("accept", ""))
    if asked is None:
        return "json"
    return (annotation or jsonld) if asked == "annotation" else jsonld


def _format(*allowed: str) -> Any:
    return Query(alias="format", description="The representation: " + ", ".join(allowed) + " (default json; "
                 "wins over the Accept header). See docs/exports.md.")


VerifyFormat = Annotated[Literal["json", "claimreview", "annotation"] | None,
                         _format("json", "claimreview (schema.org ClaimReview, application/ld+json)",
                                 "annotation (W3C Web Annotations of the evidence)")]
BatchFormat = Annotated[Literal["json", "claimreview"] | None,
                        _format("json", "claimreview (the reviews in one JSON-LD @graph)")]
ClaimFormat = Annotated[Literal["json", "annotation"] | None,
                        _format("json", "annotation (a W3C Web Annotation on the claim's span)")]


class JsonLdResponse(JSONResponse):
    media_type = LD_JSON


class AnnotationResponse(JSONResponse):
    media_type = ANNOTATION_MEDIA


def _ld(media: str, what: str) -> dict[str, Any]:
    return {"content": {media: {"schema": {"type": "object", "description": what}}}}


CLAIM_REVIEW_DOC = _ld(LD_JSON, "A schema.org ClaimReview (JSON-LD); a batch: {\"@context\", \"@graph\": [...]}")
ANNOTATION_DOC = _ld(ANNOTATION_MEDIA, "W3C Web Annotation JSON-LD: an Annotation, or an AnnotationCollection")


def _review(request: Request, req: VerifyRequest, verdict: VerdictPublic, context: bool = True) -> dict[str, Any]:
    return linked_data.claim_review(req.statement, req.speaker, verdict, base=own_url(request),
                                    today=dt.datetime.now(dt.UTC).date(),
                                    review_id=linked_data.verdict_key(req.statement, req.speaker, req.date),
                                    context=context)


def verdict_response(request: Request, store: ClaimStore, req: VerifyRequest, verdict: VerdictPublic,
                     wanted: str) -> JSONResponse:
    """A verdict as a ClaimReview (``claimreview``) or its evidence as Web Annotations."""
    if wanted == "claimreview":
        return JsonLdResponse(_review(request, req, verdict))
    documents: dict[str, Document] = {}
    for doc_id in dict.fromkeys(e.document.id for e in verdict.evidence if e.document):
        if (doc := store.get_document(doc_id)) is not None:
            documents[doc_id] = doc
    key = linked_data.verdict_key(req.statement, req.speaker, req.date)
    return AnnotationResponse(
        linked_data.evidence_annotations(req.statement, verdict, documents, own_url(request), key))


def batch_response(request: Request, pairs: list[tuple[VerifyRequest, VerdictPublic]]) -> JSONResponse:
    return JsonLdResponse(linked_data.claim_review_graph([_review(request, r, v, context=False) for r, v in pairs]))


def _document(store: ClaimStore, document_id: str) -> Document:
    doc = store.get_document(document_id)
    if doc is None:
        raise NotFound(f"no document with id {document_id!r}")
    return doc


def claim_response(request: Request, store: ClaimStore, stored: StoredClaim) -> JSONResponse:
    doc = _document(store, stored.claim.document_id)
    return AnnotationResponse(linked_data.claim_annotation(ClaimPublic.stored(stored), doc, own_url(request)))


def document_annotations(request: Request, store: ClaimStore, document_id: str, limit: int) -> JSONResponse:
    doc = _document(store, document_id)
    claims = [ClaimPublic.stored(c) for c in store.list_claims(document_id=document_id, limit=limit)]
    return AnnotationResponse(linked_data.document_annotations(doc, claims, own_url(request)))


def _pages(store: ClaimStore, filters: dict[str, Any], after: str | None) -> Iterator[StoredClaim]:
    while rows := store.list_claims(limit=_PAGE, after=after, **filters):
        yield from rows
        after = rows[-1].id
        if len(rows) < _PAGE:
            return


def ndjson(store: ClaimStore, filters: dict[str, Any], after: str | None) -> Iterator[bytes]:
    for stored in _pages(store, filters, after):
        yield (json.dumps(ClaimPublic.stored(stored).model_dump(mode="json"), ensure_ascii=False) + "\n").encode()


def csv_rows(store: ClaimStore, filters: dict[str, Any], after: str | None) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    titles: dict[str, str | None] = {}
    for stored in _pages(store, filters, after):
        c = stored.claim
        if c.document_id not in titles:
            doc = store.get_document(c.document_id)
            titles[c.document_id] = doc.title if doc else None
        writer.writerow((
            stored.id, c.document_id, titles[c.document_id], c.speaker.name, stored.speaker_id, c.speaker.kind.value,
            c.kind.value, c.cue.text if c.cue else "", c.said_on.text if c.said_on else "", c.content.start,
            c.content.end, c.content.text, "true" if c.negated else "false",
            "; ".join(f.text for f in c.figures), "; ".join(d.text for d in c.dates)))
        if buffer.tell() > 64_000:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()
