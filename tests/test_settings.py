import importlib.util

from claimcheck.nlp import load
from claimcheck.settings import OFFICIAL_MODEL, REUPLOADED_MODEL, Settings


def test_model_is_a_setting(monkeypatch):
    monkeypatch.setenv("CLAIMCHECK_SPACY_MODEL", "some_other_pipeline")
    assert Settings().spacy_model == "some_other_pipeline"


def test_default_prefers_the_official_pipeline_when_installed(monkeypatch):
    monkeypatch.delenv("CLAIMCHECK_SPACY_MODEL", raising=False)
    expected = OFFICIAL_MODEL if importlib.util.find_spec(OFFICIAL_MODEL) else REUPLOADED_MODEL
    assert Settings().spacy_model == expected


def test_pipeline_is_loaded_once_per_process_with_paragraph_boundaries():
    model = Settings().spacy_model
    nlp = load(model)
    assert load(model) is nlp
    assert nlp.pipe_names.index("claimcheck_paragraphs") < nlp.pipe_names.index("parser")
    doc = nlp("Rebels take the town\nThe rebels took the town on Friday.")
    assert [s.text.strip() for s in doc.sents] == ["Rebels take the town", "The rebels took the town on Friday."]
