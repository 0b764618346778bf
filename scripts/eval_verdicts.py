"""Verdict accuracy of statement fixtures against their hand-written labels.

    python scripts/eval_verdicts.py tests/fixtures/verdicts_dev.json [--show-errors] [--json OUT]

Unlike `claimcheck regress` (which reports every change against accepted output), this scores
the engine against what a person decided each statement's verdict should be: accuracy, the
confusion matrix, precision of `supported`, recall of `conflicting`, accuracy per failure class
(the fixture's `class` field) and the expected calibration error of `confidence`.

Keep to the convention: `--show-errors` on development fixtures only; a held-out fixture is run
to report its figures, never to look at its mistakes.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path
from typing import Any

from claimcheck.extract import Extractor
from claimcheck.ingest import load_documents
from claimcheck.match import TantivyIndex
from claimcheck.nlp import load
from claimcheck.regress import load_fixture
from claimcheck.service import ingest, verify
from claimcheck.settings import Settings
from claimcheck.store import MemoryStore

LABELS = ("supported", "conflicting", "misattributed", "disputed", "not_enough_info")


def run(path: Path, extractor: Extractor) -> list[dict[str, Any]]:
    fixture = load_fixture(path)
    store, index = MemoryStore(), TantivyIndex()
    corpus = [(path.parent / p).resolve() for p in fixture.get("corpus", [])]
    documents = [i.document for i in load_documents([p for p in corpus if p.exists()], max_bytes=10_000_000)
                 if i.document]
    list(ingest(store, index, extractor, documents))
    rows = []
    for item in fixture["statements"]:
        on = date.fromisoformat(item["date"]) if item.get("date") else None
        v = verify(store, index, extractor, item["statement"], item.get("speaker"), on)
        top = next((e for e in v.evidence if e.stance.value != "related"), None)
        rows.append({"id": item.get("id"), "statement": item["statement"], "speaker": item.get("speaker"),
                     "class": item.get("class", "plain"), "expected": item["expected"],
                     "got": v.verdict.value, "confidence": v.confidence, "strength": v.strength,
                     "evidence": top.claim.content.text if top else None,
                     "reasons": [r.code for r in top.reasons] if top else []})
    return rows


def ece(rows: list[dict[str, Any]], bins: int = 10) -> float:
    """Expected calibration error: |accuracy - mean confidence| per confidence bin, weighted."""
    grouped: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        grouped[min(int(r["confidence"] * bins), bins - 1)].append(r)
    total = len(rows)
    return sum(len(g) / total * abs(sum(r["expected"] == r["got"] for r in g) / len(g)
                                    - sum(r["confidence"] for r in g) / len(g)) for g in grouped.values())


def summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    n = len(rows)
    right = sum(r["expected"] == r["got"] for r in rows)
    said_supported = [r for r in rows if r["got"] == "supported"]
    are_conflicting = [r for r in rows if r["expected"] == "conflicting"]
    per_class: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for r in rows:
        per_class[r["class"]][0] += r["expected"] == r["got"]
        per_class[r["class"]][1] += 1
    return {
        "n": n, "accuracy": round(right / n, 3),
        "supported_precision": round(sum(r["expected"] == "supported" for r in said_supported)
                                     / len(said_supported), 3) if said_supported else None,
        "false_supported": sum(r["expected"] != "supported" for r in said_supported),
        "conflicting_recall": round(sum(r["got"] == "conflicting" for r in are_conflicting)
                                    / len(are_conflicting), 3) if are_conflicting else None,
        "ece": round(ece(rows), 3),
        "per_class": {k: f"{a}/{b}" for k, (a, b) in sorted(per_class.items())},
        "confusion": Counter((r["expected"], r["got"]) for r in rows),
    }


def print_summary(path: Path, s: dict[str, Any]) -> None:
    print(f"{path}: {s['n']} statements, accuracy {s['accuracy']}, precision(supported) "
          f"{s['supported_precision']} ({s['false_supported']} false), recall(conflicting) "
          f"{s['conflicting_recall']}, ECE {s['ece']}")
    print("  per class: " + ", ".join(f"{k} {v}" for k, v in s["per_class"].items()))
    print("  " + "expected / got".ljust(16) + "".join(f"{lab[:12]:>14}" for lab in LABELS))
    for want in LABELS:
        print(f"  {want:16}" + "".join(f"{s['confusion'].get((want, got), 0):>14}" for got in LABELS))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("fixtures", nargs="+", type=Path)
    parser.add_argument("--show-errors", action="store_true")
    parser.add_argument("--json", type=Path, help="write every row here")
    args = parser.parse_args()
    extractor = Extractor(load(Settings().spacy_model))
    dump = {}
    for path in args.fixtures:
        rows = run(path, extractor)
        print_summary(path, summary(rows))
        dump[str(path)] = rows
        if args.show_errors:
            for r in rows:
                if r["expected"] != r["got"]:
                    print(f"  WRONG [{r['class']}] {r['statement']!r} ({r['speaker']}): expected {r['expected']}, "
                          f"got {r['got']} {r['confidence']}; {r['reasons']} {r['evidence']!r}")
    if args.json:
        args.json.write_text(json.dumps(dump, ensure_ascii=False, indent=1), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
