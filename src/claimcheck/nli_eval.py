"""Scoring an entailment model on labelled pairs (``claimcheck entail --eval FILE``).

Reads MNLI's CSV columns (``sentence1,sentence2,label``; rows labelled ``-``, which annotators
did not agree on, are skipped) or JSON Lines with ``premise``, ``hypothesis`` and ``label``.
Labels are ``entailment``, ``neutral`` and ``contradiction``; ``not_entailment`` (the two-way
sets) counts as right when the model says neutral or contradiction.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from claimcheck.errors import InvalidInput
from claimcheck.match.entailment import LABELS, Entailment, EntailmentScorer

GOLD = (*LABELS, "not_entailment")
CHUNK = 256  # pairs sorted by length and scored together: little padding per batch


@dataclass(frozen=True, slots=True)
class LabelledPair:
    premise: str
    hypothesis: str
    label: str  # one of GOLD


def read_pairs(path: Path) -> list[LabelledPair]:
    """The labelled pairs of a CSV (MNLI's columns) or JSON Lines file; errors name the line."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InvalidInput(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"{path}: cannot be read as UTF-8 text ({exc})") from None
    if path.suffix.lower() in (".jsonl", ".ndjson", ".json"):
        return _jsonl(path, text)
    return _csv(path, text)


def _jsonl(path: Path, text: str) -> list[LabelledPair]:
    out = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InvalidInput(f"{path}:{n}: not JSON ({exc.msg})") from None
        if not isinstance(row, dict):
            raise InvalidInput(f"{path}:{n}: each line must be a JSON object")
        pair = _pair(path, n, row.get("premise"), row.get("hypothesis"), row.get("label"),
                     ("premise", "hypothesis", "label"))
        if pair is not None:
            out.append(pair)
    return out


def _csv(path: Path, text: str) -> list[LabelledPair]:
    reader = csv.DictReader(text.splitlines())
    columns = set(reader.fieldnames or ())
    missing = {"sentence1", "sentence2", "label"} - columns
    if missing:
        raise InvalidInput(f"{path}: a CSV needs the columns sentence1, sentence2 and label "
                           f"(missing: {', '.join(sorted(missing))})")
    out = []
    for n, row in enumerate(reader, 2):
        pair = _pair(path, n, row.get("sentence1"), row.get("sentence2"), row.get("label"),
                     ("sentence1", "sentence2", "label"))
        if pair is not None:
            out.append(pair)
    return out


def _pair(path: Path, n: int, premise: Any, hypothesis: Any, label: Any, names: tuple[str, str, str]
          ) -> LabelledPair | None:
    for value, name in zip((premise, hypothesis, label), names, strict=True):
        if not isinstance(value, str):
            raise InvalidInput(f"{path}:{n}: '{name}' must be text")
    label = label.strip().lower()
    if label == "-":
        return None  # no annotator majority: no gold label
    if label not in GOLD:
        raise InvalidInput(f"{path}:{n}: label {label!r} is none of {', '.join(GOLD)}")
    return LabelledPair(premise, hypothesis, label)


def predict(model: EntailmentScorer, pairs: list[LabelledPair],
            progress: Callable[[int], None] | None = None) -> list[Entailment]:
    """The model's probabilities for every pair, in order (scored in chunks of similar length)."""
    order = sorted(range(len(pairs)), key=lambda i: len(pairs[i].premise) + len(pairs[i].hypothesis))
    out: list[Entailment | None] = [None] * len(pairs)
    for start in range(0, len(order), CHUNK):
        ids = order[start:start + CHUNK]
        for i, p in zip(ids, model.score([(pairs[i].premise, pairs[i].hypothesis) for i in ids]), strict=True):
            out[i] = p
        if progress is not None:
            progress(len(ids))
    return [p for p in out if p is not None]


def right(gold: str, said: str) -> bool:
    return said == gold or (gold == "not_entailment" and said != "entailment")


def report(pairs: Iterable[LabelledPair], predictions: Iterable[Entailment]) -> dict[str, Any]:
    """Accuracy, per-label precision and recall, and the confusion matrix (gold x said)."""
    rows = [(p.label, e.label) for p, e in zip(pairs, predictions, strict=True)]
    n = len(rows)
    confusion = {g: {s: sum(1 for gold, said in rows if gold == g and said == s) for s in LABELS}
                 for g in GOLD if any(gold == g for gold, _ in rows)}
    per_label = {}
    for label in LABELS:
        said = [gold for gold, s in rows if s == label]
        gold_n = sum(1 for gold, _ in rows if gold == label)
        per_label[label] = {
            "precision": round(sum(right(g, label) for g in said) / len(said), 4) if said else None,
            "recall": round(sum(1 for g, s in rows if g == label and s == label) / gold_n, 4) if gold_n else None,
            "said": len(said), "gold": gold_n,
        }
    if any(gold == "not_entailment" for gold, _ in rows):
        gold_n = sum(1 for gold, _ in rows if gold == "not_entailment")
        per_label["not_entailment"] = {
            "precision": None, "said": None, "gold": gold_n,
            "recall": round(sum(1 for g, s in rows if g == "not_entailment" and s != "entailment") / gold_n, 4),
        }
    return {
        "pairs": n,
        "accuracy": round(sum(right(g, s) for g, s in rows) / n, 4) if n else None,
        "entailment_vs_not": round(sum((g == "entailment") == (s == "entailment") for g, s in rows) / n, 4)
        if n else None,
        "per_label": per_label,
        "confusion": confusion,
    }


def format_report(path: Path, result: dict[str, Any]) -> str:
    lines = [f"{path}: {result['pairs']} pairs, accuracy {result['accuracy']}, "
             f"entailment against not {result['entailment_vs_not']}", "",
             f"{'label':16}{'precision':>10}{'recall':>10}{'gold':>8}"]
    for label, row in result["per_label"].items():
        precision = "-" if row["precision"] is None else f"{row['precision']:.3f}"
        recall = "-" if row["recall"] is None else f"{row['recall']:.3f}"
        lines.append(f"{label:16}{precision:>10}{recall:>10}{row['gold']:>8}")
    lines += ["", "gold \\ said".ljust(16) + "".join(f"{s:>15}" for s in LABELS)]
    for gold, said in result["confusion"].items():
        lines.append(f"{gold:16}" + "".join(f"{said[s]:>15}" for s in LABELS))
    return "\n".join(lines)
