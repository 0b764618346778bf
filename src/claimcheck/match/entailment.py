"""The entailment model: how likely a source sentence makes a statement true, false, or neither.

A cross-encoder (the pair read together by one encoder, trained by ``scripts/train_nli.py``) run
with onnxruntime: no PyTorch at run time. A model is a folder, as sentence-transformers keeps one:

- ``model.onnx``: int8 weights; inputs ``input_ids``, ``attention_mask``, ``token_type_ids``
  (batch x length), output ``logits`` (batch x 3);
- ``tokenizer.json``: the Hugging Face ``tokenizers`` file of the base encoder;
- ``config.json``: ``labels`` (the order of the logits, naming entailment, neutral and
  contradiction) and ``max_length``;
- ``MODEL_CARD.md``: what it was trained on and how well it does.

The shipped model is ``claimcheck/models/nli``; ``CLAIMCHECK_NLI_MODEL`` names another folder of
the same layout. The model is loaded once per process (``load_model``). The engine hands it all
of a statement's candidates in one call, and it runs them **one pair per onnxruntime run**: int8
models are quantised dynamically (activation scales computed per run), so in a padded batch a
pair's probabilities depend on its batch mates (by up to 0.16 measured on the shipped model);
one at a time, a pair always reads the same, and nothing is spent on padding.
"""

from __future__ import annotations

import json
import math
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Protocol

from claimcheck.errors import EntailmentModelError

LABELS = ("entailment", "neutral", "contradiction")
FILES = ("model.onnx", "tokenizer.json", "config.json")


@dataclass(frozen=True, slots=True)
class Entailment:
    """The model's probabilities for one (premise, hypothesis) pair; they sum to 1."""

    entailment: float
    neutral: float
    contradiction: float

    @property
    def label(self) -> str:
        probs = (self.entailment, self.neutral, self.contradiction)
        return LABELS[probs.index(max(probs))]


class EntailmentScorer(Protocol):
    """What the verification engine needs of a model: probabilities for pairs, in order. The
    ONNX model implements it; tests use a table of answers instead."""

    def score(self, pairs: Sequence[tuple[str, str]]) -> list[Entailment]: ...


def shipped_model() -> Path:
    """The folder of the model that ships inside the package."""
    return Path(str(resources.files("claimcheck") / "models" / "nli"))


class OnnxEntailment:
    """An exported cross-encoder, run by onnxruntime on ``threads`` intra-op threads."""

    def __init__(self, folder: Path, threads: int = 1) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self.folder = folder
        config = _config(folder)
        order = [str(x).lower() for x in config["labels"]]
        self._columns = [order.index(name) for name in LABELS]
        self.max_length = int(config.get("max_length", 256))
        try:
            tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        except Exception as exc:  # the tokenizers library raises plain Exceptions on bad files
            raise EntailmentModelError(f"{folder / 'tokenizer.json'}: not a tokenizer file ({exc})") from exc
        tokenizer.enable_truncation(self.max_length, strategy="only_first")
        tokenizer.no_padding()
        self._tokenizer = tokenizer
        options = ort.SessionOptions()
        # Processes on one machine share its cores: each takes few threads rather than all.
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        try:
            self._session = ort.InferenceSession(str(folder / "model.onnx"), options,
                                                 providers=["CPUExecutionProvider"])
        except Exception as exc:  # onnxruntime raises its own Fail/InvalidProtobuf/... types
            raise EntailmentModelError(f"{folder / 'model.onnx'}: cannot be loaded by onnxruntime ({exc})") from exc
        self._inputs = {i.name for i in self._session.get_inputs()}
        missing = {"input_ids", "attention_mask"} - self._inputs
        if missing:
            raise EntailmentModelError(f"{folder / 'model.onnx'}: has no input {', '.join(sorted(missing))}")
        # One tokenizer object, its settings shared: one call at a time.
        self._lock = threading.Lock()

    def score(self, pairs: Sequence[tuple[str, str]]) -> list[Entailment]:
        import numpy as np

        if not pairs:
            return []
        with self._lock:
            encodings = self._tokenizer.encode_batch([(p, h) for p, h in pairs])
        out = []
        for e in encodings:
            feed: dict[str, Any] = {"input_ids": np.array([e.ids], dtype=np.int64),
                                    "attention_mask": np.array([e.attention_mask], dtype=np.int64)}
            if "token_type_ids" in self._inputs:
                feed["token_type_ids"] = np.array([e.type_ids], dtype=np.int64)
            (logits,) = self._session.run(["logits"], feed)
            out.append(_softmax([float(logits[0][c]) for c in self._columns]))
        return out


def _softmax(logits: list[float]) -> Entailment:
    top = max(logits)
    exps = [math.exp(x - top) for x in logits]
    total = sum(exps)
    return Entailment(*(x / total for x in exps))


def _config(folder: Path) -> dict[str, Any]:
    if not folder.is_dir():
        raise EntailmentModelError(f"{folder}: no such model folder")
    missing = [name for name in FILES if not (folder / name).is_file()]
    if missing:
        raise EntailmentModelError(f"{folder}: the model folder has no {', '.join(missing)}")
    try:
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise EntailmentModelError(f"{folder / 'config.json'}: not readable JSON ({exc})") from exc
    labels = config.get("labels") if isinstance(config, dict) else None
    if not isinstance(labels, list) or sorted(str(x).lower() for x in labels) != sorted(LABELS):
        raise EntailmentModelError(f"{folder / 'config.json'}: 'labels' must list {', '.join(LABELS)}")
    return config


def load_model(folder: Path | None = None, threads: int = 1) -> OnnxEntailment:
    """The model in ``folder`` (default: the shipped one), checked by scoring one pair, so that a
    broken file fails here, at start, and not on a request."""
    model = OnnxEntailment(folder or shipped_model(), threads=threads)
    try:
        (probe,) = model.score([("A man is speaking.", "Someone is speaking.")])
    except Exception as exc:  # a model that loads but cannot run (wrong shapes, wrong outputs)
        raise EntailmentModelError(f"{model.folder}: the model does not run ({exc})") from exc
    if not all(math.isfinite(x) for x in (probe.entailment, probe.neutral, probe.contradiction)):
        raise EntailmentModelError(f"{model.folder}: the model gives no finite probabilities")
    return model
