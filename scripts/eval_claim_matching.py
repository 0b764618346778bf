"""Claim matching against the hand-written table in datasets/claim_matching/.

    python scripts/eval_claim_matching.py [--part dev|test] [--nli on|off|both] [--show-errors]

Stores every review of tests/fixtures/factchecks/datafeed.json (parsed as the service parses
them), then asks, for each (statement, review) pair of the part, whether the review is among
the fact-checks that verify would return for the statement. A pair labelled ``same`` is a true
positive when its review is returned; a pair labelled not the same is a false positive when it
is. Any *other* review returned is counted too (wrong_review), as a desk would see it. Reports
precision, recall and F1 per engine (rules alone; with the entailment model), and recall and
false matches per kind of pair.

Tune on dev (``--show-errors`` lists its mistakes); run test only to report.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from claimcheck import service
from claimcheck.extract import Extractor
from claimcheck.ingest.claimreview import read_claim_reviews
from claimcheck.match.entailment import EntailmentScorer, load_model
from claimcheck.nlp import load
from claimcheck.settings import Settings
from claimcheck.store import MemoryStore

ROOT = Path(__file__).resolve().parent.parent
TABLE = ROOT / "datasets" / "claim_matching"
FEED = ROOT / "tests" / "fixtures" / "factchecks" / "datafeed.json"


def run(pairs: list[dict[str, Any]], store: MemoryStore, extractor: Extractor,
        model: EntailmentScorer | None, show: bool) -> dict[str, Any]:
    tp = fp = fn = tn = wrong = 0
    by_kind: dict[str, Counter[str]] = {}
    for pair in pairs:
        speaker = pair.get("speaker")
        parsed = extractor.statement(service.statement_document(pair["statement"]))
        named = speaker or (service.statement_speaker(parsed) if parsed.speaker.name and parsed.speaker.resolved
                            else None)
        said = pair["statement"] if speaker is None or parsed.speaker.name else f"{speaker} said {pair['statement']}"
        found = [m.factcheck.url for m in service.prior_factchecks(store, parsed, named, said, model)]
        hit = pair["review"] in found
        wrong += sum(url != pair["review"] for url in found)
        counts = by_kind.setdefault(pair["kind"], Counter())
        counts["n"] += 1
        counts["matched"] += hit
        if pair["same"]:
            tp, fn = tp + hit, fn + (not hit)
        else:
            fp, tn = fp + hit, tn + (not hit)
        if show and hit != pair["same"]:
            print(f"  {'missed' if pair['same'] else 'FALSE '} [{pair['kind']}] {pair['statement']!r}"
                  f"{' (speaker ' + speaker + ')' if speaker else ''}", file=sys.stderr)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"pairs": len(pairs), "tp": tp, "fp": fp, "fn": fn, "tn": tn, "precision": round(precision, 3),
            "recall": round(recall, 3), "f1": round(f1, 3), "wrong_review": wrong,
            "by_kind": {k: dict(v) for k, v in sorted(by_kind.items())}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--part", choices=("dev", "test"), default="dev")
    parser.add_argument("--nli", choices=("on", "off", "both"), default="both")
    parser.add_argument("--show-errors", action="store_true", help="list the mistakes (dev only)")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    if args.show_errors and args.part == "test":
        parser.error("--show-errors is for dev: the test part is looked at only to report")
    split = json.loads((TABLE / "split.json").read_text("utf-8"))
    reviews_in = set(split[args.part])
    pairs = [p for line in (TABLE / "pairs.jsonl").read_text("utf-8").splitlines() if line.strip()
             for p in [json.loads(line)] if p["review"] in reviews_in]
    settings = Settings()
    extractor = Extractor(load(settings.spacy_model))
    reviews = read_claim_reviews(json.loads(FEED.read_text("utf-8")))
    store = MemoryStore()
    service.add_factchecks(store, reviews, extractor.statements(service.factcheck_documents(reviews)))
    report: dict[str, Any] = {"part": args.part, "reviews_stored": len(reviews)}
    for engine in (("off", "on") if args.nli == "both" else (args.nli,)):
        model = load_model(settings.nli_model) if engine == "on" else None
        if args.show_errors:
            print(f"[{engine}]", file=sys.stderr)
        report["rules" if engine == "off" else "model"] = run(pairs, store, extractor, model, args.show_errors)
    print(json.dumps(report, indent=1))
    if args.json:
        args.json.write_text(json.dumps(report, indent=1) + "\n", "utf-8")


if __name__ == "__main__":
    main()
