"""Boilerplate removal and metadata on the saved pages in tests/fixtures/pages/.

    python scripts/eval_pages.py [--json OUT]

Each page comes with its answer, written by hand before any extraction was run (the .json
beside it): the article's sentences ("kept"), boilerplate lines ("dropped": cookie notices,
menus, related headlines, comments, footers ...), and the metadata the page declares. The page
is read as `claimcheck ingest page.html` reads it, and the same article as text (the .txt
beside it, as `claimcheck ingest page.txt`). Reported, over all pages and per page:

- the share of article sentences kept in the stored text, and of boilerplate lines dropped;
- title, publication date, author and site name read right;
- claims per article from the page and from the text: how many, and how many the same
  (same speaker and content span text);
- the cost of reading HTML: extraction (trafilatura) and parsing, against parsing the text.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from claimcheck.domain import Document, Extraction
from claimcheck.errors import DocumentError
from claimcheck.extract import Extractor
from claimcheck.ingest import read_document
from claimcheck.nlp import load
from claimcheck.settings import Settings

PAGES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "pages"


def _norm(s: str) -> str:
    return " ".join(s.split())


def _claims(extraction: Any) -> set[tuple[str, str]]:
    return {(c.speaker.name or "", _norm(c.content.text)) for c in extraction.claims}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    settings = Settings()
    extractor = Extractor(load(settings.spacy_model))
    rows = []
    totals = {"kept": 0, "kept_of": 0, "dropped": 0, "dropped_of": 0, "html_s": 0.0, "read_s": 0.0, "text_s": 0.0}
    meta_right = {"title": 0, "published": 0, "author": 0, "site_name": 0}
    claims_html = claims_text = claims_same = 0
    pages = sorted(PAGES.glob("*.html"))
    extractor.extract(read_document(pages[0].with_suffix(".txt"), max_bytes=settings.max_document_bytes))  # warm
    for page in pages:
        answer = json.loads(page.with_suffix(".json").read_text("utf-8"))
        t0 = time.perf_counter()
        try:
            document = read_document(page, max_bytes=settings.max_document_bytes)
        except DocumentError as exc:  # nothing read: every sentence missing, nothing leaked
            document = Document(text="", title=None)
            print(f"refused: {exc.detail}", file=sys.stderr)
        t1 = time.perf_counter()
        from_html = extractor.extract(document) if document.text else Extraction(document, ())
        t2 = time.perf_counter()
        from_text = extractor.extract(read_document(page.with_suffix(".txt"), max_bytes=settings.max_document_bytes))
        t3 = time.perf_counter()
        stored = _norm(document.text)
        kept = [s for s in answer["kept"] if _norm(s) in stored]
        leaked = [s for s in answer["dropped"] if _norm(s) in stored]
        got = {"title": document.title, "published": document.published and document.published.isoformat(),
               "author": document.author, "site_name": document.source}
        right = {k: (got[k] or None) == (answer.get(k) or None) for k in meta_right}
        for k, ok in right.items():
            meta_right[k] += ok
        a, b = _claims(from_html), _claims(from_text)
        claims_html, claims_text, claims_same = claims_html + len(a), claims_text + len(b), claims_same + len(a & b)
        totals["kept"] += len(kept)
        totals["kept_of"] += len(answer["kept"])
        totals["dropped"] += len(answer["dropped"]) - len(leaked)
        totals["dropped_of"] += len(answer["dropped"])
        totals["read_s"] += t1 - t0
        totals["html_s"] += t2 - t0
        totals["text_s"] += t3 - t2
        rows.append({"page": page.name, "kept": f"{len(kept)}/{len(answer['kept'])}",
                     "missing": [s for s in answer["kept"] if _norm(s) not in stored],
                     "leaked": leaked, "metadata_wrong": {k: got[k] for k, ok in right.items() if not ok},
                     "claims_html": len(a), "claims_text": len(b), "claims_same": len(a & b)})
    n = len(pages)
    report = {
        "pages": n,
        "article_sentences_kept": round(totals["kept"] / totals["kept_of"], 3),
        "boilerplate_lines_dropped": round(totals["dropped"] / totals["dropped_of"], 3),
        "metadata_right": {k: f"{v}/{n}" for k, v in meta_right.items()},
        "claims": {"from_html": claims_html, "from_text": claims_text, "same": claims_same},
        "seconds_per_page": {"read_html": round(totals["read_s"] / n, 4),
                             "html_read_and_parse": round(totals["html_s"] / n, 4),
                             "text_read_and_parse": round(totals["text_s"] / n, 4),
                             "ratio_html_to_text": round(totals["html_s"] / totals["text_s"], 2)},
        "per_page": rows,
    }
    print(json.dumps(report, indent=1, ensure_ascii=False))
    if args.json:
        args.json.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", "utf-8")


if __name__ == "__main__":
    main()
