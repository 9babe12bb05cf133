"""`jusoor screening indicators` and `jusoor screening assess` as an operator runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jusoor.cli.main import app
from jusoor.screening.catalogue import extension_dir
from tests.screening.conftest import FORCED_BEGGING, write_yaml

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["screening", *args])
    return result.exit_code, result.stdout, result.stderr


def test_indicators_json_lists_every_indicator_of_every_list() -> None:
    code, out, _err = run("indicators", "--json")
    assert code == 0
    rows = json.loads(out)
    assert len(rows) == 67 + 67 + 65 + 65
    first = rows[0]
    assert list(first) == ["id", "profile", "dimension", "strength", "text", "verified", "country"]
    assert first["id"] == "dr.nature_of_job"
    assert first["profile"] == "adult-labour"
    assert first["dimension"] == "deceptive_recruitment"
    assert first["strength"] == "strong"
    assert set(first["text"]) == {"en", "ar", "fr"}
    assert first["text"]["en"] == "Deceived about the nature of the job, location or employer"
    assert {row["profile"] for row in rows} == {
        "adult-labour",
        "adult-sexual",
        "child-labour",
        "child-sexual",
    }


def test_indicators_json_for_one_profile() -> None:
    code, out, _err = run("indicators", "--profile", "child-labour", "--json")
    assert code == 0
    rows = json.loads(out)
    assert len(rows) == 65
    assert {row["profile"] for row in rows} == {"child-labour"}


def test_indicators_table_is_readable() -> None:
    code, out, _err = run("indicators", "--profile", "adult-labour")
    assert code == 0
    assert "(adult-labour)" in out and "dr.nature_of_job" in out and "Deceptive" in out


def test_assess_json_prints_each_dimension_the_outcome_and_the_reasons() -> None:
    ids = "dr.nature_of_job,dr.wages,ex.excessive_hours,ex.low_or_no_salary,cd.debt_bondage,cd.isolation"
    code, out, _err = run("assess", "--profile", "adult-labour", "--indicators", ids, "--json")
    assert code == 0
    result = json.loads(out)
    assert list(result) == ["profile", "outcome", "dimensions", "reasons", "verified"]
    assert result["profile"] == "adult-labour"
    assert result["outcome"] == "presumed_victim"
    assert [d["dimension"] for d in result["dimensions"]] == [
        "deceptive_recruitment",
        "coercive_recruitment",
        "recruitment_by_abuse_of_vulnerability",
        "exploitative_conditions",
        "coercion_at_destination",
        "abuse_of_vulnerability_at_destination",
    ]
    coercion = result["dimensions"][4]
    assert coercion == {
        "dimension": "coercion_at_destination",
        "status": "positive",
        "clause": "a",
        "counts": {"strong": 2, "medium": 0, "weak": 0},
        "indicators": [
            {"id": "cd.debt_bondage", "strength": "strong"},
            {"id": "cd.isolation", "strength": "strong"},
        ],
        "unknown": [],
    }
    assert result["dimensions"][1]["status"] == "negative"
    assert result["reasons"][0]["code"] == "outcome"
    assert all(set(r) == {"code", "params", "text"} for r in result["reasons"])
    assert result["verified"] is False  # the cross-dimension rule is not yet verified


@pytest.mark.parametrize(
    ("ids", "outcome"),
    [("", "no_indication"), ("cd.debt_bondage", "possible_victim")],
)
def test_assess_outcomes(ids: str, outcome: str) -> None:
    code, out, _err = run("assess", "--profile", "adult-labour", "--indicators", ids, "--json")
    assert code == 0
    assert json.loads(out)["outcome"] == outcome


def test_assess_table_is_readable() -> None:
    code, out, _err = run("assess", "--profile", "child-labour", "--indicators", "cd.debt_bondage")
    assert code == 0
    assert "Possible victim" in out and "cd.debt_bondage" in out


def test_an_unknown_indicator_is_a_one_line_error() -> None:
    code, out, err = run("assess", "--profile", "adult-labour", "--indicators", "dr.wages,dr.bogus")
    assert code == 1
    assert out == ""
    assert err.count("\n") == 1 and "dr.bogus" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("command", ["assess", "indicators"])
def test_an_unknown_profile_is_a_one_line_error(command: str) -> None:
    code, _out, err = run(command, "--profile", "adult-labor", "--json")
    assert code == 1
    assert err.count("\n") == 1 and "adult-labor" in err and "adult-labour" in err


def test_country_indicators_of_the_node_are_listed_and_assessed(node_env: Path) -> None:
    write_yaml(extension_dir() / "ma.yaml", FORCED_BEGGING)
    code, out, _err = run("indicators", "--profile", "child-labour", "--json")
    assert code == 0
    [begging] = [row for row in json.loads(out) if row["id"] == "ma:ex.forced_begging"]
    assert begging["country"] == "MA" and begging["strength"] == "strong"
    ids = "cr.violence_on_victims,cr.abduction_or_sale,ma:ex.forced_begging,ex.low_or_no_salary"
    code, out, _err = run("assess", "--profile", "child-labour", "--indicators", ids, "--json")
    assert code == 0
    assert json.loads(out)["outcome"] == "presumed_victim"


def test_a_broken_country_file_is_a_one_line_error(node_env: Path) -> None:
    write_yaml(extension_dir() / "ma.yaml", FORCED_BEGGING | {"country": "XZ"})
    code, _out, err = run("indicators", "--json")
    assert code == 1
    assert err.count("\n") == 1 and "ma.yaml" in err
