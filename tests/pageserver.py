"""A small web server on loopback for the tests of fetching: the saved pages of
tests/fixtures/pages (each with the charset its page declares), their feeds, fact-checks, and
hostile answers (redirect chains and loops, a page too large, a gzip bomb, a page nested
100,000 deep, a text/plain answer). Started per test module in a thread; ``url(path)``."""

from __future__ import annotations

import gzip
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
PAGES = FIXTURES / "pages"
BIG = 50_000_000  # bytes of the page that is too large


class PageServer:
    def __init__(self, server: ThreadingHTTPServer) -> None:
        self.server = server
        self.host = f"127.0.0.1:{server.server_address[1]}"
        self.requests: list[str] = []

    def url(self, path: str) -> str:
        return f"http://{self.host}{path}"


def _page_type(name: str) -> str:
    # The pages declare their own charset in a <meta>; page 13 also in the header, as servers do.
    return "text/html; charset=iso-8859-1" if name.startswith("13_") else "text/html"


class _Handler(BaseHTTPRequestHandler):
    server_version = "pageserver/1"
    protocol_version = "HTTP/1.1"
    # Buffered: headers and body leave in one write (unbuffered, the small writes meet Nagle's
    # algorithm and delayed ACKs: 40 ms a page on loopback, which a benchmark would measure).
    wbufsize = 1 << 16

    def log_message(self, *args: object) -> None:  # quiet
        pass

    def _send(self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, location: str) -> None:
        self._send(302, b"", "text/plain", {"Location": location})

    def do_GET(self) -> None:
        state: PageServer = self.server.state  # type: ignore[attr-defined]
        state.requests.append(self.path)
        path = self.path.split("?")[0]
        if path.startswith("/pages/"):
            page = PAGES / path.removeprefix("/pages/")
            if page.is_file() and page.suffix == ".html":
                self._send(200, page.read_bytes(), _page_type(page.name))
            else:
                self._send(404, b"not found", "text/plain")
        elif path in ("/feed.xml", "/atom.xml"):
            kind = "application/rss+xml" if path == "/feed.xml" else "application/atom+xml"
            self._send(200, (PAGES / path[1:]).read_text("utf-8").replace("HOST", state.host).encode(), kind)
        elif path.startswith("/hop/"):  # /hop/N redirects N times, then to page 01
            n = int(path.removeprefix("/hop/"))
            first = sorted(PAGES.glob("01_*.html"))[0].name
            self._redirect(f"/hop/{n - 1}" if n > 0 else f"/pages/{first}")
        elif path == "/loop":
            self._redirect("/loop")
        elif path == "/to-metadata":
            self._redirect("http://169.254.169.254/latest/meta-data/")
        elif path == "/big":  # no Content-Length: the cap counts as it reads
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Connection", "close")
            self.end_headers()
            chunk = b"<p>" + b"The council said the budget would grow. " * 1000 + b"</p>\n"
            try:
                for _ in range(BIG // len(chunk) + 1):
                    self.wfile.write(chunk)
            except (BrokenPipeError, ConnectionResetError):
                pass
        elif path == "/big-declared":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(BIG))
            self.send_header("Connection", "close")
            self.end_headers()
        elif path == "/bomb":  # 50 MB of spaces, gzipped to about 50 KB
            body = gzip.compress(b"<html><body><p>" + b" " * BIG + b"</p></body></html>", compresslevel=9)
            self._send(200, body, "text/html", {"Content-Encoding": "gzip"})
        elif path == "/deep":
            body = b"<html><body>" + b"<div>" * 100_000 + b"<p>Officials said the vote was delayed.</p>" \
                + b"</div>" * 100_000 + b"</body></html>"
            self._send(200, body, "text/html")
        elif path == "/text":
            self._send(200, b"Officials said the vote was delayed by a week.", "text/plain")
        elif path == "/factchecks.json":
            self._send(200, (FIXTURES / "factchecks" / "datafeed.json").read_bytes(), "application/ld+json")
        else:
            self._send(404, b"not found", "text/plain")


@contextmanager
def serving() -> Iterator[PageServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    state = PageServer(server)
    server.state = state  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
