"""The PostgreSQL store's job queue: workers on any number of machines take jobs with
``FOR UPDATE SKIP LOCKED``, so two never take the same one and none waits on another's row.
Times are the server's clock (``now()``), the one clock every worker shares."""

from __future__ import annotations

import uuid
from contextlib import AbstractContextManager
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from claimcheck.domain import Document
from claimcheck.store.codec import document_from_dict, document_to_dict
from claimcheck.store.jobs import JOB_COLS, gave_up, job_from_row, label
from claimcheck.store.protocol import Job, JobState

MIGRATION = """
    CREATE TABLE jobs (
        seq BIGSERIAL PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        state TEXT NOT NULL,
        document_id TEXT NOT NULL,
        label TEXT,
        payload JSONB,
        attempts INTEGER NOT NULL DEFAULT 0,
        worker TEXT,
        lease_until TIMESTAMPTZ,
        created TIMESTAMPTZ NOT NULL DEFAULT now(),
        updated TIMESTAMPTZ NOT NULL DEFAULT now(),
        error TEXT,
        claims INTEGER
    );
    -- Only open jobs are looked for; done ones (the many) stay out of this index.
    CREATE INDEX jobs_open ON jobs(seq) WHERE state IN ('queued', 'running');
"""

_LEASE = "now() + make_interval(secs => %s)"


class PostgresJobs:
    """Mixed into ``PostgresStore``: each method is one transaction on a pooled connection."""

    def _read(self) -> AbstractContextManager[psycopg.Connection[Any]]:
        raise NotImplementedError

    def enqueue(self, document: Document) -> Job:
        with self._read() as conn, conn.transaction():
            stored = conn.execute("SELECT COUNT(*) FROM claims WHERE document_id = %s", (document.id,)).fetchone()
            assert stored is not None
            if stored[0] or conn.execute("SELECT 1 FROM documents WHERE id = %s", (document.id,)).fetchone():
                state, payload, claims = JobState.DONE, None, stored[0]
            else:
                state, payload, claims = JobState.QUEUED, Jsonb(document_to_dict(document)), None
            row = conn.execute(
                "INSERT INTO jobs (id, state, document_id, label, payload, claims) VALUES (%s,%s,%s,%s,%s,%s)"
                f" RETURNING {JOB_COLS}",
                (uuid.uuid4().hex, state.value, document.id, label(document), payload, claims)).fetchone()
        assert row is not None
        return job_from_row(row)

    def get_job(self, job_id: str) -> Job | None:
        with self._read() as conn:
            row = conn.execute(f"SELECT {JOB_COLS} FROM jobs WHERE id = %s", (job_id,)).fetchone()
        return job_from_row(row) if row else None

    def take_job(self, worker: str, lease: float, attempts: int) -> tuple[Job, Document] | None:
        with self._read() as conn, conn.transaction():
            conn.execute(
                "UPDATE jobs SET state = 'failed', error = %s, payload = NULL, updated = now() WHERE id IN"
                " (SELECT id FROM jobs WHERE state = 'running' AND lease_until < now() AND attempts >= %s"
                " FOR UPDATE SKIP LOCKED)", (gave_up(attempts), attempts))
            row = conn.execute(
                f"UPDATE jobs SET state = 'running', attempts = attempts + 1, worker = %s, lease_until = {_LEASE},"
                " updated = now() WHERE id = (SELECT id FROM jobs WHERE state = 'queued'"
                " OR (state = 'running' AND lease_until < now()) ORDER BY seq LIMIT 1 FOR UPDATE SKIP LOCKED)"
                f" RETURNING {JOB_COLS}, payload", (worker, lease)).fetchone()
        if row is None:
            return None
        return job_from_row(row[:-1]), document_from_dict(row[-1])

    def renew_job(self, job_id: str, worker: str, lease: float) -> bool:
        with self._read() as conn:
            return conn.execute(f"UPDATE jobs SET lease_until = {_LEASE} WHERE id = %s AND worker = %s"
                                " AND state = 'running'", (lease, job_id, worker)).rowcount > 0

    def finish_job(self, job_id: str, worker: str, claims: int) -> None:
        with self._read() as conn:
            conn.execute("UPDATE jobs SET state = 'done', claims = %s, payload = NULL, error = NULL, updated = now()"
                         " WHERE id = %s AND worker = %s AND state = 'running'", (claims, job_id, worker))

    def fail_job(self, job_id: str, worker: str, error: str, *, retry: bool) -> None:
        state = "queued" if retry else "failed"
        with self._read() as conn:
            conn.execute("UPDATE jobs SET state = %s, error = %s, updated = now(),"
                         " payload = CASE WHEN %s = 'failed' THEN NULL ELSE payload END"
                         " WHERE id = %s AND worker = %s AND state = 'running'",
                         (state, error, state, job_id, worker))

    def job_counts(self) -> dict[JobState, int]:
        with self._read() as conn:
            rows = conn.execute("SELECT state, COUNT(*) FROM jobs GROUP BY state").fetchall()
        return {JobState(r[0]): r[1] for r in rows}
