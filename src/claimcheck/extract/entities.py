"""Named-entity lookups on a parsed document."""

from __future__ import annotations

from collections.abc import Container

from spacy.tokens import Span, Token


def entity_at(tok: Token, labels: Container[str] | None = None) -> Span | None:
    """The entity ``tok`` is part of, as a labelled span (walks the IOB tags, not ``doc.ents``)."""
    if not tok.ent_type_ or (labels is not None and tok.ent_type_ not in labels):
        return None
    doc = tok.doc
    start = tok.i
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    end = tok.i + 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return Span(doc, start, end, label=tok.ent_type_)
