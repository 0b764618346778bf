"""What happened, how sure, and to whom: the parts of a claim compared beyond shared words.

Pure functions over a claim's content text, lemmas and entities (what the store keeps, so no
parse is needed at verification time):

- **event classes**: words for the same happening share a class ("killed", "died", "death";
  "seized", "captured", "took") and a direction where the class has one ("rose" +, "fell" -),
  so a paraphrase still overlaps and an opposite is found;
- **modality**: whether the content asserts something, or only hopes, plans, expects, says it
  may happen, asks whether it did, or says an attempt failed;
- **entities**: every name in a statement must be confirmed by the source claim or the
  article around it; a different name of the same kind where the source has one conflicts.

The word lists are general English (verbs of change, modal verbs), never an article's words.
"""

from __future__ import annotations

import functools
import re
from enum import StrEnum

from claimcheck.domain import AttributionKind, Claim, Entity, Modality, Reason
from claimcheck.match.wordnet import any_synonym, opposites, synonyms
from claimcheck.names import initials, word_confirmed

# lemma -> (event class, direction); direction 0 where the class has none.
_CLASSES: dict[str, tuple[str, ...]] = {
    # How someone died ("murdered") says more than that they died: not in the class.
    "die": ("die", "kill", "death", "dead", "slay", "perish", "fatality"),
    "injure": ("injure", "wound", "hurt", "injury", "casualty"),
    "capture": ("capture", "seize", "take", "overrun", "conquer", "retake", "recapture", "occupy", "liberate"),
    "attack": ("attack", "strike", "bomb", "shell", "raid", "assault", "shoot"),
    "arrest": ("arrest", "detain", "capture", "apprehend", "imprison", "jail", "custody"),
    "say": ("say", "tell", "state", "claim", "declare", "announce", "assert", "insist", "add"),
    "buy": ("buy", "purchase", "order", "acquire"),
    "sell": ("sell", "sale"),
    "pay": ("pay", "payment", "fund", "finance"),
    "visit": ("visit", "tour"),
    "foresee": ("foresee", "anticipate", "predict", "forecast"),
    "remain": ("remain", "stay"),
    "involve": ("affect", "cover", "involve", "concern"),
    "give": ("give", "submit", "provide", "present", "offer", "hand"),
    "finish": ("finish", "complete", "conclude"),
    "harm": ("hamper", "handicap", "hinder", "impede", "undermine", "damage", "harm"),
    "delay": ("delay", "postpone", "stall"),
    "defeat": ("defeat", "beat", "rout", "vanquish", "overcome"),
    "respect": ("respect", "admire", "esteem"),
}
# Classes with two directions: (class, words one way, words the other way).
_DIRECTIONS: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    # Only words that say which way: "high prices" or "up to" do not.
    ("amount", ("rise", "increase", "grow", "climb", "jump", "gain", "soar", "surge", "rocket", "boost",
                "raise", "expand", "improve", "rebound", "growth", "rose", "risen"),
     ("fall", "drop", "decline", "decrease", "cut", "plunge", "slump", "slide", "tumble", "shrink", "sink",
      "reduce", "dip", "plummet", "halve", "worsen", "fell", "fallen", "loss", "reduction", "slowdown", "shed",
      "slash")),
    # "beat" and "defeat" are not here: "X defeated Y" is a win, "its defeat" a loss.
    ("contest", ("win", "victory", "triumph", "won"), ("lose", "lost")),
    ("decision", ("approve", "accept", "grant", "allow", "permit", "authorize", "authorise", "endorse",
                  "permission"),
     ("reject", "deny", "refuse", "block", "veto", "ban", "forbid", "prohibit", "overrule")),
    ("movement", ("arrive", "enter"), ("leave", "depart", "exit", "flee", "withdraw")),
    ("freedom", ("release", "free", "freed", "acquit"), ("arrest", "detain", "imprison", "jail", "convict")),
    ("opening", ("reopen", "launch", "resume"), ("shut", "halt", "suspend", "cancel")),
    # Compass directions: "west of the river" against "east of the river".
    ("north_south", ("north", "northern", "northward"), ("south", "southern", "southward")),
    ("east_west", ("east", "eastern", "eastward"), ("west", "western", "westward")),
)

EVENT: dict[str, tuple[str, int]] = {}
for _cls, _members in _CLASSES.items():
    for _w in _members:
        EVENT.setdefault(_w, (_cls, 0))
for _cls, _up, _down in _DIRECTIONS:
    for _w in _up:
        EVENT[_w] = (_cls, 1)
    for _w in _down:
        EVENT[_w] = (_cls, -1)


def canonical(lemma: str) -> str:
    """The word as topic overlap should see it: the event class for an event word."""
    found = EVENT.get(lemma)
    return f"@{found[0]}" if found else lemma


def events(lemmas: str) -> dict[str, set[int]]:
    """Event classes in a content, with the directions seen for each."""
    out: dict[str, set[int]] = {}
    for w in lemmas.split():
        if w in EVENT:
            cls, direction = EVENT[w]
            out.setdefault(cls, set()).add(direction)
    return out


def compare_events(statement: Claim, claim: Claim) -> list[Reason]:
    """``predicate_match`` when both name the same kind of event in the same direction (or the
    source has the statement's own verb), ``direction_mismatch`` when the source has only the
    opposite direction."""
    mine, theirs = events(statement.lemmas), events(claim.lemmas)
    reasons = []
    words = set(claim.lemmas.split()) | set(claim.predicates.split())
    preds = [w for w in dict.fromkeys(statement.predicates.split()) if w not in EVENT]
    shared = [w for w in preds if w in words]
    # Light verbs ("go", "come", "get") have a sense near any other verb's, or against it.
    theirs_heavy = [x for x in claim.predicates.split() if x not in _LIGHT]
    preds_heavy = [w for w in preds if w not in _LIGHT]
    if shared:
        reasons.append(Reason("predicate_match", f"the source also says {shared[0]}"))
    else:
        similar = [(w, x) for w in preds_heavy for x in theirs_heavy if w != x and synonyms(w, x)]
        if similar:
            reasons.append(Reason("predicate_match", f"the source says {similar[0][1]} (WordNet: a synonym "
                                                     f"of {similar[0][0]})"))
    # Opposites (WordNet antonyms: "accept" / "reject", "little" / "enormous"), where the source
    # does not also have the statement's own word ("rose in March, fell in April").
    opposite = [(w, x) for w in preds_heavy if w not in words and not any_synonym(w, words)
                for x in theirs_heavy if opposites(w, x)]
    if opposite:
        reasons.append(Reason("predicate_opposite", f"the statement says {opposite[0][0]}; the source says "
                                                    f"{opposite[0][1]} (WordNet: opposites)"))
    # Sorted: a set's order changes between processes, and the reasons must not.
    for cls in sorted(mine.keys() & theirs.keys()):
        want, have = mine[cls] - {0}, theirs[cls] - {0}
        if want and have and not (want & have):
            reasons.append(Reason("direction_mismatch", f"the statement says {_way(want)}; the source says "
                                                        f"{_way(have)} ({cls})"))
        else:
            reasons.append(Reason("predicate_match", f"the same kind of event ({cls})"))
    return reasons


def cue_verb(claim: Claim) -> str | None:
    """An attributed claim's reporting verb as written, lower-case ("agreed" to buy, "claimed"
    responsibility), or None for the narrator's claims."""
    if claim.cue is None or claim.kind is AttributionKind.NARRATOR:
        return None
    words = claim.cue.text.lower().split()
    return words[0] if words else None


def _cue_words(claim: Claim) -> set[str]:
    """The reporting verb as a word of what the claim says happened, with its stems ("agreed":
    "agre", "agree")."""
    verb = cue_verb(claim)
    if verb is None:
        return set()
    return {verb, *((verb[:-2], verb[:-1]) if verb.endswith("ed") else ())}


def same_verb(statement: Claim, claim: Claim) -> bool:
    """Whether the negated side's first verb is one the other side says, as such, as an event of
    its class or as a WordNet synonym: "declined to address whether X" denies addressing, and
    says nothing against a statement about X. True when the negated side has no verb."""
    negated, other = (statement, claim) if statement.negated else (claim, statement)
    verbs = [w for w in negated.predicates.split() if w.split("_")[0] not in _LIGHT]
    if not verbs:
        return True
    words = set(other.lemmas.split()) | set(other.predicates.split()) | _cue_words(other)
    first = verbs[0]
    return first in words or canonical(first) in {canonical(w) for w in words} \
        or any(synonyms(first, w) or opposites(first, w) for w in words)


def _way(directions: set[int]) -> str:
    return "up" if directions == {1} else "down" if directions == {-1} else "both ways"


# --- modality ---------------------------------------------------------------------------------


class Mood(StrEnum):
    """How a content puts what it says, read from its words (a claim's ``modality`` is how its
    speaker holds it, read from the cue)."""

    ASSERTED = "asserted"
    HEDGED = "hedged"  # may, could, expects, plans, hopes, is trying, proposed ...
    FUTURE = "future"  # will, is going to, is set to
    QUESTION = "question"
    FAILED = "failed"  # an attempt that did not succeed


_DUE = re.compile(r"\b(due to be|scheduled to|slated to)\b", re.I)
_FAILED = re.compile(r"\b(failed to|fail to|fails to|unable to|could not|couldn['’]t|did not manage|"
                     r"unsuccessful(ly)?|in vain|thwarted|foiled)\b", re.I)
_HEDGED = re.compile(
    r"\b(may|might|could|should|would|must|ought|possible|possibly|perhaps|probably|likely|unlikely|potential(ly)?|"
    r"expects?|expected|expecting|forecasts?|projected|predicts?|predicted|"
    r"plans?|planned|planning|hopes?|hoped|hoping|aims?|aimed|aiming|wants?|wanted|seeks?|sought|"
    r"tries|tried|trying|attempts?|attempted|intends?|intended|proposes?|proposed|proposal|"
    r"considers?|considering|considered|promised?|promises|pledged?|vowed?|threatens?|threatened|"
    r"reportedly|allegedly|alleged|suspected|rumou?red|whether|if|"
    # someone's claim that it happened, not that it did ("the earlier claim that he refused")
    r"(claims?|allegations?|accusations?|rumou?rs?|suggestions?|speculation|theor(y|ies)|assertions?) that)\b",
    re.I)
_FUTURE = re.compile(r"\b(will|shall|going to|is to|are to|set to|about to|won['’]t|['’]ll)\b", re.I)
# Words of the hedge lists that hedge nothing here: a politeness ("I would like to stress"), a
# comparison with a forecast ("lower than previously expected", "as planned").
_NOT_A_HEDGE = re.compile(r"\b(would like to|['’]d like to|(than|as) (\w+ )?(expected|forecast|predicted|planned|"
                          r"hoped|promised|intended|proposed)|if not)\b", re.I)


@functools.lru_cache(maxsize=8192)  # the same statement meets 20 candidates; claims recur
def modality(text: str) -> Mood:
    """How the content puts it, read from its words (the first cue decides little: any hedge in
    a short content hedges it)."""
    text = re.sub(r"\bMay\b", "", text)  # the month (or a name), not the modal verb
    text = _NOT_A_HEDGE.sub("", text)
    if _FAILED.search(text):
        return Mood.FAILED
    if text.rstrip().endswith("?"):
        return Mood.QUESTION
    if _HEDGED.search(text) or _DUE.search(text):
        return Mood.HEDGED
    if _FUTURE.search(text):
        return Mood.FUTURE
    return Mood.ASSERTED


def _with_cue(claim: Claim) -> str:
    # The reporting verb is part of how sure it is: "expects profits to rise" hedges.
    return f"{claim.cue.text} {claim.content.text}" if claim.cue is not None else claim.content.text


_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’']?\s+")
_CLAUSE_END = re.compile(r"[,;:]\s+|\s+[—–-]{1,2}\s+")
_WORDISH = re.compile(r"[^\W\d_]{3,}")


def governing_text(text: str, lemmas: set[str]) -> str:
    """The part of a long content whose modality bears on the statement: the sentence sharing
    most of the statement's words, up to the end of its clause that shares most. A hedge before
    that clause governs it ("it could be that, in the end, profits rose"); one in a later clause
    or another sentence rarely does ("..., a war that has lasted 40 years, may soon end")."""
    stems = tuple({w[:4] for w in lemmas if len(w) >= 3})

    def hits(part: str) -> int:
        return sum(w.lower().startswith(stems) for w in _WORDISH.findall(part))

    sentences = _SENTENCE_END.split(text)
    sentence = max(sentences, key=hits) if len(sentences) > 1 else text
    ends = [m.end() for m in _CLAUSE_END.finditer(sentence)] + [len(sentence)]
    best, start, best_hits = len(sentence), 0, -1
    for end in ends:
        h = hits(sentence[start:end])
        if h >= best_hits:  # a tie goes to the later clause, the nearer to the verb
            best, best_hits = end, h
        start = end
    # A sentence's first clause is often an opening phrase ("Within 30 days, there won't be
    # any") whose verb comes after it: the whole sentence governs it.
    return sentence if best == ends[0] else sentence[:best]


def compare_modality(statement: Claim, claim: Claim) -> list[Reason]:
    """A hedged or questioned source never supports a statement of fact, nor does a source about
    what will happen; a source saying the attempt failed conflicts with a statement that it
    happened. The statement's reporting verb counts ("X expects ..." hedges); of a long source,
    only the part about the statement does."""
    mine = modality(_with_cue(statement))
    theirs = modality(governing_text(_with_cue(claim), set(statement.lemmas.split())))
    # A belief ("analysts expect", "she is convinced that") is what its holder thinks: it
    # supports a statement that they think so, not one that it is so.
    if claim.modality is Modality.BELIEVED and theirs is Mood.ASSERTED:
        theirs = Mood.HEDGED
    if statement.modality is Modality.BELIEVED and mine is Mood.ASSERTED:
        mine = Mood.HEDGED
    if theirs is Mood.FAILED and mine in (Mood.ASSERTED, Mood.FUTURE):
        return [Reason("attempt_failed", "the source says the attempt failed")]
    if theirs in (Mood.HEDGED, Mood.QUESTION) and mine in (Mood.ASSERTED, Mood.FUTURE):
        return [Reason("hedged_source", f"the source only says it {_how(theirs)}; the statement asserts it")]
    if theirs is Mood.FUTURE and mine is Mood.ASSERTED:
        return [Reason("future_source", "the source says it will happen; the statement says it did")]
    if mine is Mood.FUTURE and theirs is Mood.ASSERTED:
        return [Reason("tense_mismatch", "the statement says it will happen; the source reports what did")]
    return []


def _how(m: Mood) -> str:
    return {Mood.HEDGED: "may happen, is expected, planned or hoped for",
            Mood.QUESTION: "is in question"}.get(m, m.value)


# --- entities ---------------------------------------------------------------------------------

# Kinds of entity that fill the same slot: a different one in the source is a different answer.
_SLOT = {"GPE": "place", "LOC": "place", "FAC": "place", "NORP": "group", "ORG": "organisation",
         "PERSON": "person", "EVENT": "event", "PRODUCT": "product", "LAW": "law", "WORK_OF_ART": "work"}
_WORD = re.compile(r"[^\W_]+")
_THIN = frozenset({"the", "of", "and", "for", "in", "on", "a", "an", "s", "mr", "mrs", "ms", "dr"})


@functools.lru_cache(maxsize=16384)  # the same names and contents meet every statement
def _words(text: str) -> frozenset[str]:
    return frozenset(w for w in _WORD.findall(text.lower()) if w not in _THIN)


@functools.lru_cache(maxsize=65536)
def confirmed(entity: Entity, where: str, names: tuple[str, ...]) -> bool:
    """Every significant word of the name is in the text, or the name is an acronym of one
    there ("CDF" for "Coastal Defence Forces"), or one of the names is its acronym."""
    words = _words(entity.text)
    if not words:
        return True
    seen = _words(where)
    if words <= seen:
        return True
    acronym = entity.text.replace(".", "").lower()
    for name in names:
        if acronym == initials(_WORD.findall(name)) or (
                len(words) > 1 and initials(_WORD.findall(entity.text)) == name.replace(".", "").lower()):
            return True
    return False


def counted(claim: Claim) -> frozenset[str]:
    """Words of the things a claim's figures count ("rebel fighters")."""
    return frozenset(w for f in claim.figures if f.unit for w in _words(f.unit))


def compare_entities(statement: Claim, claim: Claim, speaker: str | None) -> list[Reason]:
    """Each name in the statement against the source: confirmed by the claim or the article
    around it; else a mismatch when the claim names another of the same kind; else unconfirmed."""
    reasons = []
    skip = _words(speaker) if speaker else set()
    names = tuple(e.text for e in claim.entities) + claim.context
    own = " ".join((claim.content.text, claim.speaker.name or ""))
    where = " ".join((own, *claim.context))
    for entity in statement.entities:
        if _words(entity.text) <= skip:
            continue  # the statement's speaker: compared as the speaker
        slot = _SLOT.get(entity.label)
        rivals = [e.text for e in claim.entities if _SLOT.get(e.label) == slot
                  and not confirmed(e, statement.content.text, (entity.text,))]
        if confirmed(entity, own, names):
            continue
        if confirmed(entity, where, names):
            if rivals and slot == "person":
                # Named only around the claim, while the claim itself names another person
                # there ("Cole's campaign started it" for "Okafor started it"): not confirmed.
                reasons.append(Reason("entity_unconfirmed", f"the source names {rivals[0]}, not {entity.text}; "
                                                            f"{entity.text} is named only around it"))
            continue
        if rivals and _words(entity.text) <= counted(statement) and _words(rivals[0]) <= counted(claim):
            # "900 CDF fighters" against "600 KLF fighters": two counts of different people,
            # not one count with its group changed (the figures say so, unconfirmed).
            reasons.append(Reason("entity_unconfirmed", f"the source counts {rivals[0]}, not {entity.text}"))
        elif rivals:
            reasons.append(Reason(f"{slot}_mismatch" if slot in ("place", "person") else "entity_mismatch",
                                  f"the statement names {entity.text}; the source names {rivals[0]}"))
        else:
            reasons.append(Reason("entity_unconfirmed", f"the source does not mention {entity.text}"))
    return reasons


# --- predicates -------------------------------------------------------------------------------


def unconfirmed_predicates(statement: Claim, claim: Claim, drop: frozenset[str] | set[str]) -> list[str]:
    """The statement's verbs and adjectives that the source does not have, as such, as an event
    of the same class, or as a country for its adjective ("Swedish" / "Sweden")."""
    words = set(claim.lemmas.split()) | set(claim.predicates.split()) | _cue_words(claim)
    have = {canonical(w) for w in words}
    return [w for w in dict.fromkeys(statement.predicates.split())
            if w not in drop and w.split("_")[0] not in _LIGHT and canonical(w) not in have
            and not word_confirmed(w, words, set()) and not any(synonyms(w, x) for x in words)
            and not _phrasal_in(w, words, claim.content.text)]


def _phrasal_in(phrasal: str, words: set[str], text: str) -> bool:
    """"hold_up" against a claim whose verb "hold" and particle "up" are both in its words
    (claims stored before phrasal verbs were kept whole)."""
    verb, _, particle = phrasal.partition("_")
    return bool(particle) and verb in words and re.search(rf"\b{re.escape(particle)}\b", text, re.I) is not None


# Verbs that carry no claim of their own ("have", "make" are stop words already), and verbs that
# only say how someone put it ("called it a fraud", "described it as").
_LIGHT = frozenset({"get", "go", "come", "use", "want", "need", "include", "continue", "call", "describe",
                    "label", "dub", "term", "brand", "characterize", "characterise"})


_CAPITALISED = re.compile(r"\b[A-Z][\w'’.-]+")


def anchored(statement: Claim, claim: Claim) -> bool:
    """Whether the claim is about the same participants: one of the statement's names appears in
    the claim's content (or its speaker), as such or as an acronym; for a name the parser did not
    tag, any capitalised word of the statement the claim also has."""
    where = " ".join((claim.content.text, claim.speaker.name or ""))
    names = tuple(e.text for e in claim.entities)
    if any(_words(e.text) and confirmed(e, where, names) for e in statement.entities):
        return True
    capitalised = {w for w in _CAPITALISED.findall(statement.content.text) if w.lower() not in _THIN}
    # Names only around the claim ("It first appeared in 2014") do not anchor: measured on the
    # development statements, they made more false conflicts than they found.
    return any(re.search(rf"\b{re.escape(w)}\b", where) for w in capitalised)


_NEGATOR = r"(?:\b(?:not|never|no longer)|n['’]t)\s+(?:\w+\s+){0,2}"  # "haven't talked": no \b before n't
_ANY_NEGATOR = re.compile(r"\b(?:not|never|no longer)\b|n['’]t\b", re.I)


def negated_in_source(statement: Claim, claim: Claim) -> Reason | None:
    """The source denies, in a clause of its own, the very event the statement asserts
    ("residents have not been permitted to cross" against "residents were allowed to cross"),
    which the claim's own negation (its main clause) does not show."""
    if statement.negated or claim.negated or not _ANY_NEGATOR.search(claim.content.text) \
            or _ANY_NEGATOR.search(statement.content.text):
        return None  # either side's own negation is compared as such
    mine = {canonical(w) for w in statement.predicates.split()}
    for lemma in dict.fromkeys(claim.lemmas.split()):
        if canonical(lemma) in mine and len(lemma) >= 4:
            stem = re.escape(lemma[: max(4, len(lemma) - 2)])
            if re.search(_NEGATOR + stem, claim.content.text, re.I):
                return Reason("negation", f"the statement says it happened; the source says it did not ({lemma})")
    return None
