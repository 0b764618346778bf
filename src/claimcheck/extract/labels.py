"""Speakers named by a label at the start of a line: an interview transcript's turns ("BRANDT:
Well, look, ..."), and a headline's "Name: what they said"."""

from __future__ import annotations

import re

from spacy.tokens import Span

from claimcheck.domain import AttributionKind, SpeakerKind
from claimcheck.extract.found import DocIndex, Found, content_negated, quote_negated, trim
from claimcheck.extract.speakers import Mention, analyse

_MAX_LABEL = 8  # words before a headline's colon: "Senator Ann Cole: ..."


def colon_headline(sent: Span, index: DocIndex, para: int) -> Found | None:
    """A line that opens with a person's name and a colon ("Ann Cole: 'The vote was fair'",
    "Ann Cole Hits Back At Critics: 'We Won'") gives that person's words after the colon, as a
    headline does. Only a person: "Syria: rebels take town" is a place, not a speaker."""
    doc = sent.doc
    if sent.start_char != index.paras[para][0]:
        return None
    colon = next((t for t in sent[:_MAX_LABEL + 1] if t.text == ":"), None)
    if colon is None or colon.i + 1 >= sent.end:
        return None
    # (A label alone, "COLE: ...", is a transcript turn: ``transcript_turns`` reads those first.)
    person = next((e for e in doc.ents if e.label_ == "PERSON" and sent.start <= e.start and e.end <= colon.i),
                  None)
    mention = analyse(person.root) if person is not None else None
    content = trim(index.text, doc[colon.i + 1].idx, sent.end_char)
    if mention is None or content[0] >= content[1]:
        return None
    return Found(AttributionKind.INDIRECT, content, para, mention, (colon.idx, colon.idx + 1),
                 negated=content_negated(doc[colon.i + 1 : sent.end]))


_TURN = re.compile(r"[\"“”']?\s*([A-Z][A-Za-z.'’-]+(?: [A-Z][A-Za-z.'’-]+)?):\s+(?=\S)")


def transcript_turns(index: DocIndex) -> list[Found]:
    """An interview transcript's turns: a paragraph that opens with a speaker's label ("BRANDT:
    Well, look, ...", often inside an opening quote mark that is never closed), when the label
    is the surname of a person the article names in full. The whole paragraph is that person's."""
    doc, text = index.doc, index.text
    people: dict[str, str] = {}
    for e in doc.ents:
        if e.label_ == "PERSON" and len(e) > 1:
            people.setdefault(e[-1].text.lower(), e.text)
    if not people:
        return []
    out = []
    for para, (p_start, p_end) in enumerate(index.paras):
        m = _TURN.match(text, p_start, p_end)
        if m is None:
            continue
        full = people.get(m.group(1).split()[-1].lower())
        if full is None:
            continue
        content = trim(text, m.end(), p_end)
        while content[0] < content[1] and text[content[1] - 1] in "\"”":
            content = trim(text, content[0], content[1] - 1)
        if content[0] >= content[1]:
            continue
        mention = Mention(m.start(1), m.end(1), m.group(1), full, None, SpeakerKind.PERSON)
        # A transcript's turn (quoted, or an upper-case label) is their words as spoken; a
        # headline's "Name: ..." is usually a paraphrase.
        verbatim = m.start(1) > p_start or m.group(1).isupper()
        out.append(Found(AttributionKind.DIRECT_QUOTE if verbatim else AttributionKind.INDIRECT, content,
                         para, mention, negated=quote_negated(index, content)))
    return out

