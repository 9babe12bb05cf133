"""The start-up hints name the command as the person can type it from where they are."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from jusoor.cli.node import own_command


def test_a_jusoor_not_on_the_path_is_named_by_its_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    script = tmp_path / ".venv" / "bin" / "jusoor"
    script.parent.mkdir(parents=True)
    script.write_text("#!/bin/sh\n")
    script.chmod(0o755)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "argv", [str(script), "serve"])
    monkeypatch.setenv("PATH", "/usr/bin:/bin")
    assert own_command() == ".venv/bin/jusoor"  # as `make run` starts it


def test_a_jusoor_the_shell_finds_is_named_jusoor(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    script = tmp_path / "bin" / "jusoor"
    script.parent.mkdir(parents=True)
    script.write_text("#!/bin/sh\n")
    script.chmod(0o755)
    monkeypatch.setattr(sys, "argv", [str(script), "serve"])
    monkeypatch.setenv("PATH", f"{script.parent}:/usr/bin:/bin")
    assert own_command() == "jusoor"
