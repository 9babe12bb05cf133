"""`jusoor resolve persons --engine spark`: the same person model on Spark (local mode) gives the
same people as on DuckDB, and a machine without Java or pyspark gets a message naming what to
install, with no output written.

The Spark tests share one session (`spark`, module scope), which `resolve_file` uses and leaves
running. Without Java 17+ or pyspark they skip, unless JUSOOR_REQUIRE_SPARK=1 (CI), which fails
them.
"""

from __future__ import annotations

import csv
import importlib.util
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from jusoor.cli.main import app
from jusoor.entities.resolution.file_resolution import ResolutionFailed, resolve_file
from jusoor.entities.resolution.linkage import spark_engine
from jusoor.entities.resolution.linkage.engine_sql import EngineDialect, to_spark
from jusoor.entities.resolution.linkage.settings import person_settings
from jusoor.synth.person_files import generate_person_files

PEOPLE = 150  # about 300 records: Spark's fixed costs, not the file, set the time
runner = CliRunner()


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    try:
        spark_engine.check_spark()
    except spark_engine.SparkUnavailable as exc:
        if os.environ.get("JUSOOR_REQUIRE_SPARK") == "1":
            pytest.fail(f"JUSOOR_REQUIRE_SPARK=1 but Spark cannot run: {exc}")
        pytest.skip(str(exc))
    with spark_engine.spark_session(records=2 * PEOPLE) as session:
        yield session


@pytest.fixture(scope="module")
def people(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("spark") / "people.csv"
    generate_person_files(PEOPLE, seed=21).write(path)
    return path


def _groups(path: Path) -> tuple[set[frozenset[str]], dict[str, float]]:
    with path.open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    members: dict[str, set[str]] = {}
    for row in rows:
        members.setdefault(row["cluster_id"], set()).add(row["record_id"])
    best = {row["record_id"]: float(row["match_probability"]) for row in rows}
    return {frozenset(group) for group in members.values()}, best


def _parameters(model: Path) -> list[tuple[str, str, float | None, float | None]]:
    saved = json.loads(model.read_text(encoding="utf-8"))["splink"]
    return [
        (
            comparison["output_column_name"],
            level["sql_condition"],
            level.get("m_probability"),
            level.get("u_probability"),
        )
        for comparison in saved["comparisons"]
        for level in comparison["comparison_levels"]
    ]


@pytest.mark.spark
def test_spark_trains_the_same_model_and_finds_the_same_people_as_duckdb(
    spark: Any, people: Path, tmp_path: Path
) -> None:
    on_duckdb = resolve_file(people, tmp_path / "duckdb.csv", model=tmp_path / "duckdb.json")
    on_spark = resolve_file(
        people, tmp_path / "spark.csv", model=tmp_path / "spark.json", engine="spark"
    )
    assert spark.sparkContext.master == spark_engine.LOCAL_MASTER
    duck_groups, duck_best = _groups(tmp_path / "duckdb.csv")
    spark_groups, spark_best = _groups(tmp_path / "spark.csv")
    # Linked for real: far fewer people than records, and some people across records.
    assert on_duckdb.people < 0.7 * len(duck_best)
    assert spark_groups == duck_groups
    assert on_spark.people == on_duckdb.people
    # Written to four decimals: sums taken in another order can land either side of a rounding
    # edge (0.26495 read 0.2649 on one engine, 0.2650 on the other), never further apart.
    assert spark_best == pytest.approx(duck_best, abs=1.01e-4)
    # The model trained on Spark is saved in the model's own SQL, with the same u and the same
    # m from EM but for the order of float sums (a few in a million; near-zero m to 1e-4).
    duck_model, spark_model = (
        _parameters(tmp_path / "duckdb.json"),
        _parameters(tmp_path / "spark.json"),
    )
    assert [level[:2] for level in spark_model] == [level[:2] for level in duck_model]
    for spark_level, duck_level in zip(spark_model, duck_model, strict=True):
        m_spark, u_spark, m_duck, u_duck = *spark_level[2:], *duck_level[2:]
        assert (m_spark is None, u_spark is None) == (m_duck is None, u_duck is None)
        assert m_spark is None or m_spark == pytest.approx(m_duck, rel=1e-3, abs=1e-4)
        # u likewise, but where `rising_weights` set a rare name level's u from m's: as m.
        assert u_spark is None or u_spark == pytest.approx(u_duck, rel=1e-3)


def test_without_java_the_spark_engine_is_refused_naming_java(
    people: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if importlib.util.find_spec("pyspark") is None:
        pytest.skip("pyspark is not installed: the message names it first (test below)")
    monkeypatch.setenv("JAVA_HOME", str(tmp_path / "no-java"))
    out = tmp_path / "out.csv"
    with pytest.raises(ResolutionFailed) as raised:
        resolve_file(people, out, engine="spark")
    assert "Java 17" in str(raised.value) and "openjdk-17-jre-headless" in str(raised.value)
    assert not out.exists()
    result = runner.invoke(
        app, ["resolve", "persons", str(people), "--out", str(out), "--engine", "spark"]
    )
    assert result.exit_code == 1
    assert "Java 17" in result.output and "--engine duckdb" in result.output
    assert not out.exists()


def test_without_pyspark_the_spark_engine_is_refused_naming_pyspark(
    people: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    found = importlib.util.find_spec
    monkeypatch.setattr(
        spark_engine.importlib.util,
        "find_spec",
        lambda name, *args: None if name == "pyspark" else found(name, *args),
    )
    out = tmp_path / "out.csv"
    out.write_text("kept\n", encoding="utf-8")
    with pytest.raises(ResolutionFailed, match="pyspark") as raised:
        resolve_file(people, out, engine="spark")
    assert "--engine duckdb" in str(raised.value)
    assert out.read_text(encoding="utf-8") == "kept\n"


def test_an_old_java_is_named_with_its_version(monkeypatch: pytest.MonkeyPatch) -> None:
    if importlib.util.find_spec("pyspark") is None:
        pytest.skip("pyspark is not installed")
    monkeypatch.setattr(spark_engine, "java_command", lambda: "/opt/java8/bin/java")
    monkeypatch.setattr(spark_engine, "java_version", lambda java: 8)
    with pytest.raises(spark_engine.SparkUnavailable, match=r"/opt/java8/bin/java is Java 8"):
        spark_engine.check_spark()


def test_java_versions_are_read_old_and_new_style(tmp_path: Path) -> None:
    for said, major in (
        ('openjdk version "17.0.15" 2025-04-15', 17),
        ('java version "1.8.0_402"', 8),
    ):
        java = tmp_path / f"java{major}"
        java.write_text(f"#!/bin/sh\necho '{said}' >&2\n", encoding="utf-8")
        java.chmod(0o755)
        assert spark_engine.java_version(str(java)) == major


def test_the_model_sql_is_translated_for_spark_and_back_unchanged() -> None:
    duckdb_sql = person_settings().create_settings_dict("duckdb")
    dialect = EngineDialect("spark")
    on_spark = dialect.settings(person_settings())
    assert isinstance(on_spark, dict)
    text = json.dumps(on_spark)
    for duckdb_only in ("list_has_any", "len(", '\\"name_l\\"'):
        assert duckdb_only not in text
    assert "ARRAYS_OVERLAP(name_keys_l, name_keys_r)" in text
    assert "SIZE(given_keys_l) > 0" in text
    # Spark calls a Python function on every row: it gets a name only where the CASE would.
    assert "JUSOOR_NAME_LEVEL(IF(ARRAYS_OVERLAP(name_pairs_l, name_pairs_r), name_l, NULL)" in text
    assert to_spark("jaro_winkler_similarity(a_l, a_r) >= 0.9") == "JARO_WINKLER(a_l, a_r) >= 0.9"
    back = dialect.neutral(json.loads(text))
    assert back["comparisons"] == duckdb_sql["comparisons"]
    assert (
        back["blocking_rules_to_generate_predictions"]
        == (duckdb_sql["blocking_rules_to_generate_predictions"])
    )
