import json
from datetime import date

import pytest

from claimcheck.errors import DocumentError
from claimcheck.ingest import document_from_text, load_documents, read_document, read_manifest
from tests.conftest import SEEDS


def test_headline_and_source_line_are_metadata_and_outside_the_body():
    text = "Rebels take the town\nThe rebels took the town on Friday.\nSource: Daily Planet\n"
    doc = document_from_text(text)
    assert doc.title == "Rebels take the town"
    assert doc.headline.text == "Rebels take the town"
    assert doc.source == "Daily Planet"
    assert text[doc.body_start : doc.body_end].strip() == "The rebels took the town on Friday."


def test_a_first_line_that_is_a_sentence_is_body_not_headline():
    doc = document_from_text("The rebels took the town on Friday, officials said.\nMore text here.")
    assert doc.headline is None and doc.title is None


def test_id_is_a_content_hash_and_ignores_metadata():
    a = document_from_text("Some text here.", title="A")
    b = document_from_text("Some text here.", title="B", source="X")
    assert a.id == b.id and len(a.id) == 16
    assert a.id != document_from_text("Other text here.").id


def test_source_line_counts_only_at_the_end():
    doc = document_from_text("Head\nSource: not the end, says X.\nMore body text.")
    assert doc.source is None


def test_sidecar_wins_over_manifest_wins_over_text(tmp_path):
    (tmp_path / "a.txt").write_text("Head line\nBody text is here.\nSource: In Text\n", "utf-8")
    (tmp_path / "manifest.json").write_text(json.dumps(
        [{"file": "a.txt", "source": "Manifest", "published": "2019-11-19", "title": "From manifest"}]))
    (tmp_path / "a.meta.json").write_text(json.dumps({"source": "Sidecar", "url": "https://example.org/a"}))
    doc = read_document(tmp_path / "a.txt", max_bytes=10_000, manifest=read_manifest(tmp_path))
    assert doc.source == "Sidecar"
    assert doc.title == "From manifest"
    assert doc.published == date(2019, 11, 19)
    assert doc.url == "https://example.org/a"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"  \n\t ", "empty"),
        (b"abc\x00def", "binary"),
        (b"caf\xe9 latin-1", "not valid UTF-8"),
        (b"x" * 200, "too large"),
    ],
)
def test_unreadable_files_get_an_error_naming_them(tmp_path, content, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(DocumentError) as err:
        read_document(path, max_bytes=100)
    assert message in err.value.detail and "bad.txt" in err.value.detail


def test_bad_metadata_is_a_clear_error(tmp_path):
    (tmp_path / "a.txt").write_text("Body text is here.", "utf-8")
    (tmp_path / "a.meta.json").write_text('{"published": "last week"}')
    with pytest.raises(DocumentError, match="YYYY-MM-DD"):
        read_document(tmp_path / "a.txt", max_bytes=10_000)


def test_load_documents_reports_bad_files_and_keeps_going(tmp_path):
    (tmp_path / "good.txt").write_text("A sentence of text.", "utf-8")
    (tmp_path / "empty.txt").write_text("", "utf-8")
    loaded = list(load_documents([tmp_path, tmp_path / "missing.txt"], max_bytes=10_000))
    by_name = {item.path.rsplit("/", 1)[-1]: item for item in loaded}
    assert by_name["good.txt"].document is not None
    assert "empty" in by_name["empty.txt"].error.detail
    assert "no such file" in by_name["missing.txt"].error.detail


def test_text_is_stored_exactly_as_decoded():
    raw = (SEEDS / "000_58b65f41969edd74.txt").read_text("utf-8")
    doc = read_document(SEEDS / "000_58b65f41969edd74.txt", max_bytes=1_000_000)
    assert doc.text == raw
