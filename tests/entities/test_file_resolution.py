"""`resolve_file` and its command: the columns in and out are stated, and a saved model of another
version is refused by name, leaving the output as it was."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jusoor.cli.main import app
from jusoor.entities.resolution.file_resolution import (
    INPUT_COLUMNS,
    OUTPUT_COLUMNS,
    ResolutionFailed,
    resolve_file,
)
from jusoor.entities.resolution.model import FORMAT, VERSION

runner = CliRunner()
PEOPLE = (
    ",".join(INPUT_COLUMNS) + "\n"
    "r1,Amina Salem,1990-03-14,MA,,\n"
    "r2,أمينة سالم,14/03/1990,المغرب,,\n"
)


def test_help_states_the_input_and_output_columns() -> None:
    result = runner.invoke(app, ["resolve", "persons", "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    for column in (*INPUT_COLUMNS, *OUTPUT_COLUMNS):
        assert column in result.output


def test_a_model_of_another_version_is_refused_naming_both_versions(tmp_path: Path) -> None:
    source, out, model = tmp_path / "p.csv", tmp_path / "o.csv", tmp_path / "m.json"
    source.write_text(PEOPLE, "utf-8")
    out.write_text("kept\n", "utf-8")
    data = {"format": FORMAT, "version": VERSION + 7, "threshold": 0.7, "splink": {}}
    model.write_text(json.dumps(data), "utf-8")
    with pytest.raises(ResolutionFailed) as raised:
        resolve_file(source, out, model=model)
    message = str(raised.value)
    assert "m.json" in message and str(VERSION + 7) in message and str(VERSION) in message
    assert out.read_text("utf-8") == "kept\n"


def test_an_engine_that_does_not_exist_is_named(tmp_path: Path) -> None:
    source = tmp_path / "p.csv"
    source.write_text(PEOPLE, "utf-8")
    with pytest.raises(ResolutionFailed, match="oracle"):
        resolve_file(source, tmp_path / "o.csv", engine="oracle")
    assert not (tmp_path / "o.csv").exists()
