"""When two speaker names name the same speaker. Pure functions, shared by the store (merging
speakers across documents) and the matcher (a statement's speaker against a claim's)."""

from __future__ import annotations

import re
import unicodedata

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
