"""One exception tree. Adapters (CLI, HTTP) map it to one error shape each, in one place."""

from __future__ import annotations

from typing import Any


class ClaimcheckError(Exception):
    """Base of every error claimcheck raises on purpose. ``title`` is a short, stable summary."""

    title = "claimcheck error"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail

    def __reduce__(self) -> tuple[Any, ...]:
        # Errors cross process boundaries (parsing in worker processes): rebuild from detail.
        return (_rebuild, (type(self), self.__dict__))


def _rebuild(kind: type[ClaimcheckError], state: dict[str, Any]) -> ClaimcheckError:
    error = kind.__new__(kind)
    Exception.__init__(error, state.get("detail", ""))
    error.__dict__.update(state)
    return error


class InvalidInput(ClaimcheckError):
    title = "Invalid input"


class DocumentError(InvalidInput):
    """A document that cannot be read: empty, not UTF-8, binary, too large, bad metadata."""

    title = "Unreadable document"

    def __init__(self, path: str | None, detail: str) -> None:
        super().__init__(f"{path}: {detail}" if path else detail)
        self.path = path


class FetchRefused(InvalidInput):
    """A URL claimcheck will not fetch, or a page it will not read: another scheme, a private
    address, too many redirects, too large, the wrong content type."""

    title = "URL refused"


class FetchFailed(ClaimcheckError):
    """The remote end failed: no answer in time, a refused connection, an error status."""

    title = "Fetch failed"


class ModelNotAvailable(ClaimcheckError):
    title = "spaCy model not available"


class EntailmentModelError(ClaimcheckError):
    """The entailment model's folder is missing, incomplete or does not run. Raised when the
    model is loaded, at start: the service does not start half-able to verify
    (``CLAIMCHECK_NLI=off`` runs the rules alone)."""

    title = "Entailment model not available"


class ParserFailed(ClaimcheckError):
    """The parser process timed out or died on a statement (the text was fine; a retry is
    parsed by a fresh process)."""

    title = "Parser failed, retry"
    retry_after = 1


class NotFound(ClaimcheckError):
    title = "Not found"


class Busy(ClaimcheckError):
    """Another writer holds the store or the search index for longer than the bounded wait.
    Nothing was lost: the same request can be retried."""

    title = "Busy, retry"
    retry_after = 1


class StoreError(ClaimcheckError):
    """The store cannot be opened or written (a disk, permission or version problem)."""

    title = "Store error"
