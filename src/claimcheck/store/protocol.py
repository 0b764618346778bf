"""The claim store: the record of documents, claims and speakers. A small Protocol so that the
engine runs the same over SQLite (default), an in-memory fake (tests) or PostgreSQL later."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from claimcheck.domain import Claim, Document, Extraction, SpeakerKind
from claimcheck.store.factchecks import FactCheckPut, StoredFactCheck


@dataclass(frozen=True, slots=True)
class StoredClaim:
    id: str
    claim: Claim
    speaker_id: str | None  # the corpus-wide speaker; None for unresolved speakers


@dataclass(frozen=True, slots=True)
class SpeakerRecord:
    id: str
    name: str
    kind: SpeakerKind
    aliases: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    claim_count: int = 0
    affiliations: tuple[str, ...] = ()  # organisations a person speaks for, as articles name them


@dataclass(frozen=True, slots=True)
class Change:
    """One entry of the store's change log: ``document_id`` was stored or deleted at ``seq``.
    The log is how the search index (and any other follower) catches up with the record."""

    seq: int
    document_id: str


@dataclass(frozen=True, slots=True)
class PutResult:
    document_id: str
    created: bool  # False: the same text was already stored (nothing changed)
    replaced: str | None = None  # id of an older version of the same file or URL, now removed
    claims: int = 0


class JobState(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class Job:
    """A document waiting to be (or being, or done being) extracted and stored by a worker."""

    id: str
    state: JobState
    document_id: str  # known when queued: a hash of the text
    label: str | None  # the document's path, URL or title, for progress reports
    attempts: int
    created: datetime
    updated: datetime
    error: str | None = None  # why it failed, for a person
    claims: int | None = None  # when done


class JobQueue(Protocol):
    """Ingest jobs, kept in the record itself so that any process that can reach it can work.
    A worker takes a job with a lease and renews it while it works; a job whose lease ran out
    (its worker was killed) is taken again, up to ``attempts`` times. Storing a document is
    idempotent, so a job done twice stores its document once."""

    def enqueue(self, document: Document) -> Job:
        """Queue a document; a document already stored gives a job that is done at once."""
        ...

    def get_job(self, job_id: str) -> Job | None: ...

    def take_job(self, worker: str, lease: float, attempts: int) -> tuple[Job, Document] | None:
        """The oldest job that is queued or whose lease ran out, now running for ``worker``
        for ``lease`` seconds; None when there is none. Jobs whose lease ran out after
        ``attempts`` tries are failed instead."""
        ...

    def renew_job(self, job_id: str, worker: str, lease: float) -> bool:
        """Extend the lease; False when the job is no longer this worker's."""
        ...

    def finish_job(self, job_id: str, worker: str, claims: int) -> None: ...

    def fail_job(self, job_id: str, worker: str, error: str, *, retry: bool) -> None:
        """Record a failure: with ``retry`` the job is queued again (while attempts remain)."""
        ...

    def job_counts(self) -> dict[JobState, int]: ...


class FactCheckRecord(Protocol):
    """Prior fact-checks (schema.org ClaimReview), kept beside the articles."""

    def put_factchecks(self, records: Sequence[StoredFactCheck]) -> FactCheckPut:
        """Store reviews in one transaction: all or none. A review is known by its URL: the same
        one again is unchanged, or updated when its content changed."""
        ...

    def get_factcheck(self, factcheck_id: str) -> StoredFactCheck | None: ...

    def list_factchecks(self, *, q: str | None = None, claimant: str | None = None, limit: int = 50,
                        after: str | None = None) -> list[StoredFactCheck]:
        """Reviews in the order stored, filtered by words in the claim and by claimant."""
        ...

    def search_factchecks(self, words: Sequence[str], limit: int) -> list[StoredFactCheck]:
        """The reviews sharing the rarest of ``words`` with their claim or claimant, best first."""
        ...

    def count_factchecks(self) -> int: ...


class ClaimStore(JobQueue, FactCheckRecord, Protocol):
    @property
    def store_id(self) -> str:
        """Identifies this store (made when it was created): an index built from another store,
        or from an earlier incarnation of the same file, is recognised and rebuilt."""
        ...

    def put(self, extraction: Extraction) -> PutResult:
        """Store a document with its claims in one transaction. Same text -> same id -> no-op.
        A new text under the same path or URL replaces the old version. Every change is logged
        in the same transaction."""
        ...

    def head(self) -> int:
        """The newest change's ``seq`` (0 for a store that never changed)."""
        ...

    def changes_since(self, seq: int, limit: int = 1000) -> list[Change]:
        """Changes after ``seq``, oldest first."""
        ...

    def wait_for_change(self, timeout: float) -> bool | None:
        """Block until another process's change notice arrives (True) or ``timeout`` seconds
        pass (False). None, at once, for a store that sends no notices: the caller polls."""
        ...

    def document_ids(self) -> set[str]: ...

    def delete_document(self, document_id: str) -> bool: ...

    def has_document(self, document_id: str) -> bool: ...

    def get_document(self, document_id: str) -> Document | None: ...

    def list_documents(self, limit: int, after: str | None = None) -> list[Document]: ...

    def recent_documents(self, limit: int) -> list[Document]:
        """The last ``limit`` documents stored, newest first."""
        ...

    def get_claims(self, claim_ids: Sequence[str]) -> dict[str, StoredClaim]: ...

    def list_claims(self, *, speaker_ids: Sequence[str] | None = None, document_id: str | None = None,
                    q: str | None = None, limit: int = 50, after: str | None = None) -> list[StoredClaim]:
        """Claims in insertion order, filtered by speakers, document and words in the content."""
        ...

    def iter_claims(self) -> Iterator[StoredClaim]: ...

    def count_claims(self) -> int: ...

    def count_documents(self) -> int: ...

    def find_speakers(self, name: str) -> list[SpeakerRecord]:
        """Speakers this name may refer to: same name, an alias, or a compatible person name."""
        ...

    def find_speakers_by_role(self, phrase: str) -> list[SpeakerRecord]:
        """Speakers a role phrase ("KM's chairman") names: a stored role, name or alias of theirs
        gives its title and every qualifying word. Empty when the phrase is not a role."""
        ...

    def find_affiliated(self, names: Sequence[str]) -> list[SpeakerRecord]:
        """People who speak for an organisation known by any of ``names`` (its name, aliases)."""
        ...

    def get_speaker(self, speaker_id: str) -> SpeakerRecord | None: ...

    def list_speakers(self, q: str | None = None, limit: int = 50, after: str | None = None) -> list[SpeakerRecord]: ...

    def close(self) -> None: ...
