"""An in-memory claim store: the fake for unit tests, with the same behaviour as SQLite."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from claimcheck.domain import Document, Extraction, SpeakerKind
from claimcheck.names import name_key, role_holds, role_phrase, same_speaker
from claimcheck.store.factchecks import MemoryFactChecks
from claimcheck.store.jobs import gave_up, label
from claimcheck.store.protocol import Change, Job, JobState, PutResult, SpeakerRecord, StoredClaim
from claimcheck.store.speakers import Profile, SpeakerMention, rebuild_speakers, speaker_of, store_speakers


class MemoryStore(MemoryFactChecks):
    def __init__(self) -> None:
        super().__init__()
        self.documents: dict[str, Document] = {}
        self.claims: dict[str, StoredClaim] = {}
        self.speakers: dict[str, SpeakerRecord] = {}
        self.described: dict[str, str] = {}  # speaker id -> the one document that describes it
        self.mentions: list[tuple[str, str, SpeakerMention]] = []  # (document, speaker, mention)
        self.changes: list[Change] = []
        self.jobs: dict[str, _JobRow] = {}
        self._store_id = uuid.uuid4().hex

    @property
    def store_id(self) -> str:
        return self._store_id

    def _log(self, document_id: str) -> None:
        self.changes.append(Change(len(self.changes) + 1, document_id))

    def head(self) -> int:
        return len(self.changes)

    def changes_since(self, seq: int, limit: int = 1000) -> list[Change]:
        return self.changes[seq : seq + limit]

    def wait_for_change(self, timeout: float) -> bool | None:
        return None

    def document_ids(self) -> set[str]:
        return set(self.documents)

    def put(self, extraction: Extraction) -> PutResult:
        doc = extraction.document
        if doc.id in self.documents:
            return PutResult(doc.id, created=False)
        key = doc.path or doc.url
        replaced = next((d.id for d in self.documents.values() if key and (d.path or d.url) == key), None)
        if replaced:
            self.delete_document(replaced)
        self.documents[doc.id] = doc
        ids = store_speakers(_Speakers(self), extraction)
        for c in extraction.claims:
            self.claims.setdefault(c.id, StoredClaim(c.id, c, speaker_of(c, ids)))
        self._log(doc.id)
        return PutResult(doc.id, created=True, replaced=replaced, claims=len(extraction.claims))

    def delete_document(self, document_id: str) -> bool:
        if self.documents.pop(document_id, None) is None:
            return False
        self.claims = {k: v for k, v in self.claims.items() if v.claim.document_id != document_id}
        tables = _Speakers(self)
        touched = tables.speakers_of(document_id)
        self.mentions = [row for row in self.mentions if row[0] != document_id]
        rebuild_speakers(tables, touched)
        self._log(document_id)
        return True

    def has_document(self, document_id: str) -> bool:
        return document_id in self.documents

    def get_document(self, document_id: str) -> Document | None:
        return self.documents.get(document_id)

    def list_documents(self, limit: int, after: str | None = None) -> list[Document]:
        return _page(list(self.documents.values()), lambda d: d.id, limit, after)

    def recent_documents(self, limit: int) -> list[Document]:
        return list(reversed(self.documents.values()))[:limit]

    def get_claims(self, claim_ids: Sequence[str]) -> dict[str, StoredClaim]:
        return {i: self.claims[i] for i in claim_ids if i in self.claims}

    def list_claims(self, *, speaker_ids: Sequence[str] | None = None, document_id: str | None = None,
                    q: str | None = None, limit: int = 50, after: str | None = None) -> list[StoredClaim]:
        rows = [c for c in self.claims.values()
                if (speaker_ids is None or c.speaker_id in speaker_ids)
                and (document_id is None or c.claim.document_id == document_id)
                and (not q or q.lower() in c.claim.content.text.lower())]
        return _page(rows, lambda c: c.id, limit, after)

    def iter_claims(self) -> Iterator[StoredClaim]:
        return iter(list(self.claims.values()))

    def count_claims(self) -> int:
        return len(self.claims)

    def count_documents(self) -> int:
        return len(self.documents)

    def _counted(self, s: SpeakerRecord) -> SpeakerRecord:
        return replace(s, claim_count=sum(c.speaker_id == s.id for c in self.claims.values()))

    def find_speakers(self, name: str) -> list[SpeakerRecord]:
        key = name_key(name)
        return [self._counted(s) for s in self.speakers.values()
                if name_key(s.name) == key or key in map(name_key, s.aliases)
                or same_speaker(name, s.name, None, s.kind)]

    def find_speakers_by_role(self, phrase: str) -> list[SpeakerRecord]:
        role = role_phrase(phrase)
        if role is None:
            return []
        return [self._counted(s) for s in self.speakers.values()
                if role_holds(role, (*s.roles, s.name, *s.aliases))]

    def find_affiliated(self, names: Sequence[str]) -> list[SpeakerRecord]:
        keys = {name_key(n) for n in names}
        return [self._counted(s) for s in self.speakers.values()
                if keys.intersection(map(name_key, s.affiliations))]

    def get_speaker(self, speaker_id: str) -> SpeakerRecord | None:
        s = self.speakers.get(speaker_id)
        return self._counted(s) if s else None

    def list_speakers(self, q: str | None = None, limit: int = 50, after: str | None = None) -> list[SpeakerRecord]:
        rows = [self._counted(s) for s in self.speakers.values()
                if not q or q.lower() in s.name.lower() or any(q.lower() in a.lower() for a in s.aliases)]
        return _page(rows, lambda s: s.id, limit, after)

    def close(self) -> None:
        pass

    # --- jobs -------------------------------------------------------------------------------

    def enqueue(self, document: Document) -> Job:
        now = datetime.now(UTC)
        claims = sum(c.claim.document_id == document.id for c in self.claims.values())
        done = document.id in self.documents
        job = Job(uuid.uuid4().hex, JobState.DONE if done else JobState.QUEUED, document.id, label(document),
                  0, now, now, claims=claims if done else None)
        self.jobs[job.id] = _JobRow(job, None if done else document)
        return job

    def get_job(self, job_id: str) -> Job | None:
        row = self.jobs.get(job_id)
        return row.job if row else None

    def take_job(self, worker: str, lease: float, attempts: int) -> tuple[Job, Document] | None:
        now = time.time()
        for row in self.jobs.values():
            expired = row.job.state is JobState.RUNNING and row.lease_until < now
            if expired and row.job.attempts >= attempts:
                self._set(row, state=JobState.FAILED, error=gave_up(attempts))
            elif (row.job.state is JobState.QUEUED or expired) and row.document is not None:
                self._set(row, state=JobState.RUNNING, attempts=row.job.attempts + 1)
                row.worker, row.lease_until = worker, now + lease
                return row.job, row.document
        return None

    def _running(self, job_id: str, worker: str) -> _JobRow | None:
        row = self.jobs.get(job_id)
        return row if row and row.worker == worker and row.job.state is JobState.RUNNING else None

    def renew_job(self, job_id: str, worker: str, lease: float) -> bool:
        row = self._running(job_id, worker)
        if row:
            row.lease_until = time.time() + lease
        return row is not None

    def finish_job(self, job_id: str, worker: str, claims: int) -> None:
        if row := self._running(job_id, worker):
            self._set(row, state=JobState.DONE, claims=claims, error=None)

    def fail_job(self, job_id: str, worker: str, error: str, *, retry: bool) -> None:
        if row := self._running(job_id, worker):
            self._set(row, state=JobState.QUEUED if retry else JobState.FAILED, error=error)

    def job_counts(self) -> dict[JobState, int]:
        counts: dict[JobState, int] = {}
        for row in self.jobs.values():
            counts[row.job.state] = counts.get(row.job.state, 0) + 1
        return counts

    @staticmethod
    def _set(row: _JobRow, **changes: object) -> None:
        row.job = replace(row.job, updated=datetime.now(UTC), **changes)  # type: ignore[arg-type]


class _Speakers:
    """The memory store's speakers as the write path (store/speakers.py) sees them."""

    def __init__(self, store: MemoryStore) -> None:
        self.store = store

    def candidates(self, name: str) -> list[SpeakerRecord]:
        return [s for s in self.store.speakers.values() if s.id not in self.store.described]

    def get(self, speaker_id: str) -> SpeakerRecord | None:
        return self.store.speakers.get(speaker_id)

    def insert(self, speaker_id: str, kind: SpeakerKind, profile: Profile, document_id: str | None) -> None:
        self.store.speakers[speaker_id] = SpeakerRecord(speaker_id, profile.name, kind)
        if document_id is not None:
            self.store.described[speaker_id] = document_id
        self.update(speaker_id, profile, None)

    def update(self, speaker_id: str, profile: Profile, added: Profile | None) -> None:
        # ``profile`` is the whole record whether or not ``added`` is given.
        self.store.speakers[speaker_id] = replace(
            self.store.speakers[speaker_id], name=profile.name, aliases=profile.aliases, roles=profile.roles,
            affiliations=profile.affiliations, claim_count=profile.claims)

    def add_mention(self, document_id: str, speaker_id: str, mention: SpeakerMention) -> None:
        self.store.mentions.append((document_id, speaker_id, mention))

    def mentions_of(self, speaker_id: str) -> list[SpeakerMention]:
        return [m for _, sid, m in self.store.mentions if sid == speaker_id]

    def speakers_of(self, document_id: str) -> set[str]:
        return {sid for doc, sid, _ in self.store.mentions if doc == document_id}

    def remove(self, speaker_id: str) -> None:
        self.store.speakers.pop(speaker_id, None)
        self.store.described.pop(speaker_id, None)


@dataclass
class _JobRow:
    job: Job
    document: Document | None
    worker: str | None = None
    lease_until: float = 0.0


def _page(rows: list, key, limit: int, after: str | None) -> list:
    if after is not None:
        ids = [key(r) for r in rows]
        rows = rows[ids.index(after) + 1 :] if after in ids else []
    return rows[:limit]
