"""The PostgreSQL claim store: the shared record for several service instances and ingest
workers on several machines. Same protocol and guarantees as the SQLite store.

Design, and why:
- psycopg 3 with a connection pool (psycopg-pool); every method borrows a connection for one
  transaction, so one store object serves every thread of a process.
- Migrations run when the store opens, in one transaction under an advisory lock: two instances
  starting at once migrate once (the second waits, then finds the schema current).
- Every write (put, delete) takes one transaction-level advisory lock first. Writes are short
  (parsing happens before, outside), so serialising them costs little, and it gives what the
  followers of the change log need: ``changes.seq`` is assigned in commit order, so a follower
  that has read up to ``seq`` never later finds a smaller one (no gaps filled behind it). It also
  keeps two writers from creating the same speaker twice.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg.types.json import Jsonb
from psycopg_pool import ConnectionPool, PoolTimeout

from claimcheck.domain import Document, Extraction, Span, to_jsonable
from claimcheck.errors import Busy, StoreError
from claimcheck.store.codec import claim_from_dict, claim_to_dict
from claimcheck.store.postgres_factchecks import PostgresFactChecks
from claimcheck.store.postgres_jobs import PostgresJobs
from claimcheck.store.postgres_schema import MIGRATIONS
from claimcheck.store.postgres_speakers import PostgresSpeakers, PostgresSpeakerTables, speakers_where
from claimcheck.store.postgres_speakers import like_pattern as _like
from claimcheck.store.protocol import Change, PutResult, SpeakerRecord, StoredClaim
from claimcheck.store.speakers import rebuild_speakers, speaker_of, store_speakers

# Advisory lock keys (one namespace for claimcheck: 0x636c6169 is "clai").
_MIGRATE_LOCK = 0x636C6169_0001
_WRITE_LOCK = 0x636C6169_0002
# Channel every write notifies at commit: the search index followers wake on it.
_CHANNEL = "claimcheck_changes"

_DOC_COLS = ("id, title, source, published, url, path, text, body_start, body_end, headline, author, language,"
             " origin_sha256")


def redact(url: str) -> str:
    """A database URL fit for messages and logs: the password replaced."""
    return re.sub(r"(://[^:/@]+:)[^@]*@", r"\1***@", url)


class PostgresStore(PostgresJobs, PostgresFactChecks, PostgresSpeakers):
    def __init__(self, url: str, *, max_connections: int = 8, connect_timeout: float = 10.0) -> None:
        self.url = url
        # check: a connection is tested as it leaves the pool, so that a database restart costs
        # reconnecting, not a failed request per stale connection.
        self._pool = ConnectionPool(url, min_size=1, max_size=max_connections, open=False,
                                    timeout=connect_timeout, name="claimcheck",
                                    check=ConnectionPool.check_connection,
                                    kwargs={"application_name": "claimcheck"})
        try:
            self._pool.open(wait=True, timeout=connect_timeout)
        except (PoolTimeout, psycopg.Error) as exc:
            self._pool.close()
            raise StoreError(f"cannot connect to PostgreSQL at {redact(url)}: {exc}") from None
        self._store_id: str | None = None
        self._listener: psycopg.Connection[Any] | None = None
        self._listen_lock = threading.Lock()
        try:
            self._migrate()
        except BaseException:
            self._pool.close()
            raise

    # --- plumbing ---------------------------------------------------------------------------

    @contextmanager
    def _read(self) -> Iterator[psycopg.Connection[Any]]:
        try:
            with self._pool.connection() as conn:
                yield conn
        except PoolTimeout:
            raise Busy("every connection to PostgreSQL is in use; retry shortly") from None
        except psycopg.OperationalError as exc:
            raise StoreError(f"PostgreSQL: {exc}") from None

    @contextmanager
    def _write(self) -> Iterator[psycopg.Connection[Any]]:
        """One write transaction, serialised with every other writer of this database."""
        with self._read() as conn, conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (_WRITE_LOCK,))
            yield conn

    def _migrate(self) -> None:
        with self._read() as conn, conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATE_LOCK,))
            conn.execute("CREATE TABLE IF NOT EXISTS claimcheck_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            row = conn.execute("SELECT value FROM claimcheck_meta WHERE key = 'schema_version'").fetchone()
            version = int(row[0]) if row else 0
            if version > len(MIGRATIONS):
                raise StoreError(f"{redact(self.url)} was written by a newer claimcheck (schema {version})")
            for migration in MIGRATIONS[version:]:
                if callable(migration):
                    migration(conn)
                else:
                    conn.execute(migration)
            if version < len(MIGRATIONS):
                conn.execute("INSERT INTO claimcheck_meta (key, value) VALUES ('schema_version', %s)"
                             " ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value", (str(len(MIGRATIONS)),))

    def close(self) -> None:
        with self._listen_lock:
            self._close_listener()
        self._pool.close()

    @property
    def store_id(self) -> str:
        if self._store_id is None:
            with self._read() as conn:
                self._store_id = str(_value(conn, "SELECT value FROM claimcheck_meta WHERE key = 'store_id'"))
        return self._store_id

    # --- change log -------------------------------------------------------------------------

    def head(self) -> int:
        with self._read() as conn:
            return int(_value(conn, "SELECT COALESCE(MAX(seq), 0) FROM changes"))

    def changes_since(self, seq: int, limit: int = 1000) -> list[Change]:
        with self._read() as conn:
            rows = conn.execute("SELECT seq, document_id FROM changes WHERE seq > %s ORDER BY seq LIMIT %s",
                                (seq, limit)).fetchall()
        return [Change(r[0], r[1]) for r in rows]

    def wait_for_change(self, timeout: float) -> bool | None:
        """LISTEN on a connection of its own (outside the pool): every write notifies at commit."""
        with self._listen_lock:
            try:
                if self._listener is None:
                    self._listener = psycopg.connect(self.url, autocommit=True)
                    self._listener.execute(f"LISTEN {_CHANNEL}")
                return any(True for _ in self._listener.notifies(timeout=timeout, stop_after=1))
            except psycopg.Error as exc:
                self._close_listener()
                raise StoreError(f"PostgreSQL: cannot listen for changes: {exc}") from None

    def _close_listener(self) -> None:
        if self._listener is not None:
            self._listener.close()
            self._listener = None

    def document_ids(self) -> set[str]:
        with self._read() as conn:
            return {r[0] for r in conn.execute("SELECT id FROM documents")}

    # --- documents --------------------------------------------------------------------------

    def put(self, extraction: Extraction) -> PutResult:
        doc = extraction.document
        key = doc.path or doc.url
        with self._write() as conn:
            if conn.execute("SELECT 1 FROM documents WHERE id = %s", (doc.id,)).fetchone():
                return PutResult(doc.id, created=False)
            replaced = None
            if key is not None:
                row = conn.execute("SELECT id FROM documents WHERE key = %s", (key,)).fetchone()
                if row is not None:
                    replaced = row[0]
                    _delete(conn, replaced)
                    _log_change(conn, replaced)
            conn.execute(
                "INSERT INTO documents (id, key, title, source, published, url, path, text,"
                " body_start, body_end, headline, author, language, origin_sha256)"
                " VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)",
                (doc.id, key, doc.title, doc.source, doc.published, doc.url, doc.path, doc.text,
                 doc.body_start, doc.body_end, Jsonb(to_jsonable(doc.headline)) if doc.headline else None,
                 doc.author, doc.language, doc.origin_sha256),
            )
            ids = store_speakers(PostgresSpeakerTables(conn), extraction)
            with conn.cursor() as cur:
                cur.executemany(
                    "INSERT INTO claims (id, document_id, speaker_id, data, content)"
                    " VALUES (%s,%s,%s,%s,%s) ON CONFLICT (id) DO NOTHING",
                    [(c.id, doc.id, speaker_of(c, ids),
                      Jsonb(claim_to_dict(c)), c.content.text) for c in extraction.claims],
                )
            _log_change(conn, doc.id)
        return PutResult(doc.id, created=True, replaced=replaced, claims=len(extraction.claims))

    def delete_document(self, document_id: str) -> bool:
        with self._write() as conn:
            gone = _delete(conn, document_id)
            if gone:
                _log_change(conn, document_id)
            return gone

    def has_document(self, document_id: str) -> bool:
        with self._read() as conn:
            return conn.execute("SELECT 1 FROM documents WHERE id = %s", (document_id,)).fetchone() is not None

    def get_document(self, document_id: str) -> Document | None:
        with self._read() as conn:
            row = conn.execute(f"SELECT {_DOC_COLS} FROM documents WHERE id = %s", (document_id,)).fetchone()
        return _document(row) if row else None

    def recent_documents(self, limit: int) -> list[Document]:
        with self._read() as conn:
            rows = conn.execute(f"SELECT {_DOC_COLS} FROM documents ORDER BY seq DESC LIMIT %s", (limit,)).fetchall()
        return [_document(r) for r in rows]

    def list_documents(self, limit: int, after: str | None = None) -> list[Document]:
        with self._read() as conn:
            where, args = _after(conn, "documents", after)
            rows = conn.execute(f"SELECT {_DOC_COLS} FROM documents WHERE {where} ORDER BY seq LIMIT %s",
                                (*args, limit)).fetchall()
        return [_document(r) for r in rows]

    # --- claims -----------------------------------------------------------------------------

    def get_claims(self, claim_ids: Sequence[str]) -> dict[str, StoredClaim]:
        with self._read() as conn:
            rows = conn.execute("SELECT id, speaker_id, data FROM claims WHERE id = ANY(%s)",
                                (list(claim_ids),)).fetchall()
        return {r[0]: _stored(r) for r in rows}

    def list_claims(self, *, speaker_ids: Sequence[str] | None = None, document_id: str | None = None,
                    q: str | None = None, limit: int = 50, after: str | None = None) -> list[StoredClaim]:
        with self._read() as conn:
            first, after_args = _after(conn, "claims", after)
            where, args = [first], list(after_args)
            if q:
                where.append("content ILIKE %s ESCAPE '\\'")
                args.append(_like(q))
            if speaker_ids is not None:
                where.append("speaker_id = ANY(%s)")
                args.append(list(speaker_ids))
            if document_id is not None:
                where.append("document_id = %s")
                args.append(document_id)
            rows = conn.execute(
                f"SELECT id, speaker_id, data FROM claims WHERE {' AND '.join(where)} ORDER BY seq LIMIT %s",
                (*args, limit)).fetchall()
        return [_stored(r) for r in rows]

    def iter_claims(self) -> Iterator[StoredClaim]:
        last = 0
        while True:  # in pages, each its own short transaction
            with self._read() as conn:
                rows = conn.execute("SELECT seq, id, speaker_id, data FROM claims WHERE seq > %s"
                                    " ORDER BY seq LIMIT 5000", (last,)).fetchall()
            if not rows:
                return
            last = rows[-1][0]
            for row in rows:
                yield _stored(row[1:])

    def count_claims(self) -> int:
        with self._read() as conn:
            return int(_value(conn, "SELECT COUNT(*) FROM claims"))

    def count_documents(self) -> int:
        with self._read() as conn:
            return int(_value(conn, "SELECT COUNT(*) FROM documents"))

    # --- speakers ---------------------------------------------------------------------------

    def list_speakers(self, q: str | None = None, limit: int = 50, after: str | None = None) -> list[SpeakerRecord]:
        with self._read() as conn:
            where, args = _after(conn, "speakers", after, alias="s.")
            if q:
                where += (" AND (s.name ILIKE %s OR s.id IN (SELECT speaker_id FROM speaker_aliases"
                          " WHERE alias ILIKE %s))")
                args += (_like(q), _like(q))
            return speakers_where(conn, where, args, limit)


def _log_change(conn: psycopg.Connection[Any], document_id: str) -> None:
    """Log a change; listeners are told at commit (NOTIFY is transactional)."""
    conn.execute("INSERT INTO changes (document_id) VALUES (%s)", (document_id,))
    conn.execute("SELECT pg_notify(%s, %s)", (_CHANNEL, document_id))


def _after(conn: psycopg.Connection[Any], table: str, after: str | None,
           alias: str = "") -> tuple[str, tuple[Any, ...]]:
    """The keyset condition for the page after the row ``after`` (by insertion order; a row
    that is gone starts from the beginning). Its ``seq`` is looked up first and passed as a
    value, and no page after anything has no condition at all: a subquery (or an always-true
    ``seq > 0``) misleads the planner into reading the whole primary key beside a selective
    index, once per document at 1M claims."""
    if after is None:
        return "TRUE", ()
    row = conn.execute(f"SELECT seq FROM {table} WHERE id = %s", (after,)).fetchone()
    return f"{alias}seq > %s", (row[0] if row else 0,)


def _value(conn: psycopg.Connection[Any], sql: str) -> Any:
    """The one value a query that always returns one row gives."""
    row = conn.execute(sql).fetchone()
    assert row is not None
    return row[0]


def _delete(conn: psycopg.Connection[Any], document_id: str) -> bool:
    """Remove a document, its claims and its speaker mentions (cascade), and rebuild the speakers
    it mentioned from what the other documents say (a speaker left with none goes)."""
    tables = PostgresSpeakerTables(conn)
    touched = tables.speakers_of(document_id)
    gone = conn.execute("DELETE FROM documents WHERE id = %s", (document_id,)).rowcount > 0
    if gone:
        rebuild_speakers(tables, touched)
    return gone


def _document(row: tuple[Any, ...]) -> Document:
    headline = row[9]
    return Document(
        text=row[6], title=row[1], source=row[2], published=row[3], url=row[4], path=row[5],
        body_start=row[7], body_end=row[8],
        headline=Span(headline["start"], headline["end"], headline["text"]) if headline else None,
        author=row[10], language=row[11], origin_sha256=row[12],
    )


def _stored(row: tuple[Any, ...]) -> StoredClaim:
    return StoredClaim(row[0], claim_from_dict(row[2]), row[1])
