"""Statements parsed in a process of their own (extract/statement_process.py) and batched across
requests (api/batching.py): the same claims as in-process, failures that name themselves and
recover, and verdicts that do not depend on the process that made them."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys

import pytest

from claimcheck.domain import Claim, Document
from claimcheck.errors import ModelNotAvailable, ParserFailed
from claimcheck.extract import Extractor
from claimcheck.extract.statement_process import StatementProcess
from claimcheck.ingest import document_from_text
from claimcheck.settings import Settings
from tests.conftest import ROOT, SEEDS

STATEMENTS = [
    "Ann Cole said 40 people were hurt when the bridge collapsed.",
    "Kestrel Air will cut at least 1,200 jobs by March, Peter Okafor told reporters.",
    "Tasso's council voted against the budget on Monday.",
]


@pytest.fixture(scope="module")
def process():
    parser = StatementProcess(Settings().spacy_model, timeout=30)
    parser.start()
    yield parser
    parser.close()


def _documents(texts: list[str]) -> list[Document]:
    return [document_from_text(t) for t in texts]


def test_the_same_claims_as_parsing_in_process(process, extractor: Extractor):
    docs = _documents(STATEMENTS)
    assert process.statements(docs) == extractor.statements(docs)


def test_a_parser_that_died_between_batches_is_replaced_before_the_next(process, extractor):
    dead = process._process
    dead.kill()
    dead.join(5)
    assert process.statements(_documents(STATEMENTS[:1])) == extractor.statements(_documents(STATEMENTS[:1]))
    assert process._process is not dead and process._process.is_alive()


def test_a_parser_that_dies_on_a_batch_fails_that_batch_only(process, extractor, monkeypatch):
    real_send = process._conn.send

    def send_then_die(documents):  # the process ends while the batch is in its hands
        real_send(documents)
        process._process.kill()

    monkeypatch.setattr(process._conn, "send", send_then_die)
    with pytest.raises(ParserFailed, match="ended"):
        process.statements(_documents(STATEMENTS[:1]))
    assert process.statements(_documents(STATEMENTS[:1])) == extractor.statements(_documents(STATEMENTS[:1]))


def test_a_parse_past_its_deadline_fails_and_the_parser_is_replaced(extractor):
    parser = StatementProcess(Settings().spacy_model, timeout=0.001)
    try:
        parser.start()
        with pytest.raises(ParserFailed, match="longer than"):
            parser.statements(_documents(STATEMENTS * 20))
        assert parser._process is None  # the stuck process was stopped, not left running
        parser.timeout = 30
        assert parser.statements(_documents(STATEMENTS[:1])) == extractor.statements(_documents(STATEMENTS[:1]))
    finally:
        parser.close()


def test_a_model_that_is_not_installed_is_named_at_start():
    parser = StatementProcess("xx_no_such_model_sm", timeout=30)
    with pytest.raises(ModelNotAvailable, match="xx_no_such_model_sm"):
        parser.start()
    parser.close()  # nothing left to stop; closing twice is harmless
    parser.close()


def test_the_batcher_answers_waiting_requests_in_order_whatever_the_batches(extractor):
    from claimcheck.api.batching import StatementBatcher

    batches: list[int] = []

    def parse_batch(docs: list[Document]) -> list[Claim]:
        batches.append(len(docs))
        return extractor.statements(docs)

    batcher = StatementBatcher(parse_batch, max_batch=2)
    try:
        docs = _documents(STATEMENTS)
        claims = asyncio.run(batcher.parse_async(*docs))
        assert claims == extractor.statements(docs)
        assert sum(batches) == 3 and max(batches) <= 2
        assert batcher.parse(docs[0]) == claims[0]
    finally:
        batcher.close()


def test_a_failed_batch_fails_each_of_its_requests(extractor):
    from claimcheck.api.batching import StatementBatcher

    def parse_batch(docs: list[Document]) -> list[Claim]:
        raise ParserFailed("the statement parser process ended")

    batcher = StatementBatcher(parse_batch)
    try:
        with pytest.raises(ParserFailed):
            asyncio.run(batcher.parse_async(*_documents(STATEMENTS)))
    finally:
        batcher.close()


def _verify_in_a_process(db: str, hash_seed: str) -> list:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed, "CLAIMCHECK_DB": db}
    out = []
    # Statements whose evidence shares two or three kinds of event with them (attack, capture,
    # die): each kind is a reason.
    for statement in ("SDF fighters captured Hajin and attacked ISIS, and 900 fighters died",
                      "The coalition attacked and captured Hajin, where 900 ISIS fighters were killed"):
        run = subprocess.run([sys.executable, "-m", "claimcheck", "verify", statement, "--db", db, "--json"],
                             cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
        assert run.returncode == 0, run.stderr
        out.append(json.loads(run.stdout))
    return out


@pytest.mark.slow
def test_verdicts_and_their_reasons_are_the_same_in_every_process(tmp_path):
    """Sets of strings iterate in another order in each process (hash randomisation); reasons
    built from one once came out in a different order from run to run, and `claimcheck regress`
    compares them."""
    db = str(tmp_path / "c.sqlite3")
    subprocess.run([sys.executable, "-m", "claimcheck", "ingest", str(SEEDS), "--db", db], cwd=ROOT, check=True,
                   capture_output=True, timeout=300)
    first = _verify_in_a_process(db, "1")
    assert any(sum(r["message"].startswith("the same kind of event") for r in e["reasons"]) >= 3
               for verdict in first for e in verdict["evidence"])
    for seed in ("2", "3", "4"):
        assert _verify_in_a_process(db, seed) == first
