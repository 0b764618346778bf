"""Shared by the desk's page tests, browser tests and ``scripts/screenshots.py``: an invented
article with hostile markup inside its claims, and how to find a browser to drive."""

from __future__ import annotations

import os
import shutil

# Every name is invented. The markup sits inside quoted and reported claims, so that it is in
# highlighted spans (and in the title and URL) on every page.
HOSTILE = "<script>alert(1)</script>"
HOSTILE_ATTR = '"><img src=x onerror=alert(2)>'
ARTICLE = {
    "title": "Bridge collapse in Tasso <script>alert(3)</script>",
    "source": "Kordan Herald",
    "published": "2026-03-04",
    "url": "javascript:alert(4)",
    "text": (
        "Bridge collapse in Tasso leaves dozens hurt\n"
        "Ann Cole, the mayor of Tasso, said on Monday that 40 people were hurt when the old river bridge "
        "collapsed.\n"
        f"\"The words {HOSTILE} were sprayed on the barrier before it fell,\" said Ann Cole.\n"
        "Peter Okafor, a spokesman for Kestrel Air, said the airline had cancelled 12 flights out of "
        "Tasso on Tuesday.\n"
        f"According to Lina Berg, the sign at the gate read {HOSTILE_ATTR} for most of the morning.\n"
        "According to Ola Brandt, at least 300 passengers were stranded at Tasso airport overnight.\n"
    ),
}
SUPPORTED = "Ann Cole said 40 people were hurt"


def chromium() -> str | None:
    """Debian's Chromium (Playwright's own browser download is not reachable here)."""
    return shutil.which("chromium") or next((p for p in ("/usr/bin/chromium", "/usr/bin/chromium-browser")
                                              if os.path.exists(p)), None)

# The same article without the hostile markup: what the README's screenshots show.
DEMO = {**ARTICLE, "title": "Bridge collapse in Tasso leaves dozens hurt", "url": None,
        "text": ARTICLE["text"].replace(HOSTILE, "KEEP OUT").replace(HOSTILE_ATTR, "CLOSED")}
CONFLICTING = "Ann Cole said 60 people were hurt"
