"""Statement parsing batched across concurrent requests.

One thread hands whatever statements are waiting to the parser as one ``nlp.pipe`` batch:
cheaper per statement than parsing each alone (measured 6.5 -> 2.7 ms). The parser is a worker
process (``extract/isolated.py``) when the service has parse workers, so parsing runs on another
core and never holds this process's interpreter lock; otherwise it is the in-process pipeline.
"""

from __future__ import annotations

import asyncio
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future

from claimcheck.domain import Claim, Document

_STOP = object()


class StatementBatcher:
    def __init__(self, parse_batch: Callable[[list[Document]], list[Claim]], max_batch: int = 32) -> None:
        self.parse_batch = parse_batch
        self.max_batch = max_batch
        self._queue: queue.Queue = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="statement-batcher", daemon=True)
        self._thread.start()

    def parse(self, document: Document) -> Claim:
        """Parse one statement; blocks until its batch is done."""
        return self._submit(document).result()

    async def parse_async(self, *documents: Document) -> list[Claim]:
        """Parse statements, waiting without holding a thread (they join the same batches)."""
        futures = [asyncio.wrap_future(self._submit(d)) for d in documents]
        return list(await asyncio.gather(*futures))

    def _submit(self, document: Document) -> Future[Claim]:
        future: Future[Claim] = Future()
        self._queue.put((document, future))
        return future

    def close(self) -> None:
        self._queue.put(_STOP)
        self._thread.join(timeout=10)

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if item is _STOP:
                return
            batch = [item]
            while len(batch) < self.max_batch:
                try:
                    nxt = self._queue.get_nowait()
                except queue.Empty:
                    break
                if nxt is _STOP:
                    self._queue.put(_STOP)
                    break
                batch.append(nxt)
            try:
                claims = self.parse_batch([doc for doc, _ in batch])
            except Exception as exc:  # hand the failure to every waiting request
                for _, future in batch:
                    future.set_exception(exc)
                continue
            for (_, future), claim in zip(batch, claims, strict=True):
                future.set_result(claim)
