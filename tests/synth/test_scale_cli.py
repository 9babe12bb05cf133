"""`jusoor demo load --cases N` at the console: directory made, caseload loaded, head anchored."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jusoor.cli.main import app
from tests.conftest import _use

runner = CliRunner()


def test_demo_load_cases_on_a_new_node_reports_tables_and_anchors(
    node_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _use(f"sqlite:///{node_env / 'jusoor.db'}", monkeypatch)
    result = runner.invoke(
        app, ["demo", "load", "--cases", "40", "--audit-events", "60", "--seed", "3", "--json"]
    )
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["users_created"] == 64  # the demo directory, made because it was missing
    assert report["cases"] == 40
    assert report["tables"]["cases"]["rows"] == 40
    assert report["tables"]["audit_events"]["rows"] == 60
    assert report["audit_anchored"] is True
    verify = runner.invoke(app, ["audit", "verify", "--json"])
    assert verify.exit_code == 0, verify.stdout
    again = runner.invoke(app, ["demo", "load", "--cases", "10", "--audit-events", "0", "--json"])
    assert again.exit_code == 0, again.stderr
    assert json.loads(again.stdout)["users_created"] == 0


def test_demo_load_refuses_no_cases(node_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _use(f"sqlite:///{node_env / 'jusoor.db'}", monkeypatch)
    result = runner.invoke(app, ["demo", "load", "--cases", "0"])
    assert result.exit_code != 0
    assert "--cases" in result.output
