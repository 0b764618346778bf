"""Take the README's screenshots of the desk: a speaker's page and a verdict.

Starts a real ``claimcheck serve`` on the seeds plus an invented article (on a temporary
database), drives Debian's Chromium with Playwright, and writes docs/screenshots/speaker.png
and docs/screenshots/verdict.png. Run from the checkout: ``.venv/bin/python scripts/screenshots.py``.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the tests' server helper and invented article

import httpx  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402
from tests.conftest import SEEDS  # noqa: E402
from tests.desk import CONFLICTING, DEMO, chromium  # noqa: E402
from tests.serving import Server  # noqa: E402

OUT = ROOT / "docs" / "screenshots"


def main() -> int:
    executable = chromium()
    if executable is None:
        print("Chromium is not installed (apt-get install chromium)", file=sys.stderr)
        return 1
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, Server(Path(tmp) / "c.sqlite3", seeds=SEEDS) as server:
        assert httpx.post(f"{server.base}/v1/documents", json=DEMO, timeout=120).status_code == 201
        (cole,) = httpx.get(f"{server.base}/v1/speakers", params={"q": "Ann Cole"}).json()["items"]
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=executable)
            page = browser.new_page(base_url=server.base, viewport={"width": 1000, "height": 700})
            page.goto(f"/speakers/{cole['id']}")
            page.screenshot(path=OUT / "speaker.png", full_page=True)
            page.goto("/verify")
            page.get_by_label("Statement", exact=True).fill(CONFLICTING)
            page.get_by_label("Statement", exact=True).press("Enter")
            page.wait_for_url("**/verify?statement=*")
            page.locator(".evidence > li").nth(1).scroll_into_view_if_needed()
            page.screenshot(path=OUT / "verdict.png", clip={"x": 0, "y": 0, "width": 1000, "height": 1100},
                            full_page=True)
            browser.close()
    for name in ("speaker.png", "verdict.png"):
        print(OUT / name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
