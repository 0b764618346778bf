"""A statement's speaker named by a role ("BA's chairman") against a claim's speaker: its name,
aliases, roles and the words next to its name in the document."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimcheck.domain import AttributionKind, Claim, Extraction, Span, Speaker, SpeakerKind, SpeakerRef
from claimcheck.ingest import document_from_text
from claimcheck.match.compare import speaker_matches
from claimcheck.names import role_context, role_holds, role_phrase
from claimcheck.service import role_holders
from claimcheck.store import MemoryStore, SQLiteStore
from claimcheck.store.protocol import ClaimStore, StoredClaim


def claim(name: str | None, role: str | None = None, kind: SpeakerKind = SpeakerKind.PERSON,
          resolved: bool = True, doc: str = "d1") -> Claim:
    return Claim(doc, AttributionKind.INDIRECT, SpeakerRef(name, kind, None, role, resolved),
                 Span(0, 4, "text"), lemmas="text")


@pytest.mark.parametrize(("phrase", "texts", "document", "expected"), [
    ("BA's chairman", ["BA chairman"], None, True),
    ("BA's chairman", ["chairman of British Airways"], None, True),
    ("BA's chairman", ["chief executive of British Airways"], None, False),
    ("the chief executive", ["chief executive of British Airways"], None, True),
    ("BA's chief executive", ["BA chairman"], None, False),
    ("A Georgetown University terrorism expert", ["a terrorism expert at Georgetown University"], None, True),
    ("A Georgetown University terrorism expert", ["a terrorism expert at Tufts University"], None, False),
    ("A Georgetown University terrorism expert", ["a nuclear expert at Georgetown University"], None, False),
    ("The head of the Syrian Observatory for Human Rights",
     ["head of the Syrian Observatory for Human Rights"], None, True),
    ("The SDF's commander", ["commander of the Syrian Democratic Forces"], None, True),
    ("The SDF's commander", ["SDF commander-in-chief"], None, True),
    ("France's interior minister", ["French interior minister"], None, True),
    ("France's interior minister", ["French foreign minister"], None, False),
    ("Australia's prime minister", ["White House Press Secretary"], None, False),
    ("Spain's king", ["King Felipe VI"], "The Spanish king spoke", True),
    ("Spain's king", ["King Felipe VI"], None, False),
    ("the opposition's home affairs spokesman", ["the opposition's home affairs spokesman"], None, True),
    ("the opposition's home affairs spokesman", ["opposition health spokesman"], None, False),
    ("the bank's chief economist", ["chief economist at the bank"], None, True),
    ("the bank's chief economist", ["economist at the bank"], None, False),
    ("A spokesperson for Operation Inherent Resolve", ["a spokesperson for Inherent Resolve"],
     "the coalition, Operation Inherent Resolve, said", True),
    ("A spokesperson for Operation Inherent Resolve", ["a spokesperson for Inherent Resolve"], None, False),
    ("A Boeing spokesman", ["Japan Airlines spokesman"], None, False),
    ("A Boeing spokeswoman", ["Boeing spokesman"], None, True),
    ("Noel's lawyer", ["Thomas's lawyer"], "Noel and Thomas were charged", False),
    ("The senator from Texas", ["Sen."], "Texas", False),
    ("The study's senior author", ["Senior author Dr"], "The study found", True),
    ("The study's senior author", ["Senior author Dr"], "The poll found", False),
])
def test_role_holds(phrase: str, texts: list[str], document: str | None, expected: bool) -> None:
    role = role_phrase(phrase)
    assert role is not None
    assert role_holds(role, texts, document) is expected


@pytest.mark.parametrize("phrase", ["Peter Okafor", "Local officials", "he", "they", "The Joint Chiefs of Staff",
                                    "Western officials", "Martin Broughton"])
def test_not_a_role(phrase: str) -> None:
    assert role_phrase(phrase) is None


@pytest.mark.parametrize(("phrase", "name", "role", "kind", "resolved", "expected"), [
    ("BA's chairman", "Martin Broughton", "BA chairman", SpeakerKind.PERSON, True, True),
    ("BA's chairman", "Rod Eddington", "BA's chief executive", SpeakerKind.PERSON, True, False),
    ("France's interior minister", "Bernard Cazeneuve", "French interior minister", SpeakerKind.PERSON, True, True),
    ("A Boeing spokesman", "Japan Airlines spokesman", None, SpeakerKind.PERSON, True, False),
    ("A Japan Airlines spokeswoman", "Japan Airlines spokesman", None, SpeakerKind.PERSON, True, True),
    ("BA's chairman", "BBC News", "BA chairman", SpeakerKind.PUBLICATION, True, False),
    ("BA's chairman", "he", "BA chairman", SpeakerKind.PERSON, False, False),
    ("Martin Broughton", "Broughton", None, SpeakerKind.PERSON, True, True),
])
def test_speaker_matches_role(phrase: str, name: str, role: str | None, kind: SpeakerKind, resolved: bool,
                              expected: bool) -> None:
    assert speaker_matches(phrase, claim(name, role, kind, resolved), set(), None) is expected


def test_unresolved_pronoun_never_matches() -> None:
    assert not speaker_matches("he", claim(None, None, SpeakerKind.PERSON, resolved=False), set(), None)


def test_role_context() -> None:
    text = ('"It is better," BA chairman Martin Broughton said. General Mark Milley, chairman of the '
            "Joint Chiefs of Staff, told reporters. Deputy Director of Public Prosecution Eva-Marie Persson said.")
    assert "BA chairman" in role_context(text, ["Martin Broughton"])
    assert "chairman of the Joint Chiefs of Staff" in role_context(text, ["Mark Milley"])
    assert any("Deputy Director of Public Prosecution" in c for c in role_context(text, ["Persson"]))


def _stored(store: ClaimStore, text: str, speakers: list[tuple[str, str | None]]) -> list[StoredClaim]:
    doc = document_from_text(text)
    claims = [Claim(doc.id, AttributionKind.INDIRECT, SpeakerRef(n, SpeakerKind.PERSON, None, r),
                    Span(i, i + 4, text[i:i + 4]), lemmas=f"claim {i}") for i, (n, r) in enumerate(speakers)]
    roster = tuple(Speaker(n, SpeakerKind.PERSON, (), (r,) if r else ()) for n, r in speakers)
    store.put(Extraction(doc, tuple(claims), roster))
    return list(store.iter_claims())


@pytest.mark.parametrize("backend", ["memory", "sqlite"])
def test_role_lookup_in_store(backend: str, tmp_path: Path) -> None:
    store: ClaimStore = MemoryStore() if backend == "memory" else SQLiteStore(tmp_path / "c.sqlite3")
    text = ("BA chairman Martin Broughton said revenue rose. Rod Eddington, BA's chief executive, said it "
            "was respectable. Sarah Lee said nothing.")
    stored = _stored(store, text, [("Martin Broughton", "BA chairman"), ("Rod Eddington", None), ("Sarah Lee", None)])
    by_name = {s.claim.speaker.name: s.speaker_id for s in stored}
    assert {s.name for s in store.find_speakers_by_role("BA's chairman")} == {"Martin Broughton"}
    assert store.find_speakers_by_role("Peter Okafor") == []
    # No stored role for Eddington: the words next to his name in the document confirm it.
    assert role_holders(store, "BA's chief executive", stored) == {by_name["Rod Eddington"]}
    assert role_holders(store, "BA's chairman", stored) == {by_name["Martin Broughton"]}
    assert role_holders(store, "the Boeing chairman", stored) == set()
