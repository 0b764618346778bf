"""Dependencies: the runtime built in the lifespan, API-key checks, request bodies, cursors and
page limits."""

from __future__ import annotations

import base64
import binascii
import hmac
import json
from collections.abc import Callable, Coroutine
from typing import Annotated, Any

from fastapi import Depends, Query, Request, Response
from fastapi.routing import APIRoute
from pydantic import SecretStr

from claimcheck.api.problems import ApiProblem
from claimcheck.api.schemas import SEARCH_PATTERN, matching
from claimcheck.bootstrap import Runtime

# Dependencies that neither block nor compute are ``async def``: FastAPI runs a plain ``def``
# dependency in its thread pool, a thread hop per request for each (a fifth of the service's
# time under load went to waking those threads).


async def get_runtime(request: Request) -> Runtime:
    return request.app.state.runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


async def require_api_key(request: Request, runtime: RuntimeDep) -> None:
    """Write endpoints need ``X-API-Key`` when a key is configured (compared in constant time)."""
    key = runtime.settings.api_key
    if key is None:
        return
    given = request.headers.get("x-api-key")
    if not given:
        raise ApiProblem(401, "Unauthorized", "this endpoint needs an X-API-Key header",
                         headers={"WWW-Authenticate": "X-API-Key"})
    if not key_matches(key, given):
        raise ApiProblem(403, "Forbidden", "the X-API-Key header does not match")


def key_matches(key: SecretStr, given: str) -> bool:
    """Whether ``given`` is the service's key, compared in constant time (the API and the desk)."""
    return hmac.compare_digest(given.encode(), key.get_secret_value().encode())


WriteAccess = Depends(require_api_key)


async def require_json(request: Request) -> None:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "application/json":
        raise ApiProblem(415, "Unsupported content type",
                         f"send the body as application/json, not {content_type or 'nothing'}")


JsonBody = Depends(require_json)


async def require_json_ld(request: Request) -> None:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type not in ("application/json", "application/ld+json"):
        raise ApiProblem(415, "Unsupported content type", "send the body as application/ld+json or "
                                                          f"application/json, not {content_type or 'nothing'}")


JsonLdBody = Depends(require_json_ld)


# --- JSON bodies ------------------------------------------------------------------------------


def _not_json(detail: str) -> ApiProblem:
    return ApiProblem(400, "Malformed JSON", f"the request body is not valid JSON: {detail}",
                      errors=[{"field": "body", "message": detail, "type": "json_invalid"}])


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")


def parse_json(body: bytes) -> Any:
    """The body as JSON (UTF-8, RFC 8259), or a 400 naming ``body``: never an exception that
    escapes as a 500, whatever the bytes (nesting 100,000 deep, 5,000-digit numbers, NaN)."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _not_json(f"not UTF-8 (byte {exc.start})") from None
    try:
        # Python's parser: a lone surrogate escape then reaches validation, which names its field.
        return json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise _not_json(f"{exc.msg} (line {exc.lineno}, column {exc.colno})") from None
    except RecursionError:
        raise _not_json("nested too deeply") from None
    except ValueError as exc:  # an integer too long to convert, NaN, Infinity
        raise _not_json(str(exc).split(";")[0]) from None


class _JsonRequest(Request):
    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            self._json = parse_json(await self.body())
        return self._json


class JsonRoute(APIRoute):
    """FastAPI reads JSON bodies through ``Request.json``; this route's requests parse with
    ``parse_json``, so every JSON error is the same 400 (FastAPI's own turns some into a bare
    "There was an error parsing the body")."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def parse_with_limits(request: Request) -> Response:
            return await handler(_JsonRequest(request.scope, request.receive))

        return parse_with_limits


# --- query parameters -------------------------------------------------------------------------

Limit = Annotated[int, Query(ge=1, le=200, description="Items per page (1-200).")]

_CURSOR_PATTERN = "^[A-Za-z0-9_-]*$"
CursorParam = Annotated[
    str | None,
    Query(max_length=200, json_schema_extra={"pattern": _CURSOR_PATTERN},
          description="next_cursor of the previous page (empty: the first page). A cursor whose item "
                      "has since been deleted, or that this service did not issue, is a 404."),
    matching(_CURSOR_PATTERN, "is not a cursor (letters, digits, - and _ only)"),
]


def _search(description: str) -> Any:
    return Query(max_length=200, json_schema_extra={"pattern": SEARCH_PATTERN},
                 description=f"{description} At most 200 characters, no control characters.")


# Free-text filters. SQLite's LIKE stops reading a pattern at a NUL (matching everything).
_NO_CONTROLS = matching(SEARCH_PATTERN, "contains a control character")
NameQuery = Annotated[str | None, _search("Part of a name or alias."), _NO_CONTROLS]
SpeakerQuery = Annotated[str | None, _search('A name or alias: "Okafor".'), _NO_CONTROLS]
WordsQuery = Annotated[str | None, _search("Words in the claim's content."), _NO_CONTROLS]

_PREFIX = "c1:"


def encode_cursor(item_id: str | None) -> str | None:
    if item_id is None:
        return None
    return base64.urlsafe_b64encode((_PREFIX + item_id).encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> str | None:
    """The id a cursor points after (None: from the start). Any string of the cursor alphabet is a
    well-formed cursor by the schema, so one that names no item of ours is a 404, not a 422."""
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raw = ""
    if not raw.startswith(_PREFIX) or len(raw) == len(_PREFIX):
        raise cursor_not_found()
    return raw[len(_PREFIX):]


def cursor_not_found() -> ApiProblem:
    return ApiProblem(404, "Cursor not found",
                      "cursor does not point into this list (this service did not issue it, or its item "
                      "was deleted); start again without a cursor")
