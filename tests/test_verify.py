"""The verification engine over the in-memory store and an in-memory tantivy index."""

import pytest

from claimcheck import service
from claimcheck.errors import InvalidInput
from claimcheck.ingest import load_documents
from claimcheck.match import TantivyIndex, sync_index
from claimcheck.regress import load_fixture, run_statements
from claimcheck.store import MemoryStore
from tests.conftest import CORPORA, FIXTURES, SEEDS, needs_corpora


@pytest.fixture(scope="module")
def engine(extractor):
    store, index = MemoryStore(), TantivyIndex()
    docs = [i.document for i in load_documents([SEEDS, FIXTURES / "corpus"], max_bytes=10**7)]
    list(service.ingest(store, index, extractor, docs))

    def run(statement, speaker=None):
        return service.verify(store, index, extractor, statement, speaker)

    run.store, run.index = store, index
    return run


CASES = [
    ("Abdel Rahman said 500 SDF fighters were killed in the battle for Hajin", None,
     "supported", {"figure_match", "speaker_match"}),
    ("Abdel Rahman said 900 SDF fighters died in Hajin", None, "conflicting", {"figure_mismatch"}),
    ("Donald Trump said 500 SDF fighters were killed in the battle for Hajin", None,
     "misattributed", {"speaker_mismatch"}),
    ("500 SDF fighters were killed in the battle for Hajin", None, "disputed", {"figure_match"}),
    ("Kobani said on Monday that at least 5,000 IS fighters remain holed up", None,
     "conflicting", {"date_mismatch"}),
    ("Bruce Hoffman said ISIS did not anticipate its battlefield defeat", None, "conflicting", {"negation"}),
    ("Trump predicted the group would be defeated within 90 days", None, "conflicting", {"figure_mismatch"}),
    ("US-backed militia killed 3,000 ISIS fighters", None, "not_enough_info", set()),
    ("Apple released a new iPhone in California", None, "not_enough_info", set()),
    ("900 SDF fighters died in Hajin", "Abdel Rahman", "conflicting", {"figure_mismatch", "speaker_match"}),
]


@pytest.mark.parametrize(("statement", "speaker", "verdict", "codes"), CASES)
def test_verdicts_and_reasons(engine, statement, speaker, verdict, codes):
    result = engine(statement, speaker)
    assert result.verdict.value == verdict
    if codes:
        top = result.evidence[0]
        assert codes <= {r.code for r in top.reasons}
    for e in result.evidence:
        assert 0 <= e.score <= 1
    assert 0 <= result.confidence <= 1


def test_reasons_say_what_differs(engine):
    result = engine("Abdel Rahman said 900 SDF fighters died in Hajin")
    messages = [r.message for r in result.evidence[0].reasons if r.code == "figure_mismatch"]
    assert messages == ["statement says 900 SDF fighters; source says 500 SDF fighters (contradicts)"]


def test_evidence_spans_index_their_documents(engine):
    result = engine("More than 320 civilians were killed in air strikes by the US-led coalition")
    assert result.verdict.value == "supported"
    for e in result.evidence:
        text = engine.store.get_document(e.claim.document_id).text
        assert text[e.claim.content.start : e.claim.content.end] == e.claim.content.text


def test_parsed_statement_is_reported(engine):
    parsed = engine("Abdel Rahman said 900 SDF fighters died in Hajin").parsed
    assert parsed.speaker.name == "Abdel Rahman"
    assert [(f.value, f.unit) for f in parsed.figures] == [(900, "SDF fighters")]


def test_deterministic(engine):
    a = engine("500 SDF fighters were killed in the battle for Hajin")
    b = engine("500 SDF fighters were killed in the battle for Hajin")
    assert a == b


@pytest.mark.parametrize(
    "statement", ["COVID-19", "O'Brien", '"unterminated', "rate AND", "NEAR(", "body:rate", "*",
                  "fighters OR 1=1; --", "((()))", "Hajin\tfighters\u200b"])
def test_user_text_is_never_query_syntax(engine, statement):
    assert engine(statement).verdict.value in ("not_enough_info", "supported", "conflicting", "disputed")


@pytest.mark.parametrize(
    ("statement", "message"),
    [("", "empty"), ("   \n\t", "empty"), ("a\x00b", "NUL"), ("x" * 2001, "limit is 2,000"),
     ("bad \ud800 surrogate", "surrogate")],
)
def test_bad_statements_are_clear_errors(engine, statement, message):
    with pytest.raises(InvalidInput, match=message):
        engine(statement)


def test_index_follows_deletes_and_rebuilds(engine, extractor):
    store, index = MemoryStore(), TantivyIndex()
    docs = [i.document for i in load_documents([SEEDS], max_bytes=10**7)]
    list(service.ingest(store, index, extractor, docs))
    assert index.count() == store.count_claims()
    service.delete_document(store, index, docs[0].id)
    assert index.count() == 0 == store.count_claims()
    list(service.ingest(store, index, extractor, docs))
    with index.writing() as write:  # the index loses everything behind the store's back
        write.clear()
        write.commit(index.state())
    assert sync_index(store, index, check=True).changed and index.count() == store.count_claims()


def test_seed_statement_fixture_accuracy(extractor):
    """68 hand-labelled statements. Measured 2026-11-23: 65/68 (0.956); 63/68 with the v2 rules (2026-11-29),
    which no longer let a hedged source support a statement (one old label assumed it did)."""
    path = FIXTURES / "statements_seed.json"
    results = run_statements(path, load_fixture(path), extractor)
    right = sum(o.expected["verdict"] == o.actual["verdict"] for _, o in results)
    verdicts = {o.expected["verdict"] for _, o in results}
    assert len(results) >= 60 and verdicts == {"supported", "conflicting", "misattributed",
                                               "disputed", "not_enough_info"}
    assert right >= 63, right


@needs_corpora
def test_corpora_statement_fixture_accuracy(extractor):
    """17 statements about ../shared/corpora. Measured 2026-11-23: 9/17 on the first (blind)
    run, 16/17 after general fixes."""
    path = FIXTURES / "statements_corpora.json"
    assert CORPORA.is_dir()
    results = run_statements(path, load_fixture(path), extractor)
    right = sum(o.expected["verdict"] == o.actual["verdict"] for _, o in results)
    assert right >= 15, right


def test_bulk_ingest_batches_index_commits_but_indexes_everything(extractor):
    from claimcheck.ingest import document_from_text

    store, index = MemoryStore(), TantivyIndex()
    docs = [document_from_text(f"Officials said {n} people died in flood number {n}.") for n in range(1, 8)]
    done = list(service.ingest(store, index, extractor, docs, index_every=3))
    assert [d.document.id for d in done] == [d.id for d in docs]
    assert index.count() == store.count_claims() == 7
