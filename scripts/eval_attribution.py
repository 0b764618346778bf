"""Attribution precision and recall against the PolNeAR annotations in ../shared/corpora.

    python scripts/eval_attribution.py [CORPUS_DIR ...] [--show-errors] [--quiet]

By default scores both annotated sets of ../shared/corpora: the 9 articles of corpora/ and the 40
of corpora/polnear-dev/. Prints one row per annotated article, a total per set and over all, and
the missed attributions counted by style (pronoun source, source in an earlier sentence, content
bounds, organisation source, unread cue style). Exits 0 with a notice when no corpus is present
(a fresh clone has no ../shared).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from claimcheck.evaluate import Score, read_gold, score
from claimcheck.extract import Extractor
from claimcheck.extract.lexicon import SPEECH_CUES
from claimcheck.ingest import read_document, read_manifest
from claimcheck.nlp import load
from claimcheck.settings import Settings

DEFAULT = Path(__file__).resolve().parents[1].parent / "shared" / "corpora"


def evaluate(corpus: Path, extractor: Extractor) -> tuple[list[tuple[str, Score]], Score]:
    manifest = read_manifest(corpus)
    rows = []
    total = Score()
    for gold_path in sorted((corpus / "annotations").glob("*.attributions.json")):
        name = gold_path.name.replace(".attributions.json", ".txt")
        document = read_document(corpus / name, max_bytes=10_000_000, manifest=manifest)
        result = score(extractor.extract(document), read_gold(gold_path), cue_kind)
        rows.append((name, result))
        total.add(result)
    return rows, total


_NLP = None


def cue_kind(cue: str) -> str:
    """What kind of word the annotators marked as the cue: a reporting verb of speech or
    belief (the lexicon's), "according to", or anything else (acts, stances, nouns, none)."""
    global _NLP
    if _NLP is None:
        _NLP = load(Settings().spacy_model)
    lemmas = {t.lemma_.lower() for t in _NLP(cue)} if cue else set()
    if lemmas & SPEECH_CUES:
        return "speech verb"
    if "accord" in lemmas or "according" in lemmas:
        return "according to"
    return "other (act, stance, noun, none)"


def _row(name: str, s: Score) -> str:
    return (f"{name[:60]:60} {s.gold_named:5} {s.gold_found:5} {s.predicted:5} "
            f"{s.predicted_correct:5} {s.recall:6.3f} {s.precision:6.3f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpora", nargs="*", type=Path, default=[DEFAULT, DEFAULT / "polnear-dev"])
    parser.add_argument("--show-errors", action="store_true")
    parser.add_argument("--quiet", action="store_true", help="totals only, no row per article")
    args = parser.parse_args()
    corpora = [c for c in args.corpora if (c / "annotations").is_dir()]
    if not corpora:
        print(f"no annotated corpus at {', '.join(map(str, args.corpora))}; nothing to evaluate")
        return 0
    extractor = Extractor(load(Settings().spacy_model))
    overall = Score()
    print(f"{'article':60} {'gold':>5} {'found':>5} {'pred':>5} {'ok':>5} {'R':>6} {'P':>6}")
    for corpus in corpora:
        rows, total = evaluate(corpus, extractor)
        overall.add(total)
        if not args.quiet:
            print("\n".join(_row(name, s) for name, s in rows))
        print(_row(f"TOTAL {corpus.name}", total))
    print(_row("TOTAL", overall))
    print("missed by style: " + ", ".join(f"{k} {v}" for k, v in overall.miss_styles.items()))
    print("recall by the annotated cue's kind: " + ", ".join(
        f"{k} {found}/{named} = {found / named:.3f}" for k, (found, named) in sorted(overall.by_cue.items())))
    if args.show_errors:
        print("\nmissed:", *overall.misses, sep="\n  ")
        print("\nfalse alarms:", *overall.false_alarms, sep="\n  ")
    return 0


if __name__ == "__main__":
    sys.exit(main())
