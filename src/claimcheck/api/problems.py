"""Every error as ``application/problem+json`` (RFC 9457), mapped in one place."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from claimcheck.errors import (
    Busy,
    ClaimcheckError,
    DocumentError,
    InvalidInput,
    ModelNotAvailable,
    NotFound,
    StoreError,
)

log = logging.getLogger("claimcheck.api")
PROBLEM = "application/problem+json"

_STATUS: tuple[tuple[type[ClaimcheckError], int], ...] = (
    (NotFound, 404),
    (InvalidInput, 422),
    (ModelNotAvailable, 503),
    (Busy, 503),
    (StoreError, 503),
)


class ApiProblem(Exception):
    """An HTTP-level problem raised by the adapter itself (auth, content type, cursor, size)."""

    def __init__(self, status: int, title: str, detail: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.status, self.title, self.detail, self.headers = status, title, detail, headers


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


def install(app: FastAPI) -> None:
    @app.exception_handler(ClaimcheckError)
    async def _claimcheck(_: Request, exc: ClaimcheckError) -> JSONResponse:
        # Busy: nothing was lost, the same request can be repeated; say when.
        headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, Busy) else None
        return problem(status_of(exc), exc.title, exc.detail, headers=headers)

    @app.exception_handler(ApiProblem)
    async def _api(_: Request, exc: ApiProblem) -> JSONResponse:
        return problem(exc.status, exc.title, exc.detail, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        fields = _fields(exc)
        if any(f["type"] == "json_invalid" for f in fields):
            return problem(400, "Malformed JSON", "the request body is not valid JSON", fields)
        detail = "; ".join(f"{f['field']}: {f['message']}" for f in fields)
        return problem(422, "Invalid request", detail, fields)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        titles = {404: "Not found", 405: "Method not allowed"}
        return problem(exc.status_code, titles.get(exc.status_code, "HTTP error"), str(exc.detail),
                       headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return problem(500, "Internal error", "the server failed to handle this request; it has been logged")
