"""Articles as they come: files and folders, URLs, RSS and Atom feeds, JSON Lines and WARC.

``load_sources`` turns what a user names on the command line into documents, one ``Loaded``
per article (its document, or the reason it was refused), so that one bad item is reported and
the rest still load:

- a ``.txt`` file or a saved page (``.html``/``.htm``), or a folder of them (ingest/documents.py);
- a URL: fetched (ingest/fetch.py); a page is read as an article, a feed as its items;
- an RSS or Atom feed (``.rss``, ``.atom``, ``.xml``, or a URL serving one), read with
  feedparser: each item's link is fetched and read as a page, with the item's title and date as
  fallbacks for what the page does not declare;
- JSON Lines (``.jsonl``, ``.ndjson``): one object per line with ``text``, ``html`` or ``url``,
  and optionally ``title``, ``published``, ``source``, ``url``;
- WARC (``.warc``, ``.warc.gz``, read with warcio): every ``response`` record whose content type
  is HTML, with the record's target URI as the page's URL.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path
from typing import Any

from claimcheck.domain import Document
from claimcheck.errors import ClaimcheckError, DocumentError
from claimcheck.ingest.documents import META_FIELDS, Loaded, document_from_text, load_documents
from claimcheck.ingest.fetch import Fetched, Fetcher
from claimcheck.ingest.html import HTML_TYPES, document_from_html

FEED_SUFFIXES = (".rss", ".atom", ".xml")
JSONL_SUFFIXES = (".jsonl", ".ndjson")
WARC_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/xml", "text/xml", "application/rdf+xml")
PAGE_OR_FEED = HTML_TYPES + FEED_TYPES
# Items fetched at once from one feed: a feed's links are usually one site's.
FETCH_CONCURRENCY = 8


def is_url(name: str) -> bool:
    return "://" in name[:12]


def load_sources(inputs: Iterable[str], *, max_bytes: int, fetcher: Fetcher | None) -> Iterator[Loaded]:
    """Every article the inputs name, in order. ``fetcher`` is needed for URLs and feeds (None:
    they are refused, each with its reason)."""
    for name in inputs:
        if is_url(name):
            yield from _url(name, max_bytes, fetcher)
            continue
        path = Path(name)
        lower = path.name.lower()
        try:
            if not path.is_file():
                yield from load_documents([path], max_bytes=max_bytes)
            elif lower.endswith(FEED_SUFFIXES):
                yield from _feed(_read(path, max_bytes), name, max_bytes, fetcher)
            elif lower.endswith(JSONL_SUFFIXES):
                yield from _jsonl(path, max_bytes, fetcher)
            elif lower.endswith(WARC_SUFFIXES):
                yield from _warc(path, max_bytes)
            else:
                yield from load_documents([path], max_bytes=max_bytes)
        except DocumentError as exc:
            yield Loaded(name, error=exc)


def _read(path: Path, max_bytes: int) -> bytes:
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise DocumentError(str(path), f"file is too large ({size:,} bytes; limit {max_bytes:,})")
        return path.read_bytes()
    except OSError as exc:
        raise DocumentError(str(path), f"cannot read file: {exc.strerror or exc}") from None


def _fetch(url: str, fetcher: Fetcher | None, accept: tuple[str, ...]) -> Fetched:
    if fetcher is None:
        raise DocumentError(url, "URLs are not fetched here")
    try:
        return fetcher.fetch(url, accept)
    except ClaimcheckError as exc:
        raise DocumentError(None, exc.detail) from None


def _url(url: str, max_bytes: int, fetcher: Fetcher | None, fallback: dict[str, Any] | None = None) -> Iterator[Loaded]:
    try:
        fetched = _fetch(url, fetcher, PAGE_OR_FEED if fallback is None else HTML_TYPES)
        if fetched.content_type in FEED_TYPES and fallback is None:
            yield from _feed(fetched.data, url, max_bytes, fetcher)
            return
        yield Loaded(url, page_document(fetched, max_bytes, fallback))
    except DocumentError as exc:
        yield Loaded(url, error=exc)


def fetch_page(fetcher: Fetcher, url: str, max_bytes: int, fallback: dict[str, Any] | None = None) -> Document:
    """Fetch a web page and read its article (the API's ``{"url"}`` and the desk's Add page)."""
    return page_document(fetcher.fetch(url, HTML_TYPES), max_bytes, fallback)


def page_document(fetched: Fetched, max_bytes: int, fallback: dict[str, Any] | None = None) -> Document:
    """A fetched page as a document: the page's own metadata first, then ``fallback``."""
    meta = fallback or {}
    return document_from_html(fetched.data, url=fetched.url, max_bytes=max_bytes, charset=fetched.charset,
                              title=meta.get("title"), source=meta.get("source"), published=meta.get("published"))


def _feed(data: bytes, name: str, max_bytes: int, fetcher: Fetcher | None) -> Iterator[Loaded]:
    """A feed's items, each fetched as a page (several at once), in the feed's order."""
    import feedparser

    parsed = feedparser.parse(data)
    if not parsed.entries:
        why = f" ({parsed.bozo_exception})" if parsed.get("bozo") else ""
        raise DocumentError(name, f"not an RSS or Atom feed with items{why}")
    site = parsed.feed.get("title")
    items = []
    for entry in parsed.entries:
        link = entry.get("link")
        published = entry.get("published_parsed") or entry.get("updated_parsed")
        items.append((link, {"title": entry.get("title"), "source": site,
                             "published": date(*published[:3]) if published else None}))
    linked = [(link, meta) for link, meta in items if link]
    with ThreadPoolExecutor(FETCH_CONCURRENCY) as pool:
        # Each link gives one Loaded (a page, or why not); map keeps the feed's order.
        for loaded in pool.map(lambda item: list(_url(item[0], max_bytes, fetcher, item[1])), linked):
            yield from loaded
    for i, (link, _meta) in enumerate(items):
        if not link:
            yield Loaded(f"{name} item {i + 1}", error=DocumentError(name, f"item {i + 1} has no link"))


def _jsonl(path: Path, max_bytes: int, fetcher: Fetcher | None) -> Iterator[Loaded]:
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise DocumentError(str(path), f"cannot read file: {exc.strerror or exc}") from None
    with handle:
        for number, raw in enumerate(handle, start=1):
            where = f"{path}:{number}"
            if not raw.strip():
                continue
            try:
                record = _record(raw, where, max_bytes)
            except DocumentError as exc:
                yield Loaded(where, error=exc)
                continue
            meta = {k: record.get(k) for k in META_FIELDS}
            try:
                if isinstance(record.get("text"), str):
                    yield Loaded(where, document_from_text(record["text"], path=None, **meta))
                elif isinstance(record.get("html"), str):
                    yield Loaded(where, document_from_html(record["html"].encode("utf-8"), url=meta["url"],
                                                           max_bytes=max_bytes, charset="utf-8",
                                                           title=meta["title"], source=meta["source"],
                                                           published=meta["published"]))
                else:
                    yield from _url(record["url"], max_bytes, fetcher, meta)
            except DocumentError as exc:
                yield Loaded(where, error=DocumentError(where, exc.detail))


def _record(raw: bytes, where: str, max_bytes: int) -> dict[str, Any]:
    if len(raw) > max_bytes:
        raise DocumentError(where, f"line is too large ({len(raw):,} bytes; limit {max_bytes:,})")
    try:
        record = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise DocumentError(where, f"not a JSON object ({exc})") from None
    if not isinstance(record, dict):
        raise DocumentError(where, "each line must be a JSON object")
    if not any(isinstance(record.get(k), str) for k in ("text", "html", "url")):
        raise DocumentError(where, "the object needs a 'text', 'html' or 'url' string")
    for key in META_FIELDS:
        if record.get(key) is not None and not isinstance(record[key], str):
            raise DocumentError(where, f"field {key!r} must be a string")
    return record


def _warc(path: Path, max_bytes: int) -> Iterator[Loaded]:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    try:
        handle = path.open("rb")
    except OSError as exc:
        raise DocumentError(str(path), f"cannot read file: {exc.strerror or exc}") from None
    found = 0
    with handle:
        try:
            for record in ArchiveIterator(handle):
                if record.rec_type != "response" or record.http_headers is None:
                    continue
                kind, _, params = (record.http_headers.get_header("Content-Type") or "").partition(";")
                if kind.strip().lower() not in HTML_TYPES:
                    continue
                found += 1
                url = record.rec_headers.get_header("WARC-Target-URI")
                charset = params.partition("charset=")[2].strip().strip("\"'") or None
                data = record.content_stream().read(max_bytes + 1)
                try:
                    yield Loaded(url or f"{path} record {found}",
                                 document_from_html(data, url=url, max_bytes=max_bytes, charset=charset))
                except DocumentError as exc:
                    yield Loaded(url or f"{path} record {found}", error=exc)
        except (ArchiveLoadFailed, OSError, ValueError) as exc:
            raise DocumentError(str(path), f"not a readable WARC file ({exc})") from None
    if not found:
        raise DocumentError(str(path), "the WARC file holds no HTML response records")
