"""The grammar of reporting verbs: which verbs report (a lexicon of cue verbs and frames), who
their speaker is, when they were said, and which tokens are what they report."""

from __future__ import annotations

from spacy.tokens import Span, Token

from claimcheck.extract.entities import entity_at
from claimcheck.extract.lexicon import (
    ADDRESSEE_CUES,
    BELIEF_ADJECTIVES,
    BELIEF_CUES,
    CUES,
    DESCRIBING_CUES,
    INTENT_CUES,
    OBJECT_CUES,
    PHRASAL_CUES,
    PREPOSITION_CUES,
    SPEECH_CUES,
)
from claimcheck.extract.tree import subtree_size


def only_punct(span: Span) -> bool:
    return all(t.is_punct or t.is_space for t in span)



# --- reporting verbs and "according to" -----------------------------------------------------


def is_cue(tok: Token) -> bool:
    if tok.pos_ != "VERB" or negated(tok):
        return False
    if tok.tag_ == "VBN" and tok.dep_ == "advcl" and not any(c.dep_ in ("nsubj", "aux", "auxpass")
                                                              for c in tok.children):
        return False  # "Asked whether the port would close, X said ...": a question put to X
    lemma = tok.lemma_.lower()
    if lemma in PHRASAL_CUES:
        return any(c.dep_ == "prt" and c.lower_ == PHRASAL_CUES[lemma] for c in tok.children)
    if lemma in DESCRIBING_CUES:
        return bool(_naming(tok)) or bool(_prepositional(tok))
    return lemma in CUES or bool(_prepositional(tok))


def believes(tok: Token) -> bool:
    """Whether a cue reports a belief ("expects", "fears", "is convinced") rather than words."""
    return tok.lemma_.lower() in BELIEF_CUES or tok.lower_ in BELIEF_ADJECTIVES


def belief_adjective(tok: Token) -> Token | None:
    """"She is convinced that ...", "Many Democrats are afraid that ...", "came away convinced
    that ...": an adjective of belief with a clause of its own; its holder (the subject of the
    verb it completes), or None. Without a clause ("worried about the economy") it is a mood,
    not a claim."""
    if tok.lower_ not in BELIEF_ADJECTIVES or tok.dep_ not in ("acomp", "advcl", "xcomp", "oprd", "conj") \
            or negated(tok) or negated(tok.head):
        return None
    if not any(c.dep_ == "ccomp" and c.i > tok.i for c in tok.children):
        return None
    return next((c for c in tok.head.children if c.dep_ in ("nsubj", "nsubjpass") and c.i < tok.i), None)


def misread_cue(tok: Token) -> Token | None:
    """"But Trump claims that he should be ...": a present-tense reporting verb right after a
    name that the tagger read as a plural noun (the name its compound). Its speaker (the name's
    head token), or None. Only with a clause that the noun governs, as a verb would."""
    if tok.pos_ != "NOUN" or tok.tag_ != "NNS" or tok.i == 0 or not tok.lower_.endswith("s"):
        return None
    word = tok.lower_
    stems = {word[:-1], word[:-2], word[:-3] + "y" if word.endswith("ies") else ""}
    if not stems & (SPEECH_CUES | BELIEF_CUES):
        return None
    if not any(c.dep_ == "ccomp" and c.i > tok.i for c in tok.children):
        return None
    name = tok.doc[tok.i - 1]
    if name.pos_ != "PROPN" or name.head != tok:
        return None
    ent = entity_at(name, ("PERSON", "ORG", "NORP", "GPE"))
    return ent.root if ent is not None and ent.end == tok.i else name


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


def negated(tok: Token) -> bool:
    return any(c.dep_ == "neg" for c in tok.children)


# Verbs whose object does what their infinitive says: "forced X to admit" (X admitted).
_MAKING_VERBS = frozenset("force compel oblige prompt lead cause get drive pressure make".split())


def subject(verb: Token, after: int = -1) -> Token | None:
    """The speaker of a reporting verb (starting at or after char ``after``: a quote's own words
    are not its speaker). A passive cue has none ("it is said that ..."), but a governing
    passive verb can ("he was quoted as saying ...")."""
    for level in range(4):
        for child in verb.children:
            if (child.dep_ == "nsubj" or (level and child.dep_ == "nsubjpass")) and child.idx >= after:
                return child
        # "it was said by the mayor that ...": the passive's agent speaks, when the verb carries
        # a reported clause ("was called a charlatan by X" is what X did, not said).
        for child in verb.children if any(c.dep_ == "ccomp" for c in verb.children) else ():
            if child.dep_ == "agent":
                by = next((c for c in child.children if c.dep_ == "pobj" and c.idx >= after), None)
                if by is not None:
                    return by
        # "Trump saying that he feels ...": a participle's noun says it.
        # (Of saying only: "a policy paper welcoming the plan" is what the paper does.)
        if level == 0 and verb.dep_ == "acl" and verb.tag_ == "VBG" and verb.lemma_.lower() in SPEECH_CUES \
                and verb.head.pos_ in ("PROPN", "NOUN") and verb.head.idx >= after:
            return verb.head
        # "forced Stumpf to admit that ...": the object of a verb that makes it happen is who
        # admits ("asked him to explain", "offered him a platform to say" do not say he did).
        if verb.dep_ == "xcomp" and verb.head is not verb and verb.head.lemma_.lower() in _MAKING_VERBS:
            obj = next((c for c in verb.head.children if c.dep_ == "dobj" and c.i < verb.i), None)
            if obj is not None and obj.idx >= after:
                return obj
        # "..., adding that ..." / "X said A and added B": the subject of the governing verb.
        # "was quoted as saying ...": through the "as" to the passive verb that governs it.
        if (verb.dep_ in ("advcl", "xcomp", "conj", "pcomp")
                or (verb.dep_ == "prep" and verb.lower_ == "as")) and verb.head is not verb:
            verb = verb.head
        else:
            return None
    return None


def cue_span(tok: Token) -> tuple[int, int]:
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


def said_on(tok: Token) -> Span | None:
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


def _that_clause_hung_elsewhere(tok: Token, sent: Span) -> tuple[int, int] | None:
    """"X continues to insist, most recently in an interview, that Y": after a long aside the
    parser hangs the that-clause elsewhere: on the governing verb as an adverbial clause, or as
    the sentence's root with the cue its complement. A "that"-clause after the cue there is the
    cue's content."""
    verb = tok.head if tok.dep_ == "xcomp" else tok
    hosts = [c for c in verb.children if c.dep_ == "advcl" and c.i > tok.i]
    if verb.dep_ == "ccomp" and verb.head == sent.root and sent.root.i > tok.i:
        hosts.append(sent.root)
    for host in hosts:
        mark = next((c for c in host.children if c.dep_ == "mark" and c.lower_ == "that" and c.i > tok.i), None)
        if mark is not None:
            hi = host.right_edge.i + 1
            return (mark.i + 1, hi) if mark.i + 1 < hi else None
    return None


def content_of(tok: Token, sent: Span) -> tuple[int, int] | None:
    """Token range [start, end) of what ``tok`` reports, or None when it reports nothing."""
    # A one-word "clause" is a misparse ("announced deadlines for victory over IS", with IS
    # read as a verb): prefer the object then.
    # (Nor is a clause across a semicolon: "Six in 10 said A; 46 percent said B".)
    comps = [c for c in tok.children if c.dep_ == "ccomp" and c.left_edge.i != c.right_edge.i
             and not any(t.text == ";" for t in sent.doc[min(c.right_edge.i, tok.i) : max(c.left_edge.i, tok.i)])]
    if comps:
        comp = max(comps, key=subtree_size)
        lo, hi = comp.left_edge.i, comp.right_edge.i + 1
        if comp.i > tok.i:
            # Leading "that" belongs to the cue, not the content.
            while lo < hi and (sent.doc[lo].dep_ == "mark" or sent.doc[lo].is_punct):
                lo += 1
        return lo, hi
    clause = _clause_after_preposition(tok) or _that_clause_hung_elsewhere(tok, sent)
    if clause is not None:
        return clause
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
        # "called | the plan a disgraceful fraud": the object and the name given to it.
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
    if tok.lemma_.lower() in ADDRESSEE_CUES:
        # "told residents | to leave", "warned drivers | to stay away": whom, and what to do.
        objs = [c for c in tok.children if c.dep_ in ("dobj", "dative") and c.i > tok.i]
        todo = [c for c in tok.children if c.dep_ == "xcomp" and c.i > tok.i]
        if objs and todo:
            return objs[0].left_edge.i, todo[-1].right_edge.i + 1
    return None


def _clause_after_preposition(tok: Token) -> tuple[int, int] | None:
    """"said in a statement (on Monday) that ...": the parser hangs the that-clause on the
    noun of the phrase between verb and clause, or on the cue as an adverbial clause. A clause
    opened by the complementiser "that" (a relative clause's "that" is its subject or object,
    not a marker) with a subject of its own is what the verb reports."""
    nodes = [node for prep in tok.children if prep.dep_ == "prep" and prep.i > tok.i
             for node in prep.subtree if node.dep_ in ("acl", "relcl", "ccomp")]
    # "continues to insist, most recently in an interview, that ...": a comma-separated
    # that-clause the parser made an adverbial clause of the cue, or of the verb it depends on.
    nodes += [c for c in tok.children if c.dep_ == "advcl" and c.i > tok.i]
    if tok.dep_ == "xcomp":
        nodes += [c for c in tok.head.children if c.dep_ in ("advcl", "ccomp") and c.i > tok.i]
    for node in nodes:
        first = node.left_edge
        if node.pos_ in ("VERB", "AUX") and first.lower_ == "that" and first.dep_ == "mark" \
                and first.head == node and any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in node.children):
            return first.i + 1, node.right_edge.i + 1
    return None


def as_parenthetical(tok: Token, sent: Span) -> tuple[int, int] | None:
    """"As X noted, Y" / "Y, as X pointed out, Z": the host clause is what X said. Only a cue
    with a subject and nothing it reports of its own ("as the minister said this" is not)."""
    if tok.dep_ != "advcl" or not any(c.dep_ == "mark" and c.lower_ == "as" for c in tok.children):
        return None
    if not any(c.dep_ == "nsubj" for c in tok.children) or any(
            c.dep_ in ("ccomp", "dobj", "xcomp") for c in tok.children):
        return None
    lo, hi = tok.left_edge.i, tok.right_edge.i + 1
    doc = sent.doc
    if lo == sent.start:  # leading: the rest of the sentence, past the comma
        while hi < sent.end and doc[hi].is_punct:
            hi += 1
        return (hi, sent.end) if hi < sent.end else None
    if hi >= sent.end - 1:  # trailing: what came before
        return sent.start, lo
    return sent.start, sent.end  # in the middle: the host clause is on both sides of it


def inverted_parenthetical(tok: Token, sent: Span) -> Token | None:
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
