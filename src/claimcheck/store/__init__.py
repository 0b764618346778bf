"""The claim store: a Protocol, the embedded SQLite store, and an in-memory fake."""

from claimcheck.store.memory import MemoryStore
from claimcheck.store.protocol import Change, ClaimStore, PutResult, SpeakerRecord, StoredClaim
from claimcheck.store.sqlite import SQLiteStore

__all__ = ["Change", "ClaimStore", "MemoryStore", "PutResult", "SQLiteStore", "SpeakerRecord", "StoredClaim"]
