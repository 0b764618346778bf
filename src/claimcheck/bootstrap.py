"""Composition root: builds the heavy objects (pipeline, store, index) from settings, once."""

from __future__ import annotations

from dataclasses import dataclass

from claimcheck.extract import Extractor
from claimcheck.match import TantivyIndex
from claimcheck.nlp import load
from claimcheck.service import ensure_index
from claimcheck.settings import Settings
from claimcheck.store import SQLiteStore


@dataclass
class Runtime:
    settings: Settings
    store: SQLiteStore
    index: TantivyIndex
    _extractor: Extractor | None = None

    @property
    def extractor(self) -> Extractor:
        """The spaCy pipeline is loaded on first use: listing speakers needs no model."""
        if self._extractor is None:
            self._extractor = Extractor(load(self.settings.spacy_model), batch_size=self.settings.batch_size)
        return self._extractor

    @property
    def model_loaded(self) -> bool:
        return self._extractor is not None

    def close(self) -> None:
        self.store.close()


def open_runtime(settings: Settings) -> Runtime:
    """Open the store (migrating it) and its search index, rebuilding the index if it is out of
    step with the store."""
    store = SQLiteStore(settings.db)
    index = TantivyIndex(settings.index_path)
    ensure_index(store, index)
    return Runtime(settings, store, index)
