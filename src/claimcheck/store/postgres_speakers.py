"""The PostgreSQL store's speakers: the same tables, mentions and rebuilds as SQLite's
(``store/sqlite_speakers.py``, ``store/speakers.py``), written under the store's write lock, and the
speaker reads."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from typing import Any

import psycopg

from claimcheck.domain import SpeakerKind
from claimcheck.names import last_key, name_key, role_holds, role_phrase, same_speaker, title_forms
from claimcheck.store.protocol import SpeakerRecord
from claimcheck.store.speakers import MentionRow, Profile, SpeakerMention, split_described

_TAUGHT = (("speaker_aliases", "alias", "alias"), ("speaker_roles", "role", "role"),
           ("speaker_affiliations", "name", "affiliation"))


def _what_the_text_holds(table: str, column: str, what: str) -> str:
    return (f"SELECT p.document_id, p.speaker_id, '{what}'::text AS what, x.{column} AS value"
            " FROM backfill_docs p JOIN documents d ON d.id = p.document_id"
            f" JOIN {table} x ON x.speaker_id = p.speaker_id WHERE strpos(d.text, x.{column}) > 0")


def _credited_nowhere(table: str, column: str, what: str) -> str:
    return (f"SELECT p.document_id, p.speaker_id, '{what}'::text, x.{column}"
            f" FROM backfill_docs p JOIN {table} x ON x.speaker_id = p.speaker_id"
            " WHERE NOT EXISTS (SELECT 1 FROM backfill_found f WHERE f.speaker_id = x.speaker_id"
            f" AND f.what = '{what}' AND f.value = x.{column})")


def _taught(what: str) -> str:
    return ("ARRAY(SELECT value FROM backfill_taught t WHERE t.document_id = p.document_id"
            f" AND t.speaker_id = p.speaker_id AND t.what = '{what}' ORDER BY value)")


# 5: what each document said of each speaker, and for a speaker one document only describes,
# that document; backfilled as SQLite's migration 9 is (store/sqlite_speakers.py says how).
MENTIONS_MIGRATION = f"""
    CREATE TABLE speaker_mentions (
        seq BIGSERIAL PRIMARY KEY,
        document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        speaker_id TEXT NOT NULL REFERENCES speakers(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        aliases TEXT[] NOT NULL, roles TEXT[] NOT NULL, affiliations TEXT[] NOT NULL,
        claims INTEGER NOT NULL
    );
    CREATE INDEX speaker_mentions_document ON speaker_mentions(document_id);
    CREATE INDEX speaker_mentions_speaker ON speaker_mentions(speaker_id);
    ALTER TABLE speakers ADD COLUMN document_id TEXT;
    CREATE TEMP TABLE backfill_mentions ON COMMIT DROP AS
        SELECT document_id, speaker_id, data->'speaker'->>'name' AS name, COUNT(*) AS claims, MIN(seq) AS first
        FROM claims WHERE speaker_id IS NOT NULL GROUP BY 1, 2, 3;
    CREATE TEMP TABLE backfill_docs ON COMMIT DROP AS
        SELECT DISTINCT document_id, speaker_id FROM backfill_mentions;
    CREATE TEMP TABLE backfill_found ON COMMIT DROP AS
        {" UNION ALL ".join(_what_the_text_holds(*t) for t in _TAUGHT)};
    CREATE INDEX ON backfill_found (speaker_id, what, value);
    CREATE TEMP TABLE backfill_taught ON COMMIT DROP AS
        SELECT * FROM backfill_found UNION ALL
        {" UNION ALL ".join(_credited_nowhere(*t) for t in _TAUGHT)};
    CREATE INDEX ON backfill_taught (document_id, speaker_id, what);
    INSERT INTO speaker_mentions (document_id, speaker_id, name, aliases, roles, affiliations, claims)
        SELECT p.document_id, p.speaker_id, COALESCE(p.name, s.name), {_taught("alias")}, {_taught("role")},
               {_taught("affiliation")}, p.claims
        FROM backfill_mentions p JOIN speakers s ON s.id = p.speaker_id ORDER BY p.first;
"""


def split_migration(conn: psycopg.Connection[Any]) -> None:
    """6: described speakers merged across documents by the code before, one per document now."""
    split_described(PostgresSpeakerTables(conn))


_SPEAKER_COLS = (
    "s.id, s.name, s.kind,"
    " ARRAY(SELECT alias FROM speaker_aliases WHERE speaker_id = s.id ORDER BY alias),"
    " ARRAY(SELECT role FROM speaker_roles WHERE speaker_id = s.id ORDER BY role),"
    " s.claim_count,"
    " ARRAY(SELECT name FROM speaker_affiliations WHERE speaker_id = s.id ORDER BY name)"
)


def speakers_where(conn: psycopg.Connection[Any], where: str, args: tuple[Any, ...],
                   limit: int | None = None) -> list[SpeakerRecord]:
    rows = conn.execute(f"SELECT {_SPEAKER_COLS} FROM speakers s WHERE {where} ORDER BY s.seq LIMIT %s",
                        (*args, limit)).fetchall()
    return [SpeakerRecord(r[0], r[1], SpeakerKind(r[2]), tuple(r[3]), tuple(r[4]), r[5], tuple(r[6]))
            for r in rows]


class PostgresSpeakerTables:
    """``speakers.SpeakerTables`` (and ``SplitTables``) on a connection in a write transaction."""

    def __init__(self, conn: psycopg.Connection[Any]) -> None:
        self.conn = conn

    def candidates(self, name: str) -> list[SpeakerRecord]:
        return speakers_where(self.conn, "(s.last_key = %s OR s.id IN (SELECT speaker_id FROM speaker_aliases"
                                         " WHERE norm = %s)) AND s.document_id IS NULL",
                              (last_key(name), name_key(name)))

    def get(self, speaker_id: str) -> SpeakerRecord | None:
        found = speakers_where(self.conn, "s.id = %s", (speaker_id,))
        return found[0] if found else None

    def insert(self, speaker_id: str, kind: SpeakerKind, profile: Profile, document_id: str | None) -> None:
        self.conn.execute("INSERT INTO speakers (id, name, kind, last_key, claim_count, document_id)"
                          " VALUES (%s,%s,%s,%s,%s,%s)",
                          (speaker_id, profile.name, kind.value, last_key(profile.name), profile.claims, document_id))
        self._add(speaker_id, profile)

    def update(self, speaker_id: str, profile: Profile, added: Profile | None) -> None:
        conn = self.conn
        conn.execute("UPDATE speakers SET name = %s, last_key = %s, claim_count = %s WHERE id = %s",
                     (profile.name, last_key(profile.name), profile.claims, speaker_id))
        if added is None:
            for table in ("speaker_aliases", "speaker_roles", "speaker_affiliations"):
                conn.execute(f"DELETE FROM {table} WHERE speaker_id = %s", (speaker_id,))
            added = profile
        self._add(speaker_id, added)

    def _add(self, speaker_id: str, added: Profile) -> None:
        with self.conn.cursor() as cur:
            cur.executemany("INSERT INTO speaker_aliases (speaker_id, alias, norm) VALUES (%s,%s,%s)"
                            " ON CONFLICT DO NOTHING", [(speaker_id, a, name_key(a)) for a in added.aliases])
            cur.executemany("INSERT INTO speaker_roles (speaker_id, role) VALUES (%s,%s) ON CONFLICT DO NOTHING",
                            [(speaker_id, r) for r in added.roles])
            cur.executemany("INSERT INTO speaker_affiliations (speaker_id, name, norm) VALUES (%s,%s,%s)"
                            " ON CONFLICT DO NOTHING", [(speaker_id, o, name_key(o)) for o in added.affiliations])

    def add_mention(self, document_id: str, speaker_id: str, mention: SpeakerMention) -> None:
        self.conn.execute("INSERT INTO speaker_mentions (document_id, speaker_id, name, aliases, roles,"
                          " affiliations, claims) VALUES (%s,%s,%s,%s,%s,%s,%s)",
                          (document_id, speaker_id, mention.name, list(mention.aliases), list(mention.roles),
                           list(mention.affiliations), mention.claims))

    def mentions_of(self, speaker_id: str) -> list[SpeakerMention]:
        rows = self.conn.execute(
            "SELECT m.name, s.kind, m.aliases, m.roles, m.affiliations, m.claims FROM speaker_mentions m"
            " JOIN speakers s ON s.id = m.speaker_id WHERE m.speaker_id = %s ORDER BY m.seq", (speaker_id,))
        return [SpeakerMention(r[0], SpeakerKind(r[1]), tuple(r[2]), tuple(r[3]), tuple(r[4]), r[5]) for r in rows]

    def speakers_of(self, document_id: str) -> set[str]:
        return {r[0] for r in self.conn.execute(
            "SELECT speaker_id FROM speaker_mentions WHERE document_id = %s UNION"
            " SELECT speaker_id FROM claims WHERE document_id = %s AND speaker_id IS NOT NULL",
            (document_id, document_id))}

    def remove(self, speaker_id: str) -> None:
        self.conn.execute("DELETE FROM speakers WHERE id = %s AND NOT EXISTS (SELECT 1 FROM claims"
                          " WHERE speaker_id = %s)", (speaker_id, speaker_id))

    def named_mentions(self) -> Iterator[MentionRow]:
        rows = self.conn.execute(
            "SELECT m.seq, m.document_id, m.speaker_id, m.name, s.kind FROM speaker_mentions m"
            " JOIN speakers s ON s.id = m.speaker_id WHERE s.document_id IS NULL ORDER BY m.seq")
        for r in rows:
            yield MentionRow(r[0], r[1], r[2], r[3], SpeakerKind(r[4]))

    def move(self, row: MentionRow, speaker_id: str) -> None:
        self.conn.execute("UPDATE claims SET speaker_id = %s WHERE document_id = %s AND speaker_id = %s"
                          " AND data->'speaker'->>'name' = %s",
                          (speaker_id, row.document_id, row.speaker_id, row.name))
        self.conn.execute("UPDATE speaker_mentions SET speaker_id = %s WHERE seq = %s", (speaker_id, row.seq))


class PostgresSpeakers:
    """The speaker reads (but the listing), mixed into ``PostgresStore``: each in a transaction of its own."""

    def _read(self) -> AbstractContextManager[psycopg.Connection[Any]]:
        raise NotImplementedError

    def find_speakers(self, name: str) -> list[SpeakerRecord]:
        key = name_key(name)
        with self._read() as conn:
            pool = speakers_where(conn, "s.last_key = %s OR s.id IN (SELECT speaker_id FROM speaker_aliases"
                                        " WHERE norm = %s)", (last_key(name), key))
        return [s for s in pool if name_key(s.name) == key or key in map(name_key, s.aliases)
                or same_speaker(name, s.name, None, s.kind)]

    def find_speakers_by_role(self, phrase: str) -> list[SpeakerRecord]:
        role = role_phrase(phrase)
        if role is None:
            return []
        # Only speakers with a stored role, name or alias holding the head noun or a synonym are
        # read; role_holds decides.
        patterns = [like_pattern(h) for h in sorted(title_forms(role.head))]
        with self._read() as conn:
            pool = speakers_where(
                conn, "s.id IN (SELECT speaker_id FROM speaker_roles WHERE role ILIKE ANY(%s))"
                      " OR s.id IN (SELECT speaker_id FROM speaker_aliases WHERE alias ILIKE ANY(%s))"
                      " OR s.name ILIKE ANY(%s)", (patterns, patterns, patterns))
        return [s for s in pool if role_holds(role, (*s.roles, s.name, *s.aliases))]

    def find_affiliated(self, names: Sequence[str]) -> list[SpeakerRecord]:
        keys = sorted({name_key(n) for n in names})
        if not keys:
            return []
        with self._read() as conn:
            return speakers_where(
                conn, "s.id IN (SELECT speaker_id FROM speaker_affiliations WHERE norm = ANY(%s))", (keys,))

    def get_speaker(self, speaker_id: str) -> SpeakerRecord | None:
        with self._read() as conn:
            found = speakers_where(conn, "s.id = %s", (speaker_id,))
        return found[0] if found else None


def like_pattern(q: str) -> str:
    """A LIKE pattern matching ``q`` anywhere, with its own % and _ taken literally."""
    return "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
