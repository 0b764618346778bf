"""Who is speaking: the name, role and kind in a speaker phrase, and one name per person within a
document ("Okafor", "Mr Okafor" and "the party leader" -> "Peter Okafor")."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from claimcheck.domain import SpeakerKind
from claimcheck.extract.entities import entity_at
from claimcheck.extract.lexicon import (
    DOCUMENT_NOUNS,
    GROUP_NOUNS,
    HONORIFICS,
    ORG_NOUNS,
    PERSON_NOUNS,
    PRONOUN_KINDS,
    TITLE_WORDS,
)
from claimcheck.extract.tree import subtree

_NAME_LABELS = {"PERSON": SpeakerKind.PERSON, "ORG": SpeakerKind.ORGANISATION,
                "GPE": SpeakerKind.ORGANISATION, "NORP": SpeakerKind.GROUP,
                "FAC": SpeakerKind.ORGANISATION}
_PHRASE_EXCLUDE = frozenset({"appos", "relcl", "acl", "advcl", "punct", "parataxis"})
_DETERMINERS = frozenset({"the", "a", "an", "this", "that", "these", "those"})
_RELATIVE = frozenset({"who", "that", "which", "whom"})
_POSSESSIVE_TAIL = ("’s", "'s", "’", "'")
SUBJECT_WINDOW = 250  # characters back a pronoun may reach a person who was a sentence subject


@dataclass(frozen=True, slots=True)
class Mention:
    """A speaker phrase as analysed in its sentence."""

    start: int  # character offsets of the mention as written
    end: int
    text: str
    name: str | None  # proper name without honorifics or titles; None for pronouns
    role: str | None
    kind: SpeakerKind
    pronoun: str | None = None  # "he", "she", "they", "it"
    # The organisation a person speaks for or belongs to, as the phrase names it ("a spokesman
    # for the Pentagon", "Kestrel Air chief executive Ola Brandt", "Tasso, head of the CDF").
    affiliation: str | None = None


def _entity_around(tok: Token) -> Span | None:
    return entity_at(tok, _NAME_LABELS)


def _clean_name(tokens: list[Token]) -> tuple[list[Token], list[Token]]:
    """Split leading honorifics/titles off a name: (title tokens, name tokens)."""
    i = 0
    while i < len(tokens) - 1 and (tokens[i].lower_ in HONORIFICS or tokens[i].lower_ in TITLE_WORDS):
        i += 1
    name = tokens[i:]
    # (The recogniser sometimes runs an entity on into a preposition: "the ministry on".)
    while name and (name[-1].text in _POSSESSIVE_TAIL or name[-1].is_punct or name[-1].pos_ == "ADP"):
        name = name[:-1]
    return tokens[:i], name


def _text(tokens: list[Token]) -> str:
    if not tokens:
        return ""
    doc = tokens[0].doc
    return doc[tokens[0].i : tokens[-1].i + 1].text


def phrase_head(tok: Token) -> Token:
    """The noun a relative pronoun stands for ("officials, who said ..." -> officials), and the
    producer a document stands for ("according to a Reuters tally" -> Reuters)."""
    if tok.lower_ in _RELATIVE and tok.head.dep_ == "relcl":
        tok = tok.head.head
    if tok.lemma_.lower() in DOCUMENT_NOUNS:
        for child in subtree(tok):
            if child is not tok and child.ent_type_ in ("ORG", "PERSON") and child.dep_ in (
                "compound", "poss", "pobj", "nmod"):
                return child
    return tok


def analyse(tok: Token) -> Mention | None:
    """Analyse the speaker phrase headed by ``tok`` (a subject, or the object of "according to")."""
    tok = phrase_head(tok)
    if tok.pos_ == "PRON":
        kind = PRONOUN_KINDS.get(tok.lower_)
        if kind is None:
            return None  # "I", "we", "you", "this": not resolvable to a third-party speaker
        return Mention(tok.idx, tok.idx + len(tok), tok.text, None, None,
                       SpeakerKind(kind), pronoun=tok.lower_)
    if tok.lower_ in _RELATIVE or tok.lower_ in ("this", "that", "which", "what"):
        return None
    if tok.ent_type_ in ("DATE", "TIME", "MONEY", "QUANTITY"):
        return None
    if tok.like_num or tok.ent_type_ in ("PERCENT", "CARDINAL") or tok.lower_ in ("%", "percent"):
        # "Twenty-four percent said ...", "More than six in 10 said ...": a share of those polled.
        phrase = tok.doc[tok.left_edge.i : tok.right_edge.i + 1]
        return Mention(phrase.start_char, phrase.end_char, phrase.text, phrase.text, None,
                       SpeakerKind.GROUP)
    appos = [c for c in tok.children if c.dep_ == "appos"]
    kept = _phrase_tokens(tok)
    ent = _entity_around(tok)
    if ent is not None:
        return _named(ent, kept, None, appos)
    ent = _name_after_role(tok)
    if ent is not None and ent.label_ == "ORG" and tok.lemma_.lower() in PERSON_NOUNS \
            and any(c.dep_ == "prep" and c.i < ent.start for c in tok.children):
        # "a spokesman for the ministry", "an official at Kestrel Air": a person of their own,
        # who speaks for the organisation (kept apart from it, linked by the affiliation).
        words = _strip_det(kept)
        if words:
            _, org = _clean_name([w for w in ent if w.lower_ != "the"])
            return Mention(kept[0].idx, _end(kept), _text(kept), words, None, SpeakerKind.PERSON,
                           affiliation=_text(org) or ent.text)
    if ent is not None:
        # "army commander-in-chief Jane Roe", "the news agency Acme": a role, then a name.
        doc = tok.doc
        role_and_name = [doc[i] for i in range(kept[0].i, ent.end)]
        return _named(ent, role_and_name, None, [])
    for a in appos:
        # "the head of the agency, John Smith, said": the name is in the apposition.
        ent = _entity_around(a)
        if ent is not None and ent.label_ == "PERSON":
            return _named(ent, kept + list(ent), _strip_det(kept), [])
    if tok.pos_ == "PROPN":
        chain = [t for t in kept if _propn_start(tok) <= t.i <= tok.i]
        return _named(None, kept, None, appos, chain=chain)
    # A common noun phrase: "a spokesman", "Western and other officials", "police".
    words = _strip_det(kept)
    if not words:
        return None
    plural = tok.tag_ in ("NNS", "NNPS") or any(c.dep_ == "conj" for c in tok.children)
    lemma = tok.lemma_.lower()
    kind = (SpeakerKind.ORGANISATION if lemma in ORG_NOUNS and not plural
            else SpeakerKind.GROUP if plural or lemma in ORG_NOUNS or lemma in GROUP_NOUNS
            else SpeakerKind.PERSON)
    affiliation = _affiliation([t for t in kept if t.i != tok.i] + _appos_tokens(appos), tok)
    return Mention(kept[0].idx, _end(kept), _text(kept), words, _role_text(appos), kind,
                   affiliation=affiliation if kind is SpeakerKind.PERSON else None)


def _appos_tokens(appos: list[Token]) -> list[Token]:
    return [t for a in appos for t in subtree(a) if t.dep_ != "relcl" and t.head.dep_ != "relcl"]


def _affiliation(tokens: list[Token], head: Token) -> str | None:
    """The first organisation (else place) named among ``tokens`` that is not the speaker's own
    name: whom a role belongs to ("spokesman for X", "X's chairman", "head of X")."""
    found: dict[str, str] = {}
    for t in tokens:
        if t.ent_iob_ != "B" or t.ent_type_ not in ("ORG", "GPE"):
            continue
        ent = entity_at(t, ("ORG", "GPE"))
        if ent is None or ent.start <= head.i < ent.end:
            continue
        _, name = _clean_name([w for w in ent if w.lower_ != "the"])
        if name:
            found.setdefault(ent.label_, _text(name))
    return found.get("ORG") or found.get("GPE")


def _title_before(ent: Span) -> str | None:
    """The title word just before a person's name ("Interior Minister Peter Okafor" -> "minister"),
    or None."""
    if ent.start == 0:
        return None
    prev = ent.doc[ent.start - 1]
    word = prev.text.lower().rstrip(".")
    return word if word in TITLE_WORDS and prev.is_alpha and word not in ("former", "acting", "deputy") else None


def _name_after_role(tok: Token) -> Span | None:
    """A named entity in the head's phrase right after it, with no comma in between (and not
    inside a clause: "a member who supports X" is not X)."""
    doc = tok.doc
    clauses = [c for c in tok.children if c.dep_ in ("relcl", "acl", "advcl") and c.i > tok.i]
    right = min([c.left_edge.i - 1 for c in clauses] + [tok.right_edge.i])
    i = tok.i + 1
    while i <= right and doc[i].text != ",":
        if doc[i].ent_type_ in _NAME_LABELS and doc[i].ent_iob_ == "B":
            ent = _entity_around(doc[i])
            if ent is not None and ent.label_ in ("PERSON", "ORG"):
                return ent
        i += 1
    return None


def _propn_start(tok: Token) -> int:
    i = tok.i
    while i > 0 and tok.doc[i - 1].pos_ == "PROPN" and tok.doc[i - 1].dep_ in ("compound", "flat"):
        i -= 1
    return i


def _named(ent: Span | None, kept: list[Token], role: str | None, appos: list[Token],
           chain: list[Token] | None = None) -> Mention:
    name_tokens = list(ent) if ent is not None else (chain or kept)
    _, name = _clean_name(name_tokens)
    if not name:
        name = name_tokens
    kind = _NAME_LABELS.get(ent.label_, SpeakerKind.PERSON) if ent is not None else SpeakerKind.PERSON
    first = name[0].i
    before = [t for t in kept if t.i < first and t.dep_ != "det" and t.lower_ not in HONORIFICS]
    if role is None:
        pre = _text(before) if before else None
        role = pre or _role_text(appos)
    head_role = before[-1] if before else (appos[0] if appos else None)
    role_noun = head_role.lemma_.lower() if head_role is not None else None
    if role_noun in ORG_NOUNS - {"group"}:
        kind = SpeakerKind.ORGANISATION  # "the propaganda agency X"
    elif role_noun in PERSON_NOUNS:
        kind = SpeakerKind.PERSON  # "X, an Iranian journalist": NER sometimes calls X an ORG
    if len(name) == 1 and kind is SpeakerKind.GROUP and name[0].tag_ not in ("NNPS", "NNS"):
        kind = SpeakerKind.ORGANISATION
    affiliation = None
    if kind is SpeakerKind.PERSON:
        own = {t.i for t in name}
        affiliation = _affiliation([t for t in before + _appos_tokens(appos) if t.i not in own], name[-1])
    return Mention(kept[0].idx, _end(kept), _text(kept), _text(name), role, kind, affiliation=affiliation)


def _phrase_tokens(tok: Token) -> list[Token]:
    """The mention: the head's subtree without appositions, relative clauses and trailing commas."""
    drop: set[int] = set()
    for child in tok.children:
        if child.dep_ in _PHRASE_EXCLUDE or (child.dep_ == "prep" and child.i > tok.i
                                             and tok.pos_ == "PROPN"):
            drop.update(t.i for t in subtree(child))
    kept = [t for t in subtree(tok) if t.i not in drop]
    # Keep it contiguous around the head.
    lo = hi = tok.i
    ids = {t.i for t in kept}
    while lo - 1 in ids:
        lo -= 1
    while hi + 1 in ids:
        hi += 1
    return [tok.doc[i] for i in range(lo, hi + 1)]


def _strip_det(tokens: list[Token]) -> str | None:
    words = list(tokens)
    while words and (words[0].lower_ in _DETERMINERS or words[0].is_punct):
        words = words[1:]
    while words and words[-1].is_punct:
        words = words[:-1]
    return _text(words) or None


def _role_text(appos: list[Token]) -> str | None:
    for a in appos:
        tokens = [t for t in subtree(a) if not (t.is_punct and t.i in (a.left_edge.i, a.right_edge.i))]
        tokens = [t for t in tokens if t.dep_ != "relcl" and t.head.dep_ != "relcl"] or tokens
        text = _text(tokens)
        if text:
            return text
    return None


def _end(tokens: list[Token]) -> int:
    last = tokens[-1]
    return last.idx + len(last)


@dataclass(slots=True)
class _Entry:
    name: str
    kind: SpeakerKind
    aliases: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    affiliations: list[str] = field(default_factory=list)


class DocumentSpeakers:
    """Canonical speakers of one document.

    Short mentions are linked to the fullest name in the document that contains all their words
    and ends with the same word ("Okafor" -> "Peter Okafor"); among several, the most recent
    one before the mention wins. "the" + a known role ("the party leader") links to the one
    speaker holding that role. Pronouns go to the nearest compatible earlier speaker, or stay
    unresolved.
    """

    def __init__(self, doc: Doc) -> None:
        # Full names by their last word, each with the offsets it occurs at (in order): a
        # lookup reads only the names that can match, and each name once, however often the
        # document repeats it (scanning every name for every mention was quadratic).
        self._full: dict[str, dict[str, tuple[frozenset[str], list[int]]]] = {}
        # Full names the parser took for a person at least once: a surname it tags as an
        # organisation ("Brandt said") is that person, not a company.
        self._people: set[str] = set()
        ents = doc.ents
        for ent in ents:
            if ent.label_ in ("PERSON", "ORG"):
                _, name = _clean_name(list(ent))
                if name:
                    full = _text(name)
                    if ent.label_ == "PERSON" and " " in full:
                        self._people.add(full)
                    fwords = full.split()
                    if fwords:
                        by_name = self._full.setdefault(fwords[-1], {})
                        by_name.setdefault(full, (frozenset(fwords), []))[1].append(ent.start_char)
        self._entries: dict[str, _Entry] = {}
        # Speakers so far per kind, ordered by (offset, order recorded), with their names.
        self._salient: dict[SpeakerKind, tuple[list[tuple[int, int]], list[str]]] = {}
        self._recorded = 0
        # People who were just the subject of a sentence are candidates too, but only nearby:
        # "Anna Berg spoke to reporters. 'It is sad,' she said."
        self._subjects = [(ent.start_char, ent.text) for ent in ents
                          if ent.label_ == "PERSON" and ent.root.dep_ == "nsubj"]
        self._subject_starts = [pos for pos, _ in self._subjects]
        # The article's own titles for people, whether or not they speak ("Transport Minister
        # Lina Berg"): what "the minister" refers to later, when only one person holds it.
        self._titled: dict[str, set[str]] = {}
        for ent in ents:
            if ent.label_ == "PERSON" and len(ent) > 1:
                title = _title_before(ent)
                if title:
                    self._titled.setdefault(title, set()).add(ent.text)

    def canonical(self, name: str, at: int) -> str:
        words = name.split()
        if not words:
            return name
        best: tuple[int, int, str] | None = None  # (length, recency, name)
        wanted = set(words)
        for full, (fwords, positions) in self._full.get(words[-1], {}).items():
            if not wanted <= fwords:
                continue
            # The latest occurrence at or before ``at``, else the earliest after it.
            k = bisect.bisect_right(positions, at)
            recency = positions[k - 1] if k else -positions[0]
            rank = (len(full.split()), recency, full)
            if best is None or rank > best:
                best = rank
        return best[2] if best and best[0] >= len(words) else name

    def resolve(self, mention: Mention, exclude: frozenset[str] = frozenset()) -> tuple[str | None, SpeakerKind, bool]:
        """Canonical (name, kind, resolved) for a mention at its position. A pronoun never
        resolves to a name with a word in ``exclude``: the cue's own addressee ("he told
        Brandt" is not Brandt speaking)."""
        if mention.pronoun is not None:
            wanted = {"person": (SpeakerKind.PERSON,),
                      "group": (SpeakerKind.GROUP, SpeakerKind.ORGANISATION),
                      "organisation": (SpeakerKind.ORGANISATION,)}[mention.kind.value]

            def allowed(name: str) -> bool:
                return not exclude or not exclude.intersection(w.lower() for w in name.split())

            best: tuple[int, str, SpeakerKind] | None = None
            latest: tuple[int, int] | None = None
            for kind in wanted:  # the latest speaker before the mention, of a wanted kind
                keys, names = self._salient.get(kind, ([], []))
                k = bisect.bisect_left(keys, (mention.start, -1)) - 1
                while k >= 0 and not allowed(names[k]):
                    k -= 1
                if k >= 0 and (latest is None or keys[k] > latest):
                    latest, best = keys[k], (keys[k][0], names[k], kind)
            if SpeakerKind.PERSON in wanted:
                k = bisect.bisect_left(self._subject_starts, mention.start) - 1
                while k >= 0 and self._subjects[k][0] >= mention.start - SUBJECT_WINDOW \
                        and not allowed(self.canonical(self._subjects[k][1], self._subjects[k][0])):
                    k -= 1
                if k >= 0 and self._subjects[k][0] >= mention.start - SUBJECT_WINDOW:
                    pos, text = self._subjects[k]
                    if best is None or pos > best[0]:
                        best = (pos, self.canonical(text, pos), SpeakerKind.PERSON)
            if best is None:
                return None, mention.kind, False
            return best[1], best[2], True
        assert mention.name is not None
        lowered = mention.name.lower()
        if mention.kind is not SpeakerKind.PERSON or not mention.name[:1].isupper():
            by_role = [e for e in self._entries.values()
                       if any(r.lower().endswith(lowered) for r in e.roles)]
            if len(by_role) == 1 and " " in lowered:
                return by_role[0].name, by_role[0].kind, True
            # "the minister", where the article titled one person so ("Transport Minister X")
            titled = self._titled.get(lowered.split()[-1], set()) if mention.kind is SpeakerKind.PERSON else set()
            if len(titled) == 1 and lowered.split()[-1] in TITLE_WORDS:
                (name,) = titled
                return self.canonical(name, mention.start), SpeakerKind.PERSON, True
            # "the official", after "an official at Kestrel Air said": the one speaker so far
            # described by that noun. "an official" would be someone new.
            if mention.kind is SpeakerKind.PERSON and " " not in lowered \
                    and mention.text.lower().startswith("the "):
                described = [e for e in self._entries.values() if e.kind is SpeakerKind.PERSON
                             and (e.name.lower().split()[0] == lowered
                                  or any(lowered in r.lower().split() for r in e.roles))]
                if len(described) == 1:
                    return described[0].name, SpeakerKind.PERSON, True
        if mention.name[:1].isupper():
            name = self.canonical(mention.name, mention.start)
            if mention.kind is SpeakerKind.ORGANISATION and name != mention.name and name in self._people:
                return name, SpeakerKind.PERSON, True
            return name, mention.kind, True
        return mention.name, mention.kind, True

    def record(self, mention: Mention, name: str, kind: SpeakerKind) -> None:
        entry = self._entries.setdefault(name, _Entry(name, kind))
        alias = mention.text
        for det in ("the ", "a ", "an "):
            if alias.lower().startswith(det):
                alias = alias[len(det):]
        if alias != name and alias not in entry.aliases and mention.pronoun is None:
            entry.aliases.append(alias)
        if mention.name and mention.name != name and mention.name not in entry.aliases:
            entry.aliases.append(mention.name)
        if mention.role and mention.role not in entry.roles:
            entry.roles.append(mention.role)
        if mention.affiliation and mention.affiliation not in entry.affiliations:
            entry.affiliations.append(mention.affiliation)
        keys, names = self._salient.setdefault(kind, ([], []))
        self._recorded += 1
        k = bisect.bisect_right(keys, (mention.start, self._recorded))
        keys.insert(k, (mention.start, self._recorded))
        names.insert(k, name)

    def entries(self) -> list[_Entry]:
        return list(self._entries.values())
