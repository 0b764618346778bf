"""Command line: a thin adapter over the library. Errors become a message and a non-zero exit."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from tqdm import tqdm

from claimcheck import __version__
from claimcheck.domain import Claim, Document, Extraction, Verdict, to_jsonable
from claimcheck.errors import ClaimcheckError
from claimcheck.settings import Settings

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


_INGEST_LOCK_WAIT = 120.0

DbOption = Annotated[Path | None, typer.Option(
    "--db", help="SQLite store (default: CLAIMCHECK_DB or ./claimcheck.sqlite3).")]


def _settings(db: Path | None) -> Settings:
    return Settings() if db is None else Settings(db=db)


@app.command()
@_reported
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Text files or folders of .txt files.")],
    db: DbOption = None,
) -> None:
    """Extract, store and index documents. Idempotent: the same text is stored once; a changed
    file replaces its older version."""
    from claimcheck import service
    from claimcheck.bootstrap import open_runtime
    from claimcheck.ingest import load_documents

    settings = _settings(db)
    loaded = list(load_documents(paths, max_bytes=settings.max_document_bytes))
    failed = [item for item in loaded if item.error is not None]
    for item in failed:
        typer.echo(f"error: {item.error.detail if item.error else 'unreadable'}", err=True)
    documents = [item.document for item in loaded if item.document is not None]
    added = unchanged = replaced = claims = 0
    # A batch job: it waits longer for the index than a request does (a running service or
    # another ingest may be writing) before it gives up.
    timeout = max(settings.index_lock_timeout, _INGEST_LOCK_WAIT)
    with open_runtime(settings, check_timeout=timeout) as runtime:
        progress = tqdm(service.ingest(runtime.store, runtime.index, runtime.extractor, documents,
                                       n_process=min(settings.processes, max(1, len(documents) // 4)),
                                       timeout=timeout),
                        total=len(documents), unit="doc", file=sys.stderr, desc="ingesting",
                        disable=None if len(documents) > 1 else True)
        for done in progress:
            added += done.result.created
            unchanged += not done.result.created
            replaced += done.result.replaced is not None
            claims += done.result.claims
    typer.echo(f"{added} documents added ({claims} claims), {replaced} replaced, "
               f"{unchanged} unchanged, {len(failed)} failed; store: {settings.db}")
    if failed or not loaded:
        raise typer.Exit(1)


@app.command()
@_reported
def serve(
    host: Annotated[str, typer.Option(help="Address to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    db: DbOption = None,
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
    server.run(create_app(settings), host=host, port=port, settings=settings)


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
    settings = _settings(db)
    if not settings.db.exists():
        raise _fail(f"no store at {settings.db}; run `claimcheck ingest PATH` first")
    # A reader: if a writer holds the index, search what is committed rather than wait for it.
    with open_runtime(settings, check_timeout=1.0) as runtime:
        verdict = service.verify(runtime.store, runtime.index, runtime.extractor, statement, speaker, day)
        documents = {e.claim.document_id: runtime.store.get_document(e.claim.document_id)
                     for e in verdict.evidence}
    if as_json:
        typer.echo(json.dumps(verdict_json(verdict, documents), ensure_ascii=False, indent=2))
    else:
        typer.echo(format_verdict(verdict, documents))


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
) -> None:
    """Re-run a fixture and print a readable diff of every change; exit 1 on any."""
    from claimcheck import regress as rg
    from claimcheck.extract import Extractor
    from claimcheck.nlp import load

    data = rg.load_fixture(fixture)
    extractor = Extractor(load(Settings().spacy_model))
    if "claims" in data:
        results: Any = rg.run_claims(fixture, data, extractor)
        changes = [("claims", results)] if results.changed else []
        total = 1
    else:
        results = rg.run_statements(fixture, data, extractor)
        changes = [(item["statement"], outcome) for item, outcome in results if outcome.changed]
        total = len(results)
    for label, outcome in changes:
        typer.echo(f"changed: {label}")
        typer.echo("\n".join(rg.diff_lines(outcome.expected, outcome.actual, fixture.name)))
    if update and changes:
        rg.update(fixture, data, results)
        typer.echo(f"updated {fixture}")
    typer.echo(f"{total - len(changes)} passed, {len(changes)} failed")
    if changes and not update:
        raise typer.Exit(1)


def verdict_json(verdict: Verdict, documents: dict[str, Document | None]) -> dict[str, Any]:
    from claimcheck.api.schemas import VerdictPublic

    return VerdictPublic.of(verdict, documents).model_dump(mode="json")


def format_verdict(verdict: Verdict, documents: dict[str, Document | None]) -> str:
    lines = [f"{verdict.verdict.value} (confidence {verdict.confidence:.2f})"]
    for e in verdict.evidence:
        doc = documents.get(e.claim.document_id)
        where = f"{doc.title or doc.id} [{e.claim.content.start}:{e.claim.content.end}]" if doc else e.claim.document_id
        lines.append(f"- {e.stance.value} {e.score:.2f}: {e.claim.speaker.name or 'unknown'}: "
                     f"{e.claim.content.text!r}\n    in {where}")
        lines.extend(f"    {r.code}: {r.message}" for r in e.reasons)
    return "\n".join(lines)


def extraction_json(extraction: Extraction) -> dict[str, Any]:
    document = to_jsonable(extraction.document)
    document.pop("text")
    return {
        "document": document,
        "speakers": to_jsonable(extraction.speakers),
        "claims": [to_jsonable(c) for c in extraction.claims],
    }


def format_claim(claim: Claim) -> str:
    sp = claim.speaker
    who = sp.name or (f"unresolved {sp.mention.text!r}" if sp.mention else "unknown speaker")
    if sp.role:
        who += f" ({sp.role})"
    how = claim.kind.value.replace("_", " ")
    if claim.cue:
        how += f", {claim.cue.text!r}"
    if claim.said_on:
        how += f" {claim.said_on.text}"
    lines = [f"- {who} [{how}] {claim.content.start}-{claim.content.end}",
             f"    {'NOT: ' if claim.negated else ''}{claim.content.text}"]
    for f in claim.figures:
        unit = f" {f.unit}" if f.unit else ""
        bounds = f"[{_num(f.low)}, {_num(f.high)}]"
        lines.append(f"    figure: {f.text!r} = {_num(f.value)}{unit} ({f.qualifier} {bounds})")
    for d in claim.dates:
        when = f"{d.resolved_start}..{d.resolved_end}" if d.resolved_start else "unresolved"
        lines.append(f"    date: {d.text!r} {d.kind.value} {when}")
    return "\n".join(lines)


def _num(x: float | None) -> str:
    if x is None:
        return "inf"
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,.2f}"


def format_extraction(extraction: Extraction) -> str:
    doc = extraction.document
    head = f"# {doc.title or doc.path or doc.id}"
    meta = ", ".join(x for x in (doc.source, doc.published and doc.published.isoformat(), doc.id) if x)
    body = "\n".join(format_claim(c) for c in extraction.claims)
    return f"{head}\n({meta}; {len(extraction.claims)} claims)\n{body}\n"


def main() -> None:
    try:
        app()
    except ClaimcheckError as exc:
        typer.echo(f"error: {exc.detail}", err=True)
        raise SystemExit(2) from None
    except KeyboardInterrupt:
        raise SystemExit(130) from None
