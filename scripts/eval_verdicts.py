"""Verdict accuracy of statement fixtures against their hand-written labels.

    python scripts/eval_verdicts.py tests/fixtures/verdicts_dev.json [--show-errors] [--json OUT]
        [--nli on|off|both] [--model FOLDER]

Unlike `claimcheck regress` (which reports every change against accepted output), this scores
the engine against what a person decided each statement's verdict should be: accuracy, the
confusion matrix, precision of `supported`, recall of `conflicting`, accuracy per failure class
(the fixture's `class` field), the expected calibration error of `confidence`, and evidence
recall (the fixture's `gold` snippet among the evidence, and first). ``--nli both`` runs the
rules alone and with the entailment model on the same ingested corpus, in one run.

Keep to the convention: `--show-errors` on development fixtures only; a held-out fixture is run
to report its figures, never to look at its mistakes.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path
from typing import Any

from claimcheck.extract import Extractor
from claimcheck.ingest import load_documents
from claimcheck.match import TantivyIndex, judge
from claimcheck.match.entailment import EntailmentScorer, load_model
from claimcheck.nlp import load
from claimcheck.regress import load_fixture
from claimcheck.service import ingest, verify
from claimcheck.settings import Settings
from claimcheck.store import MemoryStore

LABELS = ("supported", "conflicting", "misattributed", "disputed", "not_enough_info")


def prepare(path: Path, extractor: Extractor) -> tuple[dict[str, Any], MemoryStore, TantivyIndex]:
    """The fixture, with its corpus ingested into a fresh in-memory store and index."""
    fixture = load_fixture(path)
    store, index = MemoryStore(), TantivyIndex()
    corpus = [(path.parent / p).resolve() for p in fixture.get("corpus", [])]
    documents = [i.document for i in load_documents([p for p in corpus if p.exists()], max_bytes=10_000_000)
                 if i.document]
    list(ingest(store, index, extractor, documents))
    return fixture, store, index


def verdicts(prepared: tuple[dict[str, Any], MemoryStore, TantivyIndex], extractor: Extractor,
             model: EntailmentScorer | None) -> list[dict[str, Any]]:
    """One row per statement: what was expected, what the engine said, and its evidence."""
    fixture, store, index = prepared
    rows = []
    for item in fixture["statements"]:
        on = date.fromisoformat(item["date"]) if item.get("date") else None
        v = verify(store, index, extractor, item["statement"], item.get("speaker"), on, entailment=model)
        top = next((e for e in v.evidence if e.stance.value != "related"), None)
        gold = item.get("gold")
        rows.append({"id": item.get("id"), "statement": item["statement"], "speaker": item.get("speaker"),
                     "class": item.get("class", "plain"), "expected": item["expected"],
                     "article": item.get("article"),
                     "got": v.verdict.value, "confidence": v.confidence, "strength": v.strength,
                     "evidence": top.claim.content.text if top else None,
                     "reasons": [r.code for r in top.reasons] if top else [],
                     "gold_found": _found(gold, v, store) if gold else None})
    return rows


def run(path: Path, extractor: Extractor, engines: dict[str, EntailmentScorer | None] | None = None
        ) -> dict[str, list[dict[str, Any]]]:
    """Rows per engine (name -> entailment model, or None for the rules alone), one ingest."""
    prepared = prepare(path, extractor)
    return {name: verdicts(prepared, extractor, model)
            for name, model in (engines if engines is not None else {"rules": None}).items()}


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"\w+", text.lower()) if len(w) > 2}


def _found(gold: str, verdict: Any, store: MemoryStore) -> str:
    """Where the gold snippet is among the evidence: "first", "shown" or "missing". A piece of
    evidence holds it when the sentence it stands in (content, cue and speaker) and the snippet
    overlap: one inside the other, or most of the snippet's words in the sentence. (The snippet
    is what a person marked as deciding: sometimes the attribution, "said X, a professor at Y",
    rather than the words the claim's content span holds.)"""
    want = _words(gold)
    for i, e in enumerate(verdict.evidence):
        document = store.get_document(e.claim.document_id)
        text = judge.sentence(e.claim, document.text) if document else e.claim.content.text
        if gold in text or text in gold or (want and len(want & _words(text)) >= 0.6 * len(want)):
            return "first" if i == 0 else "shown"
    return "missing"


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
        "evidence_recall": _recall(rows, ("first", "shown")),
        "evidence_first": _recall(rows, ("first",)),
        "confusion": Counter((r["expected"], r["got"]) for r in rows),
    }


def _recall(rows: list[dict[str, Any]], where: tuple[str, ...]) -> float | None:
    """Share of the statements a source speaks to (not `not_enough_info`, a gold snippet given)
    whose snippet is among the evidence (``where``: its place)."""
    spoken = [r for r in rows if r["expected"] != "not_enough_info" and r.get("gold_found")]
    return round(sum(r["gold_found"] in where for r in spoken) / len(spoken), 3) if spoken else None


def print_summary(path: Path, s: dict[str, Any], engine: str = "") -> None:
    print(f"{path}{' [' + engine + ']' if engine else ''}: {s['n']} statements, accuracy {s['accuracy']}, "
          f"precision(supported) {s['supported_precision']} ({s['false_supported']} false), recall(conflicting) "
          f"{s['conflicting_recall']}, ECE {s['ece']}, evidence recall {s['evidence_recall']} "
          f"(first {s['evidence_first']})")
    print("  per class: " + ", ".join(f"{k} {v}" for k, v in s["per_class"].items()))
    print("  " + "expected / got".ljust(16) + "".join(f"{lab[:12]:>14}" for lab in LABELS))
    for want in LABELS:
        print(f"  {want:16}" + "".join(f"{s['confusion'].get((want, got), 0):>14}" for got in LABELS))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("fixtures", nargs="+", type=Path)
    parser.add_argument("--show-errors", action="store_true")
    parser.add_argument("--json", type=Path, help="write every row here")
    parser.add_argument("--nli", choices=("on", "off", "both"), default="both",
                        help="the entailment model: with it, without it (rules alone), or both in one run")
    parser.add_argument("--model", type=Path,
                        help="the model folder (default: CLAIMCHECK_NLI_MODEL or the shipped one)")
    args = parser.parse_args()
    settings = Settings()
    extractor = Extractor(load(settings.spacy_model))
    engines: dict[str, EntailmentScorer | None] = {}
    if args.nli in ("off", "both"):
        engines["rules"] = None
    if args.nli in ("on", "both"):
        engines["model"] = load_model(args.model or settings.nli_model, threads=settings.nli_threads)
    dump = {}
    for path in args.fixtures:
        for engine, rows in run(path, extractor, engines).items():
            print_summary(path, summary(rows), engine)
            dump[f"{path} [{engine}]"] = rows
            if args.show_errors:
                for r in rows:
                    if r["expected"] != r["got"]:
                        print(f"  WRONG [{r['class']}] {r['statement']!r} ({r['speaker']}): expected "
                              f"{r['expected']}, got {r['got']} {r['confidence']}; {r['reasons']} {r['evidence']!r}")
    if args.json:
        args.json.write_text(json.dumps(dump, ensure_ascii=False, indent=1), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
