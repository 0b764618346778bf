"""Claims for analysts: ``GET /v1/claims`` as CSV or JSON Lines, chosen by the Accept header,
streamed page by page from the store (a whole corpus never sits in memory), every claim that
matches the filters from the cursor on."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

from claimcheck.api.schemas import ClaimPublic
from claimcheck.store.protocol import ClaimStore, StoredClaim

CSV = "text/csv"
NDJSON = "application/x-ndjson"
_PAGE = 500

CSV_COLUMNS = ("id", "document_id", "document_title", "speaker", "speaker_id", "speaker_kind", "kind", "cue",
               "said_on", "start", "end", "content", "negated", "figures", "dates")


def wanted(accept: str) -> str | None:
    """CSV or NDJSON when the Accept header asks for one of them before JSON; None for JSON."""
    for part in accept.split(","):
        kind = part.split(";")[0].strip().lower()
        if kind in (CSV, NDJSON):
            return kind
        if kind in ("application/json", "*/*", "application/*"):
            return None
    return None


def _pages(store: ClaimStore, filters: dict[str, Any], after: str | None) -> Iterator[StoredClaim]:
    while rows := store.list_claims(limit=_PAGE, after=after, **filters):
        yield from rows
        after = rows[-1].id
        if len(rows) < _PAGE:
            return


def ndjson(store: ClaimStore, filters: dict[str, Any], after: str | None) -> Iterator[bytes]:
    for stored in _pages(store, filters, after):
        yield (json.dumps(ClaimPublic.stored(stored).model_dump(mode="json"), ensure_ascii=False) + "\n").encode()


def csv_rows(store: ClaimStore, filters: dict[str, Any], after: str | None) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    titles: dict[str, str | None] = {}
    for stored in _pages(store, filters, after):
        c = stored.claim
        if c.document_id not in titles:
            doc = store.get_document(c.document_id)
            titles[c.document_id] = doc.title if doc else None
        writer.writerow((
            stored.id, c.document_id, titles[c.document_id], c.speaker.name, stored.speaker_id, c.speaker.kind.value,
            c.kind.value, c.cue.text if c.cue else "", c.said_on.text if c.said_on else "", c.content.start,
            c.content.end, c.content.text, "true" if c.negated else "false",
            "; ".join(f.text for f in c.figures), "; ".join(d.text for d in c.dates)))
        if buffer.tell() > 64_000:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()
