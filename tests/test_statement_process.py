"""Statements parsed in a process of their own (extract/statement_process.py) and batched across
requests (api/batching.py): the same claims as in-process, failures that name themselves and
recover, and verdicts that do not depend on the process that made them."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time

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

    def send_then_die(documents):  # the process ends as the batch reaches it (before any reply)
        process._process.kill()
        process._process.join(5)
        real_send(documents)

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


def test_a_request_that_gives_up_mid_batch_leaves_the_batcher_working(extractor):
    """Its future is cancelled while its batch parses: the batcher must not die setting it (every
    later request would wait for ever)."""
    import threading

    from claimcheck.api.batching import StatementBatcher

    release = threading.Event()

    def slow(docs: list[Document]) -> list[Claim]:
        release.wait(10)
        return extractor.statements(docs)

    batcher = StatementBatcher(slow)

    async def give_up_then_ask_again() -> list[Claim]:
        first = asyncio.ensure_future(batcher.parse_async(*_documents(STATEMENTS[:1])))
        await asyncio.sleep(0.2)  # its batch is being parsed now
        first.cancel()
        release.set()
        return await batcher.parse_async(*_documents(STATEMENTS[1:2]))

    try:
        assert asyncio.run(give_up_then_ask_again()) == extractor.statements(_documents(STATEMENTS[1:2]))
        assert batcher._thread.is_alive()
        assert batcher.parse(_documents(STATEMENTS[:1])[0]) == extractor.statements(_documents(STATEMENTS[:1]))[0]
    finally:
        batcher.close()


def test_a_statement_the_parser_cannot_take_fails_alone_not_its_batch(extractor):
    import threading

    from claimcheck.api.batching import StatementBatcher
    from claimcheck.errors import InvalidInput

    bad, gate = "Mara Quell said the parser cannot take this.", threading.Event()
    batches: list[list[str]] = []

    def picky(docs: list[Document]) -> list[Claim]:
        batches.append([d.text for d in docs])
        gate.wait(10)  # the first batch holds the batcher while the next three queue up
        if any(d.text == bad for d in docs):
            raise InvalidInput("the statement could not be parsed (ValueError)")
        return extractor.statements(docs)

    batcher = StatementBatcher(picky)
    try:
        first = batcher._submit(_documents(STATEMENTS[2:3])[0])
        while not batches:  # the batcher has taken the first
            time.sleep(0.01)
        futures = [batcher._submit(d) for d in _documents([STATEMENTS[0], bad, STATEMENTS[1]])]
        gate.set()
        assert first.result(10) == extractor.statements(_documents(STATEMENTS[2:3]))[0]
        with pytest.raises(InvalidInput):
            futures[1].result(10)
        assert futures[0].result(10) == extractor.statements(_documents(STATEMENTS[:1]))[0]
        assert futures[2].result(10) == extractor.statements(_documents(STATEMENTS[1:2]))[0]
        assert batches[1] == [STATEMENTS[0], bad, STATEMENTS[1]]  # they were one batch, then one by one
        assert batches[2:] == [[STATEMENTS[0]], [bad], [STATEMENTS[1]]]
    finally:
        gate.set()
        batcher.close()


def test_a_parse_that_never_comes_back_is_a_503_not_a_wait_for_ever():
    import threading

    from claimcheck.api.batching import StatementBatcher

    stuck = threading.Event()
    batcher = StatementBatcher(lambda docs: stuck.wait(30) and [], timeout=0.3)
    try:
        with pytest.raises(ParserFailed, match="no parse within"):
            batcher.parse(_documents(STATEMENTS[:1])[0])
        with pytest.raises(ParserFailed, match="no parse within"):
            asyncio.run(batcher.parse_async(*_documents(STATEMENTS[:1])))
    finally:
        stuck.set()
        batcher.close()


def test_with_parse_workers_the_service_process_loads_no_pipeline_of_its_own(tmp_path):
    """Documents and statements are parsed in worker processes: a third copy of the pipeline in
    the service process would only take memory (about 200 MB)."""
    from fastapi.testclient import TestClient

    from claimcheck.api.app import create_app

    settings = Settings(db=tmp_path / "c.sqlite3", seeds=tmp_path / "none", parse_workers=1)
    with TestClient(create_app(settings)) as c:
        assert c.get("/readyz").status_code == 200
        text = "Ann Cole, the mayor of Tasso, said on Monday that 40 people were hurt."
        assert c.post("/v1/documents", content=text.encode(), headers={"content-type": "text/plain"}).status_code == 201
        r = c.post("/v1/verify", json={"statement": "Ann Cole said 40 people were hurt"})
        assert r.status_code == 200 and r.json()["verdict"] == "supported"
        assert not c.app.state.runtime.model_loaded


def test_the_parser_is_replaced_after_so_many_statements_without_a_failed_request(extractor):
    """spaCy's string store only grows: past ``recycle_after`` statements a new process loads
    beside the old one and takes over once ready; every batch meanwhile is answered."""
    parser = StatementProcess(Settings().spacy_model, timeout=30, recycle_after=3)
    try:
        parser.start()
        first = parser._process
        docs = _documents(STATEMENTS)
        expected = extractor.statements(docs)
        deadline = time.monotonic() + 120
        while parser._process is first:
            assert parser.statements(docs) == expected
            assert time.monotonic() < deadline, "no replacement took over"
            time.sleep(0.05)
        first.join(10)
        assert not first.is_alive() and parser._process.is_alive()
        assert parser._parsed == 0 and parser._next is None
        assert parser.statements(docs) == expected
    finally:
        parser.close()
    assert parser._process is None and parser._next is None


def test_a_parser_that_keeps_failing_to_start_is_reported_until_one_starts():
    """What /readyz reads: one failed start is a restart under way; two in a row is a parser
    that cannot start, and every verify would fail until one does."""
    parser = StatementProcess("xx_no_such_model_sm", timeout=30)
    try:
        assert parser.not_ready() is None
        with pytest.raises(ModelNotAvailable):
            parser.start()
        assert parser.not_ready() is None
        with pytest.raises(ModelNotAvailable):
            parser.statements(_documents(STATEMENTS[:1]))
        reason = parser.not_ready()
        assert reason is not None and "2 times in a row" in reason and "xx_no_such_model_sm" in reason
        parser.model = Settings().spacy_model
        assert len(parser.statements(_documents(STATEMENTS[:1]))) == 1
        assert parser.not_ready() is None
    finally:
        parser.close()
    assert parser.not_ready() == "the statement parser is closed"


def test_readyz_says_when_the_statement_parser_keeps_failing_to_start(tmp_path):
    """End to end with the real parser process: killed, and unable to start again (its model
    gone), the service answers verify with an error and /readyz with a 503 naming the parser;
    once a parser starts again, both recover."""
    from fastapi.testclient import TestClient

    from claimcheck.api.app import create_app

    settings = Settings(db=tmp_path / "c.sqlite3", seeds=tmp_path / "none", parse_workers=1)
    with TestClient(create_app(settings)) as c:
        assert c.get("/readyz").status_code == 200
        parser = c.app.state.statements
        parser.model = "xx_no_such_model_sm"  # as if the installed model had been removed
        parser._process.kill()
        parser._process.join(5)
        for _ in range(2):
            r = c.post("/v1/verify", json={"statement": "Ann Cole said 40 people were hurt"})
            assert 500 <= r.status_code < 600 and r.status_code != 500
            assert r.headers["content-type"].startswith("application/problem+json")
        r = c.get("/readyz")
        assert r.status_code == 503 and "statement parser failed to start 2 times" in r.json()["detail"]
        parser.model = settings.spacy_model
        assert c.post("/v1/verify", json={"statement": "Ann Cole said 40 people were hurt"}).status_code == 200
        assert c.get("/readyz").status_code == 200
