"""Serving the app with uvicorn, bounded against slow and stalled clients.

uvicorn (0.54) bounds the idle time between requests (``timeout_keep_alive``) but not the time
a client takes to send a request's headers: a client that connects and sends half a request
line holds its connection forever, and a few hundred such clients hold them all. The protocol
here closes a connection whose request headers are not complete within ``header_timeout``
seconds. (The body is bounded by ``limits.BodyTimeout``, an ASGI middleware.)
"""

from __future__ import annotations

import asyncio
import functools
import logging
from typing import Any

import h11
import uvicorn
from starlette.types import ASGIApp, Receive, Scope, Send
from uvicorn.protocols.http.h11_impl import H11Protocol
from uvicorn.supervisors import Multiprocess

from claimcheck.api.problems import problem
from claimcheck.settings import Settings

log = logging.getLogger("claimcheck.api")


class HeaderTimeoutProtocol(H11Protocol):
    """uvicorn's h11 protocol plus a deadline on each request's headers, from the first byte of
    the request (or from the connection when nothing was sent yet). Set ``header_timeout`` on a
    subclass (``with_header_timeout``): uvicorn builds the protocol itself, with its own
    arguments."""

    header_timeout: float | None = None  # None: CLAIMCHECK_HEADER_TIMEOUT (how worker processes get it)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.header_timeout is None:
            self.header_timeout = _settings().header_timeout
        self._header_timer: asyncio.TimerHandle | None = None
        # uvicorn answers requests over limit_concurrency with a text/plain 503; ours is a problem.
        limit, self.limit_concurrency = self.limit_concurrency, None
        if limit is not None:
            self.app = _over_limit_gate(self.app, self, limit)

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._start_header_timer()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self.conn.their_state is h11.IDLE:
            # Waiting for (the rest of) a request's headers: on a kept-alive connection the
            # previous request's timer is gone, and uvicorn has just cancelled its idle timer.
            self._start_header_timer()
        else:
            self._cancel_header_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_header_timer()
        super().connection_lost(exc)

    def _start_header_timer(self) -> None:
        if self._header_timer is None:
            assert self.header_timeout is not None
            self._header_timer = self.loop.call_later(self.header_timeout, self._headers_too_slow)

    def _cancel_header_timer(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _headers_too_slow(self) -> None:
        self._header_timer = None
        if self.transport.is_closing() or self.conn.their_state is not h11.IDLE:
            return
        if self.cycle is not None and not self.cycle.response_complete:
            return  # a response is still being written; uvicorn closes or keeps the connection after it
        # h11 cannot answer a request it has not received: close, as a proxy's header timeout does.
        log.info("closing a connection whose request headers took over %g s", self.header_timeout)
        try:
            self.conn.send(h11.ConnectionClosed())
        except h11.LocalProtocolError:
            pass
        self.transport.close()


def _over_limit_gate(app: Any, protocol: H11Protocol, limit: int) -> Any:
    async def gate(scope: Scope, receive: Receive, send: Send) -> None:
        # The same test as uvicorn's, counted once this request's own task exists.
        if scope["type"] == "http" and (len(protocol.connections) >= limit or len(protocol.tasks) > limit):
            response = problem(503, "Busy, retry", f"the server is at its limit of {limit} requests at once; "
                               "retry shortly", headers={"Retry-After": "1", "Connection": "close"})
            await response(scope, receive, send)
            return
        await app(scope, receive, send)

    return gate


def with_header_timeout(seconds: float) -> type[HeaderTimeoutProtocol]:
    return type("HeaderTimeoutProtocol", (HeaderTimeoutProtocol,), {"header_timeout": seconds})


def config(app: ASGIApp | str, *, host: str, port: int, settings: Settings, **extra: Any) -> uvicorn.Config:
    """The uvicorn configuration ``run`` serves with (tests start it on a thread)."""
    return uvicorn.Config(
        app, host=host, port=port,
        http=with_header_timeout(settings.header_timeout),
        timeout_keep_alive=settings.keep_alive_timeout,  # type: ignore[arg-type]  # used as a float
        # Beyond this many connections and requests at once, new requests get 503 at once
        # rather than queueing without bound (headers and bodies are bounded in time, too).
        limit_concurrency=settings.max_connections,
        # Request line and headers larger than this are a 400 from h11 (its default, explicit).
        h11_max_incomplete_event_size=16 * 1024,
        **extra,
    )


def run(app: ASGIApp | str, *, host: str, port: int, settings: Settings) -> None:
    """Serve ``app`` until interrupted: one worker, h11, the timeouts and limits in ``settings``."""
    uvicorn.Server(config(app, host=host, port=port, settings=settings)).run()


def run_workers(workers: int, *, host: str, port: int, settings: Settings) -> None:
    """Serve with ``workers`` processes on one socket (uvicorn's supervisor restarts one that
    dies). Each process builds the app from the environment's settings (``create_app()``), as a
    separate instance would: its own pipeline, parse worker, store connections and index reader;
    writers coordinate through the store and the index's lock."""
    conf = config("claimcheck.api.app:create_app", host=host, port=port, settings=settings, factory=True,
                  workers=workers)
    conf.http = HeaderTimeoutProtocol  # importable by the worker processes; reads its timeout from the env
    sock = conf.bind_socket()
    Multiprocess(conf, sockets=[sock]).run()


@functools.cache
def _settings() -> Settings:
    return Settings()
