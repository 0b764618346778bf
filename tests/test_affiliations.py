"""Speakers linked to the organisations they speak for: extracted from the speaker phrase,
kept across documents by both stores, and shown on GET /v1/speakers/{id}."""

from __future__ import annotations

import pytest

from claimcheck import service
from claimcheck.domain import SpeakerKind
from claimcheck.ingest import document_from_text


def roster(extraction) -> dict[str, tuple[str, ...]]:
    return {s.name.removeprefix("The ").removeprefix("the "): s.affiliations for s in extraction.speakers}


@pytest.mark.parametrize(("text", "speaker", "affiliations"), [
    # A role with the organisation before the name, after it, or in an apposition.
    ("Kestrel Air chief executive Ola Brandt said fares would rise.", "Ola Brandt", ("Kestrel Air",)),
    ("Ola Brandt, the chief executive of Kestrel Air, said fares would rise.", "Ola Brandt", ("Kestrel Air",)),
    ("Peter Okafor, a spokesman for the Ministry of Transport, said the line would reopen.",
     "Peter Okafor", ("Ministry of Transport",)),
    # An unnamed spokesman is a speaker of their own, linked to the organisation.
    ("A spokesman for the Ministry of Transport said the line would reopen.",
     "spokesman for the Ministry of Transport", ("Ministry of Transport",)),
    # Negatives: no organisation in the phrase, or the organisation is the speaker itself.
    ("Ola Brandt said fares would rise.", "Ola Brandt", ()),
    ("Ola Brandt, who flew in from Paris on Monday, said fares would rise.", "Ola Brandt", ()),
    ("The Ministry of Transport said the line would reopen.", "Ministry of Transport", ()),
])
def test_affiliation_is_read_from_the_speaker_phrase(extract_text, text, speaker, affiliations):
    assert roster(extract_text(text))[speaker] == affiliations


def test_affiliations_are_not_read_from_a_relative_clause(extract_text):
    found = roster(extract_text("Ola Brandt, who once worked for Kestrel Air, said fares would rise."))
    assert found["Ola Brandt"] == ()


def test_people_and_their_organisation_are_linked_both_ways(store, extractor):
    store.put(extractor.extract(document_from_text(
        "Kestrel Air chief executive Ola Brandt said fares would rise in May.")))
    store.put(extractor.extract(document_from_text(
        "Kestrel Air said on Tuesday that its pilots had accepted the offer. Mr Brandt said the strike was over.")))
    (brandt,) = store.find_speakers("Ola Brandt")
    (airline,) = [s for s in store.find_speakers("Kestrel Air") if s.kind is SpeakerKind.ORGANISATION]
    assert brandt.affiliations == ("Kestrel Air",)
    assert brandt.claim_count == 2  # one person across both documents, not two
    assert service.affiliations(store, brandt) == [service.Affiliation("Kestrel Air", airline.id)]
    assert service.affiliations(store, airline) == [service.Affiliation("Ola Brandt", brandt.id)]


def test_an_organisation_that_never_speaks_is_named_without_an_id(store, extractor):
    store.put(extractor.extract(document_from_text(
        "Kestrel Air chief executive Ola Brandt said fares would rise in May.")))
    (brandt,) = store.find_speakers("Ola Brandt")
    assert service.affiliations(store, brandt) == [service.Affiliation("Kestrel Air", None)]
    assert store.find_affiliated(["Harbour Board"]) == []


@pytest.mark.parametrize(("name", "speaker", "expected"), [
    ("Kestrel Air", "spokesman for Kestrel Air", True),
    ("the Ministry of Transport", "spokesman for the Ministry of Transport", True),
    ("Kestrel Air", "official at Kestrel Air", True),
    # Negatives: another organisation, a named person, a description without an organisation.
    ("Harbour Board", "spokesman for Kestrel Air", False),
    ("Kestrel Air", "Ola Brandt", False),
    ("Kestrel Air", "spokesman", False),
])
def test_an_organisation_is_credited_with_what_its_spokesman_said(name, speaker, expected):
    from claimcheck.match.compare import speaks_for
    assert speaks_for(name, speaker) is expected
