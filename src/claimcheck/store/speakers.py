"""Corpus-wide speakers: which stored speaker a document's speaker is, and what its record says,
shared by every store.

A stored speaker is what the documents still stored say of it. Each store keeps, per document,
what that document said of each speaker it credits (a ``SpeakerMention``: the name it gives, its
aliases, roles, affiliations and how many claims it credits); the speaker's record is ``rebuild``
of its mentions in the order they were stored. Storing a document folds its mention into the
record (``merge``), which is what ``rebuild`` does too, so the two never disagree; deleting or
replacing a document rebuilds every speaker it touched from the mentions left, and a speaker
left with none is removed.

A speaker the document only describes ("a spokesman for the ministry", "officials": see
``names.is_descriptive``) is a speaker of that document alone: its id is made from the document
and the description (``local_speaker_id``), and it is never a candidate for another document's
speaker."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Protocol

from claimcheck.domain import Claim, Extraction, SpeakerKind
from claimcheck.names import is_descriptive, name_key, name_tokens, same_speaker
from claimcheck.store.protocol import SpeakerRecord


@dataclass(frozen=True, slots=True)
class SpeakerMention:
    """A speaker as one document knows it."""

    name: str
    kind: SpeakerKind
    aliases: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    affiliations: tuple[str, ...] = ()
    claims: int = 0  # how many of the document's claims it is credited with

    @property
    def descriptive(self) -> bool:
        """Described, not named: a speaker of its own document only."""
        return is_descriptive(self.name)


def mentions(extraction: Extraction) -> list[SpeakerMention]:
    """Every named, non-narrator speaker of a document, with its aliases, roles and claims."""
    roster = {s.name: s for s in extraction.speakers}
    claims = Counter(c.speaker.name for c in extraction.claims)
    out: dict[str, SpeakerMention] = {}
    for claim in extraction.claims:
        sp = claim.speaker
        if sp.name is None or sp.kind is SpeakerKind.PUBLICATION or sp.name in out:
            continue
        known = roster.get(sp.name)
        out[sp.name] = SpeakerMention(sp.name, sp.kind, known.aliases if known else (),
                                      known.roles if known else (), known.affiliations if known else (),
                                      claims[sp.name])
    return list(out.values())


def new_speaker_id(name: str, kind: SpeakerKind) -> str:
    return hashlib.sha256(f"{kind.value}:{name_key(name)}".encode()).hexdigest()[:16]


def local_speaker_id(document_id: str, name: str, kind: SpeakerKind) -> str:
    """The id of a speaker ``document_id`` only describes: one per document and description."""
    return hashlib.sha256(f"{document_id}:{kind.value}:{name_key(name)}".encode()).hexdigest()[:16]


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


@dataclass(frozen=True, slots=True)
class Profile:
    """What a speaker's record says, from the mentions of it: the fullest name, then every other
    name and alias (one spelling per ``name_key``), roles and affiliations, in the order learnt."""

    name: str
    aliases: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    affiliations: tuple[str, ...] = ()
    claims: int = 0


def profile_of(record: SpeakerRecord) -> Profile:
    return Profile(record.name, record.aliases, record.roles, record.affiliations, record.claim_count)


def _add(have: tuple[str, ...], new: Iterable[str], key: Callable[[str], str] = name_key,
         skip: str | None = None) -> tuple[str, ...]:
    """``have`` and, after it, each of ``new`` whose key is not there yet."""
    keys = {key(h) for h in have}
    out = list(have)
    for item in new:
        k = key(item)
        if item != skip and k not in keys:
            keys.add(k)
            out.append(item)
    return tuple(out)


def merge(profile: Profile | None, m: SpeakerMention) -> Profile:
    """A speaker's record once ``m`` is folded in. Only adds: what ``profile`` has stays first, so
    a store writes the tail of each list (``added``)."""
    if profile is None:
        profile = Profile(m.name)
    name = fuller(profile.name, m.name)
    return Profile(name,
                   _add(profile.aliases, (m.name, profile.name, *m.aliases), skip=name),
                   _add(profile.roles, m.roles, key=str),
                   _add(profile.affiliations, m.affiliations),
                   profile.claims + m.claims)


def added(old: Profile | None, new: Profile) -> Profile:
    """What ``new`` (a ``merge`` of ``old``) has that ``old`` has not: the rows to insert."""
    if old is None:
        return new
    return Profile(new.name, new.aliases[len(old.aliases):], new.roles[len(old.roles):],
                   new.affiliations[len(old.affiliations):], new.claims - old.claims)


def rebuild(ms: Iterable[SpeakerMention]) -> Profile | None:
    """A speaker's record from its mentions, in the order they were stored; None for none."""
    profile: Profile | None = None
    for m in ms:
        profile = merge(profile, m)
    return profile


def speaker_of(claim: Claim, ids: Mapping[str, str]) -> str | None:
    """The stored speaker a claim is credited to, given the document's speakers' ids by name."""
    return ids.get(claim.speaker.name) if claim.speaker.name else None


# --- the write path, the same for every store ---------------------------------------------------


class SpeakerTables(Protocol):
    """A store's speakers as the write path sees them, inside the write transaction it holds."""

    def candidates(self, name: str) -> list[SpeakerRecord]:
        """Named speakers ``name`` may be (same last name, or an alias with its key): never a
        speaker described by one document."""
        ...

    def get(self, speaker_id: str) -> SpeakerRecord | None: ...

    def insert(self, speaker_id: str, kind: SpeakerKind, profile: Profile, document_id: str | None) -> None:
        """A new speaker; ``document_id`` for one the document only describes."""
        ...

    def update(self, speaker_id: str, profile: Profile, added: Profile | None) -> None:
        """Set name and claim count; add ``added``'s aliases, roles and affiliations, or with
        None, replace them all with ``profile``'s."""
        ...

    def add_mention(self, document_id: str, speaker_id: str, mention: SpeakerMention) -> None: ...

    def mentions_of(self, speaker_id: str) -> list[SpeakerMention]:
        """The speaker's mentions, in the order stored."""
        ...

    def speakers_of(self, document_id: str) -> set[str]:
        """The speakers a document mentions (or credits a claim to)."""
        ...

    def remove(self, speaker_id: str) -> None:
        """Remove a speaker left with no mention (its claims are gone)."""
        ...


def store_speakers(tables: SpeakerTables, extraction: Extraction) -> dict[str, str]:
    """Store a document's speakers: each joins the stored speaker it is (``choose``) or is a new
    one, its record grows by what this document says, and the mention is kept. Returns the
    stored speaker's id by the document's name for it."""
    document_id = extraction.document.id
    ids: dict[str, str] = {}
    for m in mentions(extraction):
        if m.descriptive:
            sid = local_speaker_id(document_id, m.name, m.kind)
            found = tables.get(sid)  # the same description twice in one document
        else:
            found = choose(m.name, m.kind, tables.candidates(m.name))
            sid = found.id if found else new_speaker_id(m.name, m.kind)
            while found is None and tables.get(sid) is not None:
                sid = new_speaker_id(sid + m.name, m.kind)  # same name, another speaker
        old = profile_of(found) if found else None
        new = merge(old, m)
        if found is None:
            tables.insert(sid, m.kind, new, document_id if m.descriptive else None)
        else:
            tables.update(sid, new, added(old, new))
        tables.add_mention(document_id, sid, m)
        ids[m.name] = sid
    return ids


def rebuild_speakers(tables: SpeakerTables, speaker_ids: Iterable[str]) -> None:
    """Make each speaker's record what its mentions left say; remove a speaker with none."""
    for sid in sorted(speaker_ids):
        profile = rebuild(tables.mentions_of(sid))
        if profile is None:
            tables.remove(sid)
        else:
            tables.update(sid, profile, None)


# --- upgrading a record written before described speakers were kept apart ------------------------

@dataclass(frozen=True, slots=True)
class MentionRow:
    seq: int
    document_id: str
    speaker_id: str
    name: str
    kind: SpeakerKind


class SplitTables(SpeakerTables, Protocol):
    def named_mentions(self) -> Iterator[MentionRow]:
        """Every mention of a speaker not described by one document, in the order stored."""
        ...

    def move(self, row: MentionRow, speaker_id: str) -> None:
        """Credit the mention, and the claims of its document credited under its name, to
        ``speaker_id``."""
        ...


def split_described(tables: SplitTables) -> None:
    """Give every described speaker merged across documents (as the code before did) one speaker
    per document, as ``store_speakers`` now does, and rebuild the speakers this touched."""
    verdicts: dict[str, bool] = {}
    moving = [row for row in tables.named_mentions()
              if verdicts.setdefault(row.name, is_descriptive(row.name))]
    touched: set[str] = set()
    for row in moving:
        sid = local_speaker_id(row.document_id, row.name, row.kind)
        if tables.get(sid) is None:
            tables.insert(sid, row.kind, Profile(row.name), row.document_id)
        tables.move(row, sid)
        touched |= {row.speaker_id, sid}
    rebuild_speakers(tables, touched)
