"""Reading prior fact-checks: schema.org ``ClaimReview`` JSON-LD, as fact-checkers publish it.

Accepted shapes: one ClaimReview object, a list of them, an object with an ``@graph`` of them,
and a schema.org ``DataFeed`` whose ``dataFeedElement`` items hold them (the feed that
fact-checkers publish for Google's Fact Check Tools). Every review is checked before any is
returned: one malformed review refuses the whole input, with the path of the field that is
wrong ("dataFeedElement[2].item[0].reviewRating.ratingValue: ..."), so nothing is half-stored.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import date
from typing import Any

from claimcheck.domain import FactCheck, Rating
from claimcheck.errors import InvalidInput

MAX_CLAIM = 2000  # as a statement to verify
MAX_REVIEWS = 10_000  # in one input
_MAX_TEXT = 1000
_MAX_URL = 2000
_REVIEW_TYPES = {"claimreview"}


class ReviewError(InvalidInput):
    """A ClaimReview input that cannot be read; ``field`` is the JSON path of what is wrong."""

    title = "Invalid fact-check"

    def __init__(self, field: str, detail: str) -> None:
        super().__init__(f"{field}: {detail}" if field else detail)
        self.field = field


def read_claim_reviews(data: Any) -> list[FactCheck]:
    """Every ClaimReview in a parsed JSON-LD document, validated; ReviewError on the first bad one."""
    reviews = [_review(node, where) for node, where in _reviews(data)]
    if not reviews:
        raise ReviewError("", "no ClaimReview found (expected a ClaimReview object, a list, an @graph "
                              "or a DataFeed of them)")
    if len(reviews) > MAX_REVIEWS:
        raise ReviewError("", f"{len(reviews):,} reviews in one input; the limit is {MAX_REVIEWS:,}")
    return reviews


def _reviews(data: Any, where: str = "") -> Iterator[tuple[dict[str, Any], str]]:
    if isinstance(data, list):
        for i, item in enumerate(data):
            yield from _reviews(item, f"{where}[{i}]")
        return
    if not isinstance(data, dict):
        raise ReviewError(where, "expected a JSON object")
    kinds = jsonld_types(data)
    if kinds & _REVIEW_TYPES:
        yield data, where
    elif "@graph" in data:
        yield from _reviews(_as_list(data["@graph"]), _join(where, "@graph"))
    elif "datafeed" in kinds or "dataFeedElement" in data:
        for i, element in enumerate(_as_list(data.get("dataFeedElement"))):
            at = _join(where, f"dataFeedElement[{i}]")
            if isinstance(element, dict) and not (jsonld_types(element) & _REVIEW_TYPES) and "item" in element:
                yield from _reviews(_as_list(element["item"]), _join(at, "item"))
            else:
                yield from _reviews(element, at)
    else:
        found = ", ".join(sorted(kinds)) or "no @type"
        raise ReviewError(_join(where, "@type"), f"expected ClaimReview, got {found}")


def _join(where: str, key: str) -> str:
    return f"{where}.{key}" if where and not key.startswith("[") else f"{where}{key}"


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [] if value is None else [value]


def jsonld_types(node: dict[str, Any]) -> set[str]:
    """A JSON-LD node's ``@type``s, lower case, without a vocabulary prefix ("schema:ClaimReview")."""
    kinds = _as_list(node.get("@type"))
    return {k.rsplit("/", 1)[-1].casefold() for k in kinds if isinstance(k, str)}


def _review(node: dict[str, Any], where: str) -> FactCheck:
    item = node.get("itemReviewed")
    item = item if isinstance(item, dict) else {}
    claim = _text(node, "claimReviewed", where, limit=MAX_CLAIM)
    if claim is None:  # some publishers put the claim's text on the Claim itself
        claim = _text(item, "text", _join(where, "itemReviewed"), limit=MAX_CLAIM) \
            or _text(item, "name", _join(where, "itemReviewed"), limit=MAX_CLAIM)
    if claim is None:
        raise ReviewError(_join(where, "claimReviewed"), "the review has no claim text")
    url = _url(node.get("url"), _join(where, "url"), required=True)
    assert url is not None
    publisher = node.get("author") or node.get("publisher")
    if publisher is None:
        raise ReviewError(_join(where, "author"), "the review names no author (the fact-checker)")
    return FactCheck(
        url=url,
        claim=claim,
        rating=_rating(node.get("reviewRating"), _join(where, "reviewRating")),
        claimant=_name(item.get("author"), _join(where, "itemReviewed.author")),
        claimant_role=_role(item.get("author"), _join(where, "itemReviewed.author.jobTitle")),
        claimant_is_organization=_is_organization(item.get("author")),
        claim_date=_date(item.get("datePublished"), _join(where, "itemReviewed.datePublished")),
        publisher=_name(publisher, _join(where, "author")),
        publisher_url=_url(publisher.get("url") if isinstance(publisher, dict) else None,
                           _join(where, "author.url")),
        reviewed=_date(node.get("datePublished"), _join(where, "datePublished")),
        appearances=tuple(u for u in (_appearance(a, _join(where, f"itemReviewed.appearance[{i}]"))
                                      for i, a in enumerate(_as_list(item.get("appearance")))) if u),
    )


def _text(node: dict[str, Any], key: str, where: str, limit: int = _MAX_TEXT) -> str | None:
    value = node.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ReviewError(_join(where, key), "must be a string")
    text = " ".join(value.split())
    if "\x00" in text or any(0xD800 <= ord(ch) <= 0xDFFF for ch in text):
        raise ReviewError(_join(where, key), "is not valid text")
    if len(text) > limit:
        raise ReviewError(_join(where, key), f"is {len(text):,} characters long; the limit is {limit:,}")
    return text or None


def _name(value: Any, where: str) -> str | None:
    """A Person or Organization (or a list: the first), or a plain name."""
    if isinstance(value, list):
        value = value[0] if value else None
    if value is None:
        return None
    if isinstance(value, dict):
        return _text(value, "name", where)
    if isinstance(value, str):
        return _text({"name": value}, "name", where)
    raise ReviewError(where, "must be a name or an object with a name")


def _is_organization(value: Any) -> bool:
    if isinstance(value, list):
        value = value[0] if value else None
    return isinstance(value, dict) and bool(jsonld_types(value) & {"organization", "newsmediaorganization",
                                                                "governmentorganization", "corporation",
                                                                "politicalparty", "ngo"})


def _role(value: Any, where: str) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    return _text(value, "jobTitle", where) if isinstance(value, dict) else None


def _url(value: Any, where: str, required: bool = False) -> str | None:
    if value is None or value == "":
        if required:
            raise ReviewError(where, "the review has no URL (it identifies the review)")
        return None
    if not isinstance(value, str):
        raise ReviewError(where, "must be a string")
    url = value.strip()
    if not url.lower().startswith(("http://", "https://")) or len(url) > _MAX_URL or any(c.isspace() for c in url):
        raise ReviewError(where, f"must be an http(s) URL of at most {_MAX_URL:,} characters, got {value[:80]!r}")
    return url


def _appearance(value: Any, where: str) -> str | None:
    if isinstance(value, dict):
        value = value.get("url")
    return _url(value, where) if isinstance(value, str) else None


def _date(value: Any, where: str) -> date | None:
    """A schema.org Date or DateTime (ISO 8601); the day is kept."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip()[:10])
        except ValueError:
            pass
    raise ReviewError(where, f"must be a date as YYYY-MM-DD (or an ISO 8601 date-time), got {value!r}")


def _rating(value: Any, where: str) -> Rating:
    if not isinstance(value, dict):
        raise ReviewError(where, "the review has no rating (a Rating object with ratingValue or alternateName)")
    rating = Rating(
        value=_number(value.get("ratingValue"), _join(where, "ratingValue")),
        best=_number(value.get("bestRating"), _join(where, "bestRating")),
        worst=_number(value.get("worstRating"), _join(where, "worstRating")),
        name=_text(value, "alternateName", where) or _text(value, "name", where),
    )
    if rating.value is None and rating.name is None:
        raise ReviewError(where, "the rating has neither ratingValue nor alternateName")
    # schema.org's defaults for a scale left unsaid: 1 to 5.
    best = rating.best if rating.best is not None else 5.0
    worst = rating.worst if rating.worst is not None else 1.0
    if best < worst:
        raise ReviewError(_join(where, "bestRating"), f"bestRating {_show(best)} is below worstRating {_show(worst)}")
    if rating.value is not None and not worst <= rating.value <= best:
        raise ReviewError(_join(where, "ratingValue"), f"{_show(rating.value)} is outside the rating's scale "
                                                       f"({_show(worst)} to {_show(best)})")
    return rating


def _number(value: Any, where: str) -> float | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ReviewError(where, "must be a number")
    if isinstance(value, str):
        try:
            value = float(value.strip())
        except ValueError:
            raise ReviewError(where, f"must be a number, got {value[:40]!r}") from None
    if not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ReviewError(where, "must be a finite number")
    return float(value)


def _show(x: float) -> str:
    return str(int(x)) if x.is_integer() else str(x)
