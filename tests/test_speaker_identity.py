"""Corpus-wide speakers that stay right (issue 21, part 5), on every store (memory, SQLite,
PostgreSQL): a speaker is what the documents still stored say of it, so deleting or replacing a
document takes back what it taught; and a speaker the text only describes ("a spokesman for the
Ministry of Transport", "officials") is a speaker of its own article, never merged with another
article's speaker of the same description."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter

import pytest

from claimcheck.domain import Extraction
from claimcheck.ingest import document_from_text

A_TEXT = ("Peter James Okafor, a spokesman for the Ministry of Transport, said the line would reopen in May. "
          "Okafor added that buses would run.")
B_TEXT = "Peter Okafor, the chairman of the Harbour Board, said fares would rise in June."
SPOKESMAN = "spokesman for the Ministry of Transport"
SPOKESMAN_A = "A spokesman for the Ministry of Transport said the line would reopen in May."
SPOKESMAN_B = ("A spokesman for the Ministry of Transport said the bridge would close in June. "
               "Officials said 40 people were hurt.")
OFFICIALS_C = "Officials said 12 people were hurt in the crash on Friday."


@pytest.fixture(scope="module")
def extract(extractor):
    def run(text: str, path: str | None = None) -> Extraction:
        return extractor.extract(document_from_text(text, path=path))

    return run


def given(extraction: Extraction, name: str):
    """What one document says of a speaker: its roster entry and how many claims it credits."""
    (speaker,) = [s for s in extraction.speakers if s.name == name]
    return speaker, sum(c.speaker.name == name for c in extraction.claims)


def okafor(store):
    found = store.find_speakers("Okafor")
    assert len(found) <= 1, found
    return found[0] if found else None


# --- which names only describe a speaker ------------------------------------------------------

@pytest.mark.parametrize(("name", "descriptive"), [
    # described: a role, a group, a common noun, whatever the case of its first word
    ("a spokesman for the ministry", True),
    ("spokesman for the Ministry of Transport", True),
    ("officials", True),
    ("Officials", True),
    ("Western officials", True),
    ("Health officials", True),
    ("a senior official", True),
    ("the spokeswoman", True),
    ("The spokeswoman", True),
    ("UN official", True),
    ("official at the UN", True),
    ("police spokesman", True),
    ("Police", True),
    ("Witnesses", True),
    ("Analysts", True),
    ("Sources", True),
    ("source close to the talks", True),
    ("Japan Airlines spokesman", True),
    ("FEC records", True),
    ("Others", True),
    ("company", True),
    ("The company", True),
    ("defence ministry", True),
    ("The Ministry", True),
    ("the President", True),
    ("Head of the Lakeside Group", True),
    # named: a person, an organisation, a proper name however short
    ("the White House", False),
    ("The White House", False),
    ("Ministry of Health", False),
    ("The Ministry of Transport", False),
    ("Bank of England", False),
    ("Dr. Ann Cole", False),
    ("Ann Cole", False),
    ("Peter Okafor", False),
    ("Okafor", False),
    ("Trump", False),
    ("Reuters", False),
    ("NATO", False),
    ("Kestrel Air", False),
    ("Bashar al-Assad", False),
    ("Syrian Observatory for Human Rights", False),
    ("US President Donald Trump", False),
    # an institution a proper name qualifies
    ("the Trump campaign", False),
    ("Obama administration", False),
    ("Syrian state media", False),
])
def test_a_name_that_only_describes_its_speaker(name, descriptive):
    from claimcheck.names import is_descriptive

    assert is_descriptive(name) is descriptive


# --- deleting and replacing documents ---------------------------------------------------------

def test_deleting_a_document_takes_back_what_it_taught(store, extract):
    a, b = extract(A_TEXT), extract(B_TEXT)
    store.put(a)
    store.put(b)
    both = okafor(store)
    assert both is not None and both.name == "Peter James Okafor"
    assert set(both.roles) == {"a spokesman for the Ministry of Transport", "the chairman of the Harbour Board"}

    assert store.delete_document(a.document.id)
    left = okafor(store)
    speaker, claims = given(b, "Peter Okafor")
    assert left is not None and left.id == both.id  # the same speaker, rebuilt from B alone
    assert left.name == speaker.name == "Peter Okafor"
    assert set(left.aliases) == set(speaker.aliases) - {left.name}
    assert left.roles == speaker.roles == ("the chairman of the Harbour Board",)
    assert left.affiliations == speaker.affiliations == ("Harbour Board",)
    assert left.claim_count == claims == 1
    assert store.get_speaker(left.id) == left
    assert [s.id for s in store.find_speakers_by_role("a spokesman for the Ministry of Transport")] == []
    assert store.find_affiliated(["Ministry of Transport"]) == []
    assert [s.id for s in store.find_affiliated(["Harbour Board"])] == [left.id]
    assert store.list_speakers(q="James") == []

    assert store.delete_document(b.document.id)
    assert okafor(store) is None and store.get_speaker(left.id) is None
    assert store.list_speakers() == []

    store.put(a)
    again = okafor(store)
    speaker, claims = given(a, "Peter James Okafor")
    assert again is not None and again.name == "Peter James Okafor"
    assert again.roles == speaker.roles == ("a spokesman for the Ministry of Transport",)
    assert again.affiliations == ("Ministry of Transport",) and set(again.aliases) == {"Okafor"}
    assert again.claim_count == claims == 2


def test_a_replaced_text_takes_back_what_the_old_one_taught(store, extract):
    store.put(extract(A_TEXT, path="okafor.txt"))
    store.put(extract(B_TEXT, path="harbour.txt"))
    result = store.put(extract("Peter Okafor said the line would reopen in July.", path="okafor.txt"))
    assert result.replaced is not None
    speaker = okafor(store)
    assert speaker is not None and speaker.name == "Peter Okafor"
    assert speaker.roles == ("the chairman of the Harbour Board",)
    assert speaker.affiliations == ("Harbour Board",) and speaker.aliases == ()
    assert speaker.claim_count == 2


def test_deleting_the_document_that_named_a_speaker_first_keeps_its_id(store, extract):
    a, b = extract(A_TEXT), extract(B_TEXT)
    store.put(a)
    store.put(b)
    sid = okafor(store).id
    store.delete_document(a.document.id)
    store.put(extract("Mr Okafor said the bridge would close in June."))
    speaker = okafor(store)
    assert speaker.id == sid and speaker.claim_count == 2 and speaker.name == "Peter Okafor"


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_a_delete_that_fails_while_rebuilding_leaves_everything_as_it_was(kind, tmp_path, extract, monkeypatch,
                                                                          request):
    from claimcheck.store import PostgresStore, SQLiteStore

    store = SQLiteStore(tmp_path / "c.sqlite3") if kind == "sqlite" else PostgresStore(
        request.getfixturevalue("postgres_url"))
    try:
        a, b = extract(A_TEXT), extract(B_TEXT)
        store.put(a)
        store.put(b)
        before = okafor(store)

        def boom(*args, **kwargs):
            raise RuntimeError("disk on fire")

        monkeypatch.setattr(f"claimcheck.store.{'sqlite' if kind == 'sqlite' else 'postgres'}.rebuild_speakers", boom)
        with pytest.raises(RuntimeError):
            store.delete_document(a.document.id)
        assert store.has_document(a.document.id) and okafor(store) == before
        assert len(store.list_claims(speaker_ids=[before.id])) == 3
    finally:
        store.close()


# --- speakers the text only describes ---------------------------------------------------------

def test_described_speakers_of_different_articles_are_not_one(store, extract):
    a, b = extract(SPOKESMAN_A), extract(SPOKESMAN_B)
    store.put(a)
    store.put(b)
    spokesmen = [s for s in store.list_speakers(limit=100) if s.name == SPOKESMAN]
    assert len(spokesmen) == 2 and spokesmen[0].id != spokesmen[1].id
    for speaker, doc in zip(spokesmen, (a, b), strict=True):
        claims = store.list_claims(speaker_ids=[speaker.id], limit=100)
        assert {c.claim.document_id for c in claims} == {doc.document.id}
        assert speaker.claim_count == len(claims) == given(doc, SPOKESMAN)[1]
        assert speaker.affiliations == ("Ministry of Transport",)
    assert {s.id for s in store.find_affiliated(["Ministry of Transport"])} == {s.id for s in spokesmen}
    assert {s.id for s in store.find_speakers(SPOKESMAN)} == {s.id for s in spokesmen}

    many = [s.id for s in spokesmen] + [f"nobody-{i}" for i in range(600)]  # "officials" in 600 articles
    assert len(store.list_claims(speaker_ids=many, limit=100)) == 2

    store.delete_document(a.document.id)
    assert [s.id for s in store.list_speakers(limit=100) if s.name == SPOKESMAN] == [spokesmen[1].id]
    store.put(a)  # back, as a speaker of its article again
    again = [s for s in store.list_speakers(limit=100) if s.name == SPOKESMAN]
    assert len(again) == 2 and spokesmen[1].id in {s.id for s in again}


def test_groups_described_alike_stay_apart_and_named_people_still_merge(store, extract):
    b, c = extract(SPOKESMAN_B), extract(OFFICIALS_C)
    store.put(b)
    store.put(c)
    officials = [s for s in store.list_speakers(limit=100) if s.name == "Officials"]
    assert len(officials) == 2 and all(s.claim_count == 1 for s in officials)
    store.put(extract(A_TEXT))
    store.put(extract(B_TEXT))
    speaker = okafor(store)
    assert speaker is not None and speaker.claim_count == 3


def test_a_described_speaker_never_joins_a_named_one(store, extract):
    named = extract("The Ministry of Transport said the bridge would close in June.")
    described = extract("The ministry said the bridge would close in June.")
    store.put(named)
    store.put(described)
    (ministry,) = [s for s in store.list_speakers(limit=100) if s.name == "The Ministry of Transport"]
    (other,) = [s for s in store.list_speakers(limit=100) if s.name == "ministry"]
    assert ministry.id != other.id and ministry.claim_count == other.claim_count == 1


# --- a record written by the code before this change -------------------------------------------

OLD_LEVEL = {"sqlite": 8, "postgres": 4}


def _old_rows(a: Extraction, b: Extraction, s1: Extraction, s2: Extraction):
    """Rows as the code before per-document speakers wrote them: one Okafor, his roles from both
    documents, and one spokesman merged across two articles."""
    ids = {"Peter James Okafor": "okafor", "Peter Okafor": "okafor", SPOKESMAN: "spokesman", "Officials": "officials"}
    docs, claims = [], []
    for x in (a, b, s1, s2):
        docs.append((x.document.id, x.document.text))
        claims += [(c.id, x.document.id, ids.get(c.speaker.name or ""), c) for c in x.claims]
    counts = Counter(c[2] for c in claims if c[2])
    speakers = [("okafor", "Peter James Okafor", "person", "okafor", counts["okafor"]),
                ("spokesman", SPOKESMAN, "person", "transport", counts["spokesman"]),
                ("officials", "Officials", "group", "officials", counts["officials"])]
    aliases = [("okafor", "Okafor", "okafor"), ("okafor", "Peter Okafor", "peter okafor")]
    roles = [("okafor", "a spokesman for the Ministry of Transport"), ("okafor", "the chairman of the Harbour Board")]
    affiliations = [("okafor", "Ministry of Transport", "ministry of transport"),
                    ("okafor", "Harbour Board", "harbour board"),
                    ("spokesman", "Ministry of Transport", "ministry of transport")]
    return docs, claims, speakers, aliases, roles, affiliations


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_a_record_of_the_old_schema_upgrades_on_open(kind, tmp_path, extract, monkeypatch, request):
    from claimcheck.store import PostgresStore, SQLiteStore
    from claimcheck.store import postgres as postgres_store
    from claimcheck.store import sqlite as sqlite_store
    from claimcheck.store.codec import claim_to_dict

    a, b, s1, s2 = extract(A_TEXT), extract(B_TEXT), extract(SPOKESMAN_A), extract(SPOKESMAN_B)
    docs, claims, speakers, aliases, roles, affiliations = _old_rows(a, b, s1, s2)
    if kind == "sqlite":
        target: str = str(tmp_path / "old.sqlite3")
        monkeypatch.setattr(sqlite_store, "MIGRATIONS", sqlite_store.MIGRATIONS[:OLD_LEVEL[kind]])
        SQLiteStore(target).close()
        conn = sqlite3.connect(target)

        def run(sql: str, rows: list) -> None:
            conn.executemany(sql, rows)

        data = [json.dumps(claim_to_dict(c[3])) for c in claims]
    else:
        import psycopg
        from psycopg.types.json import Jsonb

        target = request.getfixturevalue("postgres_url")
        monkeypatch.setattr(postgres_store, "MIGRATIONS", postgres_store.MIGRATIONS[:OLD_LEVEL[kind]])
        PostgresStore(target).close()
        conn = psycopg.connect(target)

        def run(sql: str, rows: list) -> None:
            with conn.cursor() as cur:
                cur.executemany(sql.replace("?", "%s"), rows)

        data = [Jsonb(claim_to_dict(c[3])) for c in claims]
    monkeypatch.undo()
    run("INSERT INTO documents (id, key, text, body_start) VALUES (?, NULL, ?, 0)", docs)
    run("INSERT INTO speakers (id, name, kind, last_key, claim_count) VALUES (?,?,?,?,?)", speakers)
    run("INSERT INTO speaker_aliases (speaker_id, alias, norm) VALUES (?,?,?)", aliases)
    run("INSERT INTO speaker_roles (speaker_id, role) VALUES (?,?)", roles)
    run("INSERT INTO speaker_affiliations (speaker_id, name, norm) VALUES (?,?,?)", affiliations)
    run("INSERT INTO claims (id, document_id, speaker_id, data, content) VALUES (?,?,?,?,?)",
        [(c[0], c[1], c[2], d, c[3].content.text) for c, d in zip(claims, data, strict=True)])
    run("INSERT INTO changes (document_id) VALUES (?)", [(d[0],) for d in docs])
    conn.commit()
    conn.close()

    store = SQLiteStore(target) if kind == "sqlite" else PostgresStore(target)
    try:
        before = okafor(store)
        assert before is not None and before.id == "okafor" and before.claim_count == 3
        assert before.name == "Peter James Okafor" and len(before.roles) == 2
        # the spokesman merged across two articles is two speakers now, each with its claims
        spokesmen = [s for s in store.list_speakers(limit=100) if s.name == SPOKESMAN]
        assert len(spokesmen) == 2 and {s.claim_count for s in spokesmen} == {1}
        assert all(s.affiliations == ("Ministry of Transport",) for s in spokesmen)
        assert {c.claim.document_id for s in spokesmen
                for c in store.list_claims(speaker_ids=[s.id])} == {s1.document.id, s2.document.id}
        assert store.get_speaker("spokesman") is None
        assert store.count_claims() == sum(len(x.claims) for x in (a, b, s1, s2))

        # what each document taught was credited to it from its text: deleting A takes back its role
        store.delete_document(a.document.id)
        left = okafor(store)
        assert left is not None and left.id == "okafor" and left.name == "Peter Okafor"
        assert left.roles == ("the chairman of the Harbour Board",)
        assert left.affiliations == ("Harbour Board",) and left.claim_count == 1
        store.delete_document(s1.document.id)
        assert [s.claim_count for s in store.list_speakers(limit=100) if s.name == SPOKESMAN] == [1]

        # and the record keeps working: new documents, deletes
        store.put(a)
        assert okafor(store).claim_count == 3 and len(okafor(store).roles) == 2
        store.delete_document(b.document.id)
        store.delete_document(a.document.id)
        store.delete_document(s2.document.id)
        assert store.list_speakers() == [] and store.count_claims() == 0
    finally:
        store.close()
