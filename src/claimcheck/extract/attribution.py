"""Who said what: direct quotes, reported speech, "according to", and the narrator's own claims.

Works over a parsed document in two passes: quotations first (found in the raw text, attributed by
the clause before or after them), then every sentence outside them (reporting verbs with a clause
or object, "according to X", else the publication's own assertion).
"""

from __future__ import annotations

import bisect
import heapq
import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from claimcheck.domain import AttributionKind, SpeakerKind
from claimcheck.extract.entities import entity_at
from claimcheck.extract.lexicon import (
    ADDRESSEE_CUES,
    CUES,
    DESCRIBING_CUES,
    INTENT_CUES,
    NEGATING_CUES,
    OBJECT_CUES,
    PREPOSITION_CUES,
)
from claimcheck.extract.quotes import Quote, find_quotes, paragraphs
from claimcheck.extract.speakers import Mention, analyse
from claimcheck.extract.tree import subtree, subtree_size

_SUBJECTS = ("nsubj", "nsubjpass")
_TRIM = " \t\r\n,;:.—–-"
_MAX_TRAILING_TOKENS = 40


@dataclass(frozen=True, slots=True)
class Found:
    """One attribution before speaker resolution: character ranges into the document text."""

    kind: AttributionKind
    content: tuple[int, int]
    paragraph: int
    mention: Mention | None = None  # None: the narrator, or a quote continuing the previous one
    cue: tuple[int, int] | None = None
    said_on: Span | None = None  # a DATE entity attached to the cue
    negated: bool = False
    continues: bool = False  # an unattributed quote that continues the previous speaker's words


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Strip surrounding whitespace and clause punctuation; keep ?, ! and closing brackets."""
    while start < end and text[start] in _TRIM:
        start += 1
    while end > start and text[end - 1] in _TRIM:
        end -= 1
    return start, end


class _Index:
    """Character offset -> token and paragraph lookups for one document."""

    def __init__(self, doc: Doc, start: int, end: int | None) -> None:
        self.doc = doc
        self.text = doc.text  # Doc.text joins every token: compute it once
        self.end = len(self.text) if end is None else end
        self.starts = [t.idx for t in doc]
        self.paras = paragraphs(self.text, start, self.end)
        self.para_starts = [p[0] for p in self.paras]

    def token_at(self, char: int) -> int:
        """Index of the first token starting at or after ``char``."""
        return bisect.bisect_left(self.starts, char)

    def paragraph(self, char: int) -> int:
        return max(0, bisect.bisect_right(self.para_starts, char) - 1)

    def tokens(self, start: int, end: int) -> Span:
        return self.doc[self.token_at(start) : self.token_at(end)]


def find_attributions(doc: Doc, start: int = 0, end: int | None = None) -> list[Found]:
    """All claims in ``doc.text[start:end]``, in document order."""
    index = _Index(doc, start, end)
    end = index.end
    turns = _transcript_turns(index)
    regions = [(index.paras[t.paragraph][0], index.paras[t.paragraph][1]) for t in turns]
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
            continue
        found.extend(_sentence_claims(sent, index))
    found.sort(key=lambda f: f.content)
    return found


# --- quotations -----------------------------------------------------------------------------


def _quote_claims(index: _Index, quotes: list[Quote]) -> tuple[list[Found], list[tuple[int, int]]]:
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
        if content[0] >= content[1]:
            continue
        para = index.paragraph(q.start)
        hit = _trailing(index, q, next_start) or _leading(index, q, prev_end)
        if hit is not None:
            mention, cue_tok, region = hit
            found.append(Found(AttributionKind.DIRECT_QUOTE, content, para, mention,
                               _cue_span(cue_tok), _said_on(cue_tok), _quote_negated(index, content)))
            consumed.append((min(region[0], q.start), max(region[1], q.end)))
            heapq.heappush(pending, consumed[-1][1])
            continue
        before = text[prev_end : q.start].strip(_TRIM + "(")
        after = text[q.end : next_start].strip(_TRIM + ")")
        ends_sentence = text[q.inner_start : q.inner_end].rstrip()[-1:] in ".!?"
        if before or (after and not ends_sentence):
            # A quote inside a sentence: the sentence pass handles that sentence. When the
            # quote runs on into the next paragraphs (left open, reopened there), those
            # paragraphs are the same speaker's words.
            tail = _quote_tail(index, q)
            if tail is not None:
                found.append(Found(AttributionKind.DIRECT_QUOTE, tail, index.paragraph(tail[0]),
                                   negated=_quote_negated(index, tail), continues=True))
                consumed.append(tail)
                heapq.heappush(pending, tail[1])
            continue
        previous = found[-1] if found else None
        if previous is not None and previous.kind is not AttributionKind.NARRATOR \
                and para - previous.paragraph <= 1:
            found.append(Found(AttributionKind.DIRECT_QUOTE, content, para, previous.mention,
                               negated=_quote_negated(index, content), continues=True))
        else:
            found.append(Found(AttributionKind.DIRECT_QUOTE, content, para,
                               negated=_quote_negated(index, content)))
        consumed.append((q.start, q.end))
        heapq.heappush(pending, q.end)
    return found, consumed


def _only_punct(span: Span) -> bool:
    return all(t.is_punct or t.is_space for t in span)


def _trailing(index: _Index, q: Quote, bound: int) -> tuple[Mention, Token, tuple[int, int]] | None:
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
        if not (_is_cue(tok) or (tagged and tok.pos_ == "VERB" and not _negated(tok))):
            continue
        if any(c.dep_ == "ccomp" and c.i > tok.i for c in tok.children):
            return None  # "He said the team would ...": a new reported clause, not this quote's tag
        subj = _subject(tok, after=q.end)
        if subj is None:
            return None
        lead = min(subj.left_edge.i, tok.i)
        if not _only_punct(doc[first:lead]):
            return None
        mention = analyse(subj)
        if mention is None:
            return None
        sent_end = tok.sent.end_char
        return mention, tok, (q.end, min(sent_end, bound))
    return None


def _leading(index: _Index, q: Quote, bound: int) -> tuple[Mention, Token, tuple[int, int]] | None:
    """"X said: '...'" / "X said at a news conference, ''...''"."""
    doc = index.doc
    lead = index.text[bound : q.start].rstrip()
    if not lead or lead[-1] not in ":,":
        return None
    span = index.tokens(bound, q.start)
    cues = [t for t in span if _is_cue(t)]
    if not cues:
        return None
    tok = cues[-1]
    between = doc[tok.i + 1 : span.end]
    below = {t.i for t in subtree(tok)}
    if any(t.i not in below and not (t.is_punct or t.is_space) for t in between):
        return None
    subj = _subject(tok)
    if subj is None or subj.idx < bound:
        return None
    mention = analyse(subj)
    if mention is None:
        return None
    return mention, tok, (min(subj.left_edge.idx, tok.idx), q.start)


# --- reporting verbs and "according to" -----------------------------------------------------


def _is_cue(tok: Token) -> bool:
    if tok.pos_ != "VERB" or _negated(tok):
        return False
    lemma = tok.lemma_.lower()
    if lemma in DESCRIBING_CUES:
        return bool(_naming(tok)) or bool(_prepositional(tok))
    return lemma in CUES or bool(_prepositional(tok))


def _prepositional(tok: Token) -> list[Token]:
    """The preposition that carries a cue's content ("called | for a ceasefire")."""
    preps = PREPOSITION_CUES.get(tok.lemma_.lower())
    if not preps:
        return []
    # Right after the verb ("called on Congress", never "called off the strike on Monday"), and
    # not a time ("spoke on Tuesday").
    return [c for c in tok.children if c.dep_ == "prep" and c.lower_ in preps and c.i == tok.i + 1
            and any(g.dep_ in ("pobj", "pcomp") and g.ent_type_ not in ("DATE", "TIME") for g in c.children)]


def _naming(tok: Token) -> list[Token]:
    """What a describing verb calls its object: "called it | a fraud", "described it | as an act"."""
    return [c for c in tok.children if c.dep_ == "oprd" or (c.dep_ == "prep" and c.lower_ == "as")]


def _negated(tok: Token) -> bool:
    return any(c.dep_ == "neg" for c in tok.children)


def _subject(verb: Token, after: int = -1) -> Token | None:
    """The speaker of a reporting verb (starting at or after char ``after``: a quote's own words
    are not its speaker). A passive cue has none ("it is said that ..."), but a governing
    passive verb can ("he was quoted as saying ...")."""
    for level in range(3):
        for child in verb.children:
            if (child.dep_ == "nsubj" or (level and child.dep_ == "nsubjpass")) and child.idx >= after:
                return child
        # "..., adding that ..." / "X said A and added B": the subject of the governing verb.
        if verb.dep_ in ("advcl", "xcomp", "conj", "pcomp") and verb.head is not verb:
            verb = verb.head
        else:
            return None
    return None


def _cue_span(tok: Token) -> tuple[int, int]:
    last = tok
    for child in tok.children:
        if child.dep_ == "prt" and child.i == last.i + 1:
            last = child  # "pointed out"
        elif child.dep_ in ("dobj", "dative") and tok.lemma_.lower() in ADDRESSEE_CUES \
                and child.i > tok.i:
            right = child.right_edge
            if right.i > last.i:
                last = right  # "told the Reuters news agency"
    return tok.idx, last.idx + len(last)


def _said_on(tok: Token) -> Span | None:
    """A date attached to the reporting verb: "said on Thursday", "this week predicted"."""
    for child in tok.children:
        if child.dep_ == "prep" and child.lower_ in ("on", "in", "during", "at"):
            targets = [c for c in child.children if c.dep_ == "pobj"]
        elif child.dep_ in ("npadvmod", "tmod", "advmod", "nmod"):
            targets = [child]
        else:
            continue
        for target in targets:
            ent = entity_at(target, ("DATE",))
            if ent is not None:
                return ent
    return None


def _content_of(tok: Token, sent: Span) -> tuple[int, int] | None:
    """Token range [start, end) of what ``tok`` reports, or None when it reports nothing."""
    # A one-word "clause" is a misparse ("announced deadlines for victory over IS", with IS
    # read as a verb): prefer the object then.
    comps = [c for c in tok.children if c.dep_ == "ccomp" and c.left_edge.i != c.right_edge.i]
    if comps:
        comp = max(comps, key=subtree_size)
        lo, hi = comp.left_edge.i, comp.right_edge.i + 1
        if comp.i > tok.i:
            # Leading "that" belongs to the cue, not the content.
            while lo < hi and (sent.doc[lo].dep_ == "mark" or sent.doc[lo].is_punct):
                lo += 1
        return lo, hi
    if tok.dep_ == "parataxis":
        # "X happened, officials said." / "And yet, his aides say, Y remains ...": the host
        # clause on the side of the host verb is the content; the parenthetical is not.
        if tok.head.i < tok.left_edge.i:
            return sent.start, tok.left_edge.i
        return tok.right_edge.i + 1, sent.end
    carried = _prepositional(tok)
    if carried:
        # "called | for a ceasefire", "called on Congress | to act": the preposition's object,
        # and an infinitive after it.
        prep = carried[0]
        hi = prep.right_edge.i + 1
        for child in tok.children:
            if child.dep_ == "xcomp" and child.i >= hi:
                hi = child.right_edge.i + 1
        return prep.i + 1, hi
    if tok.lemma_.lower() in INTENT_CUES:
        # "refused | to release his tax returns"
        clauses = [c for c in tok.children if c.dep_ == "xcomp" and c.i > tok.i]
        if clauses:
            lo = clauses[0].left_edge.i
            if sent.doc[lo].lower_ == "to":
                lo += 1
            return lo, clauses[0].right_edge.i + 1
        if tok.lemma_.lower() not in OBJECT_CUES:
            return None
    if tok.lemma_.lower() in DESCRIBING_CUES:
        # "called | Trump a disgusting fraud": the object and the name given to it.
        parts = [c for c in tok.children if c.dep_ in ("dobj", "oprd") or c in _naming(tok)]
        parts = [c for c in parts if c.i > tok.i]
        if parts:
            return min(c.left_edge.i for c in parts), max(c.right_edge.i for c in parts) + 1
        return None
    if tok.lemma_.lower() in OBJECT_CUES:
        objs = [c for c in tok.children if c.dep_ == "dobj"]
        if objs:
            obj = objs[0]
            hi = obj.right_edge.i + 1
            # "claimed responsibility | for the attack", "urged people | to stay indoors",
            # "quoted a witness | as saying ..."
            for child in tok.children:
                if child.dep_ in ("prep", "xcomp", "oprd") and child.i >= hi \
                        and child.right_edge.ent_type_ != "DATE":
                    hi = child.right_edge.i + 1
            return obj.left_edge.i, hi
        # "has proposed enforcing a no-fly zone": an object clause instead of an object.
        clauses = [c for c in tok.children if c.dep_ == "xcomp" and c.i > tok.i and c.tag_ == "VBG"]
        if clauses:
            return clauses[0].left_edge.i, clauses[0].right_edge.i + 1
    return None


def _inverted_parenthetical(tok: Token, sent: Span) -> Token | None:
    """"Any interpretation, said Jane Roe, an expert, would read ...": a name right after a
    reporting verb set off by a comma is its speaker, whatever the parser made of it."""
    doc = sent.doc
    if tok.i == sent.start or doc[tok.i - 1].text != "," or tok.i + 1 >= sent.end:
        return None
    ent = entity_at(doc[tok.i + 1], ("PERSON", "ORG"))
    if ent is None or ent.start != tok.i + 1:
        return None
    if ent.end < sent.end and doc[ent.end].text not in (",", ".", "—", "–"):
        return None
    return ent.root


_MAX_LABEL = 8  # words before a headline's colon: "Senator Ann Cole: ..."


def _colon_headline(sent: Span, index: _Index, para: int) -> Found | None:
    """A line that opens with a person's name and a colon ("Ann Cole: 'The vote was fair'",
    "Ann Cole Hits Back At Critics: 'We Won'") gives that person's words after the colon, as a
    headline does. Only a person: "Syria: rebels take town" is a place, not a speaker."""
    doc = sent.doc
    if sent.start_char != index.paras[para][0]:
        return None
    colon = next((t for t in sent[:_MAX_LABEL + 1] if t.text == ":"), None)
    if colon is None or colon.i + 1 >= sent.end:
        return None
    person = next((e for e in doc.ents if e.label_ == "PERSON" and sent.start <= e.start and e.end <= colon.i),
                  None)
    mention = analyse(person.root) if person is not None else _label(sent, colon)
    content = trim(index.text, doc[colon.i + 1].idx, sent.end_char)
    if mention is None or content[0] >= content[1]:
        return None
    return Found(AttributionKind.INDIRECT, content, para, mention, (colon.idx, colon.idx + 1),
                 negated=_content_negated(doc[colon.i + 1 : sent.end]))


_TURN = re.compile(r"[\"“”']?\s*([A-Z][A-Za-z.'’-]+(?: [A-Z][A-Za-z.'’-]+)?):\s+(?=\S)")


def _transcript_turns(index: _Index) -> list[Found]:
    """An interview transcript's turns: a paragraph that opens with a speaker's label ("PENCE:
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
                         para, mention, negated=_quote_negated(index, content)))
    return out


def _label(sent: Span, colon: Token) -> Mention | None:
    """A transcript's or headline's speaker label that the tagger missed ("PENCE:", "Sanders:"):
    one or two capitalised words right before the colon, the last of them the surname of a
    person the article names in full. A place or a topic ("Syria:", "UPDATE:") names nobody."""
    doc = sent.doc
    words = [t for t in doc[sent.start:colon.i] if not (t.is_punct or t.is_space)]
    if not 1 <= len(words) <= 2 or not all(t.text[:1].isupper() and t.is_alpha for t in words):
        return None
    surname = words[-1].text.capitalize()
    full = next((e.text for e in doc.ents if e.label_ == "PERSON" and len(e) > 1 and e[-1].text == surname), None)
    if full is None:
        return None
    start, end = words[0].idx, words[-1].idx + len(words[-1])
    return Mention(start, end, doc.text[start:end], full, None, SpeakerKind.PERSON)


def _sentence_claims(sent: Span, index: _Index) -> list[Found]:
    doc = index.doc
    text = index.text
    para = index.paragraph(sent.start_char)
    headline = _colon_headline(sent, index, para)
    if headline is not None:
        return [headline]
    candidates: list[tuple[Token, tuple[int, int], Token, AttributionKind]] = []
    for tok in sent:
        if tok.lower_ == "according" and tok.i + 1 < sent.end and doc[tok.i + 1].lower_ == "to":
            to = doc[tok.i + 1]
            pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
            if pobj is None:
                continue
            if _only_punct(doc[sent.start : tok.i]):
                content = (_according_phrase_end(pobj, sent), sent.end)
            else:
                content = (sent.start, tok.i)
            candidates.append((tok, content, pobj, AttributionKind.ACCORDING_TO))
        elif _is_cue(tok):
            inverted = _inverted_parenthetical(tok, sent)
            if inverted is not None:
                candidates.append((tok, (sent.start, sent.end), inverted, AttributionKind.INDIRECT))
                continue
            reported = _content_of(tok, sent)
            subj = _subject(tok)
            if reported is None or subj is None or reported[0] <= subj.i < reported[1]:
                continue
            candidates.append((tok, reported, subj, AttributionKind.INDIRECT))
    # The outermost attribution wins: "X said that Y told him Z" is X's claim.
    candidates.sort(key=lambda c: c[1][0] - c[1][1])
    kept: list[tuple[Token, tuple[int, int], Token, AttributionKind]] = []
    for cand in candidates:
        if not any(k[1][0] <= cand[0].i < k[1][1] for k in kept):
            kept.append(cand)
    out: list[Found] = []
    covered = False
    for tok, (lo, hi), subj, kind in kept:
        mention = analyse(subj)
        if mention is None or hi <= lo:
            continue
        content = trim(text, doc[lo].idx, doc[hi - 1].idx + len(doc[hi - 1]))
        if content[0] >= content[1]:
            continue
        if kind is AttributionKind.ACCORDING_TO:
            cue = (tok.idx, doc[tok.i + 1].idx + len(doc[tok.i + 1]))
            said_on = None
            root_level = tok.head.i in range(lo, hi) or tok.head == sent.root
        else:
            cue = _cue_span(tok)
            said_on = _said_on(tok)
            root_level = tok == sent.root or tok.dep_ == "parataxis"
        negated = _content_negated(doc[lo:hi]) != (tok.lemma_.lower() in NEGATING_CUES)
        out.append(Found(kind, content, para, mention, cue, said_on, negated))
        covered = covered or root_level
        if root_level and kind is AttributionKind.INDIRECT:
            out.extend(_narrated_conjuncts(tok, (lo, hi), index, para))
    if not covered and _asserts(sent):
        content = trim(text, sent.start_char, sent.end_char)
        out.append(Found(AttributionKind.NARRATOR, content, para,
                         negated=_content_negated(sent)))
    return out


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


def _narrated_conjuncts(cue: Token, content: tuple[int, int], index: _Index, para: int) -> list[Found]:
    """"Officials announced X, but the group is proving resilient": the second clause is the
    narrator's own."""
    out = []
    for child in cue.children:
        if child.dep_ == "conj" and child.pos_ in ("VERB", "AUX") and not _is_cue(child) \
                and not (content[0] <= child.i < content[1]) \
                and any(c.dep_ in _SUBJECTS for c in child.children):
            lo = min((c.i for c in cue.children if c.dep_ == "cc" and c.i < child.i
                      and c.i > content[1] - 1), default=child.left_edge.i)
            span = index.doc[lo : child.right_edge.i + 1]
            start, end = trim(index.text, span.start_char, span.end_char)
            if end > start:
                out.append(Found(AttributionKind.NARRATOR, (start, end), para,
                                 negated=_content_negated(span)))
    return out


def _quote_tail(index: _Index, q: Quote) -> tuple[int, int] | None:
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


def _quote_negated(index: _Index, content: tuple[int, int]) -> bool:
    """Whether a quote's own main clause is negated ("I haven't talked to them")."""
    span = index.tokens(*content)
    return len(span) > 0 and _content_negated(span)


def _content_negated(span: Span) -> bool:
    """Whether the main clause of ``span`` is negated ("did not", "won't", "never")."""
    roots = [t for t in span if t.head.i < span.start or t.head.i >= span.end or t.head == t]
    verbs = [t for t in roots if t.pos_ in ("VERB", "AUX")] or roots
    return bool(verbs) and any(c.dep_ == "neg" for c in verbs[0].children)


def _asserts(sent: Span) -> bool:
    """A sentence asserts something when it has a verb, a few words and is not a question."""
    words = [t for t in sent if t.is_alpha]
    if len(words) < 3 or sent.text.rstrip().endswith("?"):
        return False
    return any(t.pos_ in ("VERB", "AUX") for t in sent)
