"""The SQLite store's prior fact-checks: one row per review (known by its URL) and a word table
that retrieval reads (``store/factchecks.py``)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from contextlib import AbstractContextManager

from claimcheck.store.factchecks import (
    FactCheckPut,
    StoredFactCheck,
    factcheck_from_dict,
    factcheck_to_dict,
    parsed_from_dict,
    parsed_to_dict,
    rank,
    words,
)
from claimcheck.store.sqlite_readers import reading

MIGRATION = """
    CREATE TABLE factchecks (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        url TEXT NOT NULL,
        claim TEXT NOT NULL,
        claimant TEXT,
        data TEXT NOT NULL,
        parsed TEXT
    );
    CREATE TABLE factcheck_words (
        factcheck_id TEXT NOT NULL REFERENCES factchecks(id) ON DELETE CASCADE,
        word TEXT NOT NULL,
        PRIMARY KEY (word, factcheck_id)
    );
    CREATE INDEX factcheck_words_id ON factcheck_words(factcheck_id)
"""
_COLS = "id, data, parsed"
_ANY = 500  # SQLite's bound on host parameters is 999 by default in older builds: stay below


class SQLiteFactChecks:
    """Mixed into ``SQLiteStore``: uses its connection, its lock and its write transactions."""

    def _write(self) -> AbstractContextManager[sqlite3.Connection]:
        raise NotImplementedError

    @property
    def _rdb(self) -> sqlite3.Connection:
        raise NotImplementedError

    def put_factchecks(self, records: Sequence[StoredFactCheck]) -> FactCheckPut:
        created = updated = unchanged = 0
        with self._write() as db:
            for record in records:
                data = json.dumps(factcheck_to_dict(record.factcheck), ensure_ascii=False, sort_keys=True)
                parsed = record.parsed and json.dumps(parsed_to_dict(record.parsed), ensure_ascii=False)
                row = db.execute("SELECT data, parsed FROM factchecks WHERE id = ?", (record.id,)).fetchone()
                if row is not None and row[0] == data and row[1] == parsed:
                    unchanged += 1
                    continue
                fc = record.factcheck
                if row is None:
                    created += 1
                    db.execute("INSERT INTO factchecks (id, url, claim, claimant, data, parsed) VALUES (?,?,?,?,?,?)",
                               (record.id, fc.url, fc.claim, fc.claimant, data, parsed))
                else:
                    updated += 1
                    db.execute("UPDATE factchecks SET claim = ?, claimant = ?, data = ?, parsed = ? WHERE id = ?",
                               (fc.claim, fc.claimant, data, parsed, record.id))
                    db.execute("DELETE FROM factcheck_words WHERE factcheck_id = ?", (record.id,))
                db.executemany("INSERT INTO factcheck_words (factcheck_id, word) VALUES (?, ?)",
                               [(record.id, w) for w in sorted(words(record))])
        return FactCheckPut(created, updated, unchanged)

    # Reads on the store's pooled read connections (sqlite_readers.py), as claim reads do: verify
    # looks fact-checks up on every request and must not queue behind writes.
    @reading
    def get_factcheck(self, factcheck_id: str) -> StoredFactCheck | None:
        row = self._rdb.execute(f"SELECT {_COLS} FROM factchecks WHERE id = ?", (factcheck_id,)).fetchone()
        return _stored(row) if row else None

    @reading
    def list_factchecks(self, *, q: str | None = None, claimant: str | None = None, limit: int = 50,
                        after: str | None = None) -> list[StoredFactCheck]:
        where, args = ["1 = 1"], []
        if after is not None:
            where.append("seq > COALESCE((SELECT seq FROM factchecks WHERE id = ?), -1)")
            args.append(after)
        for column, value in (("claim", q), ("claimant", claimant)):
            for word in (value or "").split():
                where.append(f"{column} LIKE ? ESCAPE '\\' COLLATE NOCASE")
                args.append(f"%{_escape(word)}%")
        rows = self._rdb.execute(f"SELECT {_COLS} FROM factchecks WHERE {' AND '.join(where)} ORDER BY seq LIMIT ?",
                                 (*args, limit)).fetchall()
        return [_stored(r) for r in rows]

    @reading
    def search_factchecks(self, words: Sequence[str], limit: int) -> list[StoredFactCheck]:
        query = sorted(set(words))[:_ANY]
        if not query:
            return []
        marks = ",".join("?" * len(query))
        db = self._rdb
        # Every verify asks: the largest seq (read off the key) rather than COUNT(*) (a scan).
        # Reviews are never deleted, so it is the count (a rolled-back insert may leave a gap,
        # which only makes it a little larger; it weighs words, nothing is counted by it).
        total = db.execute("SELECT COALESCE(MAX(seq), 0) FROM factchecks").fetchone()[0]
        if total == 0:
            return []
        postings: dict[str, set[str]] = {}
        for word, fid in db.execute(f"SELECT word, factcheck_id FROM factcheck_words WHERE word IN ({marks})",
                                    query):
            postings.setdefault(word, set()).add(fid)
        ids = rank(query, postings, total, limit)
        if not ids:
            return []
        rows = db.execute(f"SELECT {_COLS} FROM factchecks WHERE id IN ({','.join('?' * len(ids))})",
                          ids).fetchall()
        found = {r[0]: _stored(r) for r in rows}
        return [found[i] for i in ids if i in found]

    @reading
    def count_factchecks(self) -> int:
        return int(self._rdb.execute("SELECT COUNT(*) FROM factchecks").fetchone()[0])


def _escape(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _stored(row: tuple) -> StoredFactCheck:
    return StoredFactCheck(factcheck_from_dict(json.loads(row[1])),
                           parsed_from_dict(json.loads(row[2])) if row[2] else None)
