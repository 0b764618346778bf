"""Command line: a thin adapter over the library. Errors become a message and a non-zero exit."""

from __future__ import annotations

import functools
import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import ExitStack, closing, contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from tqdm import tqdm

from claimcheck import __version__
from claimcheck.cli_entail import entail as entail_command
from claimcheck.cli_index import check as index_check
from claimcheck.cli_index import index_app
from claimcheck.cli_index import restore as index_restore
from claimcheck.cli_index import snapshot as index_snapshot
from claimcheck.cli_ingest import factchecks as factchecks_command
from claimcheck.cli_ingest import ingest as ingest_command
from claimcheck.cli_options import INGEST_LOCK_WAIT as _INGEST_LOCK_WAIT
from claimcheck.cli_options import DbOption
from claimcheck.cli_options import settings_for as _settings
from claimcheck.domain import Document, Extraction
from claimcheck.errors import ClaimcheckError
from claimcheck.render import extraction_json, format_extraction, format_verdict, verdict_json
from claimcheck.settings import Settings
from claimcheck.store.protocol import ClaimStore

app = typer.Typer(
    help="Attributed claims from news articles, and verdicts on statements about them.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"claimcheck {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Show the version and exit.")] = False,
) -> None:
    """claimcheck: document-grounded claim verification."""


def _fail(message: str, code: int = 2) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)


def _reported(command: Callable[..., None]) -> Callable[..., None]:
    """Every claimcheck error a command raises becomes one line on stderr and exit status 2."""

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> None:
        try:
            command(*args, **kwargs)
        except ClaimcheckError as exc:
            raise _fail(exc.detail) from None

    return run


@app.command()
@_reported
def extract(
    paths: Annotated[list[Path], typer.Argument(help="Text files or folders of .txt files.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")] = False,
    model: Annotated[str | None, typer.Option(help="spaCy pipeline (default: CLAIMCHECK_SPACY_MODEL).")] = None,
) -> None:
    """Print the attributed claims of each document.

    A file that cannot be read is reported on stderr; the others are still processed, and the
    exit status is 1.
    """
    from claimcheck.extract import Extractor
    from claimcheck.ingest import load_documents
    from claimcheck.nlp import load

    settings = Settings() if model is None else Settings(spacy_model=model)
    loaded = list(load_documents(paths, max_bytes=settings.max_document_bytes))
    if not loaded:
        raise _fail("no text files found in the given paths")
    failed = [item for item in loaded if item.error is not None]
    for item in failed:
        typer.echo(f"error: {item.error.detail if item.error else 'unreadable'}", err=True)
    documents = [item.document for item in loaded if item.document is not None]
    try:
        extractor = Extractor(load(settings.spacy_model), batch_size=settings.batch_size)
    except ClaimcheckError as exc:
        raise _fail(exc.detail) from None
    results: list[dict[str, Any]] = []
    progress = tqdm(extractor.extract_many(documents), total=len(documents), unit="doc",
                    file=sys.stderr, disable=None if len(documents) > 1 else True,
                    desc="extracting")
    for extraction in progress:
        if as_json:
            results.append(extraction_json(extraction))
        else:
            typer.echo(format_extraction(extraction))
    if as_json:
        typer.echo(json.dumps(results, ensure_ascii=False, indent=2))
    if failed:
        raise typer.Exit(1)


# `claimcheck ingest` (files, folders, URLs, feeds, JSON Lines, WARC; --factchecks) and
# `claimcheck factchecks`: their own module.
app.command(name="ingest")(_reported(ingest_command))
app.command(name="factchecks")(_reported(factchecks_command))


@app.command()
@_reported
def worker(
    db: DbOption = None,
    drain: Annotated[bool, typer.Option("--drain", help="Exit once no job is queued or running.")] = False,
) -> None:
    """Take ingest jobs from the store's queue and extract, store and log each, until stopped
    (Ctrl-C or SIGTERM finish the current job first). Run as many as there are cores, on as
    many machines as reach the store. A killed worker's job is taken again after its lease."""
    import signal
    import threading

    from claimcheck.bootstrap import open_store
    from claimcheck.worker import Worker

    settings = _settings(db)
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    done = failed = 0
    with ExitStack() as opened:
        store = open_store(settings)
        opened.callback(store.close)
        w = Worker(store, _document_extract(settings, opened), lease=settings.job_lease,
                   attempts=settings.job_attempts)
        typer.echo(f"worker {w.name} on {settings.store_label}", err=True)
        for outcome in w.run(stop, drain=drain):
            what = outcome.job.label or outcome.job.document_id
            if outcome.error is None:
                done += 1
                typer.echo(f"done    {what}: {outcome.claims} claims in {outcome.seconds:.1f} s", err=True)
            else:
                failed += not outcome.retried
                typer.echo(f"{'retry' if outcome.retried else 'failed':7} {what}: {outcome.error}", err=True)
    typer.echo(f"{done} jobs done, {failed} failed")


def _document_extract(settings: Settings, opened: ExitStack) -> Callable[[Document], Extraction]:
    """What parses a job's document: a worker process with a deadline (parse_workers > 0, the
    default), else this process."""
    if settings.parse_workers > 0:
        from claimcheck.extract.isolated import IsolatedExtractor

        isolated = IsolatedExtractor(settings.spacy_model, settings.batch_size, settings.parse_timeout, 1)
        opened.callback(isolated.close)
        isolated.warm_up()  # the pipeline loaded before the first job is taken (and its lease runs)
        return isolated.extract
    from claimcheck.extract import Extractor
    from claimcheck.nlp import load

    return Extractor(load(settings.spacy_model), batch_size=settings.batch_size).extract


@app.command()
@_reported
def serve(
    host: Annotated[str, typer.Option(help="Address to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    db: DbOption = None,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Server processes on the one port.")] = 1,
) -> None:
    """Run the REST service (docs at /docs). An empty index is first filled from the seeds folder
    (CLAIMCHECK_SEEDS, default ./seeds)."""
    from claimcheck import service
    from claimcheck.api import server
    from claimcheck.api.app import create_app
    from claimcheck.bootstrap import open_runtime
    from claimcheck.ingest import load_documents

    settings = _settings(db)
    with open_runtime(settings) as runtime:
        if runtime.store.count_claims() == 0 and settings.seeds.is_dir():
            documents = [i.document for i in load_documents([settings.seeds], max_bytes=settings.max_document_bytes)
                         if i.document is not None]
            typer.echo(f"empty index: ingesting {len(documents)} documents from {settings.seeds}", err=True)
            for _ in tqdm(service.ingest(runtime.store, runtime.index, runtime.extractor, documents),
                          total=len(documents), unit="doc", file=sys.stderr, desc="ingesting seeds"):
                pass
    if workers == 1:
        server.run(create_app(settings), host=host, port=port, settings=settings)
        return
    if db is not None:  # the worker processes read their settings from the environment
        os.environ["CLAIMCHECK_DB"] = str(db)
        os.environ.pop("CLAIMCHECK_DATABASE_URL", None)
    server.run_workers(workers, host=host, port=port, settings=settings)


@app.command()
@_reported
def verify(
    statement: Annotated[str, typer.Argument(help="The statement to check.")],
    speaker: Annotated[str | None, typer.Option(help="Who the statement credits.")] = None,
    on: Annotated[str | None, typer.Option(
        "--date", help="Resolve relative dates against this day (YYYY-MM-DD).")] = None,
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")] = False,
) -> None:
    """Verdict on a statement, with the source spans that decided it."""
    from datetime import date

    from claimcheck import service
    from claimcheck.bootstrap import open_runtime

    try:
        day = date.fromisoformat(on) if on else None
    except ValueError:
        raise _fail(f"--date must be YYYY-MM-DD, got {on!r}") from None
    settings = _require_store(_settings(db))
    # A reader: if a writer holds the index, search what is committed rather than wait for it.
    with open_runtime(settings, check_timeout=1.0) as runtime:
        verdict = service.verify(runtime.store, runtime.index, runtime.extractor, statement, speaker, day,
                                 entailment=runtime.entailment)
        documents = {e.claim.document_id: runtime.store.get_document(e.claim.document_id)
                     for e in verdict.evidence}
    if as_json:
        typer.echo(json.dumps(verdict_json(verdict, documents), ensure_ascii=False, indent=2))
    else:
        typer.echo(format_verdict(verdict, documents))


# `claimcheck entail`: the entailment model on one pair or a labelled file (its own module).
app.command(name="entail")(_reported(entail_command))
index_app.command(name="snapshot")(_reported(index_snapshot))
index_app.command(name="restore")(_reported(index_restore))
index_app.command(name="check")(_reported(index_check))
app.add_typer(index_app, name="index")


@app.command()
@_reported
def speakers(
    q: Annotated[str | None, typer.Option("--q", help="Part of a name or alias.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=10_000, help="At most this many.")] = 50,
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON (as GET /v1/speakers).")] = False,
) -> None:
    """List the corpus's speakers: claim counts, roles, aliases and affiliations."""
    from rich.console import Console

    from claimcheck import service
    from claimcheck.api.schemas import SpeakerPublic
    from claimcheck.render import speakers_table

    with _store(db) as store:
        rows = store.list_speakers(q=q, limit=limit)
        links = {s.id: service.affiliations(store, s) for s in rows}
    if as_json:
        typer.echo(json.dumps([SpeakerPublic.of(s, links[s.id]).model_dump(mode="json") for s in rows],
                              ensure_ascii=False, indent=2))
    else:
        Console().print(speakers_table(rows, links))


@app.command()
@_reported
def claims(
    speaker: Annotated[str | None, typer.Option(help="A speaker's name or alias (\"Okafor\").")] = None,
    q: Annotated[str | None, typer.Option("--q", help="Words in the claim.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=10_000, help="At most this many.")] = 50,
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON (as GET /v1/claims).")] = False,
) -> None:
    """List claims, by speaker and words, each with the article and the span it is in."""
    from rich.console import Console

    from claimcheck import service
    from claimcheck.api.schemas import ClaimPublic
    from claimcheck.render import claims_table

    with _store(db) as store:
        ids = service.speaker_ids(store, speaker) if speaker is not None else None
        rows = store.list_claims(speaker_ids=ids, q=q, limit=limit)
        documents = {c.claim.document_id: store.get_document(c.claim.document_id) for c in rows}
    if speaker is not None and not ids:
        raise _fail(f"no speaker named {speaker!r}; `claimcheck speakers --q NAME` lists them", code=1)
    if as_json:
        typer.echo(json.dumps([ClaimPublic.stored(c).model_dump(mode="json") for c in rows],
                              ensure_ascii=False, indent=2))
    else:
        Console().print(claims_table(rows, documents))


@contextmanager
def _store(db: Path | None) -> Iterator[ClaimStore]:
    """The record alone (no model, no index): for reading what is stored."""
    from claimcheck.bootstrap import open_store

    with closing(open_store(_require_store(_settings(db)))) as store:
        yield store


def _require_store(settings: Settings) -> Settings:
    """Commands that only read need a store to read: say so rather than create an empty one."""
    if not settings.database_url and not settings.db.exists():
        raise _fail(f"no store at {settings.db}; run `claimcheck ingest PATH` first")
    return settings


@app.command()
@_reported
def reindex(db: DbOption = None) -> None:
    """Rebuild the search index from the store."""
    from claimcheck import service
    from claimcheck.bootstrap import open_runtime

    settings = _settings(db)
    timeout = max(settings.index_lock_timeout, _INGEST_LOCK_WAIT)
    with open_runtime(settings, check_timeout=timeout) as runtime:
        count = service.reindex(runtime.store, runtime.index, timeout=timeout)
    typer.echo(f"indexed {count} claims")


@app.command()
@_reported
def regress(
    fixture: Annotated[Path, typer.Argument(help="A statements or claims fixture (JSON).")],
    update: Annotated[bool, typer.Option("--update", help="Accept the current output into the fixture.")] = False,
    junit: Annotated[Path | None, typer.Option(
        "--junit", help="Also write the run as JUnit XML here (one test case per statement).")] = None,
) -> None:
    """Re-run a fixture and print a readable diff of every change; exit 1 on any."""
    from claimcheck import regress as rg
    from claimcheck.bootstrap import load_entailment
    from claimcheck.extract import Extractor
    from claimcheck.nlp import load

    data = rg.load_fixture(fixture)
    settings = Settings()
    extractor = Extractor(load(settings.spacy_model))
    if "claims" in data:
        results: Any = rg.run_claims(fixture, data, extractor)
        cases = [(f"claims of {data['document']}", results)]
    else:
        results = rg.run_statements(fixture, data, extractor, load_entailment(settings))
        cases = [(item["statement"], outcome) for item, outcome in results]
    changes = [(name, outcome) for name, outcome in cases if outcome.changed]
    total = len(cases)
    if junit is not None:
        try:
            junit.write_bytes(rg.junit_xml(fixture, cases))
        except OSError as exc:
            raise _fail(f"cannot write the JUnit report to {junit}: {exc.strerror}") from None
    for label, outcome in changes:
        typer.echo(f"changed: {label}")
        typer.echo("\n".join(rg.diff_lines(outcome.expected, outcome.actual, fixture.name)))
    if update and changes:
        rg.update(fixture, data, results)
        typer.echo(f"updated {fixture}")
    typer.echo(f"{total - len(changes)} passed, {len(changes)} failed")
    if changes and not update:
        raise typer.Exit(1)


def main() -> None:
    try:
        app()
    except ClaimcheckError as exc:
        typer.echo(f"error: {exc.detail}", err=True)
        raise SystemExit(2) from None
    except KeyboardInterrupt:
        raise SystemExit(130) from None
