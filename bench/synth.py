"""A deterministic synthetic corpus at scale, written straight into the store (no spaCy).

Claims are built from the real claims of seeds/ and ../shared/corpora (extracted once), with
varied speakers, numbers, counted nouns and weekdays. Each synthetic document holds
``CLAIMS_PER_DOC`` claims whose spans index its text, and goes through the store's own ``put`` and
the search index's own ``add``: only the parsing is bypassed.

Statements for the benchmarks come from the same material: a third restate a claim (supported),
a third change its number (conflicting), a third are about nothing in the corpus.
"""

from __future__ import annotations

import pickle
import random
import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from claimcheck.domain import AttributionKind, Claim, Document, Extraction, Span, SpeakerKind, SpeakerRef
from claimcheck.extract import Extractor
from claimcheck.ingest import load_documents

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT.parent / "shared" / "corpora"
CLAIMS_PER_DOC = 50

FIRST = ("Anna Ben Carla David Elena Farid Grace Hiro Ines Jamal Karin Luis Maya Nikolai Omar Priya "
         "Quentin Rosa Samir Tara Umar Vera Wei Ximena Yusuf Zoe").split()
LAST = ("Abbott Becker Castillo Dubois Eriksen Fischer Garcia Haddad Ivanova Jensen Kowalski Lindqvist "
        "Moreau Nakamura Okafor Petrov Quinn Rossi Santos Tanaka Ueda Varga Weber Xu Yilmaz Zhang").split()
NOUNS = "fighters troops civilians workers voters patients students refugees soldiers residents".split()
WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
UNRELATED = [
    "The orchestra premiered a new symphony in Vienna",
    "A rare orchid bloomed in the botanical garden after twelve years",
    "The chess champion resigned the final game in a drawn position",
    "Engineers tested a solar-powered ferry on the lake",
    "The bakery sold out of sourdough loaves before noon",
]


def templates(extractor: Extractor, cache: Path | None = None, paths: list[Path] | None = None) -> list[Claim]:
    """Real claims from the seed and development articles (cached: parsing takes a while)."""
    if cache is not None and cache.exists():
        return pickle.loads(cache.read_bytes())
    paths = paths or [ROOT / "seeds"] + ([CORPORA] if CORPORA.is_dir() else [])
    docs = [item.document for item in load_documents(paths, max_bytes=10_000_000) if item.document]
    claims = [c for e in extractor.extract_many(docs) for c in e.claims if len(c.content.text) > 30]
    if cache is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.write_bytes(pickle.dumps(claims))
    return claims


def _vary(claim: Claim, rng: random.Random) -> tuple[str, Claim]:
    """New content text and a claim matching it: other numbers, nouns and weekdays."""
    text = claim.content.text
    figures = []
    for f in claim.figures:
        value = float(rng.randint(2, 20_000))
        number = f"{int(value):,}"
        new = re.sub(r"\d[\d,.]*", number, f.text, count=1)
        if f.unit and f.unit in NOUNS and rng.random() < 0.5:
            noun = rng.choice(NOUNS)
            new = new.replace(f.unit, noun)
            f = replace(f, unit=noun)
        if new in text and new != f.text:
            continue
        text = text.replace(f.text, new, 1)
        low = value if f.low is not None else None
        high = value if f.high is not None else None
        if f.qualifier == "about":
            low, high = value * 0.9, value * 1.1
        figures.append(replace(f, text=new, value=value, low=low, high=high))
    for day in WEEKDAYS:
        if day in text:
            text = text.replace(day, rng.choice(WEEKDAYS))
            break
    # The template's lemmas stand for the varied text: only numbers, nouns and weekdays changed.
    extra = " ".join(f.unit.rstrip("s") for f in figures if f.unit in NOUNS)
    return text, replace(claim, figures=tuple(figures), dates=(), said_on=None,
                         lemmas=f"{claim.lemmas} {extra}".strip())


def documents(templates: list[Claim], n_claims: int, seed: int = 7) -> Iterator[Extraction]:
    """``n_claims`` synthetic claims in documents of ``CLAIMS_PER_DOC``, deterministically."""
    rng = random.Random(seed)
    speakers = [f"{a} {b}" for a in FIRST for b in LAST]
    made = 0
    doc_no = 0
    while made < n_claims:
        doc_no += 1
        parts, pending = [], []
        offset = 0
        for _ in range(min(CLAIMS_PER_DOC, n_claims - made)):
            base = rng.choice(templates)
            text, claim = _vary(base, rng)
            parts.append(text)
            pending.append((offset, text, claim))
            offset += len(text) + 1
            made += 1
        body = "\n".join(parts) + f"\nSynthetic document {doc_no}."
        doc = Document(text=body, title=f"Synthetic {doc_no}", source="Synthetic Wire", path=f"synthetic/{doc_no}.txt")
        claims = []
        for start, text, claim in pending:
            name = rng.choice(speakers) if claim.kind is not AttributionKind.NARRATOR else "Synthetic Wire"
            kind = SpeakerKind.PUBLICATION if claim.kind is AttributionKind.NARRATOR else SpeakerKind.PERSON
            figures = tuple(replace(f, start=start + text.find(f.text), end=start + text.find(f.text) + len(f.text))
                            for f in claim.figures if f.text in text)
            claims.append(replace(
                claim, document_id=doc.id, content=Span(start, start + len(text), text),
                speaker=SpeakerRef(name, kind), cue=None, figures=figures))
        yield Extraction(document=doc, claims=tuple(claims))


def statements(contents: list[str], n: int, seed: int = 11) -> list[str]:
    """From claims of the synthetic corpus itself: a third restated (supported), a third with a
    changed number (conflicting), a third about nothing in the corpus."""
    rng = random.Random(seed)
    with_numbers = [c for c in contents if re.search(r"\d", c)] or contents
    out = []
    for i in range(n):
        if i % 3 == 2:
            out.append(f"{rng.choice(UNRELATED)} on {rng.choice(WEEKDAYS)}")
        elif i % 3 == 1:
            text = rng.choice(with_numbers)[:300]
            out.append(re.sub(r"\d[\d,.]*", lambda m: f"{int(float(m.group(0).replace(',', '') or 1) * 7 + 13):,}",
                              text, count=1))
        else:
            out.append(rng.choice(contents)[:300])
    return out
