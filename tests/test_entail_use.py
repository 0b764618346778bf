"""The entailment model as users meet it: `claimcheck entail` in a real process, `verify` and the
REST service with CLAIMCHECK_NLI=on, and a broken model folder refused at start."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest
from fastapi.testclient import TestClient

from claimcheck.api.app import create_app
from claimcheck.errors import EntailmentModelError
from claimcheck.match.entailment import shipped_model
from claimcheck.settings import Settings
from tests.conftest import SEEDS

SEED_TEXT = (SEEDS / "000_58b65f41969edd74.txt").read_text("utf-8")


def claimcheck(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "claimcheck", *args], capture_output=True, text=True,
                          env={**os.environ, **env}, timeout=300)


@pytest.fixture()
def broken_model(tmp_path):
    folder = tmp_path / "nli"
    shutil.copytree(shipped_model(), folder)
    (folder / "model.onnx").write_bytes(b"not a model")
    return folder


def test_entail_prints_three_probabilities():
    out = claimcheck("entail", "Three people were killed when the bridge collapsed.",
                     "People died when the bridge collapsed.", "--json")
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert sum(result[k] for k in ("entailment", "neutral", "contradiction")) == pytest.approx(1, abs=1e-3)
    assert result["label"] == "entailment"
    text = claimcheck("entail", "The team won the final 3-1.", "The team lost the final.")
    assert text.returncode == 0 and "-> contradiction" in text.stdout


def test_entail_eval_scores_a_labelled_file(tmp_path):
    from tests.test_entailment import OBVIOUS

    path = tmp_path / "pairs.jsonl"
    path.write_text("".join(json.dumps({"premise": p, "hypothesis": h, "label": y}) + "\n" for p, h, y in OBVIOUS))
    out = claimcheck("entail", "--eval", str(path), "--json")
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert result["pairs"] == 12 and result["accuracy"] >= 8 / 12
    assert set(result["confusion"]) == {"entailment", "neutral", "contradiction"}
    text = claimcheck("entail", "--eval", str(path))
    assert "accuracy" in text.stdout and "gold \\ said" in text.stdout


@pytest.mark.parametrize(("args", "message"), [
    ((), "give a PREMISE and a HYPOTHESIS, or --eval FILE"),
    (("only a premise",), "give a PREMISE and a HYPOTHESIS, or --eval FILE"),
    (("a", "b", "--eval", "x.csv"), "not both"),
    (("--eval", "/nonexistent/pairs.csv"), "no such file"),
])
def test_entail_refuses_bad_input_with_a_message(args, message):
    out = claimcheck("entail", *args)
    assert out.returncode == 2
    assert message in out.stderr and "Traceback" not in out.stderr


def test_a_broken_model_is_named_not_a_traceback(broken_model):
    out = claimcheck("entail", "a", "b", CLAIMCHECK_NLI_MODEL=str(broken_model))
    assert out.returncode == 2
    assert "cannot be loaded by onnxruntime" in out.stderr and "Traceback" not in out.stderr


def test_verify_with_the_model_on_gives_its_reasons(tmp_path):
    db = str(tmp_path / "c.sqlite3")
    assert claimcheck("ingest", str(SEEDS), "--db", db).returncode == 0
    out = claimcheck("verify", "Abdel Rahman said 900 SDF fighters died in Hajin", "--db", db, "--json",
                     CLAIMCHECK_NLI="on")
    assert out.returncode == 0, out.stderr
    verdict = json.loads(out.stdout)
    assert verdict["verdict"] == "conflicting"
    codes = {r["code"] for e in verdict["evidence"] for r in e["reasons"]}
    assert codes & {"entailed", "not_entailed", "contradicted"}
    off = json.loads(claimcheck("verify", "Abdel Rahman said 900 SDF fighters died in Hajin", "--db", db,
                                "--json", CLAIMCHECK_NLI="off").stdout)
    assert not {r["code"] for e in off["evidence"] for r in e["reasons"]} & {"entailed", "not_entailed",
                                                                             "contradicted"}
    broken = tmp_path / "broken"
    broken.mkdir()
    bad = claimcheck("verify", "Abdel Rahman said 900 SDF fighters died in Hajin", "--db", db,
                     CLAIMCHECK_NLI="on", CLAIMCHECK_NLI_MODEL=str(broken))
    assert bad.returncode == 2 and "has no model.onnx" in bad.stderr


def test_the_service_with_the_model_on(tmp_path):
    settings = Settings(db=tmp_path / "c.sqlite3", parse_workers=0, nli=True)
    with TestClient(create_app(settings)) as client:
        r = client.post("/v1/documents", content=SEED_TEXT.encode(), headers={"content-type": "text/plain"})
        assert r.status_code == 201
        assert client.get("/readyz").json()["entailment"] == "on"
        r = client.post("/v1/verify", json={"statement": "Abdel Rahman said 900 SDF fighters died in Hajin"})
        assert r.status_code == 200
        body = r.json()
        assert body["verdict"] == "conflicting"
        assert body["evidence"]
        for e in body["evidence"]:
            assert SEED_TEXT[e["span"]["start"]:e["span"]["end"]] == e["span"]["text"]


def test_the_service_does_not_start_with_a_broken_model(tmp_path, broken_model):
    settings = Settings(db=tmp_path / "c.sqlite3", parse_workers=0, nli=True, nli_model=broken_model)
    with pytest.raises(EntailmentModelError, match="cannot be loaded"), TestClient(create_app(settings)):
        pass


def test_readyz_is_not_ready_while_the_model_asked_for_is_not_loaded(tmp_path, monkeypatch):
    settings = Settings(db=tmp_path / "c.sqlite3", parse_workers=0, nli=True)
    with TestClient(create_app(settings)) as client:
        assert client.get("/readyz").status_code == 200
        runtime = client.app.state.runtime
        monkeypatch.setattr(runtime, "_entailment", None)  # as before the lifespan loads it
        r = client.get("/readyz")
        assert r.status_code == 503 and r.json()["detail"] == "the entailment model is not loaded"
