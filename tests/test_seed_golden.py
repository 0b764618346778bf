"""The seed article as acceptance: every claim, reviewed by hand, in tests/fixtures/.

On a change, the test prints a unified diff of the readable form. To accept a reviewed change:
    CLAIMCHECK_UPDATE_GOLDEN=1 pytest tests/test_seed_golden.py
or, the same file being a claims fixture: claimcheck regress tests/fixtures/seed_claims.json --update
"""

from __future__ import annotations

import difflib
import json
import os

from claimcheck.ingest import read_document
from claimcheck.regress import claim_summary as summary
from tests.conftest import FIXTURES, SEEDS, assert_spans_exact

SEED = SEEDS / "000_58b65f41969edd74.txt"
GOLDEN = FIXTURES / "seed_claims.json"


def test_seed_claims_match_the_reviewed_fixture(extractor):
    extraction = extractor.extract(read_document(SEED, max_bytes=1_000_000))
    assert_spans_exact(extraction)
    got = [summary(c) for c in extraction.claims]
    if os.environ.get("CLAIMCHECK_UPDATE_GOLDEN"):
        fixture = {"document": "../../seeds/000_58b65f41969edd74.txt", "claims": got}
        GOLDEN.write_text(json.dumps(fixture, ensure_ascii=False, indent=1) + "\n", "utf-8")
    expected = json.loads(GOLDEN.read_text("utf-8"))["claims"]
    if got != expected:
        diff = difflib.unified_diff(
            json.dumps(expected, ensure_ascii=False, indent=1).splitlines(),
            json.dumps(got, ensure_ascii=False, indent=1).splitlines(),
            "expected (tests/fixtures/seed_claims.json)", "extracted now", lineterm="", n=2,
        )
        raise AssertionError("seed claims changed:\n" + "\n".join(diff))


ACCEPTANCE = [
    # (speaker, a figure or date that must be in the claim, words of its content)
    ("Daily Mail", "at least 900 ISIS fighters", "killed at least 900 ISIS fighters"),
    ("Daily Mail", "17,000 troops", "began their operation in September"),
    ("Abdel Rahman", "500 SDF fighters", "at least 900 jihadists and 500 SDF fighters were killed"),
    ("Abdel Rahman", "more than 320 civilians", "civilians were also killed"),
    ("Donald Trump", "a month", "would be fully defeated within a month"),
    ("Donald Trump", None, "We’ve done a very, very major job on ISIS"),
    ("Donald Trump", "30 days", "there won’t be any of them left"),
    ("Bruce Hoffman", None, "ISIS anticipated its battlefield defeat"),
    ("Mazloum Kobani", "at least 5,000 IS fighters", "decided to fight to the death"),
    (None, "some 2,000 foreign fighters", "This includes some 2,000 foreign fighters"),
    ("Mazloum Kobani", None, "Abu Bakr al-Baghdadi was in eastern Syria"),
    ("Amaq", None, "responsibility for a Christmas market shooting"),
    ("Daily Mail", "last year", "Islamic State was driven from nearly all the territory"),
]


def test_seed_acceptance_list(extractor):
    claims = extractor.extract(read_document(SEED, max_bytes=1_000_000)).claims
    for speaker, marker, words in ACCEPTANCE:
        matches = [c for c in claims if words in c.content.text
                   and (speaker is None or c.speaker.name == speaker)
                   and (marker is None or marker in [f.text for f in c.figures] + [d.text for d in c.dates])]
        assert matches, (speaker, marker, words)


def test_seed_roles_and_when_said(extractor):
    claims = extractor.extract(read_document(SEED, max_bytes=1_000_000)).claims
    roles = {c.speaker.name: c.speaker.role for c in claims if c.speaker.role}
    assert roles["Abdel Rahman"] == "head of the Syrian Observatory for Human Rights"
    assert roles["Donald Trump"] == "US President"
    assert roles["Bruce Hoffman"] == "a terrorism expert at Georgetown University in Washington"
    assert roles["Mazloum Kobani"] == "SDF commander-in-chief"
    said = {(c.speaker.name, c.said_on.text) for c in claims if c.said_on}
    assert said == {("Donald Trump", "this week"), ("Donald Trump", "Tuesday"), ("Mazloum Kobani", "Thursday")}
    rahman = [c for c in claims if c.speaker.name == "Abdel Rahman"]
    assert [c.speaker.mention.text for c in rahman] == ["Abdel Rahman", "Rahman"]
