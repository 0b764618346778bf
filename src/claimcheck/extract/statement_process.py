"""Statement parsing in a process of its own, over one pipe: how the HTTP service parses the
statements it verifies.

Parsing is about half of a verification's CPU time. In the service's process it held the
interpreter lock that HTTP handling, retrieval and scoring need; here it runs on another core.
One pipe and no pool: the service's batcher thread (``api/batching.py``) is the only caller, and
every extra thread a result passes through waits for the service's interpreter lock under load
(a pebble pool's hand-offs put 190 ms on the p99 at 8 requests at once, against 90 ms in-process).

A parse that overruns its deadline or a process that dies is the parser's failure, not the
statement's (statements are short; the API caps them): the caller gets ``ParserFailed`` (a 503
to retry) and the next batch goes to a new process. An exception the extractor raises is the
statement's (the same text fails again): ``InvalidInput``. The batcher parses such a batch
again one statement at a time, so only the statement at fault fails.
"""

from __future__ import annotations

import logging
import multiprocessing
import threading
from multiprocessing.connection import Connection
from typing import Any

from claimcheck.domain import Claim, Document
from claimcheck.errors import ClaimcheckError, InvalidInput, ParserFailed

log = logging.getLogger("claimcheck.extract")

# Starts in a row that fail before the parser counts as failing, not as restarting.
FAILING_STARTS = 2


def _serve(conn: Connection, model: str, batch_size: int) -> None:
    """The child: load the pipeline, then parse each batch that arrives until told to stop."""
    from claimcheck.extract.claims import Extractor
    from claimcheck.nlp import load

    try:
        extractor = Extractor(load(model), batch_size=batch_size)
    except ClaimcheckError as exc:
        conn.send(("error", exc))
        return
    conn.send(("ready", None))
    while True:
        try:
            documents = conn.recv()
        except (EOFError, OSError):  # the service is gone
            return
        if documents is None:
            return
        try:
            reply: tuple[str, Any] = ("ok", extractor.statements(documents))
        except Exception as exc:  # sent back as a message: the exception itself may not pickle
            reply = ("failed", f"{type(exc).__name__}: {exc}")
        conn.send(reply)


class StatementProcess:
    """``statements`` parses a batch in the child process and gives up after ``timeout`` seconds."""

    def __init__(self, model: str, batch_size: int = 32, timeout: float = 60.0, start_timeout: float = 300.0,
                 recycle_after: int = 20_000) -> None:
        self.model, self.batch_size, self.timeout, self.start_timeout = model, batch_size, timeout, start_timeout
        # spaCy's string store keeps every new word it has seen: after this many statements a
        # fresh process loads beside this one and takes over once ready (no request waits).
        self.recycle_after = recycle_after
        self._parsed = 0
        self._next: tuple[Any, Connection] | None = None
        # forkserver/spawn, not fork: the service has threads (and locks they may hold) by now.
        method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
        self._context: Any = multiprocessing.get_context(method)
        self._lock = threading.Lock()  # one batch in flight on the pipe
        self._process: Any = None
        self._conn: Connection | None = None
        self._ready = False
        self._closed = False
        # Starts that failed in a row, and why the last did: what /readyz reports. A parser that
        # died is started again by the next batch; one that cannot start fails every verify.
        self.start_failures = 0
        self.last_failure: str | None = None

    def start(self) -> None:
        """Start the child and wait until its pipeline is loaded (a failure to load is raised)."""
        self.launch()
        self.wait_ready()

    def launch(self) -> None:
        """Start the child without waiting for it (``wait_ready`` waits): the service loads its
        other pipelines meanwhile."""
        with self._lock:
            self._launch()

    def wait_ready(self) -> None:
        with self._lock:
            self._wait_ready()

    def _spawn(self) -> tuple[Any, Connection]:
        parent, child = self._context.Pipe()
        process = self._context.Process(target=_serve, args=(child, self.model, self.batch_size),
                                        name="claimcheck-statements", daemon=True)
        process.start()
        child.close()
        return process, parent

    def _launch(self) -> None:
        self._process, self._conn = self._spawn()
        self._ready = False
        self._parsed = 0

    def not_ready(self) -> str | None:
        """Why the parser cannot take statements now, or None: closed, or its last
        ``FAILING_STARTS`` starts in a row failed (each verify would try and fail again)."""
        if self._closed:
            return "the statement parser is closed"
        if self.start_failures >= FAILING_STARTS:
            return (f"the statement parser failed to start {self.start_failures} times in a row "
                    f"(last: {self.last_failure})")
        return None

    def _wait_ready(self) -> None:
        conn = self._conn
        assert conn is not None
        if self._ready:
            return
        try:
            error: BaseException
            if not conn.poll(self.start_timeout):
                error = ParserFailed(f"the statement parser did not start within {self.start_timeout:g} s")
            else:
                try:
                    kind, sent = conn.recv()
                except (EOFError, OSError):
                    kind, sent = "ended", None
                if kind == "ready":
                    self._ready, self.start_failures, self.last_failure = True, 0, None
                    return
                error = sent if isinstance(sent, BaseException) \
                    else ParserFailed("the statement parser process ended while starting")
        except BaseException:
            self._stop()
            raise
        self._stop()
        self.start_failures += 1
        self.last_failure = str(error)
        raise error

    def statements(self, documents: list[Document]) -> list[Claim]:
        with self._lock:
            if self._closed:  # the service is stopping: no new parser
                raise ParserFailed("the statement parser is closed")
            if self._process is not None and not self._process.is_alive():
                # Died between batches (killed, out of memory): nothing of this batch was lost
                # yet, so start another rather than fail it.
                log.error("the statement parser process had ended (exit code %s): starting another",
                          self._process.exitcode)
                self._stop()
            if self._conn is None:
                self._launch()
            self._wait_ready()
            assert self._conn is not None
            try:
                self._conn.send(documents)
                if not self._conn.poll(self.timeout):
                    log.error("parsing %d statements took over %g s: restarting the parser", len(documents),
                              self.timeout)
                    self._stop()
                    raise ParserFailed(f"parsing {len(documents)} statements took longer than {self.timeout:g} s")
                kind, value = self._conn.recv()
            except (EOFError, OSError, BrokenPipeError) as exc:
                log.error("the statement parser process ended: %s", exc)
                self._stop()
                raise ParserFailed("the statement parser process ended") from None
            if kind == "ok":
                self._parsed += len(documents)
                self._recycle()
        if kind != "ok":
            log.error("parsing %d statements failed: %s", len(documents), value)
            raise InvalidInput(f"the statement could not be parsed ({value.split(':')[0]})")
        return value

    def _recycle(self) -> None:
        """Past ``recycle_after`` statements, start a replacement; once it has loaded its pipeline,
        it takes over and the old process ends. Called after a batch, under the lock."""
        if self._next is None:
            if self._parsed >= self.recycle_after:
                self._next = self._spawn()
            return
        process, conn = self._next
        if not conn.poll(0):
            return  # still loading
        try:
            kind, _ = conn.recv()
        except (EOFError, OSError):
            kind = "ended"
        self._next = None
        if kind != "ready":
            log.error("a replacement statement parser failed to start (%s): keeping the current one", kind)
            _stop(process, conn)
            self._parsed = 0  # try again after as many statements
            return
        old_process, old_conn = self._process, self._conn
        self._process, self._conn, self._ready, self._parsed = process, conn, True, 0
        if old_conn is not None:
            try:
                old_conn.send(None)  # idle: it ends at once
            except OSError:
                pass
        _stop(old_process, old_conn, grace=5.0)

    def close(self) -> None:
        self._closed = True  # before the lock: a batch waiting for it starts no new parser
        with self._lock:
            if self._next is not None:
                _stop(*self._next)
                self._next = None
            if self._conn is not None:
                try:
                    self._conn.send(None)
                except OSError:
                    pass
            self._stop(grace=5.0)

    def _stop(self, grace: float = 0.0) -> None:
        process, conn = self._process, self._conn
        self._process = self._conn = None
        _stop(process, conn, grace)


def _stop(process: Any, conn: Connection | None, grace: float = 0.0) -> None:
    """End a parser process (killed if it has not ended within ``grace`` s) and close its pipe."""
    if process is not None:
        process.join(grace)
        if process.is_alive():
            process.kill()
            process.join(5)
    if conn is not None:
        conn.close()
