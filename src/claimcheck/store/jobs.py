"""What every store's job queue shares: the row a job is read from, and the messages."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from claimcheck.domain import Document
from claimcheck.store.protocol import Job, JobState

# Columns a job is read from, in this order, by both SQL stores.
JOB_COLS = "id, state, document_id, label, attempts, created, updated, error, claims"


def label(document: Document) -> str | None:
    return document.path or document.url or document.title


def gave_up(attempts: int) -> str:
    return (f"gave up after {attempts} attempts: the worker processing this document stopped each time "
            "(killed, or out of memory?)")


def job_from_row(row: tuple[Any, ...]) -> Job:
    return Job(id=row[0], state=JobState(row[1]), document_id=row[2], label=row[3], attempts=row[4],
               created=_when(row[5]), updated=_when(row[6]), error=row[7], claims=row[8])


def _when(value: Any) -> datetime:
    """SQLite keeps Unix seconds, PostgreSQL a timestamptz."""
    if isinstance(value, datetime):
        return value.astimezone(UTC)
    return datetime.fromtimestamp(float(value), UTC)
