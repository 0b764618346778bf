"""Regression fixtures: re-run statements (or a document's claims) and show every change.

A statements fixture is JSON::

    {"corpus": ["../articles"],            # paths relative to the fixture file
     "statements": [{"statement": "...", "speaker": null, "date": null,
                     "expected": "supported",
                     "evidence": {"speaker": "Jane Roe", "contains": "40 workers"}}]}

``evidence`` names the claim expected first among the deciding evidence (null when the verdict
has none). A claims fixture is ``{"document": "path.txt", "claims": [...]}`` with the readable
summary of every claim of that document.
"""

from __future__ import annotations

import difflib
import json
import re
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from claimcheck.domain import Claim, Stance, Verdict
from claimcheck.errors import InvalidInput
from claimcheck.extract import Extractor
from claimcheck.ingest import load_documents, read_document, read_manifest
from claimcheck.match import TantivyIndex
from claimcheck.match.entailment import EntailmentScorer
from claimcheck.service import ingest, verify
from claimcheck.store import MemoryStore


def claim_summary(claim: Claim) -> dict[str, Any]:
    """A claim as a reviewer reads it: what changed shows up as a line in a diff."""
    sp = claim.speaker
    out: dict[str, Any] = {
        "kind": claim.kind.value,
        "speaker": sp.name,
        "speaker_kind": sp.kind.value,
        "mention": sp.mention.text if sp.mention else None,
        "role": sp.role,
        "cue": claim.cue.text if claim.cue else None,
        "said_on": claim.said_on.text if claim.said_on else None,
        "content": [claim.content.start, claim.content.end, claim.content.text],
        "figures": [f"{f.text} = {f.value:g} {f.qualifier} {f.unit} ({f.kind.value})" for f in claim.figures],
        "dates": [f"{d.text} ({d.kind.value})" for d in claim.dates],
    }
    if claim.negated:
        out["negated"] = True
    return out


@dataclass(frozen=True, slots=True)
class Outcome:
    expected: dict[str, Any]
    actual: dict[str, Any]
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        return self.expected != self.actual


def diff_lines(expected: Any, actual: Any, label: str) -> list[str]:
    return list(difflib.unified_diff(
        json.dumps(expected, ensure_ascii=False, indent=1).splitlines(),
        json.dumps(actual, ensure_ascii=False, indent=1).splitlines(),
        f"expected ({label})", "now", lineterm="", n=2))


def load_fixture(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidInput(f"{path}: not a readable JSON fixture: {exc}") from None
    if not isinstance(data, dict) or not ({"statements", "claims"} & data.keys()):
        raise InvalidInput(f"{path}: a fixture is an object with 'statements' or 'claims'")
    return data


def _evidence_key(verdict: Verdict) -> dict[str, str | None] | None:
    deciding = [e for e in verdict.evidence if e.stance is not Stance.RELATED]
    if not deciding:
        return None
    claim = deciding[0].claim
    words = claim.content.text.split()
    return {"speaker": claim.speaker.name, "contains": " ".join(words[:8])}


def _evidence_ok(expected: dict[str, str] | None, verdict: Verdict) -> bool:
    deciding = [e for e in verdict.evidence if e.stance is not Stance.RELATED]
    if expected is None:
        return not deciding
    return any(e.claim.speaker.name == expected.get("speaker")
               and expected.get("contains", "") in e.claim.content.text for e in deciding[:3])


def run_statements(path: Path, fixture: dict[str, Any], extractor: Extractor,
                   entailment: EntailmentScorer | None = None) -> list[tuple[dict, Outcome]]:
    """Ingest the fixture's corpus into a fresh in-memory index and verify every statement (with
    the entailment model, when given, as the service does)."""
    store, index = MemoryStore(), TantivyIndex()
    corpus = [(path.parent / p).resolve() for p in fixture.get("corpus", [])]
    missing = [str(p) for p in corpus if not p.exists()]
    if missing:
        raise InvalidInput(f"{path}: corpus path not found: {', '.join(missing)}")
    documents = [item.document for item in load_documents(corpus, max_bytes=10_000_000) if item.document]
    list(ingest(store, index, extractor, documents))
    results = []
    for item in fixture["statements"]:
        on = date.fromisoformat(item["date"]) if item.get("date") else None
        started = time.perf_counter()
        verdict = verify(store, index, extractor, item["statement"], item.get("speaker"), on,
                         entailment=entailment)
        seconds = time.perf_counter() - started
        expected = {"verdict": item["expected"], "evidence": item.get("evidence")}
        evidence = item.get("evidence") if _evidence_ok(item.get("evidence"), verdict) else _evidence_key(verdict)
        results.append((item, Outcome(expected, {"verdict": verdict.verdict.value, "evidence": evidence},
                                      seconds)))
    return results


def run_claims(path: Path, fixture: dict[str, Any], extractor: Extractor) -> Outcome:
    doc_path = (path.parent / fixture["document"]).resolve()
    document = read_document(doc_path, max_bytes=10_000_000, manifest=read_manifest(doc_path.parent))
    started = time.perf_counter()
    actual = [claim_summary(c) for c in extractor.extract(document).claims]
    return Outcome({"claims": fixture["claims"]}, {"claims": actual}, time.perf_counter() - started)


def update(path: Path, fixture: dict[str, Any], results: list[tuple[dict, Outcome]] | Outcome) -> None:
    """Write what the engine says now into the fixture (after a person reviewed the diff)."""
    if isinstance(results, Outcome):
        fixture["claims"] = results.actual["claims"]
    else:
        for item, outcome in results:
            item["expected"] = outcome.actual["verdict"]
            item["evidence"] = outcome.actual["evidence"]
    path.write_text(json.dumps(fixture, ensure_ascii=False, indent=1) + "\n", "utf-8")


# Characters XML 1.0 cannot hold, even escaped: a statement may contain them, the report may not.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def junit_xml(fixture: Path, cases: list[tuple[str, Outcome]]) -> bytes:
    """The run as JUnit XML, which CI systems show natively: one test case per statement (or
    one for a claims fixture), a changed one failing with the readable diff as its message."""

    def clean(text: str) -> str:
        return _NOT_XML.sub("\ufffd", text)

    failures = sum(o.changed for _, o in cases)
    total_time = f"{sum(o.seconds for _, o in cases):.3f}"
    suites = ET.Element("testsuites", name="claimcheck regress", tests=str(len(cases)),
                        failures=str(failures), errors="0", time=total_time)
    suite = ET.SubElement(suites, "testsuite", name=clean(fixture.name), tests=str(len(cases)),
                          failures=str(failures), errors="0", skipped="0", time=total_time)
    for name, outcome in cases:
        case = ET.SubElement(suite, "testcase", classname=f"claimcheck.regress.{clean(fixture.stem)}",
                             name=clean(name), time=f"{outcome.seconds:.3f}")
        if outcome.changed:
            was, now = outcome.expected.get("verdict"), outcome.actual.get("verdict")
            message = f"verdict: expected {was}, now {now}" if was != now else "changed since the fixture"
            failure = ET.SubElement(case, "failure", message=clean(message), type="regression")
            failure.text = clean("\n".join(diff_lines(outcome.expected, outcome.actual, fixture.name)))
    return ET.tostring(suites, encoding="utf-8", xml_declaration=True)
