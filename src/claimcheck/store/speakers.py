"""Corpus-wide speakers: which stored speaker a document's speaker is, shared by every store."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from claimcheck.domain import Claim, Extraction, SpeakerKind
from claimcheck.names import name_key, name_tokens, same_speaker
from claimcheck.store.protocol import SpeakerRecord


@dataclass(frozen=True, slots=True)
class SpeakerMention:
    """A speaker as one document knows it."""

    name: str
    kind: SpeakerKind
    aliases: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    affiliations: tuple[str, ...] = ()


def mentions(extraction: Extraction) -> list[SpeakerMention]:
    """Every named, non-narrator speaker of a document, with its aliases and roles."""
    roster = {s.name: s for s in extraction.speakers}
    out: dict[str, SpeakerMention] = {}
    for claim in extraction.claims:
        sp = claim.speaker
        if sp.name is None or sp.kind is SpeakerKind.PUBLICATION or sp.name in out:
            continue
        known = roster.get(sp.name)
        out[sp.name] = SpeakerMention(sp.name, sp.kind, known.aliases if known else (),
                                      known.roles if known else (), known.affiliations if known else ())
    return list(out.values())


def new_speaker_id(name: str, kind: SpeakerKind) -> str:
    return hashlib.sha256(f"{kind.value}:{name_key(name)}".encode()).hexdigest()[:16]


def choose(name: str, kind: SpeakerKind, candidates: Iterable[SpeakerRecord]) -> SpeakerRecord | None:
    """The one stored speaker ``name`` is, or None when none (or several) fit: no wrong merges.
    The same name always matches; a compatible person name ("Okafor" / "Peter J. Okafor") only
    when it is the only one."""
    key = name_key(name)
    pool = [c for c in candidates if c.kind is kind or {c.kind, kind} <= {SpeakerKind.PERSON, SpeakerKind.UNKNOWN}]
    exact = [c for c in pool if name_key(c.name) == key or key in (name_key(a) for a in c.aliases)]
    if len(exact) == 1:
        return exact[0]
    if exact:
        return None
    compatible = [c for c in pool if same_speaker(name, c.name, kind, c.kind)]
    return compatible[0] if len(compatible) == 1 else None


def fuller(a: str, b: str) -> str:
    """The fuller of two names of one speaker: "Peter Okafor" over "Okafor"."""
    return a if len(name_tokens(a)) >= len(name_tokens(b)) else b


def speaker_of(claim: Claim, ids: Mapping[str, str]) -> str | None:
    """The stored speaker a claim is credited to, given the document's speakers' ids by name."""
    return ids.get(claim.speaker.name) if claim.speaker.name else None


def claim_counts(extraction: Extraction, ids: Mapping[str, str]) -> list[tuple[int, str]]:
    """(claims, speaker id) for every stored speaker of the document: what its count grows by."""
    counts = Counter(sid for c in extraction.claims if (sid := speaker_of(c, ids)) is not None)
    return [(n, sid) for sid, n in counts.items()]
