"""Reading documents: plain-text files plus optional metadata.

A text file is stored exactly as decoded (UTF-8, no newline or whitespace normalisation), so that
every offset claimcheck reports indexes it, and so do offsets made by other tools (annotations).

Metadata, weakest first:
1. the text itself: the first line is the headline when it looks like one; a closing
   ``Source: NAME`` line names the publisher;
2. ``manifest.json`` in the file's folder: a list of objects with ``file`` plus any of
   ``title``, ``source``, ``published`` (YYYY-MM-DD), ``url``;
3. a sidecar ``NAME.meta.json`` beside ``NAME.txt`` with any of the same fields.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from claimcheck.domain import Document, Span
from claimcheck.errors import DocumentError

META_FIELDS = ("title", "source", "published", "url")
MANIFEST = "manifest.json"
SIDECAR_SUFFIX = ".meta.json"
TEXT_SUFFIXES = (".txt", ".text")
HTML_SUFFIXES = (".html", ".htm", ".xhtml")  # read by ingest/html.py

_SOURCE_LINE = re.compile(r"^[ \t]*Source:[ \t]*(?P<name>\S[^\n]*?)[ \t]*\r?$", re.MULTILINE)
_HEADLINE_MAX_WORDS = 25

# Prose breaks into words. The longest whitespace-free run in 70 development articles is 33
# characters, and URLs stay below 8,190 (the default request-line limit of Apache and nginx), so
# a longer run is not text claimcheck can read: 50,000 "#" or quote marks in a row. Refused here,
# with its length, rather than spending a parse on it (each character would be one token).
MAX_RUN = 10_000
_LONG_RUN = re.compile(rf"(?<!\S)\S{{{MAX_RUN + 1},}}")  # anchored: linear in the text
# Sentences end. The longest sentence in the development corpora is far below 2,000 characters;
# a stretch of more than 20,000 with no sentence end or line break is not prose, and parsing it
# as one sentence costs the parser and the entity recogniser several times what its size
# suggests (400,000 such characters took 17 s here). Refused at once, with where it starts.
MAX_UNBROKEN = 20_000
_ENDS = ".!?…。！？\n"
_UNBROKEN = re.compile(rf"(?<![^{_ENDS}])[^{_ENDS}]{{{MAX_UNBROKEN + 1},}}")  # anchored: linear
# spaCy's ``Language.max_length``: the pipeline raises ValueError on longer text, which a
# document within the byte limit (2,000,000 bytes by default) could reach.
MAX_CHARACTERS = 1_000_000


def document_from_text(
    text: str,
    *,
    title: str | None = None,
    source: str | None = None,
    published: date | str | None = None,
    url: str | None = None,
    path: str | None = None,
    author: str | None = None,
    language: str | None = None,
    origin_sha256: str | None = None,
) -> Document:
    """Build a Document from text; explicit metadata wins over what the text itself says."""
    if not text.strip():
        raise DocumentError(path, "document is empty")
    if "\x00" in text:
        raise DocumentError(path, "document contains NUL characters (binary data?)")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise DocumentError(path, "document contains a lone surrogate (not valid Unicode text)") from None
    if len(text) > MAX_CHARACTERS:
        raise DocumentError(path, f"document is too large ({len(text):,} characters; limit {MAX_CHARACTERS:,})")
    run = _LONG_RUN.search(text)
    if run is not None:
        raise DocumentError(path, f"document has a {run.end() - run.start():,}-character run without "
                                  f"spaces (at character {run.start():,}); the limit is {MAX_RUN:,}")
    unbroken = _UNBROKEN.search(text)
    if unbroken is not None:
        raise DocumentError(path, f"document has {unbroken.end() - unbroken.start():,} characters without a "
                                  f"sentence end or line break (from character {unbroken.start():,}); the "
                                  f"limit is {MAX_UNBROKEN:,}")
    body_end = len(text)
    match = _last_source_line(text)
    if match is not None:
        body_end = match.start()
        source = source or match.group("name")
    headline = _headline(text, title)
    body_start = 0
    if headline is not None:
        body_start = headline.end
        title = title or headline.text
    return Document(
        text=text,
        title=title,
        source=source,
        published=_parse_date(published, path),
        url=url,
        path=path,
        body_start=body_start,
        body_end=body_end,
        headline=headline,
        author=author,
        language=language,
        origin_sha256=origin_sha256,
    )


def _last_source_line(text: str) -> re.Match[str] | None:
    """A ``Source:`` line counts only when nothing but blank lines follows it."""
    last = None
    for match in _SOURCE_LINE.finditer(text):
        last = match
    if last is not None and not text[last.end() :].strip():
        return last
    return None


def _headline(text: str, title: str | None) -> Span | None:
    stripped = text.lstrip()
    start = len(text) - len(stripped)
    newline = text.find("\n", start)
    if newline == -1 or not text[newline:].strip():
        return None  # a single paragraph is body, not a headline
    line = text[start:newline].rstrip()
    end = start + len(line)
    if title and _same_words(line, title):
        return Span(start, end, line)
    words = line.split()
    if 0 < len(words) <= _HEADLINE_MAX_WORDS and not line.rstrip(" ;").endswith((".", "!")):
        return Span(start, end, line)
    return None


def _words(s: str) -> str:
    return re.sub(r"\W+", " ", s).strip().casefold()


def _same_words(line: str, title: str) -> bool:
    return _words(line).startswith(_words(title))


def _parse_date(value: date | str | None, path: str | None) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise DocumentError(path, f"published must be a date as YYYY-MM-DD, got {value!r}") from None


def decode(data: bytes, path: str | None, max_bytes: int) -> str:
    """Bytes to text, refusing what is not a readable text document."""
    if len(data) > max_bytes:
        raise DocumentError(path, f"document is too large ({len(data):,} bytes; limit {max_bytes:,})")
    if b"\x00" in data:
        raise DocumentError(path, "document is binary (contains NUL bytes), not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DocumentError(path, f"document is not valid UTF-8 (byte {exc.start})") from None
    if not text.strip():
        raise DocumentError(path, "document is empty")
    return text


def read_document(
    path: Path, *, max_bytes: int, manifest: Mapping[str, Mapping[str, Any]] | None = None
) -> Document:
    """Read one text file or saved web page with its metadata (manifest entry, then sidecar; for a
    page, what the page declares wins over both)."""
    name = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DocumentError(name, f"cannot read file: {exc.strerror or exc}") from None
    meta: dict[str, Any] = {}
    if manifest and path.name in manifest:
        meta.update(manifest[path.name])
    meta.update(_read_sidecar(path))
    if path.suffix.lower() in HTML_SUFFIXES:
        from claimcheck.ingest.html import document_from_html  # trafilatura loads only when needed

        return document_from_html(data, path=name, max_bytes=max_bytes, **{k: meta.get(k) for k in META_FIELDS})
    text = decode(data, name, max_bytes)
    return document_from_text(text, path=name, **{k: meta.get(k) for k in META_FIELDS})


def _read_sidecar(path: Path) -> dict[str, Any]:
    sidecar = path.with_name(path.stem + SIDECAR_SUFFIX)
    if not sidecar.is_file():
        return {}
    try:
        data = json.loads(sidecar.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DocumentError(str(sidecar), f"metadata is not valid JSON: {exc}") from None
    return _check_meta(data, str(sidecar))


def _check_meta(data: Any, where: str) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise DocumentError(where, "metadata must be a JSON object")
    meta = {k: data[k] for k in META_FIELDS if data.get(k) is not None}
    for key, value in meta.items():
        if not isinstance(value, str):
            raise DocumentError(where, f"metadata field {key!r} must be a string")
    return meta


def read_manifest(folder: Path) -> dict[str, dict[str, Any]]:
    """``manifest.json`` of a folder as {file name: metadata}; empty when there is none."""
    path = folder / MANIFEST
    if not path.is_file():
        return {}
    try:
        entries = json.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DocumentError(str(path), f"manifest is not valid JSON: {exc}") from None
    if not isinstance(entries, list):
        raise DocumentError(str(path), "manifest must be a JSON list of objects with a 'file' key")
    out: dict[str, dict[str, Any]] = {}
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict) or not isinstance(entry.get("file"), str):
            raise DocumentError(str(path), f"manifest entry {i} needs a 'file' string")
        out[entry["file"]] = _check_meta(entry, f"{path}[{i}]")
    return out


@dataclass(frozen=True, slots=True)
class Loaded:
    """One input path: its document, or the error that kept it from loading."""

    path: str
    document: Document | None = None
    error: DocumentError | None = None


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files as given, folders as their text files and saved pages (sorted, recursively)."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out.extend(sorted(p for p in path.rglob("*")
                              if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES + HTML_SUFFIXES))
        else:
            out.append(path)
    return out


def load_documents(paths: Iterable[Path], *, max_bytes: int) -> Iterator[Loaded]:
    """Read every path; one bad file is reported and the rest still load."""
    manifests: dict[Path, dict[str, dict[str, Any]]] = {}
    for path in expand_paths(paths):
        try:
            if not path.exists():
                raise DocumentError(str(path), "no such file or folder")
            folder = path.parent
            if folder not in manifests:
                manifests[folder] = read_manifest(folder)
            yield Loaded(str(path), read_document(path, max_bytes=max_bytes, manifest=manifests[folder]))
        except DocumentError as exc:
            manifests.setdefault(path.parent, {})
            yield Loaded(str(path), error=exc)

