"""Prior fact-checks in the store: the record type, its JSON form and the word index that
retrieval reads. Every store keeps the same three things per review: the review (as JSON), the
review's claim as the statement parser read it (for matching at verify time) and its words."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from claimcheck.domain import Claim, FactCheck, Rating, to_jsonable
from claimcheck.names import name_tokens
from claimcheck.store.codec import claim_from_dict, claim_to_dict

# Retrieval: a word in more than this share of the reviews says nothing about which one.
COMMON = 0.5


@dataclass(frozen=True, slots=True)
class StoredFactCheck:
    factcheck: FactCheck
    parsed: Claim | None  # the claim as the statement parser read it; None when it was not parsed

    @property
    def id(self) -> str:
        return self.factcheck.id


@dataclass(frozen=True, slots=True)
class FactCheckPut:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def factcheck_to_dict(fc: FactCheck) -> dict[str, Any]:
    return to_jsonable(fc)


def factcheck_from_dict(d: Mapping[str, Any]) -> FactCheck:
    r = d.get("rating") or {}
    return FactCheck(
        url=d["url"], claim=d["claim"],
        rating=Rating(value=r.get("value"), best=r.get("best"), worst=r.get("worst"), name=r.get("name")),
        claimant=d.get("claimant"), claimant_role=d.get("claimant_role"),
        claimant_is_organization=bool(d.get("claimant_is_organization")), claim_date=_day(d.get("claim_date")),
        publisher=d.get("publisher"),
        publisher_url=d.get("publisher_url"), reviewed=_day(d.get("reviewed")),
        appearances=tuple(d.get("appearances") or ()),
    )


def parsed_to_dict(parsed: Claim | None) -> dict[str, Any] | None:
    return claim_to_dict(parsed) if parsed is not None else None


def parsed_from_dict(d: Mapping[str, Any] | None) -> Claim | None:
    return claim_from_dict(dict(d)) if d else None


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def words(record: StoredFactCheck) -> set[str]:
    """What retrieval finds a review by: the lemmas of its parsed claim (or its words, unparsed)
    and its claimant's name."""
    from claimcheck.match.search import terms  # the tokenizer the claim index uses

    base = record.parsed.lemmas if record.parsed is not None and record.parsed.lemmas else record.factcheck.claim
    found = set(terms(base))
    if record.factcheck.claimant:
        found |= set(name_tokens(record.factcheck.claimant))
    return {w for w in found if len(w) > 1}


def rank(query: Iterable[str], postings: Mapping[str, set[str]], total: int, limit: int) -> list[str]:
    """Review ids by the summed rarity (idf) of the query words they share, best first.
    ``postings``: for each query word, the reviews that have it; ``total``: reviews stored."""
    scores: dict[str, float] = {}
    for word in set(query):
        ids = postings.get(word, set())
        if not ids or (total >= 20 and len(ids) > COMMON * total):
            continue
        idf = math.log(1.0 + total / len(ids))
        for i in ids:
            scores[i] = scores.get(i, 0.0) + idf
    return [i for i, _ in sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]]


class MemoryFactChecks:
    """Prior fact-checks for the in-memory store (the fake for tests), with SQLite's behaviour."""

    def __init__(self) -> None:
        self.factchecks: dict[str, StoredFactCheck] = {}  # in the order stored

    def put_factchecks(self, records: Sequence[StoredFactCheck]) -> FactCheckPut:
        created = updated = unchanged = 0
        staged = dict(self.factchecks)
        for record in records:
            old = staged.get(record.id)
            if old == record:
                unchanged += 1
                continue
            created += old is None
            updated += old is not None
            staged[record.id] = record
        self.factchecks = staged
        return FactCheckPut(created, updated, unchanged)

    def get_factcheck(self, factcheck_id: str) -> StoredFactCheck | None:
        return self.factchecks.get(factcheck_id)

    def list_factchecks(self, *, q: str | None = None, claimant: str | None = None, limit: int = 50,
                        after: str | None = None) -> list[StoredFactCheck]:
        rows = list(self.factchecks.values())
        if after is not None:
            ids = [r.id for r in rows]
            rows = rows[ids.index(after) + 1:] if after in ids else rows
        for value, field in ((q, "claim"), (claimant, "claimant")):
            for word in (value or "").casefold().split():
                rows = [r for r in rows if word in (getattr(r.factcheck, field) or "").casefold()]
        return rows[:limit]

    def search_factchecks(self, words_: Sequence[str], limit: int) -> list[StoredFactCheck]:
        postings: dict[str, set[str]] = {}
        for record in self.factchecks.values():
            for w in words(record) & set(words_):
                postings.setdefault(w, set()).add(record.id)
        return [self.factchecks[i] for i in rank(words_, postings, len(self.factchecks), limit)]

    def count_factchecks(self) -> int:
        return len(self.factchecks)
