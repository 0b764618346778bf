"""Extraction in a worker process with a deadline: how the HTTP service parses documents.

A document's parse cost grows with its text, and a pathological text can cost far more than its
size suggests. In a worker process the parse cannot stall the service (no shared interpreter
lock with the request threads, so verification and health checks keep answering), a deadline
bounds it, and a crash in native code ends only the worker, which the pool replaces.
"""

from __future__ import annotations

import concurrent.futures
import logging
import multiprocessing

import pebble

from claimcheck.domain import Document, Extraction
from claimcheck.errors import ClaimcheckError, DocumentError
from claimcheck.extract.claims import Extractor

log = logging.getLogger("claimcheck.extract")

# The worker's pipeline, loaded once per worker process by the pool's initializer.
_EXTRACTOR: Extractor | None = None
# A worker is replaced after this many documents: spaCy's string store only grows.
_TASKS_PER_WORKER = 500


def _init(model: str, batch_size: int) -> None:
    global _EXTRACTOR
    from claimcheck.nlp import load

    _EXTRACTOR = Extractor(load(model), batch_size=batch_size)


def _extract(document: Document) -> Extraction:
    assert _EXTRACTOR is not None
    return _EXTRACTOR.extract(document)


class IsolatedExtractor:
    """``extract`` runs in one of ``workers`` processes and gives up after ``timeout`` seconds."""

    def __init__(self, model: str, batch_size: int = 32, timeout: float = 60.0, workers: int = 1) -> None:
        self.timeout = timeout
        # forkserver/spawn, not fork: the service has threads (and locks they may hold) by now.
        method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
        self._pool = pebble.ProcessPool(max_workers=workers, max_tasks=_TASKS_PER_WORKER, initializer=_init,
                                        initargs=(model, batch_size), context=multiprocessing.get_context(method))

    def warm_up(self) -> None:
        """Start a worker and load its pipeline now rather than on the first document."""
        from claimcheck.ingest import document_from_text

        self.extract(document_from_text("Officials said on Monday that the bridge was open."))

    def extract(self, document: Document) -> Extraction:
        future = self._pool.schedule(_extract, (document,), timeout=self.timeout)
        try:
            return future.result()
        except concurrent.futures.TimeoutError:
            raise DocumentError(None, f"parsing the document took longer than {self.timeout:g} s, the limit; "
                                      "split it into smaller documents") from None
        except pebble.ProcessExpired as exc:
            log.error("the parser process ended while parsing document %s: %s", document.id, exc)
            raise DocumentError(None, "the parser failed on this document (its worker process ended); "
                                      "the service is unaffected") from None
        except ClaimcheckError:
            raise
        except Exception as exc:  # anything else the extractor raised: the document's fault, logged
            log.exception("extraction failed for document %s", document.id)
            raise DocumentError(None, f"the document could not be parsed ({type(exc).__name__})") from None

    def close(self) -> None:
        self._pool.stop()  # running parses are abandoned: their requests have ended with the service
        self._pool.join(timeout=10)
