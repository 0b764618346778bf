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


_TURN = re.compile(r"[\"“”']?\s*([A-Z][A-Za-z.'’-]*(?: [A-Z][A-Za-z.'’-]+)?):\s+(?=\S)")
_ASKING = frozenset({"q", "question", "interviewer"})
_ANSWERING = frozenset({"a", "answer"})
_MIN_TURNS = 4  # labelled paragraphs that make a transcript of labels nobody is named by


def transcript_turns(index: DocIndex) -> tuple[list[Found], list[int]]:
    """An interview transcript's turns: paragraphs that open with a speaker's label ("BRANDT:
    Well, look, ...", often inside an opening quote mark that is never closed; "Q:" / "A:";
    initials, "JS:"). The whole paragraph is the labelled person's words. The questions are
    nobody's claims: the interviewer's turns ("Q:", or the label whose turns are mostly
    questions) give none. Returns the claims and every paragraph that is a turn.

    A label names a person the article names in full (by surname or initials); "A:" the
    article's most mentioned person; in a transcript (two labels or more, four turns or more)
    an upper-case label nobody is named by ("WALLACE:") is that person, by the label."""
    doc, text = index.doc, index.text
    labelled = []
    for para, (p_start, p_end) in enumerate(index.paras):
        m = _TURN.match(text, p_start, p_end)
        if m is not None:
            labelled.append((para, m))
    if not labelled:
        return [], []
    people: dict[str, str] = {}
    mentions: dict[str, int] = {}
    for e in doc.ents:
        if e.label_ == "PERSON":
            mentions[e[-1].text.lower()] = mentions.get(e[-1].text.lower(), 0) + 1
            if len(e) > 1:
                people.setdefault(e[-1].text.lower(), e.text)
                people.setdefault("".join(t.text[0] for t in e if t.text[:1].isupper()).lower(), e.text)
    labels = {m.group(1) for _, m in labelled}
    transcript = len(labels) >= 2 and len(labelled) >= _MIN_TURNS
    interviewee = max((people[k] for k in mentions if k in people), default=None,
                      key=lambda full: mentions.get(full.split()[-1].lower(), 0))

    def who(label: str) -> str | None:
        key = label.lower()
        if key in _ANSWERING:
            return interviewee if len(labels) >= 2 else None
        known = people.get(label.split()[-1].lower()) or people.get(key.replace(".", ""))
        if known is not None:
            return known
        return label.title() if transcript and label.isupper() and len(label) > 2 else None

    asked = {label: 0 for label in labels}
    for para, m in labelled:
        p_start, p_end = index.paras[para]
        asked[m.group(1)] += text[p_start:p_end].rstrip(" \"”").endswith("?")
    turns = {label: sum(1 for _, m in labelled if m.group(1) == label) for label in labels}
    interviewers = {label for label in labels if label.lower() in _ASKING
                    or (len(labels) >= 2 and asked[label] * 2 >= turns[label] and label.lower() not in _ANSWERING)}
    out, consumed = [], []
    for para, m in labelled:
        label = m.group(1)
        if label in interviewers:
            if who(label) is not None or label.lower() in _ASKING:
                consumed.append(para)  # a question put: nobody's claim
            continue
        full = who(label)
        if full is None:
            continue
        consumed.append(para)
        content = trim(text, m.end(), index.paras[para][1])
        while content[0] < content[1] and text[content[1] - 1] in "\"”":
            content = trim(text, content[0], content[1] - 1)
        if content[0] >= content[1]:
            continue
        mention = Mention(m.start(1), m.end(1), label, full, None, SpeakerKind.PERSON)
        # A transcript's turn (quoted, or an upper-case label) is their words as spoken; a
        # headline's "Name: ..." is usually a paraphrase.
        verbatim = m.start(1) > index.paras[para][0] or label.isupper() or transcript
        out.append(Found(AttributionKind.DIRECT_QUOTE if verbatim else AttributionKind.INDIRECT, content,
                         para, mention, negated=quote_negated(index, content)))
    return out, consumed
