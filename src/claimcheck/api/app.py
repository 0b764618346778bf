"""The FastAPI application, built by a factory; heavy objects are made in the lifespan, once."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import ExitStack, asynccontextmanager

from fastapi import FastAPI
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from claimcheck import __version__
from claimcheck.api import problems
from claimcheck.api.batching import StatementBatcher
from claimcheck.api.problems import ApiProblem
from claimcheck.api.routes import health, router
from claimcheck.bootstrap import IndexFollower, open_runtime
from claimcheck.extract.isolated import IsolatedExtractor
from claimcheck.settings import Settings


class BodyLimit:
    """Refuse request bodies over the limit with 413, whether or not Content-Length is sent.
    Documents may be larger (their own setting; JSON escaping may double them)."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    def limit(self, scope: Scope) -> int:
        if scope["path"].rstrip("/") == "/v1/documents" and scope["method"] == "POST":
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
                                        f"the body is {int(declared):,} bytes; the limit is {limit:,}")
            await response(scope, receive, send)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > limit:
                raise ApiProblem(413, "Request body too large", f"the body is over the limit of {limit:,} bytes")
            return message

        await self.app(scope, counted, send)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Everything opened here is closed on the way out, in reverse order, whatever failed.
        with ExitStack() as opened:
            runtime = opened.enter_context(open_runtime(settings))
            app.state.runtime = runtime
            app.state.batcher = StatementBatcher(runtime.extractor)  # loads the pipeline now
            opened.callback(app.state.batcher.close)
            if settings.parse_workers > 0:
                documents = IsolatedExtractor(settings.spacy_model, settings.batch_size,
                                              settings.parse_timeout, settings.parse_workers)
                opened.callback(documents.close)
                documents.warm_up()
                app.state.documents = documents
            else:
                app.state.documents = runtime.extractor
            opened.callback(IndexFollower(runtime, settings.index_poll_seconds).close)
            yield

    app = FastAPI(
        title="claimcheck",
        version=__version__,
        description="Document-grounded claim verification: verdicts on statements with the source "
                    "spans that support or conflict with them. Every error is application/problem+json.",
        lifespan=lifespan,
    )
    problems.install(app)
    app.include_router(router)
    app.include_router(health)
    app.add_middleware(BodyLimit, settings=settings)
    return app
