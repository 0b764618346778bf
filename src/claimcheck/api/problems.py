"""Every error as ``application/problem+json`` (RFC 9457), mapped in one place.

A problem names what was wrong (``errors[].field`` for validation, or the detail) and never
shows a stack trace, a file path or an exception's own text: 5xx details are fixed sentences,
the full error goes to the log.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from claimcheck.errors import (
    Busy,
    ClaimcheckError,
    DocumentError,
    EntailmentModelError,
    FetchFailed,
    InvalidInput,
    ModelNotAvailable,
    NotFound,
    ParserFailed,
    StoreError,
)

log = logging.getLogger("claimcheck.api")
PROBLEM = "application/problem+json"

_STATUS: tuple[tuple[type[ClaimcheckError], int], ...] = (
    (NotFound, 404),
    (InvalidInput, 422),
    (FetchFailed, 502),
    (ModelNotAvailable, 503),
    (EntailmentModelError, 503),
    (Busy, 503),
    (ParserFailed, 503),
    (StoreError, 503),
)
# What a 5xx says in public; its own detail may hold paths or a library's message.
_PUBLIC_DETAIL: tuple[tuple[type[ClaimcheckError], str], ...] = (
    # Not "nothing was stored": the store may have committed; the retry is what makes it searchable.
    (Busy, "the store or the search index is busy with another writer; retry shortly"),
    (ModelNotAvailable, "the language model is not available; the service cannot parse text"),
    (StoreError, "the store cannot be read or written right now"),
    (EntailmentModelError, "the entailment model is not available; the service cannot verify statements"),
    (ParserFailed, "the parser failed on this request and has been restarted; retry shortly"),
)
_TITLES = {400: "Malformed request", 404: "Not found", 405: "Method not allowed", 408: "Request timeout",
           413: "Request body too large", 415: "Unsupported content type"}


class ApiProblem(StarletteHTTPException):
    """An HTTP-level problem raised by the adapter itself (auth, content type, cursor, size, time).

    An HTTPException, so FastAPI lets it through when it is raised while the body is read (by the
    body limits in ``limits.py``) instead of turning it into a generic 400."""

    def __init__(self, status: int, title: str, detail: str, headers: dict[str, str] | None = None,
                 errors: list[dict[str, Any]] | None = None) -> None:
        super().__init__(status, detail, headers)
        self.status, self.title, self.errors = status, title, errors


def problem(status: int, title: str, detail: str, errors: list[dict[str, Any]] | None = None,
            headers: dict[str, str] | None = None) -> JSONResponse:
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    if errors is not None:
        body["errors"] = errors
    return JSONResponse(body, status_code=status, media_type=PROBLEM, headers=headers)


def status_of(exc: ClaimcheckError) -> int:
    if isinstance(exc, DocumentError) and "too large" in exc.detail:
        return 413
    return next((code for kind, code in _STATUS if isinstance(exc, kind)), 400)


def _fields(exc: RequestValidationError) -> list[dict[str, Any]]:
    out = []
    for err in exc.errors():
        loc = [str(x) for x in err.get("loc", ())]
        out.append({"field": ".".join(loc), "message": err.get("msg", "invalid"), "type": err.get("type")})
    return out


def allowed_methods(request: Request, fallback: str | None) -> str | None:
    """Every method the OpenAPI schema documents at this path (RFC 9110 ``Allow``). Starlette
    names only the methods of the first route whose path matched, and GET and POST
    /v1/documents are two routes; undocumented paths (/docs) keep Starlette's answer."""
    methods = {method.upper() for template, operations in request.app.openapi()["paths"].items()
               if re.fullmatch(re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template)), request.url.path)
               for method in operations}
    return ", ".join(sorted(methods)) if methods else fallback


def install(app: FastAPI) -> None:
    @app.exception_handler(ClaimcheckError)
    async def _claimcheck(request: Request, exc: ClaimcheckError) -> JSONResponse:
        status = status_of(exc)
        # Busy: nothing was lost, the same request can be repeated; say when.
        headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, Busy | ParserFailed) else None
        detail = exc.detail
        # A remote site's failure is the user's to know ("answered 404"), and holds nothing of ours.
        if status >= 500 and not isinstance(exc, FetchFailed):
            log.error("%s on %s %s: %s", type(exc).__name__, request.method, request.url.path, exc.detail)
            detail = next((text for kind, text in _PUBLIC_DETAIL if isinstance(exc, kind)),
                          "the service cannot answer right now")
        # An input error that knows its field (a fact-check's JSON path) names it as validation does.
        field = getattr(exc, "field", None)
        errors = [{"field": f"body.{field}" if field else "body", "message": detail, "type": "invalid"}] \
            if isinstance(field, str) else None
        return problem(status, exc.title, detail, errors, headers=headers)

    @app.exception_handler(ApiProblem)
    async def _api(_: Request, exc: ApiProblem) -> JSONResponse:
        return problem(exc.status, exc.title, exc.detail, exc.errors, headers=dict(exc.headers or {}) or None)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        fields = _fields(exc)
        if any(f["type"] == "json_invalid" for f in fields):
            return problem(400, "Malformed JSON", "the request body is not valid JSON", fields)
        detail = "; ".join(f"{f['field']}: {f['message']}" for f in fields)
        return problem(422, "Invalid request", detail, fields)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            allow = allowed_methods(request, headers.get("Allow"))
            if allow:
                headers["Allow"] = allow
        detail = str(exc.detail)
        if exc.status_code == 400:  # FastAPI's own, for a body it could not read
            detail = "the request body could not be read"
        return problem(exc.status_code, _TITLES.get(exc.status_code, "HTTP error"), detail, headers=headers)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return problem(500, "Internal error", "the server failed to handle this request; it has been logged")
