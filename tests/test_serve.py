"""`claimcheck serve` as a real process, and the Dockerfile against the README."""

import json
import re
import shlex
import socket
import subprocess
import sys
import time

import httpx
import pytest

from tests.conftest import ROOT

README = (ROOT / "README.md").read_text("utf-8")


def _readme_command(marker: str) -> str:
    match = re.search(rf"<!-- {marker} -->\s*```sh\n(.+?)\n```", README)
    assert match, marker
    return match.group(1)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_ingests_seeds_then_answers(tmp_path):
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "claimcheck", "serve", "--port", str(port), "--db", str(tmp_path / "c.sqlite3")],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            assert proc.poll() is None, proc.stdout.read()
            try:
                if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "service did not become ready"
            time.sleep(0.5)
        r = httpx.post(f"{base}/v1/verify", json={"statement": "Abdel Rahman said 900 SDF fighters died in Hajin"},
                       timeout=30)
        assert r.status_code == 200 and r.json()["verdict"] == "conflicting"
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=30)
    assert "ingesting" in out
    assert "Traceback" not in out


def _dockerfile() -> list[tuple[str, str]]:
    lines, current = [], ""
    for raw in (ROOT / "Dockerfile").read_text("utf-8").splitlines():
        if raw.strip().startswith("#") or not raw.strip():
            continue
        current += raw.rstrip("\\").strip() + " "
        if not raw.rstrip().endswith("\\"):
            instruction, _, rest = current.strip().partition(" ")
            lines.append((instruction.upper(), rest.strip()))
            current = ""
    return lines


def test_dockerfile_runs_the_readme_commands():
    steps = _dockerfile()
    by = {}
    for instruction, rest in steps:
        by.setdefault(instruction, []).append(rest)
    assert by["FROM"] == ["python:3.11-slim"]
    run = _readme_command("run-command").split(" && ")
    install, start = " && ".join(run[:-1]), run[-1]
    assert install in by["RUN"]  # the README's install, unchanged
    cmd = json.loads(by["CMD"][0])
    assert cmd[: len(shlex.split(start))] == shlex.split(start)
    assert cmd[cmd.index("--host") + 1] == "0.0.0.0"
    assert by["EXPOSE"] == ["8000"]
    assert "/healthz" in by["HEALTHCHECK"][0]
    assert by["USER"] and by["USER"][-1] not in ("root", "0")
    user_at = next(i for i, (ins, _) in enumerate(steps) if ins == "USER")
    install_at = next(i for i, (ins, rest) in enumerate(steps) if ins == "RUN" and rest == install)
    assert user_at < install_at  # installs and runs as the non-root user
    assert any("ingest seeds/" in r for r in by["RUN"])


@pytest.mark.parametrize("marker", ["run-command", "test-command"])
def test_readme_has_both_commands(marker):
    assert _readme_command(marker).startswith("python3 -m venv .venv && .venv/bin/pip install -e")
