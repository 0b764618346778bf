"""Matching a statement against the index: retrieve candidates, compare, decide."""

from claimcheck.match.decide import Candidate, assess, decide
from claimcheck.match.search import SearchIndex, TantivyIndex, terms

__all__ = ["Candidate", "SearchIndex", "TantivyIndex", "assess", "decide", "terms"]
