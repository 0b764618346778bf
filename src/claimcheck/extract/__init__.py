"""Extraction: quotes, speakers, figures and dates -> attributed claims."""

from claimcheck.extract.claims import Extractor, extract

__all__ = ["Extractor", "extract"]
