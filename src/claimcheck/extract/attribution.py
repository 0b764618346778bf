"""Who said what: direct quotes, reported speech, "according to", and the narrator's own claims.

Works over a parsed document in passes: an interview transcript's labelled turns (``labels.py``),
quotations (found in the raw text, attributed by the clause before or after them), then every
sentence outside them (reporting verbs with a clause or object, by the grammar in ``cues.py``;
"according to X"; a headline's "Name: ..."; else the publication's own assertion).
"""

from __future__ import annotations

import bisect
import heapq

from spacy.tokens import Doc, Span, Token

from claimcheck.domain import AttributionKind
from claimcheck.extract.cues import (
    as_parenthetical,
    belief_adjective,
    believes,
    content_of,
    cue_span,
    inverted_parenthetical,
    is_cue,
    misread_cue,
    only_punct,
    said_on,
    subject,
)
from claimcheck.extract.found import TRIM, DocIndex, Found, content_negated, quote_negated, trim
from claimcheck.extract.labels import colon_headline, transcript_turns
from claimcheck.extract.lexicon import NEGATING_CUES, SPEECH_CUES
from claimcheck.extract.quote_tags import is_title, lead_paragraph_tag, leading_tag, trailing_tag
from claimcheck.extract.quotes import Quote, find_quotes
from claimcheck.extract.speakers import Mention, analyse

__all__ = ["Found", "find_attributions"]

_SUBJECTS = ("nsubj", "nsubjpass")
# A reporting cue (or "according"), the token range it reports, its speaker's token, its kind.
_Candidate = tuple[Token, tuple[int, int], Token, AttributionKind]


def find_attributions(doc: Doc, start: int = 0, end: int | None = None) -> list[Found]:
    """All claims in ``doc.text[start:end]``, in document order."""
    index = DocIndex(doc, start, end)
    end = index.end
    turns, turn_paragraphs = transcript_turns(index)
    regions = [index.paras[p] for p in turn_paragraphs]
    quotes = [q for q in find_quotes(index.text, start, end)
              if not any(q.start < r_end and r_start < q.end for r_start, r_end in regions)]
    found, consumed = _quote_claims(index, quotes)
    found.extend(turns)
    consumed.extend(regions)
    # One sweep over the quoted regions by start (testing all per sentence was quadratic): a
    # sentence overlaps one when the furthest end of those starting before it ends is past it.
    regions, r, reach = sorted(consumed), 0, -1
    for sent in doc.sents:
        if sent.end_char <= start or sent.start_char >= end:
            continue
        while r < len(regions) and regions[r][0] < sent.end_char:
            reach = max(reach, regions[r][1])
            r += 1
        if reach > sent.start_char:
            found.extend(_before_quoted(sent, index, regions))
            continue
        found.extend(_sentence_claims(sent, index))
    found.sort(key=lambda f: f.content)
    # A quotation is kept whatever it holds ("'Out!' the crowd yelled" is what was said).
    verbatim = (AttributionKind.NARRATOR, AttributionKind.DIRECT_QUOTE)
    return [f for f in found if f.kind in verbatim or _checkable(index, f)]


# Words that make a content say something about the world; one made of names, pronouns and
# adverbs alone ("praised | Mr. Putin", "thanked | him") only says whom the act was about.
_CONTENT_POS = frozenset({"NOUN", "VERB", "AUX", "ADJ", "NUM"})


def _checkable(index: DocIndex, f: Found) -> bool:
    """Whether an attributed content is a claim someone could check: not a bare name or
    pronoun. (A speaker's question stays: annotators count a rhetorical one as a claim.)"""
    start, end = f.content
    return any(t.pos_ in _CONTENT_POS for t in index.tokens(start, end))


def _before_quoted(sent: Span, index: DocIndex, regions: list[tuple[int, int]]) -> list[Found]:
    """"X said Y was 'right' when he said on Monday that 'Z'": the quote pass took the end of
    the sentence for the second speaker; what a reporting verb before it says is still X's."""
    first = min((s for s, e in regions[: bisect.bisect_left(regions, (sent.end_char,))]
                 if e > sent.start_char), default=sent.start_char)
    if len(index.text[sent.start_char:first].split()) < 3 \
            or not any(is_cue(t) for t in index.tokens(sent.start_char, first)):
        return []  # (the common case, checked first: the whole sentence pass costs far more)
    return [f for f in _sentence_claims(sent, index)
            if f.kind is not AttributionKind.NARRATOR and f.cue is not None and f.cue[1] <= first
            and f.content[0] < first]


# --- quotations -----------------------------------------------------------------------------


def _quote_claims(index: DocIndex, quotes: list[Quote]) -> tuple[list[Found], list[tuple[int, int]]]:
    text = index.text
    found: list[Found] = []
    consumed: list[tuple[int, int]] = []
    # Ends of consumed regions not yet passed, and the furthest passed (quotes come in order).
    pending: list[int] = []
    passed = -1
    for i, q in enumerate(quotes):
        while pending and pending[0] <= q.start:
            passed = max(passed, heapq.heappop(pending))
        p_start, _ = index.paras[index.paragraph(q.start)]
        _, p_end = index.paras[index.paragraph(max(q.start, q.end - 1))]
        prev_end = max([p_start, passed]
                       + ([quotes[i - 1].end] if i and quotes[i - 1].end > p_start else []))
        next_start = quotes[i + 1].start if i + 1 < len(quotes) and quotes[i + 1].start < p_end else p_end
        content = trim(text, q.inner_start, q.inner_end)
        if content[0] >= content[1] or is_title(text, q):
            continue
        para = index.paragraph(q.start)
        hit = trailing_tag(index, q, next_start) or leading_tag(index, q, prev_end) \
            or lead_paragraph_tag(index, q, para, prev_end)
        if hit is not None:
            mention, cue_tok, region = hit
            found.append(Found(AttributionKind.DIRECT_QUOTE, content, para, mention,
                               cue_span(cue_tok), said_on(cue_tok), quote_negated(index, content),
                               believed=believes(cue_tok)))
            found.extend(_tag_additions(index, cue_tok, mention, region, para))
            consumed.append((min(region[0], q.start), max(region[1], q.end)))
            heapq.heappush(pending, consumed[-1][1])
            continue
        before = text[prev_end : q.start].strip(TRIM + "(")
        after = text[q.end : next_start].strip(TRIM + ")")
        ends_sentence = text[q.inner_start : q.inner_end].rstrip()[-1:] in ".!?"
        if before or (after and not ends_sentence):
            # A quote inside a sentence: the sentence pass handles that sentence. When the
            # quote runs on into the next paragraphs (left open, reopened there), those
            # paragraphs are the same speaker's words.
            tail = _quote_tail(index, q)
            if tail is not None:
                found.append(Found(AttributionKind.DIRECT_QUOTE, tail, index.paragraph(tail[0]),
                                   negated=quote_negated(index, tail), continues=True))
                consumed.append(tail)
                heapq.heappush(pending, tail[1])
            continue
        previous = found[-1] if found else None
        if previous is not None and previous.kind is not AttributionKind.NARRATOR \
                and para - previous.paragraph <= 1:
            # (In the same paragraph it is the rest of a quote split by its tag: said when and
            # how the first part was. Its cue stays the first part's alone: the sentence the
            # entailment model reads runs from a claim's cue to its content.)
            same = para == previous.paragraph
            found.append(Found(AttributionKind.DIRECT_QUOTE, content, para, previous.mention,
                               None, previous.said_on if same else None,
                               negated=quote_negated(index, content), continues=True,
                               believed=previous.believed and same))
        else:
            found.append(Found(AttributionKind.DIRECT_QUOTE, content, para,
                               negated=quote_negated(index, content)))
        consumed.append((q.start, q.end))
        heapq.heappush(pending, q.end)
    return found, consumed


def _tag_additions(index: DocIndex, cue: Token, mention: Mention, region: tuple[int, int],
                   para: int) -> list[Found]:
    """"'...,' the mayor said, adding that repairs would cost $4 million": what the quote's
    tag goes on to report, by a cue that hangs on the tag's verb, is the same speaker's claim."""
    out = []
    sent = cue.sent
    for tok in index.tokens(region[0], region[1]):
        if tok == cue or tok.head != cue or tok.dep_ not in ("advcl", "conj", "xcomp") or not is_cue(tok):
            continue
        bounds = content_of(tok, sent)
        reported = _reported(index, tok, *bounds) if bounds is not None and subject(tok) is not None else None
        # A clause with a subject of its own is that subject's ("..., and Reyes warned that ...");
        # a pronoun there ("..., after he admitted that ...") may be the addressee: not guessed.
        own = next((c for c in tok.children if c.dep_ == "nsubj"), None)
        who = mention if own is None else None if own.pos_ == "PRON" else analyse(own)
        if reported is not None and who is not None:
            content, denied = reported
            out.append(Found(AttributionKind.INDIRECT, content, para, who, cue_span(tok), said_on(tok), denied,
                             believed=believes(tok)))
    return out


def _reported(index: DocIndex, cue: Token, lo: int, hi: int) -> tuple[tuple[int, int], bool] | None:
    """The character span of tokens [lo, hi) that ``cue`` reports, trimmed, and whether the
    claim is a denial (a negated content, or a negating cue, but not both); None when empty."""
    if hi <= lo:
        return None
    doc = index.doc
    content = trim(index.text, doc[lo].idx, doc[hi - 1].idx + len(doc[hi - 1]))
    if content[0] >= content[1]:
        return None
    return content, content_negated(doc[lo:hi]) != (cue.lemma_.lower() in NEGATING_CUES)


def _sentence_claims(sent: Span, index: DocIndex) -> list[Found]:
    doc = index.doc
    text = index.text
    para = index.paragraph(sent.start_char)
    headline = colon_headline(sent, index, para)
    if headline is not None:
        return [headline]
    candidates: list[_Candidate] = []
    hosts: set[int] = set()
    for tok in sent:
        if tok.lower_ == "according" and tok.i + 1 < sent.end and doc[tok.i + 1].lower_ == "to":
            to = doc[tok.i + 1]
            pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
            if pobj is None:
                continue
            if only_punct(doc[sent.start : tok.i]):
                content = (_according_phrase_end(pobj, sent), sent.end)
            else:
                content = (sent.start, tok.i)
            candidates.append((tok, content, pobj, AttributionKind.ACCORDING_TO))
        elif (named := misread_cue(tok)) is not None:
            reported = content_of(tok, sent)
            if reported is not None:
                candidates.append((tok, reported, named, AttributionKind.INDIRECT))
                hosts.add(tok.i)
        elif (holder := belief_adjective(tok)) is not None:
            reported = content_of(tok, sent)
            if reported is not None:
                candidates.append((tok, reported, holder, AttributionKind.INDIRECT))
                if tok.head == sent.root:
                    hosts.add(tok.i)  # "She is convinced that ...": the sentence is her belief
        elif is_cue(tok):
            inverted = inverted_parenthetical(tok, sent)
            if inverted is not None:
                candidates.append((tok, (sent.start, sent.end), inverted, AttributionKind.INDIRECT))
                continue
            host = as_parenthetical(tok, sent)
            subj = subject(tok)
            if host is not None and subj is not None:
                candidates.append((tok, host, subj, AttributionKind.INDIRECT))
                hosts.add(tok.i)  # the sentence's main clause is what it reports
                continue
            reported = content_of(tok, sent)
            subj = subject(tok)
            if reported is None or subj is None or reported[0] <= subj.i < reported[1]:
                continue
            candidates.append((tok, reported, subj, AttributionKind.INDIRECT))
            if reported[0] <= sent.root.i < reported[1]:
                hosts.add(tok.i)  # what it reports is the sentence's main clause (as parsed)
    _nest_according_to(candidates)
    # "The video shows Oz saying that ...", "heard him say that": what the outer verb reports is
    # someone saying it, so the saying is the claim, not the witness's.
    witnessed = {_witness(c[0]) for c in candidates}
    candidates = [c for c in candidates if c[0].i not in witnessed]
    # The outermost attribution wins: "X said that Y told him Z" is X's claim.
    candidates.sort(key=lambda c: c[1][0] - c[1][1])
    kept: list[_Candidate] = []
    for cand in candidates:
        if not any(k[1][0] <= cand[0].i < k[1][1] for k in kept):
            kept.append(cand)
    out: list[Found] = []
    covered = False
    for tok, (lo, hi), subj, kind in kept:
        mention = analyse(subj)
        said = _reported(index, tok, lo, hi) if mention is not None else None
        if mention is None or said is None:
            continue
        content, denied = said
        when: Span | None
        if kind is AttributionKind.ACCORDING_TO:
            cue = (tok.idx, doc[tok.i + 1].idx + len(doc[tok.i + 1]))
            when = None
            root_level = tok.head.i in range(lo, hi) or tok.head == sent.root
        else:
            cue = cue_span(tok)
            when = said_on(tok)
            # ("was quoted as saying ...": the passive frame is no claim of the narrator's)
            # ("continues to insist that ...": the root only carries the cue.)
            root_level = tok == sent.root or tok.dep_ == "parataxis" or tok.i in hosts \
                or (tok.dep_ == "xcomp" and tok.head == sent.root) or (
                tok.dep_ == "pcomp" and tok.head.lower_ == "as" and tok.head.head == sent.root)
        believed = kind is not AttributionKind.ACCORDING_TO and believes(tok)
        out.append(Found(kind, content, para, mention, cue, when, denied, believed=believed))
        covered = covered or root_level
        if root_level and kind is AttributionKind.INDIRECT:
            out.extend(_narrated_conjuncts(tok, (lo, hi), index, para))
    if not covered and _asserts(sent):
        content = trim(text, sent.start_char, sent.end_char)
        out.append(Found(AttributionKind.NARRATOR, content, para,
                         negated=content_negated(sent)))
    return out


def _witness(cue: Token) -> int:
    """The verb that reports someone saying it, or -1: "shows [Oz saying ...]" (the saying its
    clause, with its own subject), "recalled [Reyes saying ...]" (the sayer its object). Only a
    bare participle or infinitive of saying: "said [the council would urge ...]" is the
    outer speaker's claim."""
    if cue.tag_ not in ("VBG", "VB") or cue.lemma_.lower() not in SPEECH_CUES \
            or any(c.dep_ in ("aux", "auxpass", "mark") for c in cue.children):
        return -1
    if cue.dep_ in ("ccomp", "xcomp", "dobj") and any(c.dep_ == "nsubj" for c in cue.children):
        return cue.head.i
    if cue.dep_ == "acl" and cue.head.dep_ == "dobj":
        return cue.head.head.i
    return -1


def _nest_according_to(candidates: list[_Candidate]) -> None:
    """"X told reporters that Y happened, according to the police": the police are the source
    of what X reported, not of X's telling it. A trailing "according to" after a reporting
    verb's content covers that content only, so that the reporting verb stays the outer claim."""
    for i, (tok, (lo, hi), source, kind) in enumerate(candidates):
        if kind is not AttributionKind.ACCORDING_TO:
            continue
        reporting = [c for c in candidates if c[3] is AttributionKind.INDIRECT
                     and lo <= c[0].i < hi and c[1][0] > c[0].i and c[1][0] < tok.i]
        if reporting:
            candidates[i] = (tok, (reporting[0][1][0], hi), source, kind)


def _according_phrase_end(pobj: Token, sent: Span) -> int:
    """Where "According to X[, ROLE]," ends. The small parser often hangs the content's subject
    on X as an apposition, so commas decide: a verbless stretch between the first two commas
    is X's apposition; otherwise the content starts after the first comma."""
    doc = sent.doc
    commas = [t.i for t in doc[pobj.i : sent.end] if t.text == ","]
    if not commas:
        return pobj.right_edge.i + 1
    if len(commas) >= 2 and not any(t.pos_ in ("VERB", "AUX") for t in doc[commas[0] + 1 : commas[1]]):
        return commas[1] + 1
    return commas[0] + 1


def _narrated_conjuncts(cue: Token, content: tuple[int, int], index: DocIndex, para: int) -> list[Found]:
    """"Officials announced X, but the group is proving resilient": the second clause is the
    narrator's own."""
    out = []
    for child in cue.children:
        if child.dep_ == "conj" and child.pos_ in ("VERB", "AUX") and not is_cue(child) \
                and not (content[0] <= child.i < content[1]) \
                and any(c.dep_ in _SUBJECTS for c in child.children):
            lo = min((c.i for c in cue.children if c.dep_ == "cc" and c.i < child.i
                      and c.i > content[1] - 1), default=child.left_edge.i)
            span = index.doc[lo : child.right_edge.i + 1]
            start, end = trim(index.text, span.start_char, span.end_char)
            if end > start:
                out.append(Found(AttributionKind.NARRATOR, (start, end), para,
                                 negated=content_negated(span)))
    return out


def _quote_tail(index: DocIndex, q: Quote) -> tuple[int, int] | None:
    """The part of a quote after the paragraph it opens in, when it runs on (trimmed)."""
    para = index.paragraph(q.start)
    if index.paragraph(max(q.start, q.inner_end - 1)) == para:
        return None
    start = index.paras[para + 1][0]
    tail = trim(index.text, start, q.inner_end)
    while tail[0] < tail[1] and index.text[tail[0]] in _OPENING_MARKS:
        tail = trim(index.text, tail[0] + 1, tail[1])
    return tail if tail[0] < tail[1] else None


_OPENING_MARKS = "“‘\"'«"


def _asserts(sent: Span) -> bool:
    """A sentence asserts something when it has a verb, a few words and is not a question."""
    words = [t for t in sent if t.is_alpha]
    if len(words) < 3 or sent.text.rstrip().endswith("?"):
        return False
    return any(t.pos_ in ("VERB", "AUX") for t in sent)
