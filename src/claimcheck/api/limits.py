"""ASGI middleware bounding what one request may cost before a route sees it: body size and the
time to receive the body. (The time to receive the headers is bounded in ``server.py``: no
ASGI app runs before they are complete.)"""

from __future__ import annotations

import anyio
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from claimcheck.api import problems
from claimcheck.api.problems import ApiProblem
from claimcheck.settings import Settings

# The rest of the body is not read: the connection cannot carry another request.
_CLOSE = {"Connection": "close"}


# Where a body may be as large as a document: the API's writes and the desk's Add page.
_DOCUMENT_PATHS = ("/v1/documents", "/v1/factchecks", "/add")


class BodyLimit:
    """Refuse request bodies over the limit with 413, whether or not Content-Length is sent.
    Documents may be larger (their own setting; JSON escaping may double them)."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    def limit(self, scope: Scope) -> int:
        # A fact-checker's feed of reviews is as large as a document may be.
        if scope["path"].rstrip("/") in _DOCUMENT_PATHS and scope["method"] == "POST":
            return 2 * self.settings.max_document_bytes + 65_536
        return self.settings.max_request_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit(scope)
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            response = problems.problem(413, "Request body too large",
                                        f"the body is {int(declared):,} bytes; the limit is {limit:,}", headers=_CLOSE)
            await response(scope, receive, send)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > limit:
                raise ApiProblem(413, "Request body too large", f"the body is over the limit of {limit:,} bytes",
                                 headers=_CLOSE)
            return message

        await self.app(scope, counted, send)


class BodyTimeout:
    """Bound the time to receive a request body: ``idle`` seconds between two chunks and ``total``
    seconds for all of it. A client that stalls gets a 408 problem (and the connection is
    closed); when a response has already started, the request is abandoned and the server closes
    the connection. Without this, a few clients sending one byte a minute hold every worker."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.idle = settings.body_idle_timeout
        self.total = settings.body_timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        deadline = anyio.current_time() + self.total
        body_done = False

        async def timed() -> Message:
            nonlocal body_done
            if body_done:  # later receives wait for a disconnect: that is not the client stalling
                return await receive()
            wait = min(self.idle, deadline - anyio.current_time())
            message = None
            with anyio.move_on_after(max(wait, 0)):
                message = await receive()
            if message is None:
                raise ApiProblem(408, "Request timeout",
                                 f"the request body did not arrive in time (at most {self.idle:g} s between "
                                 f"chunks, {self.total:g} s in all)", headers=_CLOSE)
            if message["type"] != "http.request" or not message.get("more_body", False):
                body_done = True
            return message

        await self.app(scope, timed, send)
