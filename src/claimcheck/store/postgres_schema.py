"""The PostgreSQL store's schema, one migration per entry, applied in order when a store opens
(``PostgresStore._migrate``). Never edit an entry that has shipped: add one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import psycopg

from claimcheck.store.postgres_factchecks import MIGRATION as FACTCHECKS_MIGRATION
from claimcheck.store.postgres_jobs import MIGRATION as JOBS_MIGRATION
from claimcheck.store.postgres_speakers import MENTIONS_MIGRATION, split_migration

# An entry is SQL, or a function of the connection for what SQL alone cannot do.
MIGRATIONS: tuple[str | Callable[[psycopg.Connection[Any]], None], ...] = (
    """
    CREATE TABLE documents (
        seq BIGSERIAL PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        key TEXT,
        title TEXT, source TEXT, published DATE, url TEXT, path TEXT,
        text TEXT NOT NULL,
        body_start INTEGER NOT NULL, body_end INTEGER, headline JSONB
    );
    CREATE INDEX documents_key ON documents(key);
    CREATE TABLE speakers (
        seq BIGSERIAL PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL, kind TEXT NOT NULL, last_key TEXT NOT NULL,
        claim_count INTEGER NOT NULL DEFAULT 0
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
    CREATE TABLE speaker_affiliations (
        speaker_id TEXT NOT NULL REFERENCES speakers(id) ON DELETE CASCADE,
        name TEXT NOT NULL, norm TEXT NOT NULL,
        PRIMARY KEY (speaker_id, norm)
    );
    CREATE INDEX speaker_affiliations_norm ON speaker_affiliations(norm);
    CREATE TABLE claims (
        seq BIGSERIAL PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        speaker_id TEXT REFERENCES speakers(id),
        data JSONB NOT NULL,
        content TEXT
    );
    CREATE INDEX claims_document ON claims(document_id);
    CREATE INDEX claims_speaker ON claims(speaker_id);
    CREATE TABLE changes (seq BIGSERIAL PRIMARY KEY, document_id TEXT NOT NULL);
    INSERT INTO claimcheck_meta (key, value) VALUES ('store_id', replace(gen_random_uuid()::text, '-', ''));
    """,
    # 2: ingest jobs (store/postgres_jobs.py).
    JOBS_MIGRATION,
    # 3: what a web page says of itself (ingest/html.py): byline, language, hash of its bytes.
    """
    ALTER TABLE documents ADD COLUMN author TEXT;
    ALTER TABLE documents ADD COLUMN language TEXT;
    ALTER TABLE documents ADD COLUMN origin_sha256 TEXT;
    """,
    # 4: prior fact-checks (store/postgres_factchecks.py).
    FACTCHECKS_MIGRATION,
    # 5: what each document said of each speaker, which its record is rebuilt from when a
    # document goes, backfilled (store/postgres_speakers.py).
    MENTIONS_MIGRATION,
    # 6: described speakers ("officials") merged across documents, one per document.
    split_migration,
)
