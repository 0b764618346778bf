"""The desk: server-rendered HTML pages over the same store and service as the REST API.

Thin like ``api/routes.py``: read the query, call the store or the service, hand plain values to a
template. Jinja2 escapes everything (autoescape on, nothing marked safe); highlighted text is
cut into segments by ``highlight.py`` and each segment escaped by the template.

Pages answer HTML whatever goes wrong (``HtmlRoute``), so the app's problem+json handlers, and
with them every ``/v1`` answer, stay as they are. None of this is in the OpenAPI schema.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Coroutine
from datetime import date
from typing import Any
from urllib.parse import parse_qs, urlencode

from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, PackageLoader, StrictUndefined
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from claimcheck import service
from claimcheck.api.deps import key_matches
from claimcheck.api.documents import store_document
from claimcheck.api.problems import status_of
from claimcheck.api.schemas import SEARCH_PATTERN, VerifyRequest
from claimcheck.api.verifying import verify_all
from claimcheck.api.weblinks import own_url
from claimcheck.bootstrap import Runtime
from claimcheck.domain import AttributionKind, Document
from claimcheck.errors import Busy, ClaimcheckError, FetchFailed, NotFound
from claimcheck.ingest import document_from_text
from claimcheck.ingest.sources import fetch_page
from claimcheck.service import MAX_STATEMENT
from claimcheck.web import views

log = logging.getLogger("claimcheck.api")

PAGE = 50  # list items per page
CLAIMS_PAGE = 100  # a speaker's claims per page
_ALL = 1_000_000
# Defence in depth behind the escaping: no inline script or style runs, nothing loads from elsewhere.
_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
                               "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
_SEARCH = re.compile(SEARCH_PATTERN)  # what the API takes as words to look for
_FIELDS = {"statement": "Statement", "speaker": "Speaker", "date": "Date"}


class PageError(Exception):
    """A page that cannot be shown, with the status and a sentence for a person."""

    def __init__(self, status: int, title: str, message: str) -> None:
        super().__init__(message)
        self.status, self.title, self.message = status, title, message


class HtmlRoute(APIRoute):
    """Every failure of a page is an HTML page with its status (a 404, a 422 for input, a 503
    when the index is busy), never problem+json and never an exception's own text."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def html_errors(request: Request) -> Response:
            try:
                return await handler(request)
            except PageError as exc:
                return _error(request, exc.status, exc.title, exc.message)
            except ClaimcheckError as exc:
                status = status_of(exc)
                if status >= 500:
                    log.error("%s on %s %s: %s", type(exc).__name__, request.method, request.url.path, exc.detail)
                    message = ("The index is busy with another writer; try again in a moment."
                               if isinstance(exc, Busy) else "The service cannot answer right now.")
                    page = _error(request, status, "Not available", message)
                    retry = getattr(exc, "retry_after", None)  # Busy and the like: nothing lost, say when
                    if retry is not None:
                        page.headers["Retry-After"] = str(retry)
                    return page
                return _error(request, status, exc.title, exc.detail)
            except (RequestValidationError, ValidationError):
                return _error(request, 422, "Invalid request", "The address has a value this page cannot read.")
            except StarletteHTTPException as exc:
                return _error(request, exc.status_code, "Error", str(exc.detail))
            except Exception:
                log.exception("unhandled error on page %s", request.url.path)
                return _error(request, 500, "Internal error",
                              "The page failed to load; the error has been logged.")

        return html_errors


router = APIRouter(include_in_schema=False, route_class=HtmlRoute)


def install(app: FastAPI) -> None:
    """The pages and their static files, on ``app``; the template environment is made here, per app."""
    app.state.pages = Environment(loader=PackageLoader("claimcheck.web", "templates"),
                                  autoescape=True, undefined=StrictUndefined,
                                  trim_blocks=True, lstrip_blocks=True)
    app.include_router(router)
    app.mount("/static", StaticFiles(packages=[("claimcheck.web", "static")]), name="static")
    # A browser that asks for an address outside the API that does not exist gets a page, not
    # problem+json; the API's own errors (and any client that does not ask for HTML) are as before.
    problem = app.exception_handlers[StarletteHTTPException]

    async def html_or_problem(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        wants_html = "text/html" in request.headers.get("accept", "")
        if wants_html and exc.status_code in _NO_PAGE and not request.url.path.startswith("/v1/"):
            return _error(request, exc.status_code, *_NO_PAGE[exc.status_code])
        return await problem(request, exc)  # type: ignore[misc]

    app.add_exception_handler(StarletteHTTPException, html_or_problem)


_NO_PAGE = {404: ("Page not found", "There is no page at this address. Start again from the desk's home page."),
            405: ("Not allowed", "This page cannot be used that way. Start again from the desk's home page.")}


def _render(request: Request, template: str, *, code: int = 200, **context: Any) -> HTMLResponse:
    env: Environment = request.app.state.pages
    html = env.get_template(template).render(**context)
    return HTMLResponse(html, status_code=code, headers=_HEADERS)


def _error(request: Request, status: int, title: str, message: str) -> HTMLResponse:
    return _render(request, "error.html", code=status, section=None, title=title, message=message, status=status)


def _runtime(request: Request) -> Runtime:
    return request.app.state.runtime


def _search_words(value: str | None, what: str) -> str | None:
    """A free-text filter as the API takes it (at most 200 characters, no control characters)."""
    if not value or not value.strip():
        return None
    value = value.strip()
    if len(value) > 200 or _SEARCH.search(value) is None:
        raise PageError(422, "Invalid search", f"The {what} must be at most 200 characters, "
                                               "with no control characters.")
    return value


# --- home, lists --------------------------------------------------------------------------------


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> HTMLResponse:
    runtime = _runtime(request)
    documents = runtime.store.recent_documents(20)  # newest first
    return _render(request, "home.html", section="home", articles=[views.article_ref(d) for d in documents],
                   more=len(documents) == 20, max_statement=MAX_STATEMENT, errors=[],
                   form={"statement": "", "speaker": "", "date": ""})


@router.get("/speakers", response_class=HTMLResponse)
def speakers(request: Request, q: str | None = None, after: str | None = None) -> HTMLResponse:
    runtime = _runtime(request)
    words = _search_words(q, "name to look for")
    if after and runtime.store.get_speaker(after) is None:
        raise PageError(404, "Page not found", "That page of the list no longer exists; start again from the first.")
    rows = runtime.store.list_speakers(q=words, limit=PAGE, after=after or None)
    items = [views.speaker_view(s, service.affiliations(runtime.store, s)) for s in rows]
    following = _link("/speakers", q=words, after=rows[-1].id) if len(rows) == PAGE else None
    return _render(request, "speakers.html", section="speakers", q=words or "", speakers=items,
                   next_url=following, paged=bool(after))


@router.get("/speakers/{speaker_id}", response_class=HTMLResponse)
def speaker(request: Request, speaker_id: str, after: str | None = None) -> HTMLResponse:
    runtime = _runtime(request)
    record = runtime.store.get_speaker(speaker_id)
    if record is None:
        raise NotFound("There is no speaker with this id; it may have been removed with its last article.")
    if after and not runtime.store.get_claims([after]):
        raise PageError(404, "Page not found", "That page of claims no longer exists; start again from the first.")
    rows = runtime.store.list_claims(speaker_ids=[speaker_id], limit=CLAIMS_PAGE, after=after or None)
    documents = {d: runtime.store.get_document(d) for d in {c.claim.document_id for c in rows}}
    following = _link(f"/speakers/{speaker_id}", after=rows[-1].id) if len(rows) == CLAIMS_PAGE else None
    return _render(request, "speaker.html", section="speakers",
                   speaker=views.speaker_view(record, service.affiliations(runtime.store, record)),
                   groups=views.claim_groups(rows, documents), next_url=following, paged=bool(after))


@router.get("/articles", response_class=HTMLResponse)
def articles(request: Request, after: str | None = None) -> HTMLResponse:
    runtime = _runtime(request)
    if after and runtime.store.get_document(after) is None:
        raise PageError(404, "Page not found", "That page of the list no longer exists; start again from the first.")
    rows = runtime.store.list_documents(limit=PAGE, after=after or None)
    following = _link("/articles", after=rows[-1].id) if len(rows) == PAGE else None
    return _render(request, "articles.html", section="articles", articles=[views.article_ref(d) for d in rows],
                   next_url=following, paged=bool(after))


@router.get("/add", response_class=HTMLResponse)
def add_form(request: Request) -> HTMLResponse:
    return _render(request, "add.html", section="add", form=dict.fromkeys(_ADD_FIELDS, ""), errors=[],
                   needs_key=_runtime(request).settings.api_key is not None)


_ADD_FIELDS = ("url", "text", "title", "published")


@router.post("/add", response_class=HTMLResponse, response_model=None)
async def add_article(request: Request) -> Response:
    """Store an article from a pasted address (fetched, read as a web page) or pasted text, as
    POST /v1/documents does; then show it. The API key, when one is set, is checked and never
    written back into the page."""
    runtime = _runtime(request)
    needs_key = runtime.settings.api_key is not None
    if request.headers.get("content-type", "").split(";")[0].strip().lower() != "application/x-www-form-urlencoded":
        raise PageError(415, "Unsupported form", "Send the form from the Add page.")
    fields = {k: v[0] for k, v in parse_qs((await request.body()).decode("utf-8", "replace"),
                                           keep_blank_values=True).items()}
    form = {k: fields.get(k, "") for k in _ADD_FIELDS}

    def again(status: int, message: str) -> HTMLResponse:
        return _render(request, "add.html", code=status, section="add", form=form, errors=[message],
                       needs_key=needs_key)

    if runtime.settings.api_key is not None:
        given = fields.get("api_key", "")
        if not given:
            return again(401, "Adding articles needs the API key.")
        if not key_matches(runtime.settings.api_key, given):
            return again(403, "The API key is not the service's.")
    url, text = form["url"].strip(), form["text"]
    if not url and not text.strip():
        return again(422, "Give the address of a page, or paste the article's text.")
    meta: dict[str, Any] = {"title": form["title"].strip() or None, "source": None,
                            "published": form["published"] or None}
    max_bytes = runtime.settings.max_document_bytes

    def read() -> Document:
        if url:
            return fetch_page(request.app.state.fetcher, url, max_bytes, meta)
        return document_from_text(text.replace("\r\n", "\n"), **meta)

    try:
        document = await run_in_threadpool(read)
        _created, stored = await run_in_threadpool(store_document, request, runtime, document)
    except ClaimcheckError as exc:
        status = status_of(exc)
        if status >= 500 and not isinstance(exc, FetchFailed):
            raise
        return again(status, exc.detail)
    return RedirectResponse(f"/articles/{stored.id}", status_code=303, headers=_HEADERS)


@router.get("/articles/{document_id}", response_class=HTMLResponse)
def article(request: Request, document_id: str) -> HTMLResponse:
    runtime = _runtime(request)
    document = runtime.store.get_document(document_id)
    if document is None:
        raise NotFound("There is no article with this id; it may have been deleted or replaced by a newer version.")
    claims = runtime.store.list_claims(document_id=document_id, limit=_ALL)
    attributed = [c for c in claims if c.claim.kind != AttributionKind.NARRATOR]
    return _render(request, "article.html", section="articles", article=views.article_ref(document),
                   text=views.article_segments(document, claims), claims=views.claim_index(attributed))


# --- verify -------------------------------------------------------------------------------------


@router.get("/verify", response_class=HTMLResponse, response_model=None)
async def verify(request: Request, statement: str | None = None, speaker: str | None = None,
                 date: str | None = None) -> Response:
    form = {"statement": statement or "", "speaker": speaker or "", "date": date or ""}
    page: dict[str, Any] = {"section": "verify", "form": form, "max_statement": MAX_STATEMENT}
    if statement is None and not speaker and not date:  # the empty form
        return _render(request, "verify.html", **page, errors=[], result=None, permalink=None)
    try:
        req = VerifyRequest.model_validate({"statement": statement or "", "speaker": speaker or None,
                                            "date": date or None})
    except ValidationError as exc:
        return _render(request, "verify.html", code=422, **page, errors=[_problem(e) for e in exc.errors()],
                       result=None, permalink=None)
    canonical = _link("/verify", statement=req.statement, speaker=req.speaker, date=req.date)
    if speaker == "" or date == "":  # the form's empty optional fields: answer at the permalink itself
        return RedirectResponse(canonical, status_code=303, headers=_HEADERS)
    # As the API verifies: the parse batched with other requests', scoring in the verify threads.
    [result] = await verify_all(request, _runtime(request), [req], views.verdict_view)
    permalink = own_url(request) + canonical
    return _render(request, "verify.html", **page, errors=[], result=result, permalink=permalink)


def _problem(error: Any) -> str:
    """One validation error as a sentence: "Statement is empty." rather than pydantic's wording."""
    field = _FIELDS.get(str(error["loc"][0]) if error.get("loc") else "", "A value")
    kind = error.get("type")
    if kind == "string_too_short":
        return f"{field} is empty: type a statement to check."
    if kind == "string_too_long":
        return f"{field} is too long: at most {error.get('ctx', {}).get('max_length', MAX_STATEMENT):,} characters."
    if kind in ("date_type", "date_from_datetime_parsing", "date_parsing"):
        return f"{field} must be a date written as YYYY-MM-DD."
    return f"{field} {error.get('msg', 'is not valid')}."


def _link(path: str, **params: str | date | None) -> str:
    """``path`` with the given (non-empty) query parameters."""
    query = {k: v.isoformat() if isinstance(v, date) else v for k, v in params.items() if v}
    return f"{path}?{urlencode(query)}" if query else path
