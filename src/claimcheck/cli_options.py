"""Options and settings shared by the CLI's command modules (cli.py, cli_ingest.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from claimcheck.settings import Settings

# A batch job waits longer for the index than a request does (a running service or another
# ingest may be writing) before it gives up.
INGEST_LOCK_WAIT = 120.0

DbOption = Annotated[Path | None, typer.Option(
    "--db", help="SQLite store (default: CLAIMCHECK_DB or ./claimcheck.sqlite3). CLAIMCHECK_DATABASE_URL="
                 "postgresql://... selects PostgreSQL instead; --db overrides it.")]


def settings_for(db: Path | None) -> Settings:
    return Settings() if db is None else Settings(db=db, database_url=None)
