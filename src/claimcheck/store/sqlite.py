"""The embedded SQLite claim store: one file, WAL, ``BEGIN IMMEDIATE`` for every write, schema
migrations applied when the store opens. A document and its claims are written in one
transaction, so a crash leaves either all of it or none."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from claimcheck.domain import Document, Extraction, Span, to_jsonable
from claimcheck.errors import Busy, StoreError
from claimcheck.store.codec import claim_from_json, claim_to_dict
from claimcheck.store.protocol import Change, PutResult, StoredClaim
from claimcheck.store.speakers import rebuild_speakers, speaker_of, store_speakers
from claimcheck.store.sqlite_factchecks import MIGRATION as FACTCHECKS_MIGRATION
from claimcheck.store.sqlite_factchecks import SQLiteFactChecks
from claimcheck.store.sqlite_jobs import MIGRATION as JOBS_MIGRATION
from claimcheck.store.sqlite_jobs import SQLiteJobs
from claimcheck.store.sqlite_readers import ReadConnections, reading
from claimcheck.store.sqlite_speakers import MENTIONS_MIGRATION, SQLiteSpeakers, SQLiteSpeakerTables, split_migration
from claimcheck.store.sqlite_speakers import like_pattern as _like

# An entry is SQL (statements split on ";") or a function of the connection, for what SQL alone
# cannot do; each runs in a write transaction of its own.
MIGRATIONS: tuple[str | Callable[[sqlite3.Connection], None], ...] = (
    """
    CREATE TABLE documents (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        key TEXT,
        title TEXT, source TEXT, published TEXT, url TEXT, path TEXT,
        text TEXT NOT NULL,
        body_start INTEGER NOT NULL, body_end INTEGER, headline TEXT
    );
    CREATE INDEX documents_key ON documents(key);
    CREATE TABLE speakers (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL, kind TEXT NOT NULL, last_key TEXT NOT NULL
    );
    CREATE INDEX speakers_last ON speakers(last_key);
    CREATE TABLE speaker_aliases (
        speaker_id TEXT NOT NULL REFERENCES speakers(id) ON DELETE CASCADE,
        alias TEXT NOT NULL, norm TEXT NOT NULL,
        PRIMARY KEY (speaker_id, norm)
    );
    CREATE INDEX speaker_aliases_norm ON speaker_aliases(norm);
    CREATE TABLE speaker_roles (
        speaker_id TEXT NOT NULL REFERENCES speakers(id) ON DELETE CASCADE,
        role TEXT NOT NULL,
        PRIMARY KEY (speaker_id, role)
    );
    CREATE TABLE claims (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        speaker_id TEXT REFERENCES speakers(id),
        data TEXT NOT NULL
    );
    CREATE INDEX claims_document ON claims(document_id);
    CREATE INDEX claims_speaker ON claims(speaker_id);
    """,
    # 2: the content text as a column, for filtering claims by words in them.
    """
    ALTER TABLE claims ADD COLUMN content TEXT;
    UPDATE claims SET content = json_extract(data, '$.content.text');
    """,
    # 3: claim counts kept on the speaker row: listing speakers must not count claims.
    """
    ALTER TABLE speakers ADD COLUMN claim_count INTEGER NOT NULL DEFAULT 0;
    UPDATE speakers SET claim_count = (SELECT COUNT(*) FROM claims WHERE speaker_id = speakers.id);
    """,
    # 4: the change log the search index follows (AUTOINCREMENT: a seq is never reused, so a
    # follower's "applied up to" mark stays meaningful), and an id for this store.
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    INSERT INTO meta (key, value) VALUES ('store_id', lower(hex(randomblob(16))));
    CREATE TABLE changes (seq INTEGER PRIMARY KEY AUTOINCREMENT, document_id TEXT NOT NULL);
    INSERT INTO changes (document_id) SELECT id FROM documents ORDER BY seq;
    """,
    # 5: the organisations a person speaks for ("a spokesman for X"), by normalised name so that
    # an organisation's page finds its people.
    """
    CREATE TABLE speaker_affiliations (
        speaker_id TEXT NOT NULL REFERENCES speakers(id) ON DELETE CASCADE,
        name TEXT NOT NULL, norm TEXT NOT NULL,
        PRIMARY KEY (speaker_id, norm)
    );
    CREATE INDEX speaker_affiliations_norm ON speaker_affiliations(norm);
    """,
    # 6: ingest jobs (store/sqlite_jobs.py).
    JOBS_MIGRATION,
    # 7: what a web page says of itself (ingest/html.py): byline, language, hash of its bytes.
    """
    ALTER TABLE documents ADD COLUMN author TEXT;
    ALTER TABLE documents ADD COLUMN language TEXT;
    ALTER TABLE documents ADD COLUMN origin_sha256 TEXT
    """,
    # 8: prior fact-checks (store/sqlite_factchecks.py).
    FACTCHECKS_MIGRATION,
    # 9: what each document said of each speaker, which its record is rebuilt from when a
    # document goes, backfilled (store/sqlite_speakers.py).
    MENTIONS_MIGRATION,
    # 10: described speakers ("officials") merged across documents, one per document.
    split_migration,
)


class SQLiteStore(SQLiteJobs, SQLiteFactChecks, SQLiteSpeakers):
    def __init__(self, path: Path | str) -> None:
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        try:
            self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            self._db.execute("PRAGMA foreign_keys = ON")
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.execute("PRAGMA synchronous = NORMAL")
            self._db.execute("PRAGMA busy_timeout = 5000")
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open the store at {self.path}: {exc}") from None
        self._lock = threading.RLock()
        # Pooled read connections (None: an in-memory store, read on its one connection).
        self._readers = None if self.path == ":memory:" else ReadConnections(self.path)
        self._migrate()
        self._store_id: str | None = None

    # --- plumbing ---------------------------------------------------------------------------

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            yield self._db

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            try:
                self._db.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                # Another process held the write lock for longer than busy_timeout.
                if "locked" in str(exc) or "busy" in str(exc):
                    raise Busy("the store is busy with another writer; retry shortly") from None
                raise StoreError(f"cannot write to the store: {exc}") from None
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            try:
                self._db.execute("COMMIT")
            except sqlite3.Error as exc:
                self._db.execute("ROLLBACK")
                raise StoreError(f"cannot write to the store: {exc}") from None

    def _migrate(self) -> None:
        """Apply pending migrations, each in its own write transaction. The version is read again
        inside the transaction: two processes opening a new store at once migrate it once."""
        while True:
            with self._write() as db:
                version = db.execute("PRAGMA user_version").fetchone()[0]
                if version > len(MIGRATIONS):
                    raise StoreError(f"{self.path} was written by a newer claimcheck (schema {version})")
                if version == len(MIGRATIONS):
                    return
                migration = MIGRATIONS[version]
                if callable(migration):
                    migration(db)
                else:
                    for statement in migration.split(";"):
                        if statement.strip():
                            db.execute(statement)
                db.execute(f"PRAGMA user_version = {version + 1}")

    def close(self) -> None:
        with self._lock:
            if self._readers is not None:
                self._readers.close()
            self._db.close()

    @property
    def _rdb(self) -> sqlite3.Connection:
        """The connection of the read running on this thread (the shared one in memory)."""
        return self._db if self._readers is None else self._readers.current

    @property
    def store_id(self) -> str:
        if self._store_id is None:
            with self._lock:
                self._store_id = self._db.execute("SELECT value FROM meta WHERE key = 'store_id'").fetchone()[0]
        return self._store_id

    # --- change log -------------------------------------------------------------------------

    @reading
    def head(self) -> int:
        return self._rdb.execute("SELECT COALESCE(MAX(seq), 0) FROM changes").fetchone()[0]

    @reading
    def changes_since(self, seq: int, limit: int = 1000) -> list[Change]:
        rows = self._rdb.execute("SELECT seq, document_id FROM changes WHERE seq > ? ORDER BY seq LIMIT ?",
                                (seq, limit)).fetchall()
        return [Change(r[0], r[1]) for r in rows]

    def wait_for_change(self, timeout: float) -> bool | None:
        return None  # no notices between processes: followers poll the change log

    @reading
    def document_ids(self) -> set[str]:
        return {r[0] for r in self._rdb.execute("SELECT id FROM documents")}

    # --- documents --------------------------------------------------------------------------

    def put(self, extraction: Extraction) -> PutResult:
        doc = extraction.document
        key = doc.path or doc.url
        with self._write() as db:
            if db.execute("SELECT 1 FROM documents WHERE id = ?", (doc.id,)).fetchone():
                return PutResult(doc.id, created=False)
            replaced = None
            if key is not None:
                row = db.execute("SELECT id FROM documents WHERE key = ?", (key,)).fetchone()
                if row is not None:
                    replaced = row[0]
                    _delete(db, replaced)
                    db.execute("INSERT INTO changes (document_id) VALUES (?)", (replaced,))
            db.execute(
                "INSERT INTO documents (id, key, title, source, published, url, path, text,"
                " body_start, body_end, headline, author, language, origin_sha256)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (doc.id, key, doc.title, doc.source, doc.published and doc.published.isoformat(),
                 doc.url, doc.path, doc.text, doc.body_start, doc.body_end,
                 json.dumps(to_jsonable(doc.headline)) if doc.headline else None,
                 doc.author, doc.language, doc.origin_sha256),
            )
            ids = store_speakers(SQLiteSpeakerTables(db), extraction)
            db.executemany(
                "INSERT OR IGNORE INTO claims (id, document_id, speaker_id, data, content)"
                " VALUES (?,?,?,?,?)",
                [(c.id, doc.id, speaker_of(c, ids),
                  json.dumps(claim_to_dict(c), ensure_ascii=False), c.content.text)
                 for c in extraction.claims],
            )
            db.execute("INSERT INTO changes (document_id) VALUES (?)", (doc.id,))
        return PutResult(doc.id, created=True, replaced=replaced, claims=len(extraction.claims))

    def delete_document(self, document_id: str) -> bool:
        with self._write() as db:
            gone = _delete(db, document_id)
            if gone:
                db.execute("INSERT INTO changes (document_id) VALUES (?)", (document_id,))
            return gone

    @reading
    def has_document(self, document_id: str) -> bool:
        return self._rdb.execute("SELECT 1 FROM documents WHERE id = ?", (document_id,)).fetchone() is not None

    @reading
    def get_document(self, document_id: str) -> Document | None:
        row = self._rdb.execute(f"SELECT {_DOC_COLS} FROM documents WHERE id = ?", (document_id,)).fetchone()
        return _document(row) if row else None

    @reading
    def recent_documents(self, limit: int) -> list[Document]:
        rows = self._rdb.execute(f"SELECT {_DOC_COLS} FROM documents ORDER BY seq DESC LIMIT ?", (limit,)).fetchall()
        return [_document(r) for r in rows]

    @reading
    def list_documents(self, limit: int, after: str | None = None) -> list[Document]:
        rows = self._rdb.execute(
            f"SELECT {_DOC_COLS} FROM documents WHERE seq > COALESCE((SELECT seq FROM documents"
            " WHERE id = ?), 0) ORDER BY seq LIMIT ?", (after, limit)).fetchall()
        return [_document(r) for r in rows]

    # --- claims -----------------------------------------------------------------------------

    @reading
    def get_claims(self, claim_ids: Sequence[str]) -> dict[str, StoredClaim]:
        out: dict[str, StoredClaim] = {}
        ids = list(claim_ids)
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            marks = ",".join("?" * len(chunk))
            for row in self._rdb.execute(
                    f"SELECT id, speaker_id, data FROM claims WHERE id IN ({marks})", chunk):
                out[row[0]] = _stored(row)
        return out

    @reading
    def list_claims(self, *, speaker_ids: Sequence[str] | None = None, document_id: str | None = None,
                    q: str | None = None, limit: int = 50, after: str | None = None) -> list[StoredClaim]:
        where, args = ["seq > COALESCE((SELECT seq FROM claims WHERE id = ?), 0)"], [after]
        if q:
            where.append("content LIKE ? ESCAPE '\\'")
            args.append(_like(q))
        if speaker_ids is not None and len(speaker_ids) > 500:
            # Many ("officials": one speaker per article that describes them): one parameter.
            where.append("speaker_id IN (SELECT value FROM json_each(?))")
            args.append(json.dumps(list(speaker_ids)))
        elif speaker_ids is not None:
            where.append(f"speaker_id IN ({','.join('?' * len(speaker_ids))})")
            args.extend(speaker_ids)
        if document_id is not None:
            where.append("document_id = ?")
            args.append(document_id)
        rows = self._rdb.execute(
            f"SELECT id, speaker_id, data FROM claims WHERE {' AND '.join(where)} ORDER BY seq LIMIT ?",
            (*args, limit)).fetchall()
        return [_stored(r) for r in rows]

    def iter_claims(self) -> Iterator[StoredClaim]:
        last = 0
        while True:  # in pages, each read under the lock
            with self._lock:
                rows = self._db.execute("SELECT seq, id, speaker_id, data FROM claims WHERE seq > ?"
                                        " ORDER BY seq LIMIT 5000", (last,)).fetchall()
            if not rows:
                return
            last = rows[-1][0]
            for row in rows:
                yield _stored(row[1:])

    @reading
    def count_claims(self) -> int:
        return self._rdb.execute("SELECT COUNT(*) FROM claims").fetchone()[0]

    @reading
    def count_documents(self) -> int:
        return self._rdb.execute("SELECT COUNT(*) FROM documents").fetchone()[0]


def _delete(db: sqlite3.Connection, document_id: str) -> bool:
    """Remove a document, its claims and its speaker mentions (cascade), and rebuild the speakers
    it mentioned from what the other documents say (a speaker left with none goes)."""
    tables = SQLiteSpeakerTables(db)
    touched = tables.speakers_of(document_id)
    gone = db.execute("DELETE FROM documents WHERE id = ?", (document_id,)).rowcount > 0
    if gone:
        rebuild_speakers(tables, touched)
    return gone


_DOC_COLS = ("id, title, source, published, url, path, text, body_start, body_end, headline, author, language,"
             " origin_sha256")


def _document(row: tuple) -> Document:
    headline = json.loads(row[9]) if row[9] else None
    return Document(
        text=row[6], title=row[1], source=row[2],
        published=date.fromisoformat(row[3]) if row[3] else None, url=row[4], path=row[5],
        body_start=row[7], body_end=row[8],
        headline=Span(headline["start"], headline["end"], headline["text"]) if headline else None,
        author=row[10], language=row[11], origin_sha256=row[12],
    )


def _stored(row: tuple) -> StoredClaim:
    return StoredClaim(row[0], claim_from_json(row[2]), row[1])
