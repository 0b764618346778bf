"""Articles as they come, end to end: saved pages, a feed and its pages fetched from a real server
on loopback, JSON Lines, WARC archives and ClaimReview feeds, through the CLI (a real process)
and the API, with fetching of private addresses allowed only when CLAIMCHECK_FETCH_PRIVATE=1."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from claimcheck.api.app import create_app
from claimcheck.ingest.sources import load_sources
from claimcheck.settings import Settings
from tests.pageserver import FIXTURES, PAGES, serving

MAX = 2_000_000


@pytest.fixture(scope="module")
def server():
    with serving() as s:
        yield s


def _cli(*args: str, db: Path, private: bool) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLAIMCHECK_")}
    env.update(CLAIMCHECK_DB=str(db), CLAIMCHECK_PROCESSES="1")
    if private:
        env["CLAIMCHECK_FETCH_PRIVATE"] = "1"
    return subprocess.run([sys.executable, "-m", "claimcheck", *args], capture_output=True, text=True, env=env,
                          timeout=600)


def _pages(*prefixes: str) -> list[Path]:
    return [sorted(PAGES.glob(f"{p}_*.html"))[0] for p in prefixes]


def test_the_cli_ingests_a_feed_url_and_its_pages_only_when_private_fetching_is_allowed(server, tmp_path):
    db = tmp_path / "feed.sqlite3"
    refused = _cli("ingest", server.url("/feed.xml"), db=db, private=False)
    assert refused.returncode == 1 and "CLAIMCHECK_FETCH_PRIVATE" in refused.stderr, refused.stderr
    done = _cli("ingest", server.url("/feed.xml"), db=db, private=True)
    assert done.returncode == 0, done.stderr
    assert "5 documents added" in done.stdout and "0 refused" in done.stdout
    again = _cli("ingest", server.url("/feed.xml"), db=db, private=True)
    assert "0 documents added" in again.stdout and "5 unchanged" in again.stdout
    listed = _cli("claims", "--json", "--limit", "500", db=db, private=False)
    claims = json.loads(listed.stdout)
    assert len({c["document_id"] for c in claims}) == 5  # every page gave claims


def test_the_cli_ingests_jsonl_warc_and_fact_checks_in_one_run(server, tmp_path):
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    first, second, third = _pages("06", "08", "09")
    warc = tmp_path / "crawl.warc.gz"
    with warc.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        for page in (first, second):
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(f"https://news.example/{page.name}", "response",
                                                          payload=io.BytesIO(page.read_bytes()), http_headers=headers))
        writer.write_record(writer.create_warc_record("https://news.example/style.css", "response",
                                                      payload=io.BytesIO(b"body{}"), http_headers=StatusAndHeaders(
                                                          "200 OK", [("Content-Type", "text/css")],
                                                          protocol="HTTP/1.1")))
    lines = tmp_path / "items.jsonl"
    lines.write_text("\n".join([
        json.dumps({"text": third.with_suffix(".txt").read_text("utf-8"), "title": "From text", "published":
                    "2024-03-01", "source": "Wire"}),
        json.dumps({"html": _pages("10")[0].read_text("utf-8"), "url": "https://press.example/release"}),
        json.dumps({"url": server.url(f"/pages/{_pages('11')[0].name}"), "title": "Fetched"}),
        json.dumps({"title": "nothing to read"}),
        "{not json",
    ]) + "\n", "utf-8")
    db = tmp_path / "mixed.sqlite3"
    run = _cli("ingest", str(warc), str(lines), "--factchecks", str(FIXTURES / "factchecks" / "datafeed.json"),
               db=db, private=True)
    assert run.returncode == 1, run.stderr  # two lines of the JSON Lines file are refused
    assert "5 documents added" in run.stdout and "2 refused" in run.stdout, run.stdout
    assert "40 fact-checks added" in run.stdout
    assert "items.jsonl:4" in run.stderr and "items.jsonl:5" in run.stderr
    listed = json.loads(_cli("factchecks", "--json", "--limit", "100", db=db, private=False).stdout)
    assert len(listed) == 40


def test_a_bad_fact_check_file_is_refused_and_nothing_stored(tmp_path):
    db = tmp_path / "bad.sqlite3"
    run = _cli("ingest", "--factchecks", str(FIXTURES / "factchecks" / "bad" / "datafeed_third_broken.json"),
               db=db, private=False)
    assert run.returncode == 1 and "dataFeedElement[2]" in run.stderr and "Traceback" not in run.stderr
    assert "0 fact-checks added" not in run.stdout  # nothing was readable: no store was written
    listed = _cli("factchecks", "--json", db=db, private=False)
    assert listed.returncode != 0 or json.loads(listed.stdout) == []


def test_a_folder_of_saved_pages_and_text_loads_both(tmp_path):
    for page in _pages("01", "02"):
        (tmp_path / page.name).write_bytes(page.read_bytes())
    (tmp_path / "wire.txt").write_text(_pages("03")[0].with_suffix(".txt").read_text("utf-8"), "utf-8")
    loaded = list(load_sources([str(tmp_path)], max_bytes=MAX, fetcher=None))
    assert [item.error for item in loaded] == [None, None, None]
    html = [item.document for item in loaded if item.path.endswith(".html")]
    assert all(d is not None and d.origin_sha256 and d.author for d in html)


def test_without_a_fetcher_urls_and_feed_items_are_refused_each_with_a_reason(tmp_path):
    feed = tmp_path / "feed.xml"
    feed.write_text((PAGES / "feed.xml").read_text("utf-8").replace("HOST", "news.example"), "utf-8")
    loaded = list(load_sources([str(feed), "https://news.example/a.html"], max_bytes=MAX, fetcher=None))
    assert len(loaded) == 6 and all(item.error is not None and "not fetched" in item.error.detail for item in loaded)


@pytest.fixture
def api(tmp_path):
    def make(private: bool) -> TestClient:
        settings = Settings(db=tmp_path / f"api{private}.sqlite3", seeds=tmp_path / "none", parse_workers=0,
                            fetch_private=private)
        return TestClient(create_app(settings))
    return make


def test_the_api_fetches_a_url_only_when_private_fetching_is_allowed(server, api):
    page = _pages("12")[0]
    url = server.url(f"/pages/{page.name}")
    with api(False) as client:
        r = client.post("/v1/documents", json={"url": url})
        assert r.status_code == 422 and "private" in r.json()["detail"], r.text
        assert client.get("/v1/documents").json()["items"] == []
        for bad in ("file:///etc/passwd", "ftp://example.com/x.html", "http://169.254.169.254/latest/meta-data/"):
            r = client.post("/v1/documents", json={"url": bad})
            assert r.status_code == 422 and r.headers["content-type"] == "application/problem+json", bad
    with api(True) as client:
        first = client.post("/v1/documents", json={"url": url})
        assert first.status_code == 201, first.text
        assert first.json()["url"] and first.json()["claims"] > 0
        again = client.post("/v1/documents", json={"url": url})
        assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
        for path, status in (("/loop", 422), ("/bomb", 422), ("/big", 422), ("/text", 422),
                             ("/pages/missing.html", 502)):
            r = client.post("/v1/documents", json={"url": server.url(path)})
            assert r.status_code == status and r.headers["content-type"] == "application/problem+json", (path, r.text)
        stored = client.get(f"/v1/documents/{first.json()['id']}").json()
        for c in stored["claims"]:
            assert stored["text"][c["content"]["start"]:c["content"]["end"]] == c["content"]["text"]


def test_the_api_takes_a_page_as_text_html_or_as_html_in_json(api):
    page = _pages("07")[0]  # windows-1252, declared in the page
    answer = json.loads(page.with_suffix(".json").read_text("utf-8"))
    with api(False) as client:
        r = client.post("/v1/documents", content=page.read_bytes(), headers={"Content-Type": "text/html"})
        assert r.status_code == 201, r.text
        assert r.json()["title"] == answer["title"]
        text = client.get(f"/v1/documents/{r.json()['id']}").json()["text"]
        assert all(" ".join(s.split()) in " ".join(text.split()) for s in answer["kept"])
        other = _pages("16")[0]
        r = client.post("/v1/documents", json={"html": other.read_text("utf-8"), "url": "https://x.example/a"})
        assert r.status_code == 201 and r.json()["url"]
        both = client.post("/v1/documents", json={"html": "<p>x</p>", "text": "x"})
        assert both.status_code == 422 and both.json()["errors"][0]["field"] == "body.html"
        neither = client.post("/v1/documents", json={"title": "no body"})
        assert neither.status_code == 422 and neither.json()["errors"][0]["field"] == "body.text"
        big = client.post("/v1/documents", content=b"<p>" + b"a " * 3_000_000 + b"</p>",
                          headers={"Content-Type": "text/html"})
        assert big.status_code == 413
