import json

from typer.testing import CliRunner

from claimcheck.cli import app
from tests.conftest import SEEDS

runner = CliRunner()


def test_extract_json_spans_index_the_file():
    result = runner.invoke(app, ["extract", "--json", str(SEEDS)])
    assert result.exit_code == 0, result.output
    (item,) = json.loads(result.stdout)
    text = (SEEDS / "000_58b65f41969edd74.txt").read_text("utf-8")
    assert item["document"]["source"] == "Daily Mail"
    assert len(item["claims"]) >= 13
    for claim in item["claims"]:
        c = claim["content"]
        assert text[c["start"] : c["end"]] == c["text"]
    assert {"name": "Abdel Rahman", "kind": "person", "aliases": ["Rahman"],
            "roles": ["head of the Syrian Observatory for Human Rights"]} in item["speakers"]


def test_extract_text_output_is_readable():
    result = runner.invoke(app, ["extract", str(SEEDS / "000_58b65f41969edd74.txt")])
    assert result.exit_code == 0
    assert "Bruce Hoffman (a terrorism expert at Georgetown University in Washington)" in result.stdout
    assert "figure: 'at least 900 ISIS fighters' = 900 ISIS fighters (at_least [900, inf])" in result.stdout


def test_bad_files_are_named_others_still_processed_exit_nonzero(tmp_path):
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02")
    (tmp_path / "good.txt").write_text("Officials said the bridge would reopen on Monday.")
    result = runner.invoke(app, ["extract", "--json", str(tmp_path)])
    assert result.exit_code == 1
    assert "empty.txt: document is empty" in result.stderr
    assert "binary.txt: document is binary" in result.stderr
    (item,) = json.loads(result.stdout)
    assert item["claims"][0]["speaker"]["name"] == "Officials"


def test_missing_path_and_bad_model_are_clear_errors(tmp_path):
    result = runner.invoke(app, ["extract", str(tmp_path / "nope.txt")])
    assert result.exit_code == 1 and "no such file or folder" in result.stderr
    result = runner.invoke(app, ["extract", "--model", "no_such_model_xyz", str(SEEDS)])
    assert result.exit_code == 2 and "spaCy model 'no_such_model_xyz' is not installed" in result.stderr
    assert "Traceback" not in result.output


def test_python_dash_m_runs_the_cli():
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "claimcheck", "--version"], capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.startswith("claimcheck ")
