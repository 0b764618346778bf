"""Fetching pages safely: what is refused (addresses, schemes, sizes, redirects, content types)
and what is read, against a real HTTP server on loopback (tests/pageserver.py)."""

from __future__ import annotations

import pytest

from claimcheck.errors import DocumentError, FetchFailed, FetchRefused
from claimcheck.ingest.fetch import Fetcher, check_url, refused_address
from claimcheck.ingest.html import HTML_TYPES
from claimcheck.ingest.sources import page_document
from tests.pageserver import PAGES, serving

MAX = 2_000_000


@pytest.fixture(scope="module")
def server():
    with serving() as s:
        yield s


@pytest.fixture
def fetcher():
    with Fetcher(max_bytes=MAX, timeout=10, allow_private=True) as f:
        yield f


@pytest.mark.parametrize(("address", "why"), [
    ("127.0.0.1", "loopback"), ("127.8.9.10", "loopback"), ("::1", "loopback"), ("10.0.0.1", "private"),
    ("172.16.5.4", "private"), ("192.168.1.1", "private"), ("169.254.169.254", "link-local"),
    ("fe80::1", "link-local"), ("fd00::1", "private"), ("0.0.0.0", "unspecified"), ("::", "unspecified"),
    ("224.0.0.1", "multicast"), ("100.64.0.1", "not a public"), ("::ffff:127.0.0.1", "loopback"),
    ("::ffff:10.1.2.3", "private"), ("2002:7f00:1::", "loopback"), ("240.0.0.1", "reserved"),
])
def test_private_and_special_addresses_are_refused(address, why):
    assert why in (refused_address(address) or "")


@pytest.mark.parametrize("address", ["93.184.215.14", "1.1.1.1", "2606:4700:4700::1111", "::ffff:8.8.8.8"])
def test_public_addresses_pass(address):
    assert refused_address(address) is None


@pytest.mark.parametrize(("url", "says"), [
    ("file:///etc/passwd", "only http and https"), ("ftp://example.com/a.html", "only http and https"),
    ("gopher://example.com/", "only http and https"), ("javascript:alert(1)", "only http and https"),
    ("/relative/page.html", "only http and https"), ("http:///nohost", "no host"),
    ("http://user:secret@example.com/", "user name or password"), ("", "empty"),
    ("http://example.com:99999/", "not a URL"), ("http://example.com/" + "a" * 2100, "2,000"),
    ("http://\x80/", "not a URL that can be fetched"), ("http://exa\x1bmple.com/", "not a URL that can be fetched"),
])
def test_urls_that_are_not_fetched(url, says):
    with pytest.raises(FetchRefused, match=says):
        check_url(url)


@pytest.mark.parametrize("host", ["127.0.0.1", "[::1]", "169.254.169.254", "localhost", "10.0.0.1"])
def test_private_addresses_are_refused_before_connecting(server, host):
    port = server.host.rsplit(":", 1)[1]
    with Fetcher(max_bytes=MAX, timeout=5) as f, pytest.raises(FetchRefused, match="CLAIMCHECK_FETCH_PRIVATE"):
        f.fetch(f"http://{host}:{port}/pages/x.html", HTML_TYPES)


def test_a_name_resolving_to_a_private_address_is_refused():
    """The check is on the address the name resolves to, where the connection is made."""
    with Fetcher(max_bytes=MAX, timeout=5, resolve=lambda host, port: ["10.0.0.1"]) as f, \
            pytest.raises(FetchRefused, match=r"from intranet.example \(10.0.0.1\): a private address"):
        f.fetch("http://intranet.example/news.html", HTML_TYPES)


def test_one_private_answer_among_public_ones_is_refused():
    with Fetcher(max_bytes=MAX, timeout=5, resolve=lambda host, port: ["93.184.215.14", "127.0.0.1"]) as f, \
            pytest.raises(FetchRefused, match="loopback"):
        f.fetch("http://rebind.example/", HTML_TYPES)


def test_a_redirect_to_a_private_address_is_refused(server):
    """Loopback allowed here (the test server), link-local not: the redirect is checked again."""
    def policy(address: str) -> str | None:
        return "link-local" if address.startswith("169.254.") else None

    with Fetcher(max_bytes=MAX, timeout=5, policy=policy) as f, \
            pytest.raises(FetchRefused, match=r"169\.254\.169\.254"):
        f.fetch(server.url("/to-metadata"), HTML_TYPES)


def test_a_page_is_fetched_and_read(server, fetcher):
    page = sorted(PAGES.glob("01_*.html"))[0]
    fetched = fetcher.fetch(server.url(f"/pages/{page.name}"), HTML_TYPES)
    assert fetched.data == page.read_bytes() and fetched.content_type == "text/html"
    document = page_document(fetched, MAX)
    assert document.url and document.origin_sha256 and document.title


@pytest.mark.parametrize("prefix", ["07_", "13_"])
def test_pages_in_single_byte_charsets_are_decoded_by_their_declaration(server, fetcher, prefix):
    import json

    page = sorted(PAGES.glob(f"{prefix}*.html"))[0]
    answer = json.loads(page.with_suffix(".json").read_text("utf-8"))
    document = page_document(fetcher.fetch(server.url(f"/pages/{page.name}"), HTML_TYPES), MAX)
    text = " ".join(document.text.split())
    assert all(" ".join(s.split()) in text for s in answer["kept"])
    assert "\ufffd" not in document.text


def test_five_redirects_are_followed_six_are_not(server, fetcher):
    assert fetcher.fetch(server.url("/hop/4"), HTML_TYPES).url.startswith(server.url("/pages/"))
    with pytest.raises(FetchRefused, match="more than 5 redirects"):
        fetcher.fetch(server.url("/hop/5"), HTML_TYPES)


def test_a_redirect_loop_is_refused(server, fetcher):
    with pytest.raises(FetchRefused, match="more than 5 redirects"):
        fetcher.fetch(server.url("/loop"), HTML_TYPES)


@pytest.mark.parametrize(("path", "says"), [
    ("/big", "too large"), ("/big-declared", "too large"), ("/bomb", "once decompressed"),
    ("/text", "content type text/plain"),
])
def test_hostile_answers_are_refused(server, fetcher, path, says):
    with pytest.raises(FetchRefused, match=says):
        fetcher.fetch(server.url(path), HTML_TYPES)


def test_a_page_nested_100000_deep_is_refused_as_no_article(server, fetcher):
    fetched = fetcher.fetch(server.url("/deep"), HTML_TYPES)
    with pytest.raises(DocumentError, match="no article text"):
        page_document(fetched, MAX)


def test_an_error_status_and_a_closed_port_fail_with_the_reason(server, fetcher):
    with pytest.raises(FetchFailed, match="404"):
        fetcher.fetch(server.url("/pages/nothing.html"), HTML_TYPES)
    with pytest.raises(FetchFailed, match="cannot connect"):
        fetcher.fetch("http://127.0.0.1:9/", HTML_TYPES)
