"""The claim store: a Protocol, the embedded SQLite store, PostgreSQL for a shared record, and an
in-memory fake."""

from claimcheck.store.memory import MemoryStore
from claimcheck.store.postgres import PostgresStore
from claimcheck.store.protocol import Change, ClaimStore, PutResult, SpeakerRecord, StoredClaim
from claimcheck.store.sqlite import SQLiteStore

__all__ = ["Change", "ClaimStore", "MemoryStore", "PostgresStore", "PutResult", "SQLiteStore", "SpeakerRecord",
           "StoredClaim"]
