import json

import pytest
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
            "roles": ["head of the Syrian Observatory for Human Rights"],
            "affiliations": ["Syrian Observatory for Human Rights"]} in item["speakers"]


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


def test_ingest_verify_reindex_round_trip(tmp_path):
    db = tmp_path / "c.sqlite3"
    result = runner.invoke(app, ["ingest", str(SEEDS), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "1 documents added (23 claims)" in result.stdout
    again = runner.invoke(app, ["ingest", str(SEEDS), "--db", str(db)])
    assert "0 documents added" in again.stdout and "1 unchanged" in again.stdout
    out = runner.invoke(app, ["verify", "Abdel Rahman said 900 SDF fighters died in Hajin", "--db", str(db), "--json"])
    assert out.exit_code == 0, out.output
    verdict = json.loads(out.stdout)
    assert verdict["verdict"] == "conflicting"
    top = verdict["evidence"][0]
    text = (SEEDS / "000_58b65f41969edd74.txt").read_text("utf-8")
    assert text[top["span"]["start"] : top["span"]["end"]] == top["span"]["text"]
    assert top["document"]["source"] == "Daily Mail"
    assert {"code": "figure_mismatch",
            "message": "statement says 900 SDF fighters; source says 500 SDF fighters (contradicts)"} in top["reasons"]
    assert runner.invoke(app, ["reindex", "--db", str(db)]).stdout.strip() == "indexed 23 claims"


def test_verify_errors_are_messages_not_tracebacks(tmp_path):
    db = tmp_path / "c.sqlite3"
    missing = runner.invoke(app, ["verify", "anything", "--db", str(db)])
    assert missing.exit_code == 2 and "run `claimcheck ingest PATH` first" in missing.stderr
    runner.invoke(app, ["ingest", str(SEEDS), "--db", str(db)])
    for args, message in ([["verify", "   "], "statement is empty"],
                          [["verify", "x", "--date", "Friday"], "--date must be YYYY-MM-DD"]):
        result = runner.invoke(app, [*args, "--db", str(db)])
        assert result.exit_code == 2 and message in result.stderr, result.output
        assert "Traceback" not in result.output


def seed_fixture(tmp_path, name: str, second: str):
    """A statements fixture over a copy of the seeds: one statement that passes, one that does not."""
    import shutil

    shutil.copytree(SEEDS, tmp_path / "corpus")
    fixture = tmp_path / name
    fixture.write_text(json.dumps({"corpus": ["corpus"], "statements": [
        {"statement": "Abdel Rahman said 900 SDF fighters died in Hajin", "expected": "conflicting",
         "evidence": {"speaker": "Abdel Rahman", "contains": "500 SDF fighters"}},
        {"statement": second, "expected": "conflicting", "evidence": None},
    ]}))
    return fixture


def test_regress_passes_then_reports_a_change_and_updates(tmp_path):
    fixture = seed_fixture(tmp_path, "f.json", "Bruce Hoffman said ISIS anticipated its battlefield defeat")
    result = runner.invoke(app, ["regress", str(fixture)])
    assert result.exit_code == 1
    assert "changed: Bruce Hoffman said ISIS anticipated its battlefield defeat" in result.stdout
    assert '-  "verdict": "conflicting"' not in result.stdout and '- "verdict": "conflicting",' in result.stdout
    assert "1 passed, 1 failed" in result.stdout
    updated = runner.invoke(app, ["regress", str(fixture), "--update"])
    assert updated.exit_code == 0 and "updated" in updated.stdout
    assert runner.invoke(app, ["regress", str(fixture)]).exit_code == 0


def test_regress_writes_junit_xml_that_ci_systems_read(tmp_path):
    import xml.etree.ElementTree as ET

    fixture = seed_fixture(tmp_path, "desk.json", "Bruce Hoffman said ISIS anticipated its \u0007battlefield defeat")
    report = tmp_path / "report.xml"
    result = runner.invoke(app, ["regress", str(fixture), "--junit", str(report)])
    assert result.exit_code == 1  # the report does not change the verdict of the run
    suites = ET.parse(report).getroot()  # parses: no character XML cannot hold
    (suite,) = suites.findall("testsuite")
    assert (suites.get("tests"), suites.get("failures")) == ("2", "1")
    assert suite.get("name") == "desk.json" and suite.get("tests") == "2" and suite.get("failures") == "1"
    passed, failed = suite.findall("testcase")
    assert passed.get("name") == "Abdel Rahman said 900 SDF fighters died in Hajin"
    assert passed.find("failure") is None and float(passed.get("time")) >= 0
    assert passed.get("classname") == "claimcheck.regress.desk"
    failure = failed.find("failure")
    assert failure.get("message").startswith("verdict: expected conflicting, now ")
    assert '- "verdict": "conflicting",' in failure.text


def test_regress_junit_to_an_unwritable_path_is_a_clear_error(tmp_path):
    from tests.conftest import FIXTURES

    result = runner.invoke(app, ["regress", str(FIXTURES / "seed_claims.json"), "--junit",
                                 str(tmp_path / "no" / "such" / "dir" / "r.xml")])
    assert result.exit_code == 2 and "cannot write the JUnit report" in result.output
    assert "Traceback" not in result.output


def test_regress_claims_fixture_of_the_seed():
    from tests.conftest import FIXTURES

    result = runner.invoke(app, ["regress", str(FIXTURES / "seed_claims.json")])
    assert result.exit_code == 0, result.output
    assert "1 passed, 0 failed" in result.stdout


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    db = tmp_path_factory.mktemp("seeded") / "c.sqlite3"
    result = runner.invoke(app, ["ingest", str(SEEDS), "--db", str(db)])
    assert result.exit_code == 0, result.output
    return db


def test_speakers_as_a_table_and_as_json(seeded):
    table = runner.invoke(app, ["speakers", "--q", "Rahman", "--db", str(seeded)], env={"COLUMNS": "300"})
    assert table.exit_code == 0, table.output
    assert "Abdel Rahman" in table.stdout and "Syrian Observatory" in table.stdout
    listed = json.loads(runner.invoke(app, ["speakers", "--json", "--db", str(seeded)]).stdout)
    rahman = next(s for s in listed if s["name"] == "Abdel Rahman")
    assert rahman["claim_count"] >= 1 and rahman["kind"] == "person" and "Rahman" in rahman["aliases"]
    assert json.loads(runner.invoke(app, ["speakers", "--q", "nobody at all", "--json", "--db", str(seeded)]
                                    ).stdout) == []


def test_claims_by_speaker(seeded):
    out = runner.invoke(app, ["claims", "--speaker", "Rahman", "--json", "--db", str(seeded)])
    assert out.exit_code == 0, out.output
    claims = json.loads(out.stdout)
    assert claims and {c["speaker"]["name"] for c in claims} == {"Abdel Rahman"}
    table = runner.invoke(app, ["claims", "--speaker", "Rahman", "--q", "SDF", "--db", str(seeded)],
                          env={"COLUMNS": "300"})
    assert "500 SDF fighters" in table.stdout and "Abdel Rahman" in table.stdout
    assert table.stdout.split()[:2] == ["1", "claim"]
    unknown = runner.invoke(app, ["claims", "--speaker", "Nobody Atall", "--db", str(seeded)])
    assert unknown.exit_code == 1 and "no speaker named 'Nobody Atall'" in unknown.output


def test_browsing_without_a_store_says_so(tmp_path):
    result = runner.invoke(app, ["speakers", "--db", str(tmp_path / "none.sqlite3")])
    assert result.exit_code == 2 and "no store at" in result.output and "Traceback" not in result.output
