"""HTTP routes for documents: store an article (text, a web page, or a URL to fetch), list,
read and delete them, and follow ingest jobs. They translate, nothing more: reading pages is
ingest/html.py's, fetching ingest/fetch.py's, storing the service's."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from claimcheck import service
from claimcheck.api import exports
from claimcheck.api.deps import CursorParam, JsonRoute, Limit, RuntimeDep, WriteAccess, parse_json
from claimcheck.api.problems import ApiProblem
from claimcheck.api.routes import ALL, after_cursor, next_cursor_of, problem_responses
from claimcheck.api.schemas import (
    ClaimPublic,
    DocumentCreate,
    DocumentCreated,
    DocumentPublic,
    DocumentRef,
    JobPublic,
    Page,
)
from claimcheck.bootstrap import Runtime
from claimcheck.domain import Document
from claimcheck.errors import NotFound
from claimcheck.ingest import document_from_text
from claimcheck.ingest.html import HTML_TYPES, document_from_html
from claimcheck.ingest.sources import fetch_page

router = APIRouter(prefix="/v1", route_class=JsonRoute)


# --- documents --------------------------------------------------------------------------------

_DOCUMENT_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": DocumentCreate.model_json_schema()},
            "text/plain": {"schema": DocumentCreate.model_json_schema()["properties"]["text"]},
            "text/html": {"schema": {"type": "string", "description": "A web page: its article is read out of it "
                                                                      "(trafilatura), boilerplate left behind."}},
        },
    }
}
_TEXT_TYPES = ("application/json", "text/plain")


def _invalid(exc: ValidationError, *prefix: str | int) -> RequestValidationError:
    return RequestValidationError([{**e, "loc": (*prefix, *e["loc"])} for e in exc.errors()])


def _field_error(field: str, message: str) -> RequestValidationError:
    return RequestValidationError([{"type": "invalid", "loc": ("body", field), "msg": message}])


async def _document_input(request: Request, runtime: Runtime) -> Document:
    """The document a request sends, read and validated: JSON parsed by ``parse_json`` (never a
    500, whatever the bytes) with its text, a page's html or a URL to fetch; a text/plain body
    taken verbatim as the text; a text/html body read as a web page."""
    max_bytes = runtime.settings.max_document_bytes
    content_type, _, params = request.headers.get("content-type", "").partition(";")
    content_type = content_type.strip().lower()
    if content_type not in _TEXT_TYPES + HTML_TYPES:
        raise ApiProblem(415, "Unsupported content type",
                         "send the document as application/json, text/plain or text/html")
    body = await request.body()
    if content_type != "application/json" and len(body) > max_bytes:
        raise ApiProblem(413, "Document too large", f"the document is larger than {max_bytes:,} bytes")
    if content_type in HTML_TYPES:
        charset = params.partition("charset=")[2].split(";")[0].strip().strip("\"'") or None
        return await run_in_threadpool(lambda: document_from_html(body, max_bytes=max_bytes, charset=charset))
    if content_type == "text/plain":
        try:
            # Strict UTF-8, no BOM stripping: the stored text is exactly the bytes sent.
            text = body.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise RequestValidationError([{"type": "invalid_text", "loc": ("body",),
                                           "msg": f"is not valid UTF-8 (byte {exc.start})"}]) from None
        try:
            data = DocumentCreate(text=text)
        except ValidationError as exc:  # the body is the text: name it "body"
            raise RequestValidationError([{**e, "loc": ("body",)} for e in exc.errors()]) from None
    else:
        try:
            data = DocumentCreate.model_validate(parse_json(body))
        except ValidationError as exc:
            raise _invalid(exc, "body") from None
    meta: dict[str, Any] = {"title": data.title, "source": data.source, "published": data.published}
    if data.text is not None:
        if data.html is not None:
            raise _field_error("html", "send the text or the page's html, not both")
        if len(data.text.encode("utf-8", "surrogatepass")) > max_bytes:
            raise ApiProblem(413, "Document too large", f"the document is larger than {max_bytes:,} bytes")
        return document_from_text(data.text, url=data.url, **meta)
    if data.html is not None:
        page = data.html.encode("utf-8", "surrogatepass")
        if len(page) > max_bytes:
            raise ApiProblem(413, "Document too large", f"the page is larger than {max_bytes:,} bytes")
        return await run_in_threadpool(lambda: document_from_html(page, url=data.url, max_bytes=max_bytes,
                                                                  charset="utf-8", **meta))
    if data.url is None:
        raise _field_error("text", "send the document's text, a page's html, or a url to fetch")
    return await run_in_threadpool(fetch_page, request.app.state.fetcher, data.url, max_bytes, meta)


@router.post("/documents", status_code=201, response_model=DocumentCreated, openapi_extra=_DOCUMENT_BODY,
             responses={200: {"model": DocumentCreated, "description": "Already stored: same text, same id"},
                        202: {"model": JobPublic, "description": "Queued (wait=false or Prefer: respond-async): "
                                                                 "poll the job at the Location header"},
                        **problem_responses(400, 401, 403, 408, 413, 415, 422, 502, 503)},
             dependencies=[WriteAccess], tags=["documents"])
async def create_document(
    request: Request, response: Response, runtime: RuntimeDep,
    wait: Annotated[bool, Query(description="false: queue the document for an ingest worker and answer 202 "
                                            "at once (as the header Prefer: respond-async does)")] = True,
) -> DocumentCreated | JSONResponse:
    """Store, extract and index a document: its text, a web page (``text/html``, or ``html`` in
    JSON) whose article is read out of it, or a ``url`` (alone) to fetch that page from. Answers
    once it is durably stored and searchable, or, asked not to wait, once it is durably queued.
    Fetching refuses private addresses unless CLAIMCHECK_FETCH_PRIVATE=1."""
    document = await _document_input(request, runtime)
    prefer_async = "respond-async" in request.headers.get("prefer", "").lower()
    if prefer_async or not wait:
        job = JobPublic.of(await run_in_threadpool(runtime.store.enqueue, document))
        headers = {"Location": job.url, **({"Preference-Applied": "respond-async"} if prefer_async else {})}
        return JSONResponse(job.model_dump(mode="json"), status_code=202, headers=headers)
    created, body = await run_in_threadpool(store_document, request, runtime, document)
    if not created:
        response.status_code = 200
    return body


def store_document(request: Request, runtime: Runtime, document: Document) -> tuple[bool, DocumentCreated]:
    """Extract (in a worker process, with a deadline), store and index one document; the desk's
    Add page stores through here too."""
    timeout = runtime.settings.index_lock_timeout
    if not runtime.store.has_document(document.id):
        extraction = request.app.state.documents.extract(document)  # a worker process, with a deadline
        created = service.put_extraction(runtime.store, runtime.index, extraction, timeout=timeout).created
    else:
        # Already stored: acknowledge only once it is searchable too (a retry after a failed
        # index write repairs the index here).
        service.sync_index(runtime.store, runtime.index, timeout=timeout)
        created = False
    stored = runtime.store.get_document(document.id) or document
    count = len(runtime.store.list_claims(document_id=document.id, limit=ALL))
    return created, DocumentCreated(**DocumentRef.of(stored).model_dump(), claims=count)


@router.get("/jobs/{job_id}", response_model=JobPublic, responses=problem_responses(404), tags=["documents"])
def get_job(job_id: str, runtime: RuntimeDep) -> JobPublic:
    """An ingest job's state: queued, running, done (with the document) or failed (with a problem)."""
    job = runtime.store.get_job(job_id)
    if job is None:
        raise NotFound(f"no job with id {job_id!r}")
    return JobPublic.of(job)


@router.get("/documents", response_model=Page[DocumentRef], responses=problem_responses(404, 422), tags=["documents"])
def list_documents(runtime: RuntimeDep, limit: Limit = 50, cursor: CursorParam = None) -> Page[DocumentRef]:
    after = after_cursor(cursor, lambda i: runtime.store.get_document(i) is not None)
    rows = runtime.store.list_documents(limit=limit, after=after)
    return Page(items=[DocumentRef.of(d) for d in rows], next_cursor=next_cursor_of(rows, limit, lambda d: d.id))


@router.get("/documents/{document_id}", response_model=DocumentPublic, responses=problem_responses(404),
            tags=["documents"])
def get_document(document_id: str, runtime: RuntimeDep) -> DocumentPublic:
    doc = runtime.store.get_document(document_id)
    if doc is None:
        raise NotFound(f"no document with id {document_id!r}")
    claims = runtime.store.list_claims(document_id=document_id, limit=ALL)
    return DocumentPublic(**DocumentRef.of(doc).model_dump(), text=doc.text,
                          claims=[ClaimPublic.stored(c) for c in claims])


@router.get("/documents/{document_id}/annotations", response_class=exports.AnnotationResponse,
            responses={200: {**exports.ANNOTATION_DOC, "description": "Every claim of the document as a W3C Web "
                             "Annotation, in an AnnotationCollection (docs/exports.md)"},
                       # Not _problems: its model would be documented in this route's media type.
                       404: {"description": "Not found", "content": {"application/problem+json": {
                           "schema": {"$ref": "#/components/schemas/Problem"}}}}},
            tags=["documents"])
def document_annotations(document_id: str, request: Request, runtime: RuntimeDep) -> Response:
    return exports.document_annotations(request, runtime.store, document_id, ALL)


@router.delete("/documents/{document_id}", status_code=204, responses=problem_responses(401, 403, 404, 503),
               dependencies=[WriteAccess], tags=["documents"])
def delete_document(document_id: str, runtime: RuntimeDep) -> Response:
    if not service.delete_document(runtime.store, runtime.index, document_id,
                                   timeout=runtime.settings.index_lock_timeout):
        raise NotFound(f"no document with id {document_id!r}")
    return Response(status_code=204)


__all__ = ["router"]
