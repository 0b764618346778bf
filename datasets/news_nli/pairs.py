"""Read the news NLI pairs: our own statements against sentences of the articles in
``../shared/corpora``. The files hold offsets, not the articles' text (the articles' copyright
stays with their publishers): a premise is read from the article when a split is loaded."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPORA = HERE.parent.parent.parent / "shared" / "corpora"
SPLITS = ("train", "dev", "test")


@dataclass(frozen=True)
class NewsPair:
    id: str
    article: str
    premise: str
    hypothesis: str
    label: str  # entailment, neutral or contradiction
    kind: str  # how the statement was made from the sentence (paraphrase, negation, ...)


def article_text(name: str, corpora: Path = CORPORA) -> str:
    for path in (corpora / name, corpora / "polnear-dev" / name):
        if path.exists():
            return path.read_text(encoding="utf-8")
    raise FileNotFoundError(f"article {name} is not in {corpora}")


def load_split(split: str, corpora: Path = CORPORA) -> list[NewsPair]:
    """The pairs of one split, premises read from the articles; [] when the corpus is absent."""
    path = HERE / f"{split}.jsonl"
    if not path.exists() or not corpora.exists():
        return []
    texts: dict[str, str] = {}
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        name = row["article"]
        if name not in texts:
            texts[name] = article_text(name, corpora)
        text = texts[name]
        premise = text[row["start"]:row["end"]]
        if len(premise) != row["end"] - row["start"]:
            raise ValueError(f"{row['id']}: offsets past the end of {name}")
        out.append(NewsPair(row["id"], name, premise, row["hypothesis"], row["label"], row["kind"]))
    return out
