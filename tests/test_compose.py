"""compose.yaml cannot be run here (no container engine on this machine), so what can drift is
checked: every command it runs is a claimcheck command, every CLAIMCHECK_ variable it sets is a
setting, and its instances and workers share one database."""

from __future__ import annotations

import yaml
from typer.testing import CliRunner

from claimcheck.cli import app
from claimcheck.settings import Settings
from tests.conftest import ROOT


def services() -> dict:
    return yaml.safe_load((ROOT / "compose.yaml").read_text("utf-8"))["services"]


def test_compose_commands_are_claimcheck_commands():
    runner = CliRunner()
    commands = {name: s["command"] for name, s in services().items() if "command" in s}
    assert {"api-1", "api-2", "worker"} <= set(commands)
    for name, command in commands.items():
        assert command[0] == ".venv/bin/claimcheck", name
        result = runner.invoke(app, [*command[1:], "--help"])
        assert result.exit_code == 0, (name, result.output)


def test_compose_settings_exist_and_point_every_process_at_one_database():
    fields = {f"CLAIMCHECK_{name.upper()}" for name in Settings.model_fields}
    urls = set()
    for name, service in services().items():
        env = service.get("environment", {})
        for key in env:
            if key.startswith("CLAIMCHECK_"):
                assert key in fields, (name, key)
        if "command" in service:
            urls.add(env["CLAIMCHECK_DATABASE_URL"])
    assert len(urls) == 1 and next(iter(urls)).startswith("postgresql://")
    assert services()["worker"]["deploy"]["replicas"] == 2
