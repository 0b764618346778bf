"""Attribution precision and recall against the PolNeAR annotations in ../shared/corpora.

    python scripts/eval_attribution.py [--corpora DIR] [--show-errors] [--articles]

Scores the 49 annotated PolNeAR articles of ../shared/corpora (9 in corpora/, 40 in
corpora/polnear-dev/) split as datasets/attribution/split.json says: 34 for development, 15 held
out. For each part: recall by the kind of the annotated cue (speech, belief, according to, other:
acts, plans, votes, stances), over named sources and over all sources, and precision over
predicted attributions with a named speaker and over all of them.

``--show-errors`` prints the development misses and false alarms only: the held-out part is
looked at only to report. Exits 0 with a notice when no corpus is present (a fresh clone has no
../shared).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from claimcheck.evaluate import CUE_KINDS, Score, cue_kind, read_gold, score
from claimcheck.extract import Extractor
from claimcheck.ingest import read_document, read_manifest
from claimcheck.nlp import load
from claimcheck.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT.parent / "shared" / "corpora"
SPLIT = ROOT / "datasets" / "attribution" / "split.json"


def _annotated(corpora: Path) -> dict[str, Path]:
    """Article name (no extension) -> its folder, for every annotated article."""
    out = {}
    for folder in (corpora, corpora / "polnear-dev"):
        for gold in sorted((folder / "annotations").glob("*.attributions.json")):
            out[gold.name.removesuffix(".attributions.json")] = folder
    return out


def evaluate(
    names: list[str], folders: dict[str, Path], extractor: Extractor, nlp
) -> tuple[list[tuple[str, Score]], Score]:
    def kind_of(cue: str) -> str:
        # Lemmas and words both: "is convinced" is lemmatised to "convince", a verb of persuading.
        return cue_kind(w for t in nlp(cue) for w in (t.lemma_, t.lower_)) if cue else "other"

    rows, total = [], Score()
    manifests = {}
    for name in names:
        folder = folders[name]
        manifest = manifests.setdefault(folder, read_manifest(folder))
        document = read_document(folder / f"{name}.txt", max_bytes=10_000_000, manifest=manifest)
        gold = read_gold(folder / "annotations" / f"{name}.attributions.json")
        result = score(extractor.extract(document), gold, kind_of)
        rows.append((name, result))
        total.add(result)
    return rows, total


def summary(s: Score) -> dict[str, object]:
    def rate(found: int, n: int) -> dict[str, object]:
        return {"found": found, "of": n, "recall": round(found / n, 3) if n else None}

    return {
        "named": {k: rate(*s.recall_of(k)) for k in CUE_KINDS} | {"total": rate(s.gold_found, s.gold_named)},
        "all_sources": {k: rate(*s.recall_of(k, named=False)) for k in CUE_KINDS}
        | {"total": rate(s.gold_all_found, s.gold_all)},
        "precision_named": {"correct": s.predicted_correct, "of": s.predicted, "precision": round(s.precision, 3)},
        "precision_all": {"correct": s.predicted_all_correct, "of": s.predicted_all,
                          "precision": round(s.precision_all, 3)},
    }


def _line(label: str, s: Score, named: bool) -> str:
    cells = []
    for k in CUE_KINDS:
        found, n = s.recall_of(k, named)
        cells.append(f"{found / n:6.3f} ({found:3}/{n:3})" if n else f"{'-':>16}")
    total = (s.gold_found, s.gold_named) if named else (s.gold_all_found, s.gold_all)
    precision = s.precision if named else s.precision_all
    return (f"{label:22}" + "".join(f"{c:>18}" for c in cells)
            + f"{total[0] / max(total[1], 1):8.3f}{precision:8.3f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", type=Path, default=DEFAULT)
    parser.add_argument("--show-errors", action="store_true", help="development misses and false alarms")
    parser.add_argument("--articles", action="store_true", help="a row per development article")
    parser.add_argument("--json", type=Path, help="write the figures here as JSON")
    args = parser.parse_args()
    folders = _annotated(args.corpora)
    if not folders:
        print(f"no annotated corpus at {args.corpora}; nothing to evaluate")
        return 0
    split = json.loads(SPLIT.read_text("utf-8"))
    settings = Settings()
    nlp = load(settings.spacy_model)
    extractor = Extractor(nlp)
    results = {}
    for part in ("development", "held_out"):
        names = [n for n in split[part] if n in folders]
        rows, total = evaluate(names, folders, extractor, nlp)
        results[part] = (rows, total)
    print(f"{'':22}" + "".join(f"{k:>18}" for k in CUE_KINDS) + f"{'R':>8}{'P':>8}")
    for named in (True, False):
        print("named sources (P: named speakers)" if named else "all sources (P: every attribution)")
        for part, (_, total) in results.items():
            print(_line(f"  {part} ({len(results[part][0])})", total, named))
    dev_rows, dev = results["development"]
    if args.articles:
        for name, s in dev_rows:
            print(f"{name[:60]:60} R {s.recall:.3f} ({s.gold_found}/{s.gold_named}) P {s.precision:.3f}")
    print("development misses by style: " + ", ".join(f"{k} {v}" for k, v in dev.miss_styles.items()))
    if args.show_errors:
        print("\nmissed (development):", *sorted(dev.misses), sep="\n  ")
        print("\nfalse alarms (development):", *dev.false_alarms, sep="\n  ")
    if args.json:
        args.json.write_text(json.dumps({p: summary(t) for p, (_, t) in results.items()}, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
