"""Where a quotation's speaker is named: the tag after it ("'...,' said X", "'...,' X, a
spokesman, said"), the clause before it ("X said: '...'"), or a paragraph of its own before it
("Reporter Ann Cole says:"). Each answers (the speaker's mention, the cue, the region the tag
takes) or None; a quoted title ("on Fox's 'Morning Show'") is no one's words.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from claimcheck.extract.cues import is_cue, only_punct, subject
from claimcheck.extract.found import DocIndex
from claimcheck.extract.lexicon import CUES
from claimcheck.extract.quotes import Quote
from claimcheck.extract.speakers import Mention, analyse
from claimcheck.extract.tree import subtree

__all__ = ["is_title", "lead_paragraph_tag", "leading_tag", "trailing_tag"]

_MAX_TRAILING_TOKENS = 40


def trailing_tag(index: DocIndex, q: Quote, bound: int) -> tuple[Mention, Token, tuple[int, int]] | None:
    """"'...,' said X" / "'...,' X said (on Tuesday)"."""
    doc = index.doc
    first = index.token_at(q.end)
    last = min(index.token_at(bound), first + _MAX_TRAILING_TOKENS)
    # After "...,'" / "...!'" / "...?'" the clause that follows is the quote's tag whatever its
    # verb ("the crowd yelled", "she snapped"); after "...'" it must be a reporting verb.
    tagged = index.text[q.inner_start : q.inner_end].rstrip()[-1:] in (",", "!", "?", "—", "–")
    for i in range(first, last):
        tok = doc[i]
        if tok.text in (".", "!", "?") or (tok.is_space and "\n" in tok.text):
            return None
        # A "not" inside the quote that the parser hung on the tag's verb ('"... Probably not,"
        # she said') does not negate the tag.
        negs = [c for c in tok.children if c.dep_ == "neg"]
        # (A capitalised "verb" after the quote is a name the tagger misread: "Tulsa police".)
        if tok.pos_ != "VERB" or any(c.idx >= q.end for c in negs) or (tok.is_title and not is_cue(tok)):
            continue
        if not (tagged or is_cue(tok) or (negs and tok.lemma_.lower() in CUES)):
            continue
        # "He said the team would ...": a new reported clause, not this quote's tag. (A clause
        # inside the next quote is the same tag's: '"We will win," she said, "and then rest."')
        # (Nor is one after a comma: '"...," Warren told him, after he admitted he had ...'.)
        if any(c.dep_ == "ccomp" and c.i > tok.i and c.left_edge.idx < bound
               and not any(t.text == "," for t in doc[tok.i + 1 : c.left_edge.i]) for c in tok.children):
            return None
        subj = subject(tok, after=q.end)
        if subj is None or not only_punct(doc[first : min(subj.left_edge.i, tok.i)]):
            subj = _name_before(doc, first, tok) if tagged else None
        if subj is None:
            return None
        mention = analyse(subj)
        if mention is None:
            return None
        sent_end = tok.sent.end_char
        return mention, tok, (q.end, min(sent_end, bound))
    return None


def _name_before(doc: Doc, first: int, cue: Token) -> Token | None:
    """"'...,' Tulsa police Chief Ann Cole said Monday", parsed into pieces: a name that ends
    right before the tag's verb, after nothing but its title and affiliation (capitalised
    words, nouns), is the speaker."""
    ent = next((e for e in doc.ents if e.end == cue.i and e.start >= first and e.label_ in ("PERSON", "ORG")), None) \
        if cue.i > first else None
    if ent is None:
        return _name_with_apposition(doc, first, cue)
    lead = doc[first : ent.start]
    if not all(t.is_punct or t.is_space or t.pos_ in ("NOUN", "PROPN", "DET", "ADJ") or t.is_title
               for t in lead):
        return None
    return ent.root


def _name_with_apposition(doc: Doc, first: int, cue: Token) -> Token | None:
    """"'...,' Flynn, a top surrogate, said": the name right after the quote, then a phrase
    between commas that holds no verb, then the tag's verb."""
    while first < cue.i and (doc[first].is_punct or doc[first].is_space):
        first += 1
    ent = next((e for e in doc.ents if e.start == first and e.label_ in ("PERSON", "ORG")), None)
    if ent is None or ent.end >= cue.i - 1 or doc[ent.end].text != "," or doc[cue.i - 1].text != ",":
        return None
    if any(t.pos_ in ("VERB", "AUX") for t in doc[ent.end : cue.i]):
        return None
    return ent.root


# Words before a quoted name of a work or a show ("on Fox's “Morning Show”", "a book titled").
_TITLE_LEADS = frozenset("on in of titled entitled called named ’s 's".split())
_MINOR_WORDS = frozenset("a an the and or of in on at to for with by from".split())


def is_title(text: str, q: Quote) -> bool:
    """A quoted title, not words anyone said: a few capitalised words after "on", "titled",
    a possessive..."""
    words = text[q.inner_start : q.inner_end].strip(" .,!?").split()
    if not words or len(words) > 6 or not all(w[:1].isupper() or w.lower() in _MINOR_WORDS for w in words):
        return False
    before = text[max(0, q.start - 20) : q.start].split()
    return bool(before) and (before[-1].lower() in _TITLE_LEADS or before[-1].lower().endswith(("’s", "'s")))


def lead_paragraph_tag(index: DocIndex, q: Quote, para: int,
                    prev_end: int) -> tuple[Mention, Token, tuple[int, int]] | None:
    """"Reporter Ann Cole says:" as a paragraph of its own, the quote in the next one."""
    p_start, _ = index.paras[para]
    if para == 0 or index.text[max(p_start, prev_end) : q.start].strip():
        return None
    lead_start, lead_end = index.paras[para - 1]
    if not index.text[lead_start:lead_end].rstrip().endswith(":"):
        return None
    return leading_tag(index, q, lead_start)


def leading_tag(index: DocIndex, q: Quote, bound: int) -> tuple[Mention, Token, tuple[int, int]] | None:
    """"X said: '...'" / "X said at a news conference, ''...''"."""
    doc = index.doc
    lead = index.text[bound : q.start].rstrip()
    # 'X said Thursday "He is right. ..."': without the comma, the quote must be whole sentences.
    inner = index.text[q.inner_start : q.inner_end].strip()
    whole = inner[:1].isupper() and inner[-1:] in ".!?"
    if not lead or (lead[-1] not in ":," and not whole):
        return None
    span = index.tokens(bound, q.start)
    cues = [t for t in span if is_cue(t)]
    if not cues:
        return None
    tok = cues[-1]
    between = doc[tok.i + 1 : span.end]
    below = {t.i for t in subtree(tok)}
    if any(t.i not in below and not (t.is_punct or t.is_space) for t in between):
        return None
    subj = subject(tok)
    if subj is None or subj.idx < bound:
        return None
    mention = analyse(subj)
    if mention is None:
        return None
    return mention, tok, (min(subj.left_edge.idx, tok.idx), q.start)
