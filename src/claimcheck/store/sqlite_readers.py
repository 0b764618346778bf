"""Read connections for the SQLite store, pooled: a read takes one, runs, and gives it back.

WAL gives each read a committed snapshot, so readers never wait for each other or for a writer,
and never see a write half done. (One shared connection and lock for every read made concurrent
requests queue at the lock: 12% of the service's time under load.) Pooled rather than one per
thread: server threads come and go (anyio ends idle ones after 10 s), and a connection per
thread would outlive its thread. The pool holds at most as many connections as reads ever ran
at once.
"""

from __future__ import annotations

import functools
import queue
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from claimcheck.errors import StoreError

F = TypeVar("F", bound=Callable[..., Any])


class ReadConnections:
    def __init__(self, path: str) -> None:
        self.path = path
        self._idle: queue.LifoQueue[sqlite3.Connection] = queue.LifoQueue()  # the warmest first
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._local = threading.local()  # the connection this thread's read holds, if any
        self._closed = False

    @property
    def current(self) -> sqlite3.Connection:
        """The connection of the read running on this thread (inside ``reading``)."""
        db: sqlite3.Connection | None = getattr(self._local, "db", None)
        if db is None:
            raise RuntimeError("not inside a read")
        return db

    @contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        held = getattr(self._local, "db", None)
        if held is not None:  # a read within a read: the same connection
            yield held
            return
        db = self._take()
        self._local.db = db
        try:
            yield db
        finally:
            self._local.db = None
            self._give_back(db)

    def _give_back(self, db: sqlite3.Connection) -> None:
        with self._lock:  # with close(): a connection is either closed or idle, never lost
            if self._closed:
                db.close()
            else:
                self._idle.put(db)

    def _take(self) -> sqlite3.Connection:
        with self._lock:
            if self._closed:
                raise StoreError(f"the store at {self.path} is closed")
        try:
            return self._idle.get_nowait()
        except queue.Empty:
            pass
        try:
            # Handed between threads, one at a time: never used by two at once.
            db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            db.execute("PRAGMA busy_timeout = 5000")
            db.execute("PRAGMA query_only = ON")
        except sqlite3.Error as exc:
            raise StoreError(f"cannot read the store at {self.path}: {exc}") from None
        with self._lock:
            self._all.append(db)
        return db

    @property
    def opened(self) -> int:
        return len(self._all)

    def close(self) -> None:
        """Close every idle connection now; one in use is closed when its read ends."""
        with self._lock:
            self._closed = True
            while True:
                try:
                    self._idle.get_nowait().close()
                except queue.Empty:
                    return


def reading(method: F) -> F:
    """A store method that reads on a pooled connection (``self._readers.current``), or, for an
    in-memory database (which exists only in its one connection), on that connection under the
    store's lock."""

    @functools.wraps(method)
    def run(self, *args, **kwargs):
        if self._readers is None:
            with self._lock:
                return method(self, *args, **kwargs)
        with self._readers.reading():
            return method(self, *args, **kwargs)

    return run  # type: ignore[return-value]
