"""Reading web pages: the article's main text and its metadata, with trafilatura.

A saved news page is mostly not the article: menus, cookie notices, "related stories", share
buttons, comments and footers surround it. trafilatura (with htmldate for dates) finds the main
text and drops the rest; it is the best-evaluated open extractor for news pages, and rules of our
own would be a worse copy of it. What it gives is then stored as plain text, headline first,
one paragraph per block, blank lines between: that text is what every offset indexes, as for a
text file. The page's URL and a hash of its raw bytes are kept with it.

Metadata, strongest first: a JSON-LD ``NewsArticle``/``Article`` block (what the publisher
declares for search engines), then trafilatura's reading of ``og:``/``article:`` meta tags,
``<meta name=author>``, ``<time>`` and, last, its guesses from the page.
"""

from __future__ import annotations

import codecs
import hashlib
import json
import re
import threading
from collections.abc import Iterator
from datetime import date
from typing import Any

import lxml.html
import trafilatura
from lxml import etree

from claimcheck.domain import Document
from claimcheck.errors import DocumentError
from claimcheck.ingest.claimreview import jsonld_types
from claimcheck.ingest.documents import document_from_text

HTML_TYPES = ("text/html", "application/xhtml+xml")
# Fewer words than this is not an article (a menu item, "Loading...", a bare title): the shortest
# wire brief is a sentence or two.
MIN_WORDS = 8

# Where browsers look for a declared charset: a <meta> in the first 1,024 bytes (WHATWG's
# prescan). Pages saved by browsers and CMSes declare it there.
_PRESCAN = 1024
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
# WHATWG's encoding standard reads these labels as windows-1252, a superset: pages labelled
# latin-1 routinely hold curly quotes in 0x80-0x9F.
_AS_WINDOWS_1252 = {"latin_1", "iso8859-1", "ascii", "cp1252"}
_ARTICLE_TYPES = {"article", "newsarticle", "reportagenewsarticle", "analysisnewsarticle", "backgroundnewsarticle",
                  "opinionnewsarticle", "reviewnewsarticle", "blogposting", "report", "liveblogposting"}
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_DATE = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})")
# One extraction at a time in a process: lxml's parsers and trees must not be shared between
# threads, and trafilatura and htmldate keep module-level lxml parsers. A feed's pages are read on
# several threads (and API requests with a URL on the server's), and a CI run once died with
# "double free or corruption" re-reading a feed; not reproduced since, so this is a precaution
# that costs little (extraction holds the interpreter lock most of the time anyway).
_EXTRACTING = threading.Lock()


def html_charset(data: bytes, declared: str | None = None) -> str:
    """The codec a page is decoded with: the HTTP header's charset, else the page's own
    ``<meta>`` declaration, else UTF-8. Unknown labels fall back to UTF-8."""
    for label in (declared, _meta_charset(data)):
        if not label:
            continue
        try:
            name = codecs.lookup(label.strip().strip("\"'")).name
        except LookupError:
            continue
        return "cp1252" if name in _AS_WINDOWS_1252 else name
    return "utf-8"


def _meta_charset(data: bytes) -> str | None:
    found = _META_CHARSET.search(data[:_PRESCAN])
    return found.group(1).decode("ascii", "replace") if found else None


def decode_html(data: bytes, path: str | None, max_bytes: int, declared: str | None = None) -> str:
    """Bytes of a page to text, by its declared charset; undecodable bytes are replaced (a page
    is read for its article, and a stray byte in a footer must not refuse it)."""
    if len(data) > max_bytes:
        raise DocumentError(path, f"page is too large ({len(data):,} bytes; limit {max_bytes:,})")
    if not data.strip():
        raise DocumentError(path, "page is empty")
    charset = html_charset(data, declared)
    text = data.decode(charset, errors="replace")
    return text.removeprefix("\ufeff")


def document_from_html(
    data: bytes,
    *,
    url: str | None = None,
    path: str | None = None,
    max_bytes: int,
    charset: str | None = None,
    title: str | None = None,
    source: str | None = None,
    published: date | str | None = None,
) -> Document:
    """A Document from a web page's bytes: the article's text and metadata. Explicit ``title``,
    ``source`` and ``published`` (a feed item's, a JSON Lines record's) are fallbacks: what the
    page itself declares wins. Raises DocumentError when the page holds no article text."""
    where = path or url
    markup = decode_html(data, where, max_bytes, charset)
    if "\x00" in markup:
        raise DocumentError(where, "page is binary (contains NUL bytes), not HTML")
    # lxml refuses a str that still declares its encoding (XHTML's <?xml ... encoding=?>): the
    # bytes are decoded already.
    markup = _XML_DECLARATION.sub("", markup, count=1)
    try:
        tree = lxml.html.fromstring(markup)
    except (etree.ParserError, ValueError):
        raise DocumentError(where, "page is not HTML that can be read") from None
    declared = _json_ld_article(tree)
    # Tables in: pages laid out in tables (older CMSes) hold their article in one; without them
    # such a page gave nothing (measured on tests/fixtures/pages: 95% of article sentences kept
    # without tables, 100% with, and 86% of boilerplate lines dropped either way within 5 points).
    # favor_precision: trafilatura's stricter reading of what is boilerplate.
    with _EXTRACTING:
        found = trafilatura.bare_extraction(
            tree, url=url, with_metadata=True, include_comments=False, include_tables=True,
            include_images=False, favor_precision=True, deduplicate=False,
        )
    meta: dict[str, Any] = found if isinstance(found, dict) else found.as_dict() if found is not None else {}
    body = meta.get("text") or ""
    paragraphs = [" ".join(line.split()) for line in body.splitlines()]
    paragraphs = [p for p in paragraphs if p]
    if sum(len(p.split()) for p in paragraphs) < MIN_WORDS:
        raise DocumentError(where, "no article text found in the page (only navigation, boilerplate or markup)")
    headline = declared.get("title") or meta.get("title") or title
    headline = " ".join(headline.split()) if headline else None
    if headline and paragraphs[0].casefold() != headline.casefold():
        paragraphs.insert(0, headline)
    text = "\n\n".join(paragraphs) + "\n"
    return document_from_text(
        text,
        title=headline,
        source=declared.get("source") or meta.get("sitename") or source,
        published=declared.get("published") or _day(meta.get("date")) or published,
        url=declared.get("url") or url or meta.get("url"),
        path=path,
        author=declared.get("author") or meta.get("author"),
        language=declared.get("language") or _language(tree) or meta.get("language"),
        origin_sha256=hashlib.sha256(data).hexdigest(),
    )


def _day(value: str | None) -> date | None:
    if not value:
        return None
    found = _DATE.match(value)
    if found is None:
        return None
    try:
        return date.fromisoformat(found.group(1))
    except ValueError:
        return None


def _language(tree: Any) -> str | None:
    lang = tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang")
    return lang.strip()[:35] if lang and lang.strip() else None


def _json_ld_article(tree: Any) -> dict[str, Any]:
    """What the page's first JSON-LD article object declares: title, author, source (the
    publisher), published (a date), url, language. Blocks that are not valid JSON are skipped,
    as search engines skip them."""
    for script in tree.iterfind(".//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text or "")
        except (json.JSONDecodeError, RecursionError):
            continue
        for node in _nodes(data):
            if jsonld_types(node) & _ARTICLE_TYPES:
                return _article_fields(node)
    return {}


def _nodes(data: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    """Every object of a JSON-LD document: itself, a list's items, an ``@graph``'s."""
    if depth > 4:
        return
    if isinstance(data, list):
        for item in data:
            yield from _nodes(item, depth + 1)
    elif isinstance(data, dict):
        yield data
        yield from _nodes(data.get("@graph"), depth + 1)


def _name(value: Any) -> str | None:
    """A schema.org Person/Organization (or a list of them, or a plain string) as one name."""
    if isinstance(value, list):
        names = [n for n in (_name(v) for v in value) if n]
        return ", ".join(names) if names else None
    if isinstance(value, dict):
        value = value.get("name")
    if isinstance(value, str) and value.strip():
        return " ".join(value.split())[:300]
    return None


def _article_fields(node: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    headline = node.get("headline") or node.get("name")
    if isinstance(headline, str) and headline.strip():
        out["title"] = " ".join(headline.split())[:1000]
    if (author := _name(node.get("author"))) is not None:
        out["author"] = author
    if (publisher := _name(node.get("publisher"))) is not None:
        out["source"] = publisher
    published = node.get("datePublished") or node.get("dateCreated")
    if isinstance(published, str) and (day := _day(published)) is not None:
        out["published"] = day
    url = node.get("url") or node.get("mainEntityOfPage")
    if isinstance(url, dict):
        url = url.get("@id") or url.get("url")
    if isinstance(url, str) and url.startswith(("http://", "https://")):
        out["url"] = url[:2000]
    lang = node.get("inLanguage")
    if isinstance(lang, str) and lang.strip():
        out["language"] = lang.strip()[:35]
    return out
