"""Build the split files from the pairs as written (premise text), once: each premise becomes
offsets into its article, each article goes to one split.

    python datasets/news_nli/build.py RAW.jsonl [RAW.jsonl ...]

Split by article, seeded, within each outlet group (PolNeAR politics, BBC business and sport,
the 2019 wire and web pieces), 70% of articles to train, 10% to dev, 20% to test. The test part is
never trained or tuned on; dev chooses the training epoch.
"""

from __future__ import annotations

import hashlib
import json
import random
import sys
from collections import defaultdict
from pathlib import Path

from pairs import CORPORA, HERE, article_text

SEED = 19


def group(article: str) -> str:
    return "polnear" if "polnear" in article else article.split("_")[1].split("-")[0]


def assign(articles: list[str]) -> dict[str, str]:
    by: dict[str, list[str]] = defaultdict(list)
    for a in sorted(articles):
        by[group(a)].append(a)
    rng = random.Random(SEED)
    split = {}
    for _, names in sorted(by.items()):
        rng.shuffle(names)
        n_test = max(1, round(0.2 * len(names)))
        n_dev = max(1, round(0.1 * len(names)))
        for i, a in enumerate(names):
            split[a] = "test" if i < n_test else "dev" if i < n_test + n_dev else "train"
    return split


def main() -> None:
    rows = [json.loads(line) for path in sys.argv[1:] for line in Path(path).read_text("utf-8").splitlines()
            if line.strip()]
    articles = sorted({r["article"] for r in rows})
    split = assign(articles)
    out: dict[str, list[dict]] = defaultdict(list)
    seen = set()
    for r in rows:
        text = article_text(r["article"], CORPORA)
        start = text.find(r["premise"])
        if start < 0 or (r["premise"], r["hypothesis"]) in seen:
            continue
        seen.add((r["premise"], r["hypothesis"]))
        key = f"{r['article']}|{start}|{r['hypothesis']}"
        out[split[r["article"]]].append({
            "id": hashlib.sha256(key.encode()).hexdigest()[:12], "article": r["article"],
            "start": start, "end": start + len(r["premise"]),
            "hypothesis": r["hypothesis"].strip(), "label": r["label"], "kind": r["kind"].strip(),
        })
    for name in ("train", "dev", "test"):
        rows_ = sorted(out[name], key=lambda r: (r["article"], r["start"], r["id"]))
        (HERE / f"{name}.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows_),
                                            "utf-8")
        labels = defaultdict(int)
        for r in rows_:
            labels[r["label"]] += 1
        print(name, len({r["article"] for r in rows_}), "articles", len(rows_), "pairs", dict(labels))


if __name__ == "__main__":
    main()
