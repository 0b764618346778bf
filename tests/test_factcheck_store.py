"""The fact-check record, the same on every store (memory, SQLite, PostgreSQL): stored once per
URL, updated when changed, listed with filters and a cursor, retrieved by rare words; and what a
web page says of itself kept with its document."""

from __future__ import annotations

from datetime import date

from claimcheck.domain import Document, Extraction, FactCheck, Rating
from claimcheck.store.factchecks import StoredFactCheck


def _review(n: int, claim: str, claimant: str | None = "Dana Whitlock", rating: str = "False") -> StoredFactCheck:
    return StoredFactCheck(FactCheck(url=f"https://checks.example/{n}", claim=claim,
                                     rating=Rating(value=1.0, best=5.0, worst=1.0, name=rating), claimant=claimant,
                                     claimant_role="Mayor of Ashford", claim_date=date(2024, 2, 1),
                                     publisher="Ledger Check", reviewed=date(2024, 2, 6),
                                     appearances=("https://news.example/a",)), None)


CLAIMS = ["Unemployment in Ashford fell to 3.1% last year",
          "The council spent £12 million on consultants in 2023",
          "Ashford has the lowest council tax in the county",
          "Crime in Ashford doubled between 2018 and 2022"]


def test_reviews_are_stored_once_per_url_and_updated_when_changed(store):
    first = store.put_factchecks([_review(i, c) for i, c in enumerate(CLAIMS)])
    assert (first.created, first.updated, first.unchanged) == (4, 0, 0)
    again = store.put_factchecks([_review(i, c) for i, c in enumerate(CLAIMS)])
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)
    changed = store.put_factchecks([_review(0, CLAIMS[0], rating="Mostly true")])
    assert (changed.created, changed.updated) == (0, 1)
    assert store.count_factchecks() == 4
    got = store.get_factcheck(_review(0, CLAIMS[0]).id)
    assert got is not None and got.factcheck.rating.name == "Mostly true"
    assert got.factcheck == _review(0, CLAIMS[0], rating="Mostly true").factcheck  # every field round-trips
    assert store.get_factcheck("0" * 16) is None


def test_reviews_are_listed_with_filters_and_a_cursor(store):
    store.put_factchecks([_review(i, c, claimant="Tom Rees" if i == 2 else "Dana Whitlock")
                          for i, c in enumerate(CLAIMS)])
    page = store.list_factchecks(limit=3)
    assert [r.factcheck.claim for r in page] == CLAIMS[:3]
    assert [r.factcheck.claim for r in store.list_factchecks(limit=3, after=page[-1].id)] == CLAIMS[3:]
    assert [r.factcheck.claim for r in store.list_factchecks(q="COUNCIL")] == CLAIMS[1:3]
    assert [r.factcheck.claim for r in store.list_factchecks(q="council tax")] == [CLAIMS[2]]
    assert [r.factcheck.claim for r in store.list_factchecks(claimant="rees")] == [CLAIMS[2]]
    assert store.list_factchecks(q="100%_") == []  # LIKE's wildcards are taken literally


def test_retrieval_ranks_by_the_rarest_shared_words(store):
    store.put_factchecks([_review(i, c) for i, c in enumerate(CLAIMS)])
    found = store.search_factchecks(["consultants", "ashford", "spent"], 2)
    assert found and found[0].factcheck.claim == CLAIMS[1]
    assert store.search_factchecks(["nothing", "shared"], 5) == []
    assert store.search_factchecks([], 5) == []


def test_a_pages_own_metadata_is_kept_with_its_document(store):
    document = Document(text="Headline\n\nOfficials said the bridge would close.\n", title="Headline",
                        url="https://news.example/a", author="Jo Bloggs, Sam Roe", language="en-GB",
                        origin_sha256="ab" * 32)
    store.put(Extraction(document, ()))
    stored = store.get_document(document.id)
    assert stored is not None
    assert (stored.author, stored.language, stored.origin_sha256) == ("Jo Bloggs, Sam Roe", "en-GB", "ab" * 32)
