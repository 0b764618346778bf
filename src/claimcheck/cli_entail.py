"""`claimcheck entail`: the entailment model's probabilities for one pair, or its accuracy on a
labelled file. Registered on the CLI's app by ``cli.py``; errors are ClaimcheckErrors, which the
CLI turns into a message and exit status 2."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from tqdm import tqdm

from claimcheck.errors import InvalidInput
from claimcheck.settings import Settings


def entail(
    premise: Annotated[str | None, typer.Argument(help="The source sentence.")] = None,
    hypothesis: Annotated[str | None, typer.Argument(help="The statement to read against it.")] = None,
    evaluate: Annotated[Path | None, typer.Option(
        "--eval", help="Score labelled pairs instead: CSV (sentence1,sentence2,label) or JSON Lines "
                       "(premise,hypothesis,label).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    model: Annotated[Path | None, typer.Option(
        help="Model folder (default: CLAIMCHECK_NLI_MODEL, else the shipped model).")] = None,
) -> None:
    """The entailment model's probabilities for one pair, or its accuracy on a labelled file."""
    from claimcheck import nli_eval
    from claimcheck.match.entailment import load_model

    if evaluate is None and (premise is None or hypothesis is None):
        raise InvalidInput("give a PREMISE and a HYPOTHESIS, or --eval FILE")
    if evaluate is not None and premise is not None:
        raise InvalidInput("give either a PREMISE and a HYPOTHESIS or --eval FILE, not both")
    settings = Settings()
    pairs = nli_eval.read_pairs(evaluate) if evaluate is not None else []
    scorer = load_model(model or settings.nli_model, threads=settings.nli_threads)
    if evaluate is None:
        assert premise is not None and hypothesis is not None
        (p,) = scorer.score([(premise, hypothesis)])
        probs = {"entailment": round(p.entailment, 4), "neutral": round(p.neutral, 4),
                 "contradiction": round(p.contradiction, 4)}
        if as_json:
            typer.echo(json.dumps({**probs, "label": p.label}))
        else:
            typer.echo("\n".join(f"{k:14}{v:.3f}" for k, v in probs.items()) + f"\n-> {p.label}")
        return
    if not pairs:
        raise InvalidInput(f"{evaluate}: no labelled pairs")
    with tqdm(total=len(pairs), unit="pair", file=sys.stderr, desc="scoring", disable=None) as bar:
        predictions = nli_eval.predict(scorer, pairs, bar.update)
    result = nli_eval.report(pairs, predictions)
    typer.echo(json.dumps(result, indent=2) if as_json else nli_eval.format_report(evaluate, result))
