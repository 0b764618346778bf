"""The desk in a real browser: Playwright driving the system's Chromium against a real
``claimcheck serve`` on the seeds plus an invented article.

Skipped, with the reason, when Playwright or Chromium is missing; with
CLAIMCHECK_REQUIRE_BROWSER=1 (CI sets it) a missing browser is a failure instead.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import SEEDS
from tests.desk import ARTICLE, HOSTILE_ATTR, SUPPORTED, chromium
from tests.serving import Server

REQUIRED = os.environ.get("CLAIMCHECK_REQUIRE_BROWSER") == "1"


def unavailable(reason: str) -> None:
    if REQUIRED:
        pytest.fail(f"{reason}, and CLAIMCHECK_REQUIRE_BROWSER=1 asks for the browser tests to run")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        unavailable("Playwright for Python is not installed (pip install -e '.[test]')")
    executable = chromium()
    if executable is None:
        unavailable("Chromium is not installed (apt-get install chromium)")
    with sync_playwright() as p:
        try:
            launched = p.chromium.launch(executable_path=executable)
        except Error as exc:
            unavailable(f"Chromium at {executable} does not start: {str(exc).splitlines()[0]}")
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory, browser) -> Iterator[Server]:
    db = tmp_path_factory.mktemp("browser") / "c.sqlite3"
    with Server(db, seeds=SEEDS) as running:
        r = httpx.post(f"{running.base}/v1/documents", json=ARTICLE, timeout=120)
        assert r.status_code == 201, r.text
        yield running


@pytest.fixture
def page(browser, server) -> Iterator[Any]:
    context = browser.new_context(base_url=server.base, viewport={"width": 1100, "height": 900})
    opened = context.new_page()
    dialogs: list[str] = []
    opened.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    yield opened
    context.close()
    assert not dialogs, f"a script from the data ran: {dialogs}"


def speaker_id(server: Server, name: str) -> str:
    (found,) = httpx.get(f"{server.base}/v1/speakers", params={"q": name}).json()["items"]
    return found["id"]


def article_id(server: Server) -> str:
    items = httpx.get(f"{server.base}/v1/documents").json()["items"]
    return next(d["id"] for d in items if d["source"] == ARTICLE["source"])


def test_browse_from_home_to_a_speaker_and_into_the_article(page, tmp_path: Path):
    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Speakers").click()
    page.get_by_label("Name or alias").fill("Cole")
    page.get_by_label("Name or alias").press("Enter")
    page.get_by_role("link", name="Ann Cole").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Ann Cole"
    first = page.locator(".claims mark.claim").first
    assert first.is_visible() and "40 people" in first.inner_text()
    assert page.locator(".claims .figure").first.inner_text() == "40 people"
    page.screenshot(path=tmp_path / "speaker.png", full_page=True)

    link = page.get_by_role("link", name="in the article").first
    href = link.get_attribute("href")
    assert href is not None and "#claim-" in href
    link.click()
    page.wait_for_url(f"**{href}")
    target = page.locator("mark:target")
    assert target.count() == 1 and target.get_attribute("id") == href.split("#")[1]
    assert "40 people were hurt" in target.inner_text()
    assert target.evaluate("m => getComputedStyle(m).outlineStyle") == "solid"  # the claim stands out
    box, height = target.bounding_box(), page.viewport_size["height"]
    assert box is not None and 0 <= box["y"] < height  # scrolled into view
    page.screenshot(path=tmp_path / "article.png")


def test_verify_through_the_form(page, tmp_path: Path):
    from playwright.sync_api import expect

    page.goto("/verify")
    page.get_by_label("Statement", exact=True).fill(SUPPORTED)
    page.get_by_label("Statement", exact=True).press("Enter")
    page.wait_for_url("**/verify?statement=*")
    assert page.locator(".verdict .badge").inner_text() == "Supported"
    evidence = page.locator("mark.evidence").first
    assert evidence.is_visible() and evidence.inner_text() == "40 people were hurt when the old river bridge collapsed"
    assert page.get_by_label("Permalink to this check").input_value() == page.url
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.get_by_role("button", name="Copy").click()
    expect(page.locator("#copy-status")).to_have_text("Copied.")
    assert page.evaluate("navigator.clipboard.readText()") == page.url
    page.screenshot(path=tmp_path / "verdict.png", full_page=True)


def test_keyboard_only_verification(page, tmp_path: Path):
    page.goto("/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"  # visible focus
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "statement"
    page.keyboard.type("Peter Okafor said the airline cancelled 12 flights")
    page.keyboard.press("Enter")
    page.wait_for_url("**/verify?statement=*")
    assert page.locator(".verdict .badge").inner_text() == "Supported"
    assert "12 flights" in page.locator("mark.evidence").first.inner_text()
    page.screenshot(path=tmp_path / "keyboard.png")


def test_hostile_markup_stays_text(page, server):
    page.goto(f"/articles/{article_id(server)}")
    assert page.locator("img").count() == 0 and page.locator("main script").count() == 0
    assert HOSTILE_ATTR in page.locator("article.document").inner_text()
    page.goto(f"/verify?statement=Lina+Berg+said+{HOSTILE_ATTR}")
    assert page.locator("img").count() == 0
    assert page.get_by_label("Statement", exact=True).input_value() == f"Lina Berg said {HOSTILE_ATTR}"


def test_phone_viewport_has_no_horizontal_scroll(browser, server, tmp_path: Path):
    context = browser.new_context(base_url=server.base, viewport={"width": 375, "height": 667},
                                  is_mobile=True, has_touch=True)
    phone = context.new_page()
    try:
        for i, url in enumerate(["/", "/speakers", f"/speakers/{speaker_id(server, 'Ann Cole')}", "/articles",
                                 f"/articles/{article_id(server)}", "/verify",
                                 f"/verify?statement={SUPPORTED}&speaker=Ann+Cole&date=2026-03-04",
                                 "/articles/0000000000000000"]):
            phone.goto(url)
            widths = phone.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            assert widths[0] <= widths[1], f"{url} scrolls sideways: {widths}"
            phone.screenshot(path=tmp_path / f"phone-{i}.png", full_page=True)
    finally:
        context.close()
