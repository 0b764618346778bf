"""Verification as the HTTP service runs it, for the API's routes and the desk's pages alike.

Statements are parsed first, all of them in the batcher's batches, with no thread held while they
wait; then retrieval and scoring, pure CPU under this process's interpreter lock, run in a few
threads (``app.state.verify_limiter``, ``CLAIMCHECK_VERIFY_THREADS``): more threads add no
throughput, only interleaving, which made every request as slow as the slowest.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Protocol, TypeVar

from anyio import to_thread
from fastapi import Request

from claimcheck import service
from claimcheck.bootstrap import Runtime
from claimcheck.domain import Document, Verdict

T = TypeVar("T")


class Statement(Protocol):
    statement: str
    speaker: str | None
    date: date | None


async def verify_all(request: Request, runtime: Runtime, statements: Sequence[Statement],
                     present: Callable[[Verdict, dict[str, Document | None]], T]) -> list[T]:
    """Each statement's verdict, in order, as ``present`` makes it of the verdict and the
    documents of its evidence (run in the scoring thread too: it reads the store)."""
    documents = [service.statement_document(s.statement, s.date) for s in statements]
    parsed = await request.app.state.batcher.parse_async(*documents)

    def run() -> list[T]:
        out = []
        for s, claim in zip(statements, parsed, strict=True):
            # Parsed already: the service process needs no pipeline of its own for this.
            verdict = service.verify(runtime.store, runtime.index, None, s.statement, s.speaker, s.date,
                                     parsed=claim, entailment=runtime.entailment)
            evidence_docs = {e.claim.document_id: runtime.store.get_document(e.claim.document_id)
                             for e in verdict.evidence}
            out.append(present(verdict, evidence_docs))
        return out

    return await to_thread.run_sync(run, limiter=request.app.state.verify_limiter)
