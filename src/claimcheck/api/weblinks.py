"""Which stored URLs may leave the service as links.

A document's ``url`` is whatever its sender wrote, and ingest keeps it as given. Pages, and the
exports that other tools render (ClaimReview, Web Annotations), only publish http(s) URLs: a
``javascript:`` or ``data:`` URL there would run in whoever shows it.

Here in ``api/`` rather than in ``web/``: the JSON API's exports need it as much as the desk's
pages do, and imports go from ``web/`` to ``api/``, not back.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.requests import Request


def web_url(url: str | None) -> str | None:
    """``url`` if it is an http(s) URL, else None. (``urlsplit`` drops the tabs and newlines a
    browser would ignore, so "java\\tscript:" is not taken for a path.)"""
    if not url:
        return None
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return None
    return url if scheme in ("http", "https") else None


def own_url(request: Request) -> str:
    """The service's own URL, no trailing slash: ``CLAIMCHECK_PUBLIC_URL`` when set, else the one
    the request was sent to."""
    runtime = getattr(request.app.state, "runtime", None)
    configured = runtime.settings.public_url if runtime is not None else None
    return (configured or str(request.base_url)).rstrip("/")
