"""HTTP routes for prior fact-checks: ClaimReview JSON-LD in, listed and read back. Matching them
to a statement happens in verify (service.verify, match/factchecks.py)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from claimcheck import service
from claimcheck.api.deps import (
    CursorParam,
    JsonLdBody,
    JsonRoute,
    Limit,
    NameQuery,
    RuntimeDep,
    WordsQuery,
    WriteAccess,
    parse_json,
)
from claimcheck.api.factcheck_schemas import FactCheckPublic, FactChecksStored
from claimcheck.api.routes import after_cursor, next_cursor_of, problem_responses
from claimcheck.api.schemas import Page
from claimcheck.errors import NotFound
from claimcheck.ingest.claimreview import read_claim_reviews

router = APIRouter(prefix="/v1", route_class=JsonRoute)

_BODY = {"requestBody": {"required": True, "content": {"application/json": {"schema": {
    "type": "object", "description": "schema.org ClaimReview JSON-LD: one ClaimReview, a list of them, an @graph "
                                     "of them, or a DataFeed whose dataFeedElement items hold them"}},
    "application/ld+json": {"schema": {"type": "object"}}}}}


@router.post("/factchecks", status_code=201, response_model=FactChecksStored, openapi_extra=_BODY,
             responses={200: {"model": FactChecksStored, "description": "Every review was stored already"},
                        **problem_responses(400, 401, 403, 408, 413, 415, 422, 503)},
             dependencies=[WriteAccess, JsonLdBody], tags=["factchecks"])
async def create_factchecks(request: Request, response: Response, runtime: RuntimeDep) -> FactChecksStored:
    """Store published fact-checks (ClaimReview). Every review is checked first: one malformed
    review refuses the whole request (422 naming its field), and nothing is stored. A review is
    known by its URL: sent again it is unchanged, or updated when its content changed."""
    reviews = read_claim_reviews(parse_json(await request.body()))
    parsed = await request.app.state.batcher.parse_async(*service.factcheck_documents(reviews))
    put = await run_in_threadpool(service.add_factchecks, runtime.store, reviews, parsed)
    if not put.created:
        response.status_code = 200
    return FactChecksStored(created=put.created, updated=put.updated, unchanged=put.unchanged,
                            items=[FactCheckPublic.of(r) for r in reviews])


@router.get("/factchecks", response_model=Page[FactCheckPublic], responses=problem_responses(404, 422),
            tags=["factchecks"])
def list_factchecks(runtime: RuntimeDep, limit: Limit = 50, cursor: CursorParam = None, q: WordsQuery = None,
                    claimant: NameQuery = None) -> Page[FactCheckPublic]:
    """Stored fact-checks in the order stored; ``q``: words in the claim, ``claimant``: part of a name."""
    after = after_cursor(cursor, lambda i: runtime.store.get_factcheck(i) is not None)
    rows = runtime.store.list_factchecks(q=q, claimant=claimant, limit=limit, after=after)
    return Page(items=[FactCheckPublic.of(r.factcheck) for r in rows],
                next_cursor=next_cursor_of(rows, limit, lambda r: r.id))


@router.get("/factchecks/{factcheck_id}", response_model=FactCheckPublic, responses=problem_responses(404),
            tags=["factchecks"])
def get_factcheck(factcheck_id: str, runtime: RuntimeDep) -> FactCheckPublic:
    found = runtime.store.get_factcheck(factcheck_id)
    if found is None:
        raise NotFound(f"no fact-check with id {factcheck_id!r}")
    return FactCheckPublic.of(found.factcheck)


__all__ = ["router"]
