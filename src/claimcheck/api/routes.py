"""HTTP routes: translate requests to service calls and results to response bodies, nothing more.

Handlers that read the store or parse text are plain ``def`` (FastAPI runs them in its thread
pool) or hand that work to a thread themselves; nothing blocking runs on the event loop.
"""

from __future__ import annotations

import logging
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import StreamingResponse
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from claimcheck import service
from claimcheck.api import exports
from claimcheck.api.deps import (
    CursorParam,
    JsonBody,
    JsonRoute,
    Limit,
    NameQuery,
    RuntimeDep,
    SpeakerQuery,
    WordsQuery,
    cursor_not_found,
    decode_cursor,
    encode_cursor,
)
from claimcheck.api.problems import ApiProblem
from claimcheck.api.schemas import (
    BatchResult,
    ClaimPublic,
    Page,
    Problem,
    SpeakerPublic,
    VerdictPublic,
    VerifyBatchRequest,
    VerifyRequest,
)
from claimcheck.api.verifying import verify_all
from claimcheck.bootstrap import Runtime
from claimcheck.errors import NotFound

ALL = 1_000_000
log = logging.getLogger("claimcheck.api")


def problem_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    described = {400: "Malformed request", 401: "API key missing", 403: "API key wrong",
                 404: "Not found", 408: "Body too slow", 413: "Body too large", 415: "Unsupported content type",
                 422: "Invalid input", 502: "The page's server failed", 503: "Not ready"}
    return {code: {"model": Problem, "description": described[code],
                   "content": {"application/problem+json": {}}} for code in codes}


# JsonRoute: JSON bodies are parsed by parse_json (limits and one 400 for every bad body).
router = APIRouter(prefix="/v1", route_class=JsonRoute)


def _json(body: BaseModel) -> Response:
    """A response model already built and valid, serialised once (returned as the model,
    FastAPI would validate it again against ``response_model`` first)."""
    return Response(body.model_dump_json(), media_type="application/json")


# Responses whose format the Accept header chooses say so, so that a shared cache never hands
# a JSON client the CSV or the JSON-LD another client asked for.
_VARY = {"Vary": "Accept"}


def _varies(response: Response) -> Response:
    response.headers.update(_VARY)
    return response


_VERIFY_LD: dict[int | str, dict[str, Any]] = {200: {
    "content": {**exports.CLAIM_REVIEW_DOC["content"], **exports.ANNOTATION_DOC["content"]},
    "description": "The verdict; a schema.org ClaimReview with ?format=claimreview or Accept: application/ld+json; "
                   "its evidence as W3C Web Annotations with ?format=annotation (docs/exports.md)"}}
_BATCH_LD: dict[int | str, dict[str, Any]] = {200: {
    **exports.CLAIM_REVIEW_DOC, "description": "The verdicts in order; with ?format=claimreview or Accept: "
                                               "application/ld+json, ClaimReviews in one JSON-LD @graph"}}


@router.post("/verify", response_model=VerdictPublic,
             responses={**_VERIFY_LD, **problem_responses(400, 408, 413, 415, 422)}, dependencies=[JsonBody],
             tags=["verify"])
async def verify(req: VerifyRequest, request: Request, runtime: RuntimeDep,
                 fmt: exports.VerifyFormat = None) -> VerdictPublic | Response:
    """Verdict on a statement, with the source spans that support or conflict with it."""
    wanted = exports.chosen(request, fmt, "claimreview", "annotation")
    [verdict] = await verify_all(request, runtime, [req], VerdictPublic.of)
    if wanted == "json":
        return _varies(_json(verdict))
    return _varies(await run_in_threadpool(exports.verdict_response, request, runtime.store, req, verdict, wanted))


@router.post("/verify/batch", response_model=BatchResult,
             responses={**_BATCH_LD, **problem_responses(400, 408, 413, 415, 422)}, dependencies=[JsonBody],
             tags=["verify"])
async def verify_batch(req: VerifyBatchRequest, request: Request, runtime: RuntimeDep,
                       fmt: exports.BatchFormat = None) -> BatchResult | Response:
    """Up to 100 statements; results in the same order."""
    wanted = exports.chosen(request, fmt, "claimreview")
    results = await verify_all(request, runtime, req.statements, VerdictPublic.of)
    if wanted == "json":
        return _varies(_json(BatchResult(results=results)))
    return _varies(exports.batch_response(request, list(zip(req.statements, results, strict=True))))


# --- speakers ---------------------------------------------------------------------------------


def _speaker_or_404(runtime: Runtime, speaker_id: str):
    speaker = runtime.store.get_speaker(speaker_id)
    if speaker is None:
        raise NotFound(f"no speaker with id {speaker_id!r}")
    return speaker


def after_cursor(cursor: str | None, exists) -> str | None:
    after = decode_cursor(cursor)
    if after is not None and not exists(after):
        raise cursor_not_found()
    return after


def next_cursor_of(items: list, limit: int, key) -> str | None:
    return encode_cursor(key(items[-1])) if len(items) == limit else None


@router.get("/speakers", response_model=Page[SpeakerPublic], responses=problem_responses(404, 422), tags=["speakers"])
def list_speakers(runtime: RuntimeDep, limit: Limit = 50, cursor: CursorParam = None,
                  q: NameQuery = None) -> Page[SpeakerPublic]:
    after = after_cursor(cursor, lambda i: runtime.store.get_speaker(i) is not None)
    rows = runtime.store.list_speakers(q=q, limit=limit, after=after)
    return Page(items=[SpeakerPublic.of(s, service.affiliations(runtime.store, s)) for s in rows],
                next_cursor=next_cursor_of(rows, limit, lambda s: s.id))


@router.get("/speakers/{speaker_id}", response_model=SpeakerPublic, responses=problem_responses(404), tags=["speakers"])
def get_speaker(speaker_id: str, runtime: RuntimeDep) -> SpeakerPublic:
    speaker = _speaker_or_404(runtime, speaker_id)
    return SpeakerPublic.of(speaker, service.affiliations(runtime.store, speaker))


@router.get("/speakers/{speaker_id}/claims", response_model=Page[ClaimPublic], responses=problem_responses(404, 422),
            tags=["speakers"])
def speaker_claims(speaker_id: str, runtime: RuntimeDep, limit: Limit = 50, cursor: CursorParam = None,
                   ) -> Page[ClaimPublic]:
    _speaker_or_404(runtime, speaker_id)
    return _claims_page(runtime, limit, cursor, speaker_ids=[speaker_id])


# --- claims -----------------------------------------------------------------------------------


def _claims_page(runtime: Runtime, limit: int, cursor: str | None, **filters: Any) -> Page[ClaimPublic]:
    after = after_cursor(cursor, lambda i: bool(runtime.store.get_claims([i])))
    rows = runtime.store.list_claims(limit=limit, after=after, **filters)
    return Page(items=[ClaimPublic.stored(c) for c in rows], next_cursor=next_cursor_of(rows, limit, lambda c: c.id))


_EXPORTS: dict[int | str, dict[str, Any]] = {200: {"content": {exports.CSV: {"schema": {"type": "string"}},
                               exports.NDJSON: {"schema": {"type": "string"}}},
                  "description": "A page of claims; with Accept: text/csv or application/x-ndjson, every "
                                 "matching claim from the cursor on, streamed (limit does not apply)"}}


@router.get("/claims", response_model=Page[ClaimPublic], responses={**_EXPORTS, **problem_responses(404, 422)},
            tags=["claims"])
def list_claims(request: Request, response: Response, runtime: RuntimeDep, limit: Limit = 50,
                cursor: CursorParam = None, speaker: SpeakerQuery = None,
                q: WordsQuery = None,
                document_id: Annotated[str | None, Query(max_length=64)] = None) -> Page[ClaimPublic] | Response:
    filters: dict[str, Any] = {"q": q, "document_id": document_id}
    if speaker is not None:
        filters["speaker_ids"] = service.speaker_ids(runtime.store, speaker)
    export = exports.wanted(request.headers.get("accept", ""))
    if export is not None:
        after = after_cursor(cursor, lambda i: bool(runtime.store.get_claims([i])))
        stream = (exports.csv_rows if export == exports.CSV else exports.ndjson)(runtime.store, filters, after)
        media = f"{exports.CSV}; charset=utf-8" if export == exports.CSV else exports.NDJSON
        return StreamingResponse(stream, media_type=media, headers=_VARY)
    response.headers.update(_VARY)
    return _claims_page(runtime, limit, cursor, **filters)


@router.get("/claims/{claim_id}", response_model=ClaimPublic, tags=["claims"],
            responses={200: {**exports.ANNOTATION_DOC, "description": "The claim; with ?format=annotation or Accept: "
                             "application/ld+json, a W3C Web Annotation on its span"}, **problem_responses(404, 422)})
def get_claim(claim_id: str, request: Request, response: Response, runtime: RuntimeDep,
              fmt: exports.ClaimFormat = None) -> ClaimPublic | Response:
    found = runtime.store.get_claims([claim_id])
    if claim_id not in found:
        raise NotFound(f"no claim with id {claim_id!r}")
    if exports.chosen(request, fmt, "annotation") == "annotation":
        return _varies(exports.claim_response(request, runtime.store, found[claim_id]))
    response.headers.update(_VARY)
    return ClaimPublic.stored(found[claim_id])


health = APIRouter(tags=["health"])


@health.get("/healthz")
def healthz() -> dict[str, str]:
    """The process is alive."""
    return {"status": "ok"}


@health.get("/readyz", responses=problem_responses(503))
def readyz(request: Request) -> dict[str, Any]:
    """Every pipeline the service parses with is loaded (the statement parser is not failing to
    start; the entailment model, when on, is loaded), and both the store and the search index answer."""
    runtime: Runtime | None = getattr(request.app.state, "runtime", None)
    if runtime is None or not getattr(request.app.state, "ready", False):
        raise ApiProblem(503, "Not ready", "the service is still starting")
    # A statement parser that keeps failing to start, or a model that is not loaded, would fail
    # every verify: a load balancer should send them elsewhere.
    parser = getattr(request.app.state, "statements", None)
    reason = parser.not_ready() if parser is not None else None
    if reason is None and not runtime.entailment_ready:
        reason = "the entailment model is not loaded"
    if reason is not None:
        raise ApiProblem(503, "Not ready", reason)
    try:
        claims = runtime.store.count_claims()
    except Exception:  # a store that cannot answer is "not ready", whatever the cause
        log.exception("readyz: the store does not answer")
        raise ApiProblem(503, "Not ready", "the store does not answer") from None
    try:
        indexed = runtime.index.count()
    except Exception:
        log.exception("readyz: the search index does not answer")
        raise ApiProblem(503, "Not ready", "the search index does not answer") from None
    return {"status": "ready", "claims": claims, "indexed": indexed, "model": runtime.settings.spacy_model,
            "entailment": "on" if runtime.settings.nli else "off"}


__all__ = ["health", "router"]
