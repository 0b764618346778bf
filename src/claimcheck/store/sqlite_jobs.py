"""The SQLite store's job queue: one process or several on one machine. ``BEGIN IMMEDIATE``
makes taking a job atomic across processes, as every other write."""

from __future__ import annotations

import json
import sqlite3
import time
import uuid
from contextlib import AbstractContextManager

from claimcheck.domain import Document
from claimcheck.store.codec import document_from_dict, document_to_dict
from claimcheck.store.jobs import JOB_COLS, gave_up, job_from_row, label
from claimcheck.store.protocol import Job, JobState

MIGRATION = """
    CREATE TABLE jobs (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        state TEXT NOT NULL,
        document_id TEXT NOT NULL,
        label TEXT,
        payload TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        worker TEXT,
        lease_until REAL,
        created REAL NOT NULL,
        updated REAL NOT NULL,
        error TEXT,
        claims INTEGER
    );
    CREATE INDEX jobs_open ON jobs(state, seq)
"""


class SQLiteJobs:
    """Mixed into ``SQLiteStore``: uses its connection, its lock and its write transactions."""

    def _write(self) -> AbstractContextManager[sqlite3.Connection]:
        raise NotImplementedError

    def _read(self) -> AbstractContextManager[sqlite3.Connection]:
        raise NotImplementedError

    def enqueue(self, document: Document) -> Job:
        now = time.time()
        with self._write() as db:
            stored = db.execute("SELECT COUNT(*) FROM claims WHERE document_id = ?", (document.id,)).fetchone()[0]
            done = stored or db.execute("SELECT 1 FROM documents WHERE id = ?", (document.id,)).fetchone()
            payload = None if done else json.dumps(document_to_dict(document), ensure_ascii=False)
            row = db.execute(
                "INSERT INTO jobs (id, state, document_id, label, payload, created, updated, claims)"
                f" VALUES (?,?,?,?,?,?,?,?) RETURNING {JOB_COLS}",
                (uuid.uuid4().hex, (JobState.DONE if done else JobState.QUEUED).value, document.id,
                 label(document), payload, now, now, stored if done else None)).fetchone()
            return job_from_row(row)

    def get_job(self, job_id: str) -> Job | None:
        with self._read() as db:
            row = db.execute(f"SELECT {JOB_COLS} FROM jobs WHERE id = ?", (job_id,)).fetchone()
        return job_from_row(row) if row else None

    def take_job(self, worker: str, lease: float, attempts: int) -> tuple[Job, Document] | None:
        with self._read() as db:  # idle workers poll: look without taking the write lock
            if db.execute("SELECT 1 FROM jobs WHERE state IN ('queued', 'running') LIMIT 1").fetchone() is None:
                return None
        now = time.time()
        with self._write() as db:
            db.execute("UPDATE jobs SET state = 'failed', error = ?, payload = NULL, updated = ?"
                       " WHERE state = 'running' AND lease_until < ? AND attempts >= ?",
                       (gave_up(attempts), now, now, attempts))
            row = db.execute(
                "UPDATE jobs SET state = 'running', attempts = attempts + 1, worker = ?, lease_until = ?,"
                " updated = ? WHERE id = (SELECT id FROM jobs WHERE state = 'queued'"
                " OR (state = 'running' AND lease_until < ?) ORDER BY seq LIMIT 1)"
                f" RETURNING {JOB_COLS}, payload", (worker, now + lease, now, now)).fetchone()
        if row is None:
            return None
        return job_from_row(row[:-1]), document_from_dict(json.loads(row[-1]))

    def renew_job(self, job_id: str, worker: str, lease: float) -> bool:
        with self._write() as db:
            return db.execute("UPDATE jobs SET lease_until = ? WHERE id = ? AND worker = ? AND state = 'running'",
                              (time.time() + lease, job_id, worker)).rowcount > 0

    def finish_job(self, job_id: str, worker: str, claims: int) -> None:
        with self._write() as db:
            db.execute("UPDATE jobs SET state = 'done', claims = ?, payload = NULL, error = NULL, updated = ?"
                       " WHERE id = ? AND worker = ? AND state = 'running'", (claims, time.time(), job_id, worker))

    def fail_job(self, job_id: str, worker: str, error: str, *, retry: bool) -> None:
        state = "queued" if retry else "failed"
        with self._write() as db:
            db.execute("UPDATE jobs SET state = ?, error = ?, updated = ?,"
                       " payload = CASE WHEN ? = 'failed' THEN NULL ELSE payload END"
                       " WHERE id = ? AND worker = ? AND state = 'running'",
                       (state, error, time.time(), state, job_id, worker))

    def job_counts(self) -> dict[JobState, int]:
        with self._read() as db:
            rows = db.execute("SELECT state, COUNT(*) FROM jobs GROUP BY state").fetchall()
        return {JobState(r[0]): r[1] for r in rows}
