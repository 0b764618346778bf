"""`claimcheck ingest` (articles as they come, and prior fact-checks) and `claimcheck factchecks`.
Registered on the CLI's app by ``cli.py``; errors are ClaimcheckErrors, which the CLI turns into
a message and exit status 2."""

from __future__ import annotations

import json
import sys
from contextlib import closing
from pathlib import Path
from typing import Annotated, Any

import typer
from tqdm import tqdm

from claimcheck.cli_options import INGEST_LOCK_WAIT, DbOption, settings_for
from claimcheck.domain import Document
from claimcheck.errors import DocumentError, InvalidInput
from claimcheck.settings import Settings

# A fact-checker's whole feed in one file: larger than any one article.
MAX_FACTCHECK_BYTES = 50_000_000
_JSON_TYPES = ("application/json", "application/ld+json")


def ingest(
    inputs: Annotated[list[str] | None, typer.Argument(
        help="Text files, saved pages (.html), folders of them, URLs, RSS/Atom feeds (file or URL), "
             "JSON Lines (.jsonl) and WARC files (.warc, .warc.gz).", show_default=False)] = None,
    factchecks: Annotated[list[str] | None, typer.Option(
        "--factchecks", help="ClaimReview JSON-LD to store as prior fact-checks (a file or URL; one "
                             "review, a list, an @graph or a DataFeed). Repeatable.")] = None,
    db: DbOption = None,
    queue: Annotated[bool, typer.Option("--queue", help="Only queue the documents for `claimcheck worker` "
                                                        "processes (or a running service) to ingest.")] = False,
) -> None:
    """Extract, store and index articles; store prior fact-checks. Idempotent: the same text is
    stored once; a changed file replaces its older version. URLs are fetched safely: private
    addresses are refused unless CLAIMCHECK_FETCH_PRIVATE=1."""
    from claimcheck.ingest.fetch import Fetcher

    if not inputs and not factchecks:
        raise InvalidInput("name something to ingest: files, folders, URLs, feeds, or --factchecks FILE")
    settings = settings_for(db)
    refused = 0
    with Fetcher(max_bytes=settings.max_document_bytes, timeout=settings.fetch_timeout,
                 allow_private=settings.fetch_private) as fetcher:
        if factchecks:
            refused += _factchecks(settings, factchecks, fetcher)
        if inputs:
            refused += _articles(settings, inputs, fetcher, queue)
    if refused:
        raise typer.Exit(1)


def _articles(settings: Settings, inputs: list[str], fetcher: Any, queue: bool) -> int:
    from claimcheck import service
    from claimcheck.bootstrap import open_runtime
    from claimcheck.ingest.sources import load_sources

    bar = tqdm(load_sources(inputs, max_bytes=settings.max_document_bytes, fetcher=fetcher), unit="item",
               file=sys.stderr, desc="reading", disable=None)
    documents: list[Document] = []
    reasons: list[str] = []
    for item in bar:
        if item.document is not None:
            documents.append(item.document)
        else:
            detail = item.error.detail if item.error else "unreadable"
            reasons.append(detail if detail.startswith(item.path) else f"{item.path}: {detail}")
            typer.echo(f"refused: {reasons[-1]}", err=True)
    if queue:
        _enqueue(settings, documents)
        return len(reasons) + (not documents and not reasons)
    added = unchanged = replaced = claims = 0
    timeout = max(settings.index_lock_timeout, INGEST_LOCK_WAIT)
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
               f"{unchanged} unchanged, {len(reasons)} refused; store: {settings.store_label}")
    return len(reasons) + (not documents and not reasons)


def _enqueue(settings: Settings, documents: list[Document]) -> None:
    from claimcheck.bootstrap import open_store
    from claimcheck.store.protocol import JobState

    with closing(open_store(settings)) as store:
        jobs = [store.enqueue(d) for d in tqdm(documents, unit="doc", file=sys.stderr, desc="queueing",
                                               disable=None if len(documents) > 1 else True)]
    done = sum(j.state is JobState.DONE for j in jobs)
    typer.echo(f"{len(jobs) - done} documents queued, {done} already stored; store: {settings.store_label}")


def _factchecks(settings: Settings, sources: list[str], fetcher: Any) -> int:
    """Store each source's reviews (each source all or nothing); the number refused."""
    from claimcheck import service
    from claimcheck.bootstrap import open_store
    from claimcheck.extract import Extractor
    from claimcheck.ingest.claimreview import read_claim_reviews
    from claimcheck.nlp import load

    readable = []
    for source in sources:
        try:
            readable.append((source, read_claim_reviews(_json_source(source, fetcher))))
        except InvalidInput as exc:
            typer.echo(f"refused: {exc.detail if exc.detail.startswith(source) else f'{source}: {exc.detail}'}",
                       err=True)
    if not readable:
        return len(sources)
    extractor = Extractor(load(settings.spacy_model), batch_size=settings.batch_size)
    created = updated = unchanged = 0
    with closing(open_store(settings)) as store:
        for _source, reviews in readable:
            parsed = extractor.statements(service.factcheck_documents(reviews))
            put = service.add_factchecks(store, reviews, parsed)
            created, updated, unchanged = created + put.created, updated + put.updated, unchanged + put.unchanged
    typer.echo(f"{created} fact-checks added, {updated} updated, {unchanged} unchanged, "
               f"{len(sources) - len(readable)} sources refused; store: {settings.store_label}")
    return len(sources) - len(readable)


def _json_source(source: str, fetcher: Any) -> Any:
    from claimcheck.ingest.sources import is_url

    if is_url(source):
        data = fetcher.fetch(source, _JSON_TYPES).data
    else:
        path = Path(source)
        try:
            if path.stat().st_size > MAX_FACTCHECK_BYTES:
                raise DocumentError(source, f"file is larger than {MAX_FACTCHECK_BYTES:,} bytes")
            data = path.read_bytes()
        except OSError as exc:
            raise DocumentError(source, f"cannot read file: {exc.strerror or exc}") from None
    try:
        return json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise DocumentError(source, f"not JSON ({exc})") from None


def factchecks(
    q: Annotated[str | None, typer.Option("--q", help="Words in the claim.")] = None,
    claimant: Annotated[str | None, typer.Option(help="Part of the claimant's name.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=10_000, help="At most this many.")] = 50,
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON (as GET /v1/factchecks).")] = False,
) -> None:
    """List the stored fact-checks: claim, claimant, rating, publisher."""
    from claimcheck.api.factcheck_schemas import FactCheckPublic
    from claimcheck.bootstrap import open_store

    settings = settings_for(db)
    if not settings.database_url and not settings.db.exists():
        raise InvalidInput(f"no store at {settings.db}; run `claimcheck ingest --factchecks FILE` first")
    with closing(open_store(settings)) as store:
        rows = store.list_factchecks(q=q, claimant=claimant, limit=limit)
    if as_json:
        typer.echo(json.dumps([FactCheckPublic.of(r.factcheck).model_dump(mode="json") for r in rows],
                              ensure_ascii=False, indent=2))
        return
    for r in rows:
        fc = r.factcheck
        rating = fc.rating.name or (f"{fc.rating.value:g}" if fc.rating.value is not None else "?")
        typer.echo(f"{rating:>14}  {fc.claim}\n{'':>16}{fc.claimant or 'unknown claimant'}; "
                   f"{fc.publisher or '?'}, {fc.reviewed or 'undated'}: {fc.url}")
    typer.echo(f"{len(rows)} fact-checks")


__all__ = ["factchecks", "ingest"]
