"""When two speaker names name the same speaker. Pure functions, shared by the store (merging
speakers across documents) and the matcher (a statement's speaker against a claim's)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from claimcheck.domain import SpeakerKind

_HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "dr", "mx", "sir", "dame"})
_WORD = re.compile(r"[\w'’-]+")


def name_tokens(name: str) -> list[str]:
    """Lower-case, accent-free words of a name, without honorifics, initials or a leading "the"."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    words = [w.strip("'’-") for w in _WORD.findall(folded.replace("’s", "").replace("'s", ""))]
    words = [w for w in words if w and w not in _HONORIFICS]
    if words and words[0] == "the":
        words = words[1:]
    if len(words) > 2:
        words = [w for i, w in enumerate(words) if len(w) > 1 or i in (0, len(words) - 1)]
    return words


def name_key(name: str) -> str:
    return " ".join(name_tokens(name))


def last_key(name: str) -> str:
    tokens = name_tokens(name)
    return tokens[-1] if tokens else ""


def same_speaker(a: str, b: str, kind_a: SpeakerKind | None = None, kind_b: SpeakerKind | None = None) -> bool:
    """"Peter Okafor" ~ "Peter J. Okafor" ~ "Mr Okafor" ~ "Okafor"; "Karim Haddad" !~ "Karim Haddad
    Smith" (different last names) and !~ "Samir Haddad" (different first names)."""
    ta, tb = name_tokens(a), name_tokens(b)
    if not ta or not tb:
        return False
    if ta == tb:
        return True
    people = SpeakerKind.PERSON in (kind_a, kind_b) or kind_a is None or kind_b is None
    if not people:
        # Groups and organisations: one name's words all in the other's ("Western officials",
        # "Western and other officials"), same head noun.
        short, long_ = sorted((ta, tb), key=len)
        return short[-1] == long_[-1] and set(short) <= set(long_)
    if ta[-1] != tb[-1]:
        return False
    if len(ta) == 1 or len(tb) == 1:
        return True  # a surname alone
    return ta[0] == tb[0]


# --- speakers named by a role ------------------------------------------------------------------
# "KM's chairman", "a Westmoor University economics expert", "the head of the Lakeside
# Monitoring Group": a head noun (the title) and the words that qualify it (organisation, country,
# subject). General English only; nothing from any particular article.

_ROLE_NOUNS = frozenset(
    """
    president vice prime minister secretary senator sen rep representative governor gov mayor
    chancellor king queen prince princess monarch general gen colonel col lieutenant captain
    sergeant admiral judge justice chairman chairwoman chair chairperson director chief commander
    ambassador spokesman spokeswoman spokesperson officer coach professor prof leader pope sheikh
    emir ayatollah speaker head journalist reporter correspondent expert analyst official lawyer
    attorney witness resident student teacher doctor researcher scientist economist author writer
    editor founder ceo executive adviser advisor aide candidate activist owner manager nominee
    strategist consultant historian commentator columnist diplomat envoy politician lawmaker
    legislator democrat republican commissioner administrator prosecutor counsel negotiator
    specialist congressman congresswoman president-elect commander-in-chief cmdr chairman-elect
    """.split()
)
_AGENT_SUFFIXES = ("man", "woman", "person", "er", "or", "ist", "ian", "ant", "ent")
_ROLE_SYNONYMS = (
    frozenset({"spokesman", "spokeswoman", "spokesperson"}),
    frozenset({"chairman", "chairwoman", "chair", "chairperson"}),
    frozenset({"head", "chief", "leader"}),
    frozenset({"senator", "sen"}),
    frozenset({"representative", "rep", "congressman", "congresswoman"}),
    frozenset({"professor", "prof"}),
    frozenset({"governor", "gov"}),
    frozenset({"general", "gen"}),
    frozenset({"commander", "cmdr", "commander-in-chief"}),
    frozenset({"lawyer", "attorney", "counsel"}),
    frozenset({"king", "monarch"}),
    frozenset({"queen", "monarch"}),
    frozenset({"adviser", "advisor"}),
    frozenset({"expert", "specialist"}),
)
_PREPOSITIONS = frozenset({"of", "for", "at", "on", "from", "in", "with", "to"})
_FILLER = frozenset({"the", "a", "an", "and", "its", "his", "her", "their", "s"}) | _PREPOSITIONS
# Countries whose adjective does not start like their name ("Sweden" / "Swedish" do).
_DEMONYMS = {
    "france": "french", "spain": "spanish", "netherlands": "dutch", "holland": "dutch",
    "switzerland": "swiss", "britain": "british", "uk": "british", "us": "american",
    "usa": "american", "america": "american", "wales": "welsh", "denmark": "danish",
    "finland": "finnish", "ireland": "irish", "poland": "polish", "philippines": "filipino",
    "pakistan": "pakistani", "thailand": "thai", "portugal": "portuguese", "sweden": "swedish",
    "norway": "norwegian", "germany": "german", "italy": "italian", "russia": "russian",
    "china": "chinese", "japan": "japanese", "australia": "australian", "canada": "canadian",
    "india": "indian", "israel": "israeli", "iran": "iranian", "iraq": "iraqi", "syria": "syrian",
    "turkey": "turkish", "egypt": "egyptian", "mexico": "mexican", "brazil": "brazilian",
    "greece": "greek", "afghanistan": "afghan", "ukraine": "ukrainian", "jordan": "jordanian",
    "lebanon": "lebanese", "korea": "korean", "belgium": "belgian", "austria": "austrian",
    "scotland": "scottish", "england": "english", "kenya": "kenyan", "nigeria": "nigerian",
    "venezuela": "venezuelan", "argentina": "argentinian", "saudi": "saudi", "yemen": "yemeni",
    "libya": "libyan", "qatar": "qatari", "cuba": "cuban", "vietnam": "vietnamese",
}
_ADJECTIVE_COUNTRY = {v: k for k, v in _DEMONYMS.items()}
_CEO = re.compile(r"\bchief\s+executive(\s+officer)?\b", re.IGNORECASE)
_POSSESSIVE = re.compile(r"['’]s\b")
_ROLE_WORD = re.compile(r"[A-Za-z0-9][\w&-]*(?:\.(?=\w))?[\w&-]*\.?")


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _role_words(text: str) -> list[str]:
    """Words as written (case kept, dots dropped): "U.S." -> "US", "Rep." -> "Rep"."""
    return [w.replace(".", "") for w in _ROLE_WORD.findall(_CEO.sub("CEO", _fold(text)))]


def singular(word: str) -> str:
    """A plural noun's singular, by the regular endings only ("fighters", "parties")."""
    if len(word) > 3 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _same_title(a: str, b: str) -> bool:
    a, b = singular(a), singular(b)
    return a == b or any(a in group and b in group for group in _ROLE_SYNONYMS)


@dataclass(frozen=True, slots=True)
class RolePhrase:
    """A speaker named by a role: its title (``head``), the words qualifying it (lower case)
    and the organisation or country phrases among them, as written."""

    head: str
    qualifiers: tuple[str, ...]
    groups: tuple[tuple[str, ...], ...]


def role_phrase(text: str) -> RolePhrase | None:
    """"KM's chairman" -> head "chairman", qualifiers ("km",); "A Westmoor University economics
    expert" -> "expert" (westmoor, university, economics); "the head of the Lakeside Group"
    -> "head" (lakeside, group). None for a name ("Peter Okafor"), a plural ("local
    officials") or a bare pronoun."""
    folded = _fold(text).replace("’", "'")
    possessor: list[str] = []
    parts = _POSSESSIVE.split(folded)
    if len(parts) > 1:
        possessor, folded = _role_words(" ".join(parts[:-1])), parts[-1]
    words = _role_words(folded)
    cut = next((i for i, w in enumerate(words) if i and w.lower() in _PREPOSITIONS), len(words))
    role, org = words[:cut], words[cut + 1:]
    role = [w for w in role if w.lower() not in _FILLER]
    if not role:
        return None
    head_word = role[-1]
    head = head_word.lower()
    if head != singular(head) and head not in _ROLE_NOUNS:
        return None  # "officials", "experts": a group, not one person's role
    if head not in _ROLE_NOUNS and not (head_word.islower() and head.endswith(_AGENT_SUFFIXES)):
        return None
    groups = []
    for group in (possessor, org, *_capital_runs(role[:-1])):
        while group and group[0].lower() in _FILLER:
            group = group[1:]
        if group:
            groups.append(tuple(group))
    qualifiers = [w.lower() for w in (*possessor, *role[:-1], *org) if w.lower() not in _FILLER]
    return RolePhrase(head, tuple(dict.fromkeys(qualifiers)), tuple(groups))


def initials(words: Iterable[str]) -> str:
    """The lower-case initials of the capitalised words: an acronym to compare ("CDF")."""
    return "".join(w[0] for w in words if w[:1].isupper()).lower()


def _capital_runs(words: list[str]) -> list[list[str]]:
    """Runs of capitalised words, "of"/"for"/"and" allowed inside: "Lakeside Group for Human
    Rights", "Kestrel Maritime"."""
    runs: list[list[str]] = []
    run: list[str] = []
    for w in words:
        if w[:1].isupper() or (run and w in ("of", "for", "and")):
            run.append(w)
        else:
            if run:
                runs.append(run)
            run = []
    if run:
        runs.append(run)
    return [r[: max(i for i, w in enumerate(r) if w[:1].isupper()) + 1] for r in runs]


def word_confirmed(word: str, lower: set[str], acronyms: set[str]) -> bool:
    """Whether a lower-case word is among ``lower``: as such, in the singular, as an acronym, or as
    a country for its adjective and the reverse ("Sweden" / "Swedish")."""
    return _word_confirmed(word, lower, acronyms)


def _word_confirmed(word: str, lower: set[str], acronyms: set[str]) -> bool:
    w = singular(word)
    if word in lower or w in lower or word in acronyms:
        return True
    if word in _DEMONYMS and _DEMONYMS[word] in lower:
        return True
    if word in _ADJECTIVE_COUNTRY and _ADJECTIVE_COUNTRY[word] in lower:
        return True
    # "Sweden" / "Swedish", "Australia" / "Australian": a country and its adjective.
    return len(word) >= 5 and any(len(x) >= 5 and x[:4] == word[:4] and x[0].isalpha()
                                  and (word in _DEMONYMS or x in _ADJECTIVE_COUNTRY
                                       or (word.endswith(("a", "n", "y")) and x.endswith(("an", "ish", "ese"))))
                                  for x in lower)


def _is_country(word: str) -> bool:
    return word in _DEMONYMS or word in _ADJECTIVE_COUNTRY


def role_holds(phrase: RolePhrase, texts: Iterable[str], document: str | None = None) -> bool:
    """Whether one of ``texts`` (a speaker's roles, name and aliases, or the words around its name
    in a document) gives the title of ``phrase`` with every qualifying word: the same head noun
    (or a synonym: spokesman / spokesperson), each qualifier in the same text, as an acronym
    ("KM" / "Kestrel Maritime", "CDF" / "Coastal Defence Forces") or as the country's adjective
    ("France" / "French"). An organisation or country the text leaves out is confirmed by the
    ``document`` only when the text names part of it ("Operation Steady Harbour" /
    "Steady Harbour"), when it is a common noun ("the study's senior author") or a country."""
    texts = [t for t in texts if t]
    for text in texts:
        words = _role_words(text)
        lower = {w.lower() for w in words}
        if not any(_same_title(phrase.head, w) for w in lower):
            continue
        acronyms = {initials(r) for r in _capital_runs(words) if len(r) > 1}
        missing = {q for q in phrase.qualifiers if not _word_confirmed(q, lower, acronyms)}
        for group in phrase.groups:
            group_lower = [w.lower() for w in group if w.lower() not in _FILLER]
            if not missing & set(group_lower):
                continue
            if initials(group) in lower and len(group_lower) > 1:
                missing -= set(group_lower)  # "Coastal Defence Forces" / "CDF"
                continue
            if document is None:
                continue
            written = " ".join(group)
            in_document = re.search(rf"\b{re.escape(written)}\b", _fold(document), re.IGNORECASE) is not None
            partly_named = len(set(group_lower) - missing) > 0
            common = all(w.islower() for w in group)
            country = len(group) == 1 and _is_country(group_lower[0]) and any(
                re.search(rf"\b{re.escape(c)}\b", _fold(document), re.IGNORECASE)
                for c in (group_lower[0], _DEMONYMS.get(group_lower[0], group_lower[0]),
                          _ADJECTIVE_COUNTRY.get(group_lower[0], group_lower[0])))
            if (in_document and (partly_named or common)) or country:
                missing -= set(group_lower)
        if not missing:
            return True
    return False


# --- speakers the text only describes ---------------------------------------------------------
# "a spokesman for the ministry", "officials", "the company": no name, so no reason to think the
# speaker of one article is the speaker of another with the same description.

# Common nouns a speaker may be described by, besides the role nouns: capitalised only at the
# start of a sentence ("Police said", "The Ministry said"). General English only.
_DESCRIBING_NOUNS = _ROLE_NOUNS | frozenset(
    """
    police authority authorities source people villager survivor victim protester protestor
    demonstrator rescuer investigator medic paramedic firefighter soldier troop rebel militant
    fighter insurgent campaigner observer critic supporter opponent worker employee staff member
    neighbour neighbor relative family parent citizen voter farmer passenger patient crew team
    group party government ministry department agency company firm council committee court
    administration regime embassy office army military navy force media press statement report
    study survey poll organisation organization union board bank commission institute university
    hospital school observatory network newspaper prime deputy senior junior acting former top
    local other others trader investor partisan shopper customer consumer analyst fan audience
    crowd public majority jury panel electorate opposition community spectator onlooker finding
    photo footage record filing document data figure estimate tally release memo review audit
    census poll
    """.split()
)
# Institutions: one of them that a proper name qualifies is named ("the Trump campaign", "the
# Obama administration", "Syrian state media"), where a person so qualified is only described
# ("a UN official", "a Japan Airlines spokesman").
_INSTITUTIONS = frozenset(
    """
    government administration campaign ministry department agency army military police navy
    force forces party council committee court parliament congress senate cabinet embassy
    consulate commission authority authorities office regime media foundation bank company firm
    union coalition alliance federation university school hospital board
    """.split()
)
_DETERMINERS = frozenset({"a", "an", "the"})


def _capitalised(word: str) -> bool:
    return any(ch.isupper() for ch in word)


def _describing(word: str) -> bool:
    w = _fold(word).lower().strip(".,'’")
    return w in _DESCRIBING_NOUNS or singular(w) in _DESCRIBING_NOUNS or (
        w.endswith("es") and w[:-2] in _DESCRIBING_NOUNS)


def is_descriptive(name: str) -> bool:
    """Whether a speaker's name only describes it ("a spokesman for the ministry", "officials",
    "UN official", "The company") rather than naming it ("the White House", "Ministry of
    Health", "Dr. Ann Cole", "Reuters"). The one test the stores use to keep described speakers
    to their own article.

    Described: the head noun (the last word before "of", "for", "at"...) is in lower case, but for
    an institution a proper name qualifies ("the Trump campaign"); or every capitalised word
    before it is a common noun ("Officials", "Police", "The Ministry": capitalised only because a
    sentence starts with them), unless the phrase goes on as a proper name ("Ministry of Health",
    "Bank of England")."""
    words = _fold(name).replace("’", "'").split()
    while words and words[0].lower() in _DETERMINERS:
        words = words[1:]
    if not words:
        return True
    cut = next((i for i, w in enumerate(words) if i and w.lower() in _PREPOSITIONS), len(words))
    head_phrase, rest = words[:cut], words[cut + 1:]
    head = head_phrase[-1]
    if not _capitalised(head):
        return not (singular(_fold(head).lower()) in _INSTITUTIONS
                    and any(_capitalised(w) and not _describing(w) for w in head_phrase[:-1]))
    if any(_capitalised(w) and not _describing(w) for w in head_phrase):
        return False
    proper_name_goes_on = (cut < len(words) and words[cut].lower() == "of" and bool(rest)
                           and _capitalised(rest[0]) and not _describing(rest[0]))
    return not proper_name_goes_on


_CONTEXT_STOP = re.compile(r"[,;:\"“”()\[\]\n]|(?<=\w{4})\.\s|\b(?:said|says|told|added|according)\b")


_BRACKETED = re.compile(r"^\s*\([^()]{1,40}\)")


def role_context(document: str, names: Iterable[str]) -> list[str]:
    """The words written next to a speaker's name in a document: the title before it ("KM
    chairman Ola Brandt") and an apposition after it ("Dana Voss, chairman of the Harbour
    Board,"). What a role phrase can be checked against when no role was stored."""
    out: list[str] = []
    for name in {n for n in names if n and len(n) >= 4}:
        for m in re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w-])", document):
            before = _CONTEXT_STOP.split(document[max(0, m.start() - 160): m.start()])[-1]
            if before.split():
                out.append(" ".join(before.split()[-8:]))
            # A party and state in brackets sits between a name and its title: "X (D-N.C.), head of".
            after = _BRACKETED.sub("", document[m.end(): m.end() + 240], count=1)
            if after.startswith(","):
                piece = _CONTEXT_STOP.split(after[1:])[0]
                if piece.split() and len(piece.split()) <= 20:
                    out.append(piece.strip())
    return out


def role_names(name: str, aliases: Iterable[str], kind: SpeakerKind | None) -> list[str]:
    """The forms of a speaker's name to look for in a document: every name, and the surname of a
    person."""
    names = [name, *aliases]
    if kind in (SpeakerKind.PERSON, None) and len(name_tokens(name)) > 1:
        names.append(name.split()[-1])
    return names


def title_forms(head: str) -> set[str]:
    """A title and its synonyms as they may be written ("ceo": "chief executive")."""
    forms = {head, *(w for group in _ROLE_SYNONYMS if head in group for w in group)}
    if "ceo" in forms:
        forms.add("chief executive")
    return forms
