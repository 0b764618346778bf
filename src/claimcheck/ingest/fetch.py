"""Fetching pages and feeds over HTTP, safely by default.

A URL a user sends makes the service connect somewhere: to the newsroom's own intranet, the
cloud's metadata endpoint (169.254.169.254) or the machine itself, unless that is refused. Here
the address is checked **when the connection is made**, for every address a name resolves to and
on every redirect: a name that resolves to a private address, a redirect to one, and a DNS answer
that changes between a check and the connection (rebinding) are all refused, because the check
and the connection are the same step. Loopback, private, link-local, shared, reserved,
multicast and unspecified addresses, IPv4 and IPv6 (and IPv4 inside IPv6), are refused unless
``allow_private`` (``CLAIMCHECK_FETCH_PRIVATE=1``, for tests and intranets).

Each fetch has a connect and read timeout and a deadline in all, a cap on the bytes read
*after* decompression (a gzip bomb stops at the cap), a check of the content type, at most 5
redirects, http and https only, and no proxy taken from the environment (it would bypass the
address check).
"""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from claimcheck import __version__
from claimcheck.errors import FetchFailed, FetchRefused

MAX_REDIRECTS = 5
USER_AGENT = f"claimcheck/{__version__} (+https://github.com/claimcheck)"
# A name to addresses: socket.getaddrinfo by default; tests pass a fake.
Resolver = Callable[[str, int], list[str]]


def system_resolver(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        # A name that resolves to nothing is the URL's problem (422), not the remote end's.
        raise FetchRefused(f"the host {host!r} does not resolve ({getattr(exc, 'strerror', None) or exc})") from None
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def refused_address(address: str) -> str | None:
    """Why an address may not be fetched from ("a loopback address"), or None for a public one."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        inner = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if inner is not None:
            ip = inner
    # Most specific first: 0.0.0.0/8 and 240.0.0.0/4 count as private to Python too.
    for test, what in ((ip.is_unspecified, "an unspecified"), (ip.is_loopback, "a loopback"),
                       (ip.is_link_local, "a link-local"), (ip.is_multicast, "a multicast"),
                       (ip.is_reserved, "a reserved"), (ip.is_private, "a private")):
        if test:
            return f"{what} address"
    if not ip.is_global:
        return "not a public address"
    return None


# Why an address is refused (None: allowed): ``refused_address`` by default.
Policy = Callable[[str], "str | None"]


class _GuardedBackend(httpcore.SyncBackend):
    """httpcore's socket backend, connecting only to addresses that pass the check."""

    def __init__(self, resolve: Resolver, allow_private: bool, policy: Policy = refused_address) -> None:
        self._resolve = resolve
        self._allow_private = allow_private
        self._policy = policy

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options: Iterable[Any] | None = None) -> httpcore.NetworkStream:
        addresses = self._resolve(host, port)
        if not addresses:
            raise FetchFailed(f"{host!r} resolves to no address")
        if not self._allow_private:
            for address in addresses:
                why = self._policy(address)
                if why is not None:
                    shown = f"{host} ({address})" if host != address else address
                    raise FetchRefused(f"refused to fetch from {shown}: {why} (set CLAIMCHECK_FETCH_PRIVATE=1 "
                                       "to allow private addresses)")
        return super().connect_tcp(addresses[0], port, timeout=timeout, local_address=local_address,
                                   socket_options=socket_options)


class _GuardedTransport(httpx.BaseTransport):
    """An httpx transport over an httpcore pool with the guarded backend (httpx's own transport
    takes no network backend)."""

    def __init__(self, resolve: Resolver, allow_private: bool, policy: Policy) -> None:
        self._pool = httpcore.ConnectionPool(ssl_context=httpx.create_ssl_context(), max_connections=10,
                                             network_backend=_GuardedBackend(resolve, allow_private, policy))

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        assert isinstance(request.stream, httpx.SyncByteStream)
        core = httpcore.Request(
            method=request.method,
            url=httpcore.URL(scheme=request.url.raw_scheme, host=request.url.raw_host, port=request.url.port,
                             target=request.url.raw_path),
            headers=request.headers.raw, content=request.stream, extensions=request.extensions)
        try:
            response = self._pool.handle_request(core)
        except httpcore.TimeoutException:
            raise FetchFailed(f"{request.url.host}: timed out") from None
        except httpcore.NetworkError as exc:
            raise FetchFailed(f"{request.url.host}: cannot connect ({exc or 'connection failed'})") from None
        except httpcore.ProtocolError as exc:
            raise FetchFailed(f"{request.url.host}: the server broke the HTTP protocol ({exc})") from None
        assert isinstance(response.stream, Iterable)
        return httpx.Response(status_code=response.status, headers=response.headers,
                              stream=_Stream(response.stream, request.url.host), extensions=response.extensions)

    def close(self) -> None:
        self._pool.close()


class _Stream(httpx.SyncByteStream):
    def __init__(self, stream: Iterable[bytes], host: str) -> None:
        self._stream = stream
        self._host = host

    def __iter__(self) -> Iterator[bytes]:
        try:
            yield from self._stream
        except httpcore.TimeoutException:
            raise FetchFailed(f"{self._host}: timed out while reading") from None
        except (httpcore.NetworkError, httpcore.ProtocolError) as exc:
            raise FetchFailed(f"{self._host}: the connection broke while reading ({exc})") from None

    def close(self) -> None:
        if hasattr(self._stream, "close"):
            self._stream.close()


@dataclass(frozen=True, slots=True)
class Fetched:
    url: str  # after redirects
    content_type: str  # the media type alone, lower case
    charset: str | None  # the header's charset parameter
    data: bytes


class Fetcher:
    """Fetches URLs with the limits above. One per process (it keeps a connection pool); use in a
    ``with`` block or ``close()`` it. ``resolve`` and ``policy`` are for tests: a fake DNS, and
    which addresses count as private."""

    def __init__(self, *, max_bytes: int, timeout: float = 20.0, allow_private: bool = False,
                 resolve: Resolver = system_resolver, policy: Policy = refused_address) -> None:
        self.max_bytes = max_bytes
        self.timeout = timeout
        self._client = httpx.Client(transport=_GuardedTransport(resolve, allow_private, policy), trust_env=False,
                                    follow_redirects=False, timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
                                    headers={"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate"})

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def fetch(self, url: str, accept: tuple[str, ...]) -> Fetched:
        """GET ``url``, following up to 5 redirects; the body must be one of the ``accept``
        media types and at most ``max_bytes`` once decompressed. FetchRefused for what the
        policy refuses, FetchFailed for what the remote end did."""
        try:
            return self._fetch(url, accept)
        except httpx.InvalidURL as exc:
            raise FetchRefused(f"{url[:200]!r} is not a URL that can be fetched ({exc})") from None
        except httpx.HTTPError as exc:  # anything of httpx's own our transport did not already name
            raise FetchFailed(f"{url[:200]}: {exc or type(exc).__name__}") from None

    def _fetch(self, url: str, accept: tuple[str, ...]) -> Fetched:
        deadline = time.monotonic() + self.timeout
        current = check_url(url)
        for _ in range(MAX_REDIRECTS + 1):
            with self._client.stream("GET", current, headers={"Accept": ", ".join(accept) + ", */*;q=0.1"}) as r:
                if r.is_redirect:
                    location = r.headers.get("location")
                    if not location:
                        raise FetchFailed(f"{current}: a redirect without a Location")
                    current = check_url(urljoin(current, location))
                    continue
                if r.status_code >= 400:
                    raise FetchFailed(f"{current}: the server answered {r.status_code} {r.reason_phrase}")
                kind, charset = _content_type(r.headers.get("content-type", ""))
                if kind not in accept:
                    raise FetchRefused(f"{current}: content type {kind or 'missing'} is not one of {', '.join(accept)}")
                declared = r.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > self.max_bytes:
                    raise FetchRefused(f"{current}: the page is too large ({int(declared):,} bytes; "
                                       f"limit {self.max_bytes:,})")
                data = self._read(r, current, deadline)
                return Fetched(str(r.url), kind, charset, data)
        raise FetchRefused(f"{url}: more than {MAX_REDIRECTS} redirects")

    def _read(self, r: httpx.Response, url: str, deadline: float) -> bytes:
        chunks: list[bytes] = []
        size = 0
        try:
            for chunk in r.iter_bytes():  # decompressed: the cap counts what a bomb expands to
                size += len(chunk)
                if size > self.max_bytes:
                    raise FetchRefused(f"{url}: the page is too large (more than {self.max_bytes:,} bytes "
                                       "once decompressed)")
                if time.monotonic() > deadline:
                    raise FetchFailed(f"{url}: not read within {self.timeout:g} s")
                chunks.append(chunk)
        except httpx.DecodingError:
            raise FetchFailed(f"{url}: the page's compressed body is corrupt") from None
        return b"".join(chunks)


def check_url(url: str) -> str:
    """An absolute http(s) URL with a host, or FetchRefused naming what is wrong."""
    if not isinstance(url, str) or not url.strip():
        raise FetchRefused("the URL is empty")
    url = url.strip()
    if len(url) > 2000:
        raise FetchRefused(f"the URL is {len(url):,} characters long; the limit is 2,000")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (raises on a port that is not a number)
    except ValueError as exc:
        raise FetchRefused(f"{url[:200]!r} is not a URL ({exc})") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise FetchRefused(f"only http and https URLs are fetched, not {parts.scheme or 'a relative URL'}: {url[:200]}")
    if not parts.hostname:
        raise FetchRefused(f"the URL has no host: {url[:200]}")
    if parts.username or parts.password:
        raise FetchRefused("URLs with a user name or password are not fetched")
    try:
        httpx.URL(url)  # what the client will parse: control characters, hosts that are not IDNA
    except httpx.InvalidURL as exc:
        raise FetchRefused(f"{url[:200]!r} is not a URL that can be fetched ({exc})") from None
    return url


def _content_type(header: str) -> tuple[str, str | None]:
    kind, _, params = header.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            charset = value.strip().strip("\"'")
    return kind.strip().lower(), charset
