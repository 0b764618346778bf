"""The ingest job queue, over every store (the contract), and the worker that drains it."""

from __future__ import annotations

import threading
import time

import pytest

from claimcheck.errors import DocumentError
from claimcheck.ingest import document_from_text
from claimcheck.store.protocol import JobState
from claimcheck.worker import Worker


def doc(n: int, path: str | None = None):
    return document_from_text(f"Ann Cole said {n} trains were late on Monday.", path=path or f"{n}.txt")


def test_a_job_is_queued_taken_once_and_done(store):
    job = store.enqueue(doc(1))
    assert job.state is JobState.QUEUED and job.attempts == 0 and job.label == "1.txt"
    assert job.document_id == doc(1).id
    taken, document = store.take_job("w1", lease=30, attempts=3)
    assert taken.id == job.id and taken.state is JobState.RUNNING and taken.attempts == 1
    assert document == doc(1)
    assert store.take_job("w2", lease=30, attempts=3) is None  # nobody else gets it
    assert not store.renew_job(job.id, "w2", 30) and store.renew_job(job.id, "w1", 30)
    store.finish_job(job.id, "w1", claims=1)
    done = store.get_job(job.id)
    assert done.state is JobState.DONE and done.claims == 1 and done.error is None
    assert done.updated >= done.created
    assert store.job_counts() == {JobState.DONE: 1}
    assert store.get_job("nope") is None


def test_jobs_are_taken_oldest_first(store):
    ids = [store.enqueue(doc(n)).id for n in range(3)]
    assert [store.take_job("w", 30, 3)[0].id for _ in ids] == ids


def test_a_document_already_stored_is_done_at_once(store, extractor):
    store.put(extractor.extract(doc(5)))
    job = store.enqueue(doc(5))
    assert job.state is JobState.DONE and job.claims == 1
    assert store.take_job("w", 30, 3) is None


def test_a_job_whose_worker_died_is_taken_again_then_given_up(store):
    job = store.enqueue(doc(2))
    store.take_job("dead-1", lease=0.05, attempts=2)
    time.sleep(0.1)
    again, _ = store.take_job("w2", lease=0.05, attempts=2)
    assert again.id == job.id and again.attempts == 2
    store.finish_job(job.id, "dead-1", claims=9)  # the first worker's late word does not count
    assert store.get_job(job.id).state is JobState.RUNNING
    time.sleep(0.1)
    assert store.take_job("w3", lease=30, attempts=2) is None
    failed = store.get_job(job.id)
    assert failed.state is JobState.FAILED and "gave up after 2 attempts" in failed.error


def test_failures_retried_or_final(store):
    a, b = store.enqueue(doc(3)), store.enqueue(doc(4))
    store.take_job("w", 30, 3)
    store.fail_job(a.id, "w", "the store was busy", retry=True)
    assert store.get_job(a.id).state is JobState.QUEUED
    store.take_job("w", 30, 3)  # a again: it is the oldest
    store.fail_job(a.id, "w", "document is empty", retry=False)
    assert store.get_job(a.id).state is JobState.FAILED and store.get_job(a.id).error == "document is empty"
    assert store.take_job("w", 30, 3)[0].id == b.id


def test_the_worker_drains_the_queue(store, extractor):
    for n in range(4):
        store.enqueue(doc(n))
    store.enqueue(doc(1))  # the same document twice: stored once
    worker = Worker(store, extractor.extract, lease=30)
    outcomes = list(worker.run(threading.Event(), drain=True))
    assert [o.claims for o in outcomes] == [1] * 5 and all(o.error is None for o in outcomes)
    assert store.count_claims() == 4 and len(store.document_ids()) == 4
    assert store.job_counts() == {JobState.DONE: 5}


def test_a_document_that_cannot_be_parsed_fails_its_job_only(store, extractor):
    def extract(document):
        if "13" in document.text:
            raise DocumentError(None, "parsing the document took longer than 60 s, the limit")
        return extractor.extract(document)

    bad, good = store.enqueue(doc(13)), store.enqueue(doc(14))
    outcomes = list(Worker(store, extract).run(threading.Event(), drain=True))
    assert [o.retried for o in outcomes] == [False, False]
    assert store.get_job(bad.id).state is JobState.FAILED and "longer than 60 s" in store.get_job(bad.id).error
    assert store.get_job(good.id).state is JobState.DONE


def test_an_unexpected_error_is_retried_then_given_up(store, extractor):
    def extract(document):
        raise RuntimeError("boom")

    job = store.enqueue(doc(6))
    outcomes = list(Worker(store, extract, attempts=2).run(threading.Event(), drain=True))
    assert [o.retried for o in outcomes] == [True, False]
    assert store.get_job(job.id).state is JobState.FAILED and "RuntimeError" in store.get_job(job.id).error


def test_the_lease_is_renewed_while_a_job_runs(store, extractor):
    def slow(document):
        time.sleep(0.4)
        return extractor.extract(document)

    job = store.enqueue(doc(7))
    worker = Worker(store, slow, lease=0.15)
    outcomes = []
    thread = threading.Thread(target=lambda: outcomes.extend(worker.run(threading.Event(), drain=True)))
    thread.start()
    time.sleep(0.3)  # past the first lease: renewed, so nobody else may take it
    assert store.take_job("other", 30, 3) is None
    thread.join()
    assert store.get_job(job.id).state is JobState.DONE and outcomes[0].job.attempts == 1


@pytest.mark.parametrize("workers", [4])
def test_concurrent_workers_take_each_job_once(postgres_url, extractor, workers):
    from claimcheck.store import PostgresStore

    setup = PostgresStore(postgres_url)
    ids = {setup.enqueue(doc(n)).id for n in range(20)}
    stores = [PostgresStore(postgres_url, max_connections=2) for _ in range(workers)]
    taken: list[list[str]] = [[] for _ in range(workers)]

    def take(i: int) -> None:
        while found := stores[i].take_job(f"w{i}", 30, 3):
            taken[i].append(found[0].id)

    threads = [threading.Thread(target=take, args=(i,)) for i in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    try:
        every = [j for part in taken for j in part]
        assert sorted(every) == sorted(ids)  # each exactly once
        assert setup.job_counts() == {JobState.RUNNING: 20}
    finally:
        for s in (setup, *stores):
            s.close()
