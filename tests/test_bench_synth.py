"""The benchmark corpus generator keeps the invariants the real pipeline keeps."""

import importlib.util

from claimcheck import service
from claimcheck.match import TantivyIndex
from claimcheck.store import MemoryStore
from tests.conftest import ROOT, SEEDS


def _synth():
    spec = importlib.util.spec_from_file_location("synth", ROOT / "bench" / "synth.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_synthetic_corpus_is_deterministic_with_exact_spans(extractor):
    synth = _synth()
    templates = synth.templates(extractor, paths=[SEEDS])
    docs = list(synth.documents(templates, 120))
    again = list(synth.documents(templates, 120))
    assert [d.document.id for d in docs] == [d.document.id for d in again]
    assert sum(len(d.claims) for d in docs) == 120 and len(docs) == 3
    for extraction in docs:
        text = extraction.document.text
        for claim in extraction.claims:
            assert text[claim.content.start : claim.content.end] == claim.content.text
            for f in claim.figures:
                assert text[f.start : f.end] == f.text
    store, index = MemoryStore(), TantivyIndex()
    for extraction in docs:
        store.put(extraction)
    assert service.reindex(store, index) == 120
    contents = [c.claim.content.text for c in store.iter_claims()]
    statements = synth.statements(contents, 30)
    assert len(statements) == 30 and statements[0] in contents
    verdict = service.verify(store, index, extractor, statements[0])
    assert verdict.verdict.value in ("supported", "disputed", "misattributed")
