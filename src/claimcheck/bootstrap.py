"""Composition root: builds the heavy objects (pipeline, store, index) from settings, once, and
closes everything it opened."""

from __future__ import annotations

import functools
import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path

from claimcheck.errors import Busy, ClaimcheckError
from claimcheck.extract import Extractor
from claimcheck.match import TantivyIndex, in_step, sync_index
from claimcheck.match.entailment import EntailmentScorer, load_model
from claimcheck.match.snapshot import restore_snapshot
from claimcheck.nlp import load
from claimcheck.settings import Settings
from claimcheck.store import ClaimStore, PostgresStore, SQLiteStore

log = logging.getLogger("claimcheck")


@dataclass
class Runtime:
    settings: Settings
    store: ClaimStore
    index: TantivyIndex
    _extractor: Extractor | None = None
    _entailment: EntailmentScorer | None = None
    _closed: bool = field(default=False, repr=False)

    @property
    def extractor(self) -> Extractor:
        """The spaCy pipeline is loaded on first use: listing speakers needs no model."""
        if self._extractor is None:
            self._extractor = Extractor(load(self.settings.spacy_model), batch_size=self.settings.batch_size)
        return self._extractor

    @property
    def entailment(self) -> EntailmentScorer | None:
        """The entailment model, loaded on first use (None with ``CLAIMCHECK_NLI=off``). Adapters
        that verify touch it at start, so a missing or broken model stops them there."""
        if self._entailment is None and self.settings.nli:
            self._entailment = load_entailment(self.settings)
        return self._entailment

    @property
    def entailment_ready(self) -> bool:
        """Whether verification can use what the settings ask for: the model is off, or loaded."""
        return not self.settings.nli or self._entailment is not None

    @property
    def model_loaded(self) -> bool:
        return self._extractor is not None

    def close(self) -> None:
        """Close what ``open_runtime`` opened: the index (no writer is ever left open) and the
        store. Safe to call twice."""
        if self._closed:
            return
        self._closed = True
        try:
            self.index.close()
        finally:
            self.store.close()

    def __enter__(self) -> Runtime:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def load_entailment(settings: Settings) -> EntailmentScorer | None:
    """The entailment model the settings name (once per process), or None when it is off."""
    if not settings.nli:
        return None
    return _load_model(str(settings.nli_model) if settings.nli_model else None, settings.nli_threads)


@functools.cache
def _load_model(folder: str | None, threads: int) -> EntailmentScorer:
    return load_model(Path(folder) if folder else None, threads)


def open_store(settings: Settings) -> ClaimStore:
    """The record: PostgreSQL when a database URL is set, else the SQLite file."""
    if settings.database_url:
        return PostgresStore(settings.database_url, max_connections=settings.database_pool)
    return SQLiteStore(settings.db)


def open_runtime(settings: Settings, *, check_timeout: float | None = None) -> Runtime:
    """Open the store (migrating it) and its search index, then bring the index in step with the
    store and check it, repairing what a crash left behind. An index never built starts from
    the settings' ``index_snapshot`` when there is one.

    If another process holds the index for longer than ``check_timeout`` (default: the
    setting), the check is left to it: that writer brings the index up to date."""
    store = open_store(settings)
    try:
        index = TantivyIndex(settings.index_path, lock_timeout=settings.index_lock_timeout)
        if settings.index_snapshot is not None and index.state() is None:
            snapshot = restore_snapshot(settings.index_snapshot, settings.index_path, settings.index_lock_timeout)
            log.warning("search index copied from the snapshot in %s (%d claims, change %d); catching up",
                     settings.index_snapshot, snapshot.claims, snapshot.seq)
            index = TantivyIndex(settings.index_path, lock_timeout=settings.index_lock_timeout)
        try:
            sync_index(store, index, check=True, timeout=check_timeout)
        except Busy:
            log.warning("the search index is busy with another writer; not checked at open")
    except BaseException:
        store.close()
        raise
    return Runtime(settings, store, index)


class IndexFollower:
    """A thread that applies changes to the index that this process did not make.

    With SQLite the index is shared by every process on the machine and each writer syncs it,
    so the follower only repairs what a writer that crashed between store and index left: such
    a document is searchable within ``interval`` seconds plus one sync. With PostgreSQL each
    instance keeps an index of its own, and the follower is how it sees what other instances and
    workers stored: it wakes on the database's change notice (LISTEN/NOTIFY), and polls every
    ``interval`` seconds besides, in case a notice was missed (a dropped connection)."""

    def __init__(self, runtime: Runtime, interval: float) -> None:
        self.runtime, self.interval = runtime, interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="index-follower", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        store, index = self.runtime.store, self.runtime.index
        while self._wait():
            try:
                if not in_step(store, index):
                    sync_index(store, index, timeout=0)
            except Busy:
                pass  # a writer holds the index: it syncs on its way out
            except Exception:  # never let the thread die; the next round retries
                log.exception("index follower: sync failed")

    def _wait(self) -> bool:
        """Until the store's change notice (PostgreSQL) or the poll interval; False once closed."""
        try:
            if self.runtime.store.wait_for_change(self.interval) is not None:
                return not self._stop.is_set()
        except ClaimcheckError as exc:
            log.warning("index follower: %s", exc.detail)
        return not self._stop.wait(self.interval)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=30)
