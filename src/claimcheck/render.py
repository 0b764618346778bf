"""How the CLI shows extractions and verdicts: readable text, or the API's JSON shapes."""

from __future__ import annotations

from typing import Any

from rich.table import Table

from claimcheck.domain import Claim, Document, Extraction, Verdict, to_jsonable
from claimcheck.service import Affiliation
from claimcheck.store.protocol import SpeakerRecord, StoredClaim


def verdict_json(verdict: Verdict, documents: dict[str, Document | None]) -> dict[str, Any]:
    from claimcheck.api.schemas import VerdictPublic

    return VerdictPublic.of(verdict, documents).model_dump(mode="json")


def format_verdict(verdict: Verdict, documents: dict[str, Document | None]) -> str:
    lines = [f"{verdict.verdict.value} (confidence {verdict.confidence:.2f})"]
    for e in verdict.evidence:
        doc = documents.get(e.claim.document_id)
        where = f"{doc.title or doc.id} [{e.claim.content.start}:{e.claim.content.end}]" if doc else e.claim.document_id
        lines.append(f"- {e.stance.value} {e.score:.2f}: {e.claim.speaker.name or 'unknown'}: "
                     f"{e.claim.content.text!r}\n    in {where}")
        lines.extend(f"    {r.code}: {r.message}" for r in e.reasons)
    return "\n".join(lines)


def extraction_json(extraction: Extraction) -> dict[str, Any]:
    document = to_jsonable(extraction.document)
    document.pop("text")
    return {
        "document": document,
        "speakers": to_jsonable(extraction.speakers),
        "claims": [to_jsonable(c) for c in extraction.claims],
    }


def format_claim(claim: Claim) -> str:
    sp = claim.speaker
    who = sp.name or (f"unresolved {sp.mention.text!r}" if sp.mention else "unknown speaker")
    if sp.role:
        who += f" ({sp.role})"
    how = claim.kind.value.replace("_", " ")
    if claim.cue:
        how += f", {claim.cue.text!r}"
    if claim.said_on:
        how += f" {claim.said_on.text}"
    lines = [f"- {who} [{how}] {claim.content.start}-{claim.content.end}",
             f"    {'NOT: ' if claim.negated else ''}{claim.content.text}"]
    for f in claim.figures:
        unit = f" {f.unit}" if f.unit else ""
        bounds = f"[{_num(f.low)}, {_num(f.high)}]"
        lines.append(f"    figure: {f.text!r} = {_num(f.value)}{unit} ({f.qualifier} {bounds})")
    for d in claim.dates:
        when = f"{d.resolved_start}..{d.resolved_end}" if d.resolved_start else "unresolved"
        lines.append(f"    date: {d.text!r} {d.kind.value} {when}")
    return "\n".join(lines)


def _num(x: float | None) -> str:
    if x is None:
        return "inf"
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,.2f}"


def format_extraction(extraction: Extraction) -> str:
    doc = extraction.document
    head = f"# {doc.title or doc.path or doc.id}"
    meta = ", ".join(x for x in (doc.source, doc.published and doc.published.isoformat(), doc.id) if x)
    body = "\n".join(format_claim(c) for c in extraction.claims)
    return f"{head}\n({meta}; {len(extraction.claims)} claims)\n{body}\n"


def speakers_table(rows: list[SpeakerRecord], links: dict[str, list[Affiliation]]) -> Table:
    table = Table(title=_count(len(rows), "speaker"), title_justify="left", expand=False)
    for column, style in (("name", "bold"), ("kind", ""), ("claims", ""), ("roles", ""),
                          ("aliases", "dim"), ("speaks for / spoken for by", ""), ("id", "dim")):
        table.add_column(column, style=style or None, justify="right" if column == "claims" else "left",
                         overflow="fold")
    for s in rows:
        table.add_row(s.name, s.kind.value, str(s.claim_count), "; ".join(s.roles), "; ".join(s.aliases),
                      "; ".join(a.name for a in links.get(s.id, [])), s.id)
    return table


def claims_table(rows: list[StoredClaim], documents: dict[str, Document | None]) -> Table:
    table = Table(title=_count(len(rows), "claim"), title_justify="left", show_lines=True)
    for column in ("speaker", "said", "what", "figures", "article"):
        table.add_column(column, overflow="fold")
    for stored in rows:
        c = stored.claim
        doc = documents.get(c.document_id)
        when = c.said_on.text if c.said_on else ""
        table.add_row(c.speaker.name or "unknown", " ".join(x for x in (c.cue.text if c.cue else c.kind.value,
                                                                        when) if x),
                      ("NOT: " if c.negated else "") + c.content.text, "; ".join(f.text for f in c.figures),
                      f"{doc.title or doc.id} [{c.content.start}:{c.content.end}]" if doc else c.document_id)
    return table


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
