"""Command line: a thin adapter over the library. Errors become a message and a non-zero exit."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from tqdm import tqdm

from claimcheck import __version__
from claimcheck.domain import Claim, Extraction, to_jsonable
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


@app.command()
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
        typer.echo(f"error: {item.error.detail}", err=True)
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
