"""Ingest workers: take jobs from the store's queue, extract, store, report.

Any number of workers, in any number of processes and machines that reach the same record, can
run at once: the store hands each job to one worker (``take_job``). A worker renews its lease
while it works, so a long parse keeps its job and a killed worker's job is taken again once the
lease runs out. Storing is idempotent (the document id is a hash of its text), so a job done
twice stores its document once.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from claimcheck.domain import Document, Extraction
from claimcheck.errors import Busy, ClaimcheckError, DocumentError, StoreError
from claimcheck.store.protocol import ClaimStore, Job, JobState

log = logging.getLogger("claimcheck.worker")


def worker_name() -> str:
    """Unique per worker, readable in the jobs table: host, process and a random suffix."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


@dataclass(frozen=True, slots=True)
class Outcome:
    job: Job
    claims: int | None = None  # done: the document's claims
    error: str | None = None  # failed (or to be retried, when ``retried``)
    retried: bool = False
    seconds: float = 0.0


class Worker:
    """One worker: ``run`` takes jobs until ``stop`` is set (or, with ``drain``, until no job is
    queued or running) and yields what became of each."""

    def __init__(self, store: ClaimStore, extract: Callable[[Document], Extraction], *, lease: float = 30.0,
                 attempts: int = 3, poll: float = 0.5, name: str | None = None,
                 after_put: Callable[[], object] | None = None) -> None:
        self.store, self.extract = store, extract
        self.lease, self.attempts, self.poll = lease, attempts, poll
        self.name = name or worker_name()
        self.after_put = after_put  # e.g. bring a local search index up to date

    def run(self, stop: threading.Event, *, drain: bool = False) -> Iterator[Outcome]:
        while not stop.is_set():
            try:
                taken = self.store.take_job(self.name, self.lease, self.attempts)
            except (Busy, StoreError) as exc:  # the record is unreachable for a moment: wait, retry
                log.warning("cannot take a job: %s", exc.detail)
                stop.wait(max(self.poll, 1.0))
                continue
            if taken is None:
                # Draining ends when nothing is left to do, nor held by another worker that may
                # die with it (its job is then taken again here, once its lease runs out).
                if drain and not self.store.job_counts().get(JobState.RUNNING):
                    return
                stop.wait(self.poll)
                continue
            yield self.process(*taken)

    def process(self, job: Job, document: Document) -> Outcome:
        started = time.perf_counter()
        with _Lease(self.store, job, self.name, self.lease):
            try:
                extraction = self.extract(document)
                self.store.put(extraction)
                if self.after_put is not None:
                    self.after_put()
                self.store.finish_job(job.id, self.name, len(extraction.claims))
                return Outcome(job, claims=len(extraction.claims), seconds=time.perf_counter() - started)
            except DocumentError as exc:  # the document's own fault: trying again cannot help
                error, retry = exc.detail, False
            except ClaimcheckError as exc:  # busy or unreachable: another attempt may succeed
                error, retry = exc.detail, job.attempts < self.attempts
            except Exception as exc:
                log.exception("job %s (document %s) failed", job.id, job.document_id)
                error = f"the worker failed on this document ({type(exc).__name__})"
                retry = job.attempts < self.attempts
        try:
            self.store.fail_job(job.id, self.name, error, retry=retry)
        except ClaimcheckError as exc:  # the lease runs out and the job is taken again
            log.warning("cannot record the failure of job %s: %s", job.id, exc.detail)
        return Outcome(job, error=error, retried=retry, seconds=time.perf_counter() - started)


class _Lease:
    """Renews a job's lease every third of its length while the job is worked on."""

    def __init__(self, store: ClaimStore, job: Job, worker: str, lease: float) -> None:
        self.store, self.job, self.worker, self.lease = store, job, worker, lease
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._renew, name=f"lease-{job.id[:8]}", daemon=True)

    def _renew(self) -> None:
        while not self._done.wait(self.lease / 3):
            try:
                if not self.store.renew_job(self.job.id, self.worker, self.lease):
                    log.warning("job %s is no longer this worker's (its lease ran out)", self.job.id)
                    return
            except ClaimcheckError as exc:
                log.warning("cannot renew the lease of job %s: %s", self.job.id, exc.detail)

    def __enter__(self) -> _Lease:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._done.set()
        self._thread.join()


class WorkerThread:
    """A worker inside the service process (the embedded default with SQLite, where there is
    nobody else to take jobs): a daemon thread, stopped and joined on ``close``."""

    def __init__(self, worker: Worker) -> None:
        self.worker = worker
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="ingest-worker", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                for outcome in self.worker.run(self._stop):
                    _log_outcome(outcome)
            except Exception:  # never let the thread die; the next round retries
                log.exception("ingest worker: unexpected error")
                self._stop.wait(1.0)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=60)


def _log_outcome(outcome: Outcome) -> None:
    job = outcome.job
    if outcome.error is None:
        log.info("job %s done: %s, %d claims in %.1f s", job.id, job.label or job.document_id, outcome.claims or 0,
                 outcome.seconds)
    else:
        log.warning("job %s %s: %s", job.id, "will be retried" if outcome.retried else "failed", outcome.error)
