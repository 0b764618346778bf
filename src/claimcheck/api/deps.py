"""Dependencies: the runtime built in the lifespan, API-key checks, cursors and page limits."""

from __future__ import annotations

import base64
import binascii
import hmac
from typing import Annotated

from fastapi import Depends, Query, Request

from claimcheck.api.problems import ApiProblem
from claimcheck.bootstrap import Runtime


def get_runtime(request: Request) -> Runtime:
    return request.app.state.runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


def require_api_key(request: Request, runtime: RuntimeDep) -> None:
    """Write endpoints need ``X-API-Key`` when a key is configured (compared in constant time)."""
    key = runtime.settings.api_key
    if key is None:
        return
    given = request.headers.get("x-api-key")
    if not given:
        raise ApiProblem(401, "Unauthorized", "this endpoint needs an X-API-Key header",
                         headers={"WWW-Authenticate": "X-API-Key"})
    if not hmac.compare_digest(given.encode(), key.get_secret_value().encode()):
        raise ApiProblem(403, "Forbidden", "the X-API-Key header does not match")


WriteAccess = Depends(require_api_key)


def require_json(request: Request) -> None:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "application/json":
        raise ApiProblem(415, "Unsupported content type",
                         f"send the body as application/json, not {content_type or 'nothing'}")


JsonBody = Depends(require_json)

Limit = Annotated[int, Query(ge=1, le=200, description="Items per page (1-200).")]
CursorParam = Annotated[str | None, Query(max_length=200, description="next_cursor of the previous page.")]

_PREFIX = "c1:"


def encode_cursor(item_id: str | None) -> str | None:
    if item_id is None:
        return None
    return base64.urlsafe_b64encode((_PREFIX + item_id).encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> str | None:
    """The id a cursor points after; a cursor this service did not make is a 422."""
    if cursor is None:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raw = ""
    if not raw.startswith(_PREFIX) or len(raw) == len(_PREFIX):
        raise ApiProblem(422, "Invalid cursor", "cursor is not one this service returned")
    return raw[len(_PREFIX):]
