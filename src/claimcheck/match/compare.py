"""Comparing a statement with one source claim: topic, figures, dates, speaker, polarity.

Pure functions over domain objects; each comparison returns reasons a person can check.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from claimcheck.domain import Claim, DateKind, DateMention, Figure, FigureKind, Reason, SpeakerKind
from claimcheck.extract.lexicon import ACT_CUES, TIME_UNITS
from claimcheck.match.frames import canonical, confirmed, cue_verb
from claimcheck.match.wordnet import any_synonym
from claimcheck.names import initials, name_key, name_tokens, role_holds, role_phrase, same_speaker, singular

CLOSE = 0.10  # anchors within 10% of each other are "the same figure"
_NUMERIC = re.compile(r"^[\d.,]+$")
_PARTITIVE = re.compile(r"\bof (the|their|its|his|her|those|these|our|all)\b", re.IGNORECASE)
_MONTH_NAME = re.compile(r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b")
_YEARISH = re.compile(r"\b\d{4}\b")


# --- topic ------------------------------------------------------------------------------------


def _words(lemmas: str, drop: AbstractSet[str]) -> set[str]:
    return {w for w, lemma in _lemma_words(lemmas) if lemma not in drop}


@functools.lru_cache(maxsize=8192)
def _lemma_words(lemmas: str) -> tuple[tuple[str, str], ...]:
    # Event words count as their class: "killed" and "died" are the same topic word. Cached:
    # the same statement meets twenty candidates, and the same candidates come back often.
    return tuple((canonical(w), w) for w in lemmas.split() if not _NUMERIC.match(w))


def credited_words(claim: Claim) -> set[str]:
    """What an attributed claim says beyond its content: who ("Kestrel Air") and the act its cue
    names ("agreed", "praised"), for a statement that asserts the act itself."""
    verb = cue_verb(claim)
    # Only for an act or a stance: what someone said is not about them ("X said the port
    # closed" is no evidence that X closed it).
    if verb is None or claim.speaker.kind is SpeakerKind.PUBLICATION or not _act_verb(verb):
        return set()
    words = set(name_tokens(claim.speaker.name)) if claim.speaker.name and claim.speaker.resolved else set()
    words.add(verb)
    return words


@functools.lru_cache(maxsize=1024)
def _act_verb(verb: str) -> bool:
    """Whether a verb as written ("agreed", "praises") is one of the act or stance cues."""
    return any(verb.startswith(cue[:max(3, len(cue) - 1)]) for cue in ACT_CUES)


def content_words(claim: Claim, drop: AbstractSet[str] = frozenset()) -> set[str]:
    """The claim's content lemmas that carry topic: no numbers, nothing in ``drop``."""
    return _words(claim.lemmas, drop)


@dataclass(frozen=True, slots=True)
class Topic:
    overlap: float  # share of the statement's content words the claim has
    unconfirmed: tuple[str, ...]  # the statement's content words it has in no form


def topic_overlap(statement: Claim, claim: Claim, drop: AbstractSet[str] = frozenset()) -> Topic:
    """Share of the statement's content words that the claim also has (near-identical lemmas
    count, via rapidfuzz): a short statement inside a long claim scores high, a long statement
    against a short claim low. Numbers are left to the figure comparison."""
    s = _words(statement.lemmas, drop)
    if not s:
        return Topic(0.0, ())
    c = _words(claim.lemmas, drop) | (credited_words(claim) - drop)
    # a statement's verb as it counts for synonyms: whole when phrasal ("hold" -> "hold_up")
    preds = {p.split("_")[0]: p for p in statement.predicates.split()}
    around = context_named(statement, claim) if statement.entities and claim.context else set()
    hits = 0.0
    unconfirmed = []
    for w in sorted(s):
        if w in c:
            hits += 1
        elif c and process.extractOne(w, c, scorer=fuzz.ratio, score_cutoff=88) is not None:
            hits += 0.9  # (one call into rapidfuzz over all of c, not one per word)
        elif w in preds and any_synonym(preds[w], c):
            hits += 0.9  # a verb or adjective worded otherwise ("hampered" / "handicapped")
        elif w in around:
            # a name the claim's sentence leaves to a pronoun or a description ("it first
            # appeared in 2014"), named just before it or throughout the article
            hits += CONTEXT_WEIGHT
        else:
            unconfirmed.append(w)
    return Topic(hits / len(s), tuple(unconfirmed))


CONTEXT_WEIGHT = 0.5


def context_named(statement: Claim, claim: Claim) -> set[str]:
    """Lemmas of the statement's names that one name around the claim gives whole ("the United
    States" by "United States", never by "United Nations")."""
    out: set[str] = set()
    for entity in statement.entities:
        if any(confirmed(entity, name, ()) for name in claim.context):
            out.update(w.lower() for w in entity.text.split())
    return out


# --- figures ----------------------------------------------------------------------------------


def _unit_words(unit: str | None) -> list[str]:
    if not unit:
        return []
    return [w.lower().rstrip(".") for w in re.findall(r"[\w$£€%-]+", unit)]



# Currencies as written -> one name: "$1.2bn" and "1.2 billion dollars" are the same sum.
_CURRENCIES = {
    "$": "dollar", "us$": "dollar", "usd": "dollar", "dollar": "dollar", "buck": "dollar",
    "£": "pound", "gbp": "pound", "pound": "pound", "sterling": "pound",
    "€": "euro", "eur": "euro", "euro": "euro", "¥": "yen", "yen": "yen", "jpy": "yen",
    "c$": "canadian dollar", "cad": "canadian dollar", "a$": "australian dollar", "aud": "australian dollar",
}


def _currency(f: Figure) -> str | None:
    """The currency of a sum of money ("$" and "dollars" alike), None when it names none."""
    words = _unit_words(f.unit)
    if not words:
        return None
    last = singular(words[-1])
    if last == "dollar" and len(words) > 1 and words[-2] in ("canadian", "australian"):
        return f"{words[-2]} dollar"
    return _CURRENCIES.get(last, last)


def _unit_class(f: Figure) -> str | None:
    """What a figure is a number of, where a kind holds several that never compare: a multiple
    ("twice", "three times the rate"), a percentage or a difference of percentages ("rose 2
    percentage points" is not "rose 2%")."""
    unit = (f.unit or "").lower()
    if f.kind is FigureKind.PERCENT:
        return "points" if "point" in unit else "per cent"
    if f.kind is FigureKind.COUNT:
        return "times" if unit.split()[:1] == ["times"] else None
    return None


def comparable(a: Figure, b: Figure) -> bool:
    """Whether two figures count the same thing: same kind and the same counted noun ("rebel
    fighters" vs "rebel fighters"), never different named groups ("ABC fighters" vs "XYZ
    fighters"). A figure with no noun is comparable to one of the same kind. A multiple compares
    only with a multiple, a percentage only with a percentage (never percentage points), money
    only in the same currency ("£75m" vs "$75m": no rate to compare them), an age with an age and
    an ordinal with an ordinal."""
    if a.kind is not b.kind:
        return False
    if _unit_class(a) != _unit_class(b):
        return False
    if (_PARTITIVE.search(a.text) is None) != (_PARTITIVE.search(b.text) is None):
        return False  # "2,000 of the remaining fighters" is a part, not the total of "5,000 fighters"
    if a.kind is FigureKind.DURATION:
        return _days(a) is not None and _days(b) is not None
    if a.kind in (FigureKind.PERCENT, FigureKind.AGE) or _unit_class(a) == "times":
        return True
    wa, wb = _unit_words(a.unit), _unit_words(b.unit)
    if a.kind is FigureKind.MONEY:
        ca, cb = _currency(a), _currency(b)
        return ca is None or cb is None or ca == cb
    if not wa or not wb:
        return True
    if singular(wa[-1]) != singular(wb[-1]) and fuzz.ratio(wa[-1], wb[-1]) < 85:
        return False
    # Both qualified, with nothing in common: "ABC fighters" vs "foreign fighters" count
    # different people; "US service members" and "United States service members" do not.
    mods_a, mods_b = (a.unit or "").split()[:-1], (b.unit or "").split()[:-1]
    if mods_a and mods_b:
        return _same_modifiers(mods_a, mods_b)
    return True


def _same_modifiers(a: list[str], b: list[str]) -> bool:
    la, lb = {w.lower().strip(".") for w in a}, {w.lower().strip(".") for w in b}
    if la & lb:
        return True
    joined_a, joined_b = "".join(a).replace(".", "").lower(), "".join(b).replace(".", "").lower()
    return joined_a in (initials(b), joined_b) or joined_b == initials(a)


def _days(f: Figure) -> float | None:
    words = _unit_words(f.unit)
    if not words:
        return None
    unit = singular(words[-1])
    return f.value * TIME_UNITS[unit] if unit in TIME_UNITS else None


def _interval(f: Figure) -> tuple[float, float, float]:
    """(low, high, anchor) in common units (days for durations)."""
    scale = 1.0
    if f.kind is FigureKind.DURATION:
        days = _days(f)
        scale = days / f.value if days is not None and f.value else 1.0
    low = -math.inf if f.low is None else f.low * scale
    high = math.inf if f.high is None else f.high * scale
    return low, high, f.value * scale


@dataclass(frozen=True, slots=True)
class FigureOutcome:
    code: str  # figure_match, figure_mismatch, figure_unconfirmed
    statement: Figure
    source: Figure | None

    @property
    def reason(self) -> Reason:
        said = self.statement.text
        if self.source is None:
            return Reason(self.code, f"statement says {said}; the source gives no comparable figure")
        source = self.source.text
        verb = {"figure_match": "agrees with", "figure_mismatch": "contradicts",
                "figure_unconfirmed": "is compatible with but not the same as"}[self.code]
        return Reason(self.code, f"statement says {said}; source says {source} ({verb})")


_WHOLE = (FigureKind.AGE, FigureKind.ORDINAL)  # exact figures that are equal or different, never close


def compare_figure(s: Figure, candidates: tuple[Figure, ...]) -> FigureOutcome:
    """The statement figure against the claim's comparable figures: close and compatible ->
    match; all disjoint -> mismatch; otherwise unconfirmed."""
    pool = [c for c in candidates if comparable(s, c)]
    if not pool:
        return FigureOutcome("figure_unconfirmed", s, None)
    s_low, s_high, s_anchor = _interval(s)
    disjoint = []
    for c in pool:
        c_low, c_high, c_anchor = _interval(c)
        overlap = s_low <= c_high and c_low <= s_high
        if s.qualifier == "exact" and c.qualifier == "exact" and s.kind in _WHOLE:
            overlap = abs(s_anchor - c_anchor) < 0.5  # a 52-year-old is not 53; the third not the fourth
        elif s.qualifier == "exact" and c.qualifier == "exact":
            overlap = abs(s_anchor - c_anchor) <= 0.02 * max(abs(s_anchor), abs(c_anchor))
        elif s.qualifier == "between" and c.qualifier == "between" and s_low < s_high \
                and c_low < c_high:
            overlap = max(s_low, c_low) < min(s_high, c_high)  # "2% to 3%" vs "3% to 3.5%": disjoint
        close = abs(s_anchor - c_anchor) <= CLOSE * max(abs(s_anchor), abs(c_anchor), 1e-9)
        if overlap and close:
            return FigureOutcome("figure_match", s, c)
        if not overlap:
            disjoint.append(c)
    if len(disjoint) == len(pool):
        return FigureOutcome("figure_mismatch", s, disjoint[0])
    best = next(c for c in pool if c not in disjoint)
    return FigureOutcome("figure_unconfirmed", s, best)


# --- dates ------------------------------------------------------------------------------------


def _month(d: DateMention) -> str | None:
    m = _MONTH_NAME.search(d.text.lower())
    return m.group(1)[:3] if m else None


def dates_agree(a: DateMention, b: DateMention) -> bool | None:
    """True / False when two date mentions can be compared, None when they cannot."""
    if a.resolved_start is None and b.resolved_start is None and _month(a) and _month(b) \
            and not _YEARISH.search(a.text + b.text):
        return _month(a) == _month(b)  # "in March" vs "in September", both undated
    if a.kind is DateKind.WEEKDAY and b.kind is DateKind.WEEKDAY and a.weekday is not None \
            and b.weekday is not None and (a.resolved_start is None or b.resolved_start is None):
        return a.weekday == b.weekday
    if a.resolved_start and b.resolved_start and a.resolved_end and b.resolved_end:
        return a.resolved_start <= b.resolved_end and b.resolved_start <= a.resolved_end
    if a.kind is DateKind.WEEKDAY and b.kind is DateKind.WEEKDAY:
        return a.weekday == b.weekday
    return None


def compare_dates(statement: Claim, claim: Claim) -> list[Reason]:
    reasons = []
    if statement.said_on is not None and claim.said_on is not None:
        agree = dates_agree(statement.said_on, claim.said_on)
        if agree is False:
            reasons.append(Reason("date_mismatch", f"statement says it was said {statement.said_on.text}; "
                                                   f"source says {claim.said_on.text}"))
        elif agree:
            reasons.append(Reason("date_match", f"said {claim.said_on.text}, as the statement says"))
    points = [d for d in claim.dates if d.kind is not DateKind.DURATION]
    for d in statement.dates:
        if d.kind is DateKind.DURATION:
            continue  # durations are figures
        outcomes = [dates_agree(d, c) for c in points]
        if any(o is True for o in outcomes):
            reasons.append(Reason("date_match", f"statement says {d.text}, as the source does"))
        elif outcomes and all(o is False for o in outcomes):
            reasons.append(Reason("date_mismatch", f"statement says {d.text}; source says "
                                                   + ", ".join(c.text for c in points)))
    return reasons


# --- speakers ---------------------------------------------------------------------------------


def speaker_matches(name: str, claim: Claim, known_ids: set[str], speaker_id: str | None) -> bool:
    """Whether the statement's speaker is the claim's: the same corpus speaker (any alias), or a
    compatible name (the publication, for its own narration)."""
    if speaker_id is not None and speaker_id in known_ids:
        return True
    sp = claim.speaker
    if sp.kind is SpeakerKind.PUBLICATION and reported_by_narrator(name, claim.content.text):
        return True
    if not sp.name or not sp.resolved:
        return False
    return (same_speaker(name, sp.name, None, sp.kind) or role_matches(name, claim)
            or speaks_for(name, sp.name))


# An unnamed speaker described by whom they speak for: "spokesman for Kestrel Air".
_SPOKESPERSON = re.compile(r"^[a-z][a-z -]*? (?:for|of|at) (.+)$")


def speaks_for(name: str, speaker: str) -> bool:
    """Whether ``speaker`` is an unnamed person speaking for the organisation ``name``: "the
    ministry said" is what its spokesman said."""
    m = _SPOKESPERSON.match(speaker)
    return m is not None and bool(name_key(name)) and name_key(m.group(1)) == name_key(name)


# Verbs by which a narrator reports what someone said without quoting it ("X called on Y to
# act", "X described it as ...", "X accused Y of ...").
_REPORTING = re.compile(r"\b(sa(id|ys)|told|tells|adds?|added|claim(s|ed)|call(s|ed) (on|for)|called|urg(es|ed)|"
                        r"describ(es|ed)|accus(es|ed)|warn(s|ed)|insist(s|ed)|predict(s|ed)|announc(es|ed)|"
                        r"argu(es|ed)|deni(es|ed)|dismiss(es|ed)|reject(s|ed)|wr(ote|ites)|tweet(s|ed)|"
                        r"suggest(s|ed)|acknowledg(es|ed)|admit(s|ted))\b", re.IGNORECASE)
_GAP = 120  # characters between the name and its verb: room for an apposition ("X, the party's ...,")


def reported_by_narrator(name: str, text: str) -> bool:
    """Whether a narrator's sentence reports the statement's speaker as saying it: the speaker's
    name (its last word) or the whole role phrase, followed closely by a reporting verb."""
    words = name_tokens(name)
    if not words:
        return False
    if role_phrase(name) is not None:
        phrase = name.lower().removeprefix("the ").removeprefix("a ")
        at = text.lower().find(phrase)
        end = at + len(phrase)
    else:
        found = re.search(rf"\b{re.escape(words[-1])}\b", text.lower())
        at, end = (found.start(), found.end()) if found else (-1, -1)
    if at < 0:
        return False
    verb = _REPORTING.search(text, end, end + _GAP)
    # Only the name's own verb: nothing but an apposition or an auxiliary in between ("X, the
    # party's leader, has said"), never another clause ("X wants to go, but Y said").
    return verb is not None and _BETWEEN.fullmatch(text[end:verb.start()]) is not None


_BETWEEN = re.compile(r"(?:\s+(?:of|on|at|for|in|from)\s[^,;]{1,80}?)?"  # "Smith of the Harbour Board"
                      r"\s*(?:,[^,;]{1,110},\s*|,\s*)?"  # ", the party's leader,"
                      r"(?:(?:has|had|have|also|later|then|publicly|repeatedly)\s+)*")


def role_matches(phrase: str, claim: Claim) -> bool:
    """Whether a statement's speaker named by a role ("KM's chairman") is the claim's speaker by
    the role written with the claim ("KM chairman Ola Brandt"). Never the publication."""
    sp = claim.speaker
    role = role_phrase(phrase)
    if role is None or sp.kind is SpeakerKind.PUBLICATION or not sp.name:
        return False
    return role_holds(role, [sp.role or "", sp.name, sp.mention.text if sp.mention else ""])
