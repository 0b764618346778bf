"""Matching a statement against the index: retrieve candidates, compare, decide."""

from claimcheck.match import judge
from claimcheck.match.decide import Candidate, assess, decide
from claimcheck.match.search import IndexState, SearchIndex, TantivyIndex, terms
from claimcheck.match.sync import SyncReport, in_step, rebuild_index, sync_index

__all__ = ["Candidate", "IndexState", "SearchIndex", "SyncReport", "TantivyIndex", "assess", "decide", "in_step",
           "judge", "rebuild_index", "sync_index", "terms"]
