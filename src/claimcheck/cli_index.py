"""`claimcheck index ...`: the search index's snapshots (to start new instances from) and its
check against the store. Registered on the CLI's app by ``cli.py``; errors are
ClaimcheckErrors, which the CLI turns into a message and exit status 2."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from claimcheck.cli_options import INGEST_LOCK_WAIT, DbOption, settings_for

index_app = typer.Typer(help="The search index: snapshots for new instances, and its check against the store.",
                        no_args_is_help=True)

DirArgument = Annotated[Path, typer.Argument(help="The snapshot's folder.")]


def snapshot(dest: DirArgument, db: DbOption = None) -> None:
    """Write a consistent copy of the search index, with the change-log position it covers, to
    the new folder DIR. Start an instance from it with CLAIMCHECK_INDEX_SNAPSHOT=DIR."""
    from claimcheck.bootstrap import open_runtime
    from claimcheck.match.snapshot import write_snapshot

    settings = settings_for(db)
    with open_runtime(settings, check_timeout=INGEST_LOCK_WAIT) as runtime:
        taken = write_snapshot(runtime.index, dest, timeout=INGEST_LOCK_WAIT)
    typer.echo(f"snapshot of {taken.claims} claims in {taken.documents} documents, "
               f"up to change {taken.seq}, written to {dest}")


def restore(src: DirArgument, db: DbOption = None) -> None:
    """Replace this instance's search index with the snapshot in DIR, then catch up from the
    store's change log. Run it while no service uses the index."""
    from claimcheck.bootstrap import open_runtime
    from claimcheck.match.snapshot import restore_snapshot

    settings = settings_for(db)
    taken = restore_snapshot(src, settings.index_path, timeout=settings.index_lock_timeout)
    with open_runtime(settings, check_timeout=INGEST_LOCK_WAIT) as runtime:
        claims = runtime.index.count()
    typer.echo(f"restored the snapshot of change {taken.seq}; the index now holds {claims} claims")


def check(
    db: DbOption = None,
    thorough: Annotated[bool, typer.Option(
        "--thorough", help="Compare document by document even when the counts agree.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Bring the index in step with the store and repair what differs (what every start does;
    --thorough compares every document, not only the counts)."""
    from claimcheck.bootstrap import open_store
    from claimcheck.match import TantivyIndex, sync_index

    settings = settings_for(db)
    store = open_store(settings)
    try:
        index = TantivyIndex(settings.index_path, lock_timeout=settings.index_lock_timeout)
        report = sync_index(store, index, check=True, thorough=thorough, timeout=INGEST_LOCK_WAIT)
        result = {"applied": report.applied, "rebuilt": report.rebuilt, "repaired": report.repaired,
                  "claims": index.count(), "documents": index.count_documents()}
    finally:
        store.close()
    if as_json:
        typer.echo(json.dumps(result))
    else:
        typer.echo(f"index: {result['claims']} claims in {result['documents']} documents; "
                   f"{report.applied} changes applied, {report.repaired} documents repaired"
                   + (", rebuilt" if report.rebuilt else ""))
