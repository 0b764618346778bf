"""The PostgreSQL store's prior fact-checks: the same tables as SQLite's
(``store/sqlite_factchecks.py``), written under the store's write lock."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

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

MIGRATION = """
    CREATE TABLE factchecks (
        seq BIGSERIAL PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        url TEXT NOT NULL,
        claim TEXT NOT NULL,
        claimant TEXT,
        data JSONB NOT NULL,
        parsed JSONB
    );
    CREATE TABLE factcheck_words (
        factcheck_id TEXT NOT NULL REFERENCES factchecks(id) ON DELETE CASCADE,
        word TEXT NOT NULL,
        PRIMARY KEY (word, factcheck_id)
    );
    CREATE INDEX factcheck_words_id ON factcheck_words(factcheck_id);
"""
_COLS = "id, data, parsed"


class PostgresFactChecks:
    """Mixed into ``PostgresStore``: each method is one transaction on a pooled connection."""

    def _read(self) -> AbstractContextManager[psycopg.Connection[Any]]:
        raise NotImplementedError

    def _write(self) -> AbstractContextManager[psycopg.Connection[Any]]:
        raise NotImplementedError

    def put_factchecks(self, records: Sequence[StoredFactCheck]) -> FactCheckPut:
        created = updated = unchanged = 0
        with self._write() as conn:
            for record in records:
                data = factcheck_to_dict(record.factcheck)
                parsed = parsed_to_dict(record.parsed)
                row = conn.execute("SELECT data, parsed FROM factchecks WHERE id = %s", (record.id,)).fetchone()
                if row is not None and row[0] == data and row[1] == parsed:
                    unchanged += 1
                    continue
                fc = record.factcheck
                if row is None:
                    created += 1
                    conn.execute("INSERT INTO factchecks (id, url, claim, claimant, data, parsed)"
                                 " VALUES (%s,%s,%s,%s,%s,%s)",
                                 (record.id, fc.url, fc.claim, fc.claimant, Jsonb(data),
                                  Jsonb(parsed) if parsed is not None else None))
                else:
                    updated += 1
                    conn.execute("UPDATE factchecks SET claim = %s, claimant = %s, data = %s, parsed = %s"
                                 " WHERE id = %s", (fc.claim, fc.claimant, Jsonb(data),
                                                    Jsonb(parsed) if parsed is not None else None, record.id))
                    conn.execute("DELETE FROM factcheck_words WHERE factcheck_id = %s", (record.id,))
                with conn.cursor() as cur:
                    cur.executemany("INSERT INTO factcheck_words (factcheck_id, word) VALUES (%s, %s)",
                                    [(record.id, w) for w in sorted(words(record))])
        return FactCheckPut(created, updated, unchanged)

    def get_factcheck(self, factcheck_id: str) -> StoredFactCheck | None:
        with self._read() as conn:
            row = conn.execute(f"SELECT {_COLS} FROM factchecks WHERE id = %s", (factcheck_id,)).fetchone()
        return _stored(row) if row else None

    def list_factchecks(self, *, q: str | None = None, claimant: str | None = None, limit: int = 50,
                        after: str | None = None) -> list[StoredFactCheck]:
        where, args = ["TRUE"], []
        if after is not None:
            where.append("seq > COALESCE((SELECT seq FROM factchecks WHERE id = %s), -1)")
            args.append(after)
        for column, value in (("claim", q), ("claimant", claimant)):
            for word in (value or "").split():
                where.append(f"{column} ILIKE %s ESCAPE '\\'")
                args.append("%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%")
        with self._read() as conn:
            rows = conn.execute(f"SELECT {_COLS} FROM factchecks WHERE {' AND '.join(where)} ORDER BY seq LIMIT %s",
                                (*args, limit)).fetchall()
        return [_stored(r) for r in rows]

    def search_factchecks(self, words: Sequence[str], limit: int) -> list[StoredFactCheck]:
        query = sorted(set(words))
        if not query:
            return []
        with self._read() as conn:
            # Every verify asks: the largest seq (off the key) rather than COUNT(*) (a scan).
            # Reviews are never deleted and seqs are taken under the write lock, so it is the
            # count, but for a rolled-back insert's gap, which only makes it a little larger.
            count = conn.execute("SELECT COALESCE(MAX(seq), 0) FROM factchecks").fetchone()
            total = int(count[0]) if count else 0
            if total == 0:
                return []
            postings: dict[str, set[str]] = {}
            for word, fid in conn.execute("SELECT word, factcheck_id FROM factcheck_words WHERE word = ANY(%s)",
                                          (query,)).fetchall():
                postings.setdefault(word, set()).add(fid)
            ids = rank(query, postings, total, limit)
            if not ids:
                return []
            rows = conn.execute(f"SELECT {_COLS} FROM factchecks WHERE id = ANY(%s)", (ids,)).fetchall()
        found = {r[0]: _stored(r) for r in rows}
        return [found[i] for i in ids if i in found]

    def count_factchecks(self) -> int:
        with self._read() as conn:
            row = conn.execute("SELECT COUNT(*) FROM factchecks").fetchone()
        return int(row[0]) if row else 0


def _stored(row: tuple[Any, ...]) -> StoredFactCheck:
    return StoredFactCheck(factcheck_from_dict(row[1]), parsed_from_dict(row[2]))
