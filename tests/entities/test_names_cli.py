"""`jusoor names compare A B [--json]`."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from jusoor.entities.resolution.cli import app

runner = CliRunner()


def test_compare_prints_json_with_score_and_word_alignment() -> None:
    result = runner.invoke(
        app, ["compare", "محمد الأمين ولد أكيك", "OULD AKIK Mohamed Lamine", "--json"]
    )
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert set(data) == {"a", "b", "score", "tokens"}
    assert data["b"] == "OULD AKIK Mohamed Lamine"
    assert data["score"] > 0.85
    assert {"a": "اكيك", "b": "akik", "kind": "key", "score": data["tokens"][2]["score"]} in data[
        "tokens"
    ]


def test_compare_prints_a_table_for_people() -> None:
    result = runner.invoke(app, ["compare", "Youcef Benali", "يوسف بن علي"])
    assert result.exit_code == 0
    assert "youcef" in result.output
    assert "يوسف" in result.output
    assert "Similarity" in result.output


def test_compare_needs_two_names() -> None:
    result = runner.invoke(app, ["compare", "Mohamed"])
    assert result.exit_code != 0
