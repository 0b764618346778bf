"""The SQLite store's speakers: the speaker tables as the write path sees them (``store/speakers.py``:
each document's mentions kept, each speaker rebuilt from them), the migrations that brought the
mentions in, and the speaker reads."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence

from claimcheck.domain import SpeakerKind
from claimcheck.names import last_key, name_key, role_holds, role_phrase, same_speaker, title_forms
from claimcheck.store.protocol import SpeakerRecord
from claimcheck.store.speakers import MentionRow, Profile, SpeakerMention, split_described
from claimcheck.store.sqlite_readers import reading


def _what_the_text_holds(table: str, column: str, what: str) -> str:
    return (f"SELECT p.document_id, p.speaker_id, '{what}' AS what, x.{column} AS value"
            " FROM temp.backfill_docs p JOIN documents d ON d.id = p.document_id"
            f" JOIN {table} x ON x.speaker_id = p.speaker_id WHERE instr(d.text, x.{column}) > 0")


def _credited_nowhere(table: str, column: str, what: str) -> str:
    return (f"SELECT p.document_id, p.speaker_id, '{what}', x.{column}"
            f" FROM temp.backfill_docs p JOIN {table} x ON x.speaker_id = p.speaker_id"
            " WHERE NOT EXISTS (SELECT 1 FROM temp.backfill_found f WHERE f.speaker_id = x.speaker_id"
            f" AND f.what = '{what}' AND f.value = x.{column})")


def _taught(what: str) -> str:
    return ("(SELECT json_group_array(value) FROM temp.backfill_taught t WHERE t.document_id = p.document_id"
            f" AND t.speaker_id = p.speaker_id AND t.what = '{what}')")


_TAUGHT = (("speaker_aliases", "alias", "alias"), ("speaker_roles", "role", "role"),
           ("speaker_affiliations", "name", "affiliation"))

# 9: what each document said of each speaker (store/speakers.py), and for a speaker one document
# only describes, that document. Backfilled from the claims: a document's mention of a speaker
# is the name its claims give it and how many they are. Which document taught which alias, role
# or affiliation was not recorded; each is credited to the speaker's documents whose text holds
# it as written (the extractor takes them from the text), or, when none does, to all of them.
# So a role a deleted document taught goes with it, unless another document of the speaker's
# also writes it out.
MENTIONS_MIGRATION = f"""
    CREATE TABLE speaker_mentions (
        seq INTEGER PRIMARY KEY,
        document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        speaker_id TEXT NOT NULL REFERENCES speakers(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        aliases TEXT NOT NULL, roles TEXT NOT NULL, affiliations TEXT NOT NULL,
        claims INTEGER NOT NULL
    );
    CREATE INDEX speaker_mentions_document ON speaker_mentions(document_id);
    CREATE INDEX speaker_mentions_speaker ON speaker_mentions(speaker_id);
    ALTER TABLE speakers ADD COLUMN document_id TEXT;
    CREATE TEMP TABLE backfill_mentions AS
        SELECT document_id, speaker_id, json_extract(data, '$.speaker.name') AS name, COUNT(*) AS claims,
               MIN(seq) AS first
        FROM claims WHERE speaker_id IS NOT NULL GROUP BY 1, 2, 3;
    CREATE TEMP TABLE backfill_docs AS SELECT DISTINCT document_id, speaker_id FROM temp.backfill_mentions;
    CREATE TEMP TABLE backfill_found AS
        {" UNION ALL ".join(_what_the_text_holds(*t) for t in _TAUGHT)};
    CREATE INDEX temp.backfill_found_value ON backfill_found(speaker_id, what, value);
    CREATE TEMP TABLE backfill_taught AS
        SELECT * FROM temp.backfill_found UNION ALL
        {" UNION ALL ".join(_credited_nowhere(*t) for t in _TAUGHT)};
    CREATE INDEX temp.backfill_taught_pair ON backfill_taught(document_id, speaker_id, what);
    INSERT INTO speaker_mentions (document_id, speaker_id, name, aliases, roles, affiliations, claims)
        SELECT p.document_id, p.speaker_id, COALESCE(p.name, s.name), {_taught("alias")}, {_taught("role")},
               {_taught("affiliation")}, p.claims
        FROM temp.backfill_mentions p JOIN speakers s ON s.id = p.speaker_id ORDER BY p.first;
    DROP TABLE temp.backfill_taught;
    DROP TABLE temp.backfill_found;
    DROP TABLE temp.backfill_docs;
    DROP TABLE temp.backfill_mentions
"""


def split_migration(db: sqlite3.Connection) -> None:
    """10: described speakers (``names.is_descriptive``) merged across documents by the code
    before, one per document now (``speakers.split_described``)."""
    split_described(SQLiteSpeakerTables(db))


_SPEAKER_COLS = (
    "s.id, s.name, s.kind,"
    " (SELECT json_group_array(alias) FROM speaker_aliases WHERE speaker_id = s.id),"
    " (SELECT json_group_array(role) FROM speaker_roles WHERE speaker_id = s.id),"
    " s.claim_count,"
    " (SELECT json_group_array(name) FROM speaker_affiliations WHERE speaker_id = s.id)"
)


def speakers_where(db: sqlite3.Connection, where: str, args: tuple, limit: int = -1) -> list[SpeakerRecord]:
    rows = db.execute(f"SELECT {_SPEAKER_COLS} FROM speakers s WHERE {where} ORDER BY s.seq LIMIT ?",
                      (*args, limit)).fetchall()
    return [SpeakerRecord(r[0], r[1], SpeakerKind(r[2]), tuple(json.loads(r[3])),
                          tuple(json.loads(r[4])), r[5], tuple(json.loads(r[6]))) for r in rows]


class SQLiteSpeakerTables:
    """``speakers.SpeakerTables`` (and ``SplitTables``) on a connection in a write transaction."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def candidates(self, name: str) -> list[SpeakerRecord]:
        return speakers_where(self.db, "(s.last_key = ? OR s.id IN (SELECT speaker_id FROM speaker_aliases"
                                       " WHERE norm = ?)) AND s.document_id IS NULL", (last_key(name), name_key(name)))

    def get(self, speaker_id: str) -> SpeakerRecord | None:
        found = speakers_where(self.db, "s.id = ?", (speaker_id,))
        return found[0] if found else None

    def insert(self, speaker_id: str, kind: SpeakerKind, profile: Profile, document_id: str | None) -> None:
        self.db.execute("INSERT INTO speakers (id, name, kind, last_key, claim_count, document_id)"
                        " VALUES (?,?,?,?,?,?)",
                        (speaker_id, profile.name, kind.value, last_key(profile.name), profile.claims, document_id))
        self._add(speaker_id, profile)

    def update(self, speaker_id: str, profile: Profile, added: Profile | None) -> None:
        db = self.db
        db.execute("UPDATE speakers SET name = ?, last_key = ?, claim_count = ? WHERE id = ?",
                   (profile.name, last_key(profile.name), profile.claims, speaker_id))
        if added is None:
            for table in ("speaker_aliases", "speaker_roles", "speaker_affiliations"):
                db.execute(f"DELETE FROM {table} WHERE speaker_id = ?", (speaker_id,))
            added = profile
        self._add(speaker_id, added)

    def _add(self, speaker_id: str, added: Profile) -> None:
        db = self.db
        db.executemany("INSERT OR IGNORE INTO speaker_aliases (speaker_id, alias, norm) VALUES (?,?,?)",
                       [(speaker_id, a, name_key(a)) for a in added.aliases])
        db.executemany("INSERT OR IGNORE INTO speaker_roles (speaker_id, role) VALUES (?,?)",
                       [(speaker_id, r) for r in added.roles])
        db.executemany("INSERT OR IGNORE INTO speaker_affiliations (speaker_id, name, norm) VALUES (?,?,?)",
                       [(speaker_id, o, name_key(o)) for o in added.affiliations])

    def add_mention(self, document_id: str, speaker_id: str, mention: SpeakerMention) -> None:
        self.db.execute("INSERT INTO speaker_mentions (document_id, speaker_id, name, aliases, roles, affiliations,"
                        " claims) VALUES (?,?,?,?,?,?,?)",
                        (document_id, speaker_id, mention.name, json.dumps(mention.aliases, ensure_ascii=False),
                         json.dumps(mention.roles, ensure_ascii=False),
                         json.dumps(mention.affiliations, ensure_ascii=False), mention.claims))

    def mentions_of(self, speaker_id: str) -> list[SpeakerMention]:
        rows = self.db.execute(
            "SELECT m.name, s.kind, m.aliases, m.roles, m.affiliations, m.claims FROM speaker_mentions m"
            " JOIN speakers s ON s.id = m.speaker_id WHERE m.speaker_id = ? ORDER BY m.seq", (speaker_id,))
        return [SpeakerMention(r[0], SpeakerKind(r[1]), tuple(json.loads(r[2])), tuple(json.loads(r[3])),
                               tuple(json.loads(r[4])), r[5]) for r in rows]

    def speakers_of(self, document_id: str) -> set[str]:
        return {r[0] for r in self.db.execute(
            "SELECT speaker_id FROM speaker_mentions WHERE document_id = ?1 UNION"
            " SELECT speaker_id FROM claims WHERE document_id = ?1 AND speaker_id IS NOT NULL", (document_id,))}

    def remove(self, speaker_id: str) -> None:
        self.db.execute("DELETE FROM speakers WHERE id = ?1 AND NOT EXISTS (SELECT 1 FROM claims"
                        " WHERE speaker_id = ?1)", (speaker_id,))

    def named_mentions(self) -> Iterator[MentionRow]:
        rows = self.db.execute("SELECT m.seq, m.document_id, m.speaker_id, m.name, s.kind FROM speaker_mentions m"
                               " JOIN speakers s ON s.id = m.speaker_id WHERE s.document_id IS NULL ORDER BY m.seq")
        for r in rows:
            yield MentionRow(r[0], r[1], r[2], r[3], SpeakerKind(r[4]))

    def move(self, row: MentionRow, speaker_id: str) -> None:
        self.db.execute("UPDATE claims SET speaker_id = ? WHERE document_id = ? AND speaker_id = ?"
                        " AND json_extract(data, '$.speaker.name') = ?",
                        (speaker_id, row.document_id, row.speaker_id, row.name))
        self.db.execute("UPDATE speaker_mentions SET speaker_id = ? WHERE seq = ?", (speaker_id, row.seq))


class SQLiteSpeakers:
    """The speaker reads, mixed into ``SQLiteStore``: on its pooled read connections."""

    @property
    def _rdb(self) -> sqlite3.Connection:
        raise NotImplementedError

    @reading
    def find_speakers(self, name: str) -> list[SpeakerRecord]:
        key = name_key(name)
        pool = speakers_where(
            self._rdb, "s.last_key = ? OR s.id IN (SELECT speaker_id FROM speaker_aliases WHERE norm = ?)",
            (last_key(name), key))
        return [s for s in pool if name_key(s.name) == key or key in map(name_key, s.aliases)
                or same_speaker(name, s.name, None, s.kind)]

    @reading
    def find_speakers_by_role(self, phrase: str) -> list[SpeakerRecord]:
        role = role_phrase(phrase)
        if role is None:
            return []
        # Only speakers with a stored role, name or alias that has the head noun or a synonym
        # ("spokesperson" for "spokesman") are read; role_holds decides.
        heads = sorted(title_forms(role.head))
        like = " OR ".join(["r.role LIKE ? ESCAPE '\\'"] * len(heads))
        alias_like = " OR ".join(["a.alias LIKE ? ESCAPE '\\'"] * len(heads))
        name_like = " OR ".join(["s.name LIKE ? ESCAPE '\\'"] * len(heads))
        args = tuple(like_pattern(h) for h in heads)
        pool = speakers_where(
            self._rdb, f"s.id IN (SELECT r.speaker_id FROM speaker_roles r WHERE {like})"
                      f" OR s.id IN (SELECT a.speaker_id FROM speaker_aliases a WHERE {alias_like})"
                      f" OR ({name_like})", args * 3)
        return [s for s in pool if role_holds(role, (*s.roles, s.name, *s.aliases))]

    @reading
    def find_affiliated(self, names: Sequence[str]) -> list[SpeakerRecord]:
        keys = sorted({name_key(n) for n in names})
        if not keys:
            return []
        marks = ",".join("?" * len(keys))
        return speakers_where(
            self._rdb, f"s.id IN (SELECT speaker_id FROM speaker_affiliations WHERE norm IN ({marks}))",
            tuple(keys))

    @reading
    def get_speaker(self, speaker_id: str) -> SpeakerRecord | None:
        found = speakers_where(self._rdb, "s.id = ?", (speaker_id,))
        return found[0] if found else None

    @reading
    def list_speakers(self, q: str | None = None, limit: int = 50, after: str | None = None) -> list[SpeakerRecord]:
        where = "s.seq > COALESCE((SELECT seq FROM speakers WHERE id = ?), 0)"
        args: tuple = (after,)
        if q:
            where += (" AND (s.name LIKE ? ESCAPE '\\' OR s.id IN (SELECT speaker_id FROM speaker_aliases"
                      " WHERE alias LIKE ? ESCAPE '\\'))")
            args += (like_pattern(q), like_pattern(q))
        return speakers_where(self._rdb, where, args, limit)


def like_pattern(q: str) -> str:
    """A LIKE pattern matching ``q`` anywhere, with its own % and _ taken literally."""
    return "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
