"""`jusoor resolve persons INPUT --out OUTPUT [--threshold] [--engine] [--model] [--explain]`."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jusoor.cli.main import app
from jusoor.synth.person_files import COLUMNS, generate_person_files

runner = CliRunner()


@pytest.fixture(scope="module")
def person_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """60 people with an extra column, written with a byte-order mark as Excel does."""
    path = tmp_path_factory.mktemp("persons") / "persons.csv"
    records = generate_person_files(60, seed=8).records
    with path.open("w", newline="", encoding="utf-8-sig") as out:
        writer = csv.DictWriter(out, fieldnames=[*COLUMNS, "case_ref"])
        writer.writeheader()
        writer.writerows({**record, "case_ref": f"C-{i}"} for i, record in enumerate(records))
    return path


def _resolve(source: Path, out: Path, *options: str) -> list[str]:
    """The arguments of `jusoor resolve persons SOURCE --out OUT [options…]`."""
    return ["resolve", "persons", str(source), "--out", str(out), *options]


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig") as source:
        return list(csv.DictReader(source))


def test_writes_one_cluster_per_record_with_extra_columns_and_reuses_the_model(
    person_csv: Path, tmp_path: Path
) -> None:
    out, model = tmp_path / "clusters.csv", tmp_path / "model.json"
    args = ["resolve", "persons", str(person_csv), "--out", str(out), "--model", str(model)]
    result = runner.invoke(app, [*args, "--region", "MR"])
    assert result.exit_code == 0, result.output
    rows = _rows(out)
    assert list(rows[0]) == ["record_id", "cluster_id", "match_probability", "case_ref"]
    inputs = _rows(person_csv)
    assert [r["record_id"] for r in rows] == [r["record_id"] for r in inputs]
    assert len({r["cluster_id"] for r in rows}) < len(rows)  # some records were joined
    assert all(0.0 <= float(r["match_probability"]) <= 1.0 for r in rows)
    assert model.exists()
    again = runner.invoke(app, [*args, "--region", "MR", "--threshold", "0.1"])  # below the default
    assert again.exit_code == 0, again.output
    assert len({r["cluster_id"] for r in _rows(out)}) <= len({r["cluster_id"] for r in rows})


def test_explain_lists_evidence_per_field(person_csv: Path) -> None:
    first, second = (r["record_id"] for r in _rows(person_csv)[:2])
    result = runner.invoke(
        app, ["resolve", "persons", str(person_csv), "--explain", first, second, "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout.strip().splitlines()[-1])
    fields = {f["field"] for f in data["fields"]}
    assert fields == {"name", "dob", "country", "phone", "document", "address"}
    assert 0.0 <= data["match_probability"] <= 1.0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"record_id,full_name\nr1,Ali\n", "date_of_birth"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe", "not a UTF-8 CSV"),
        (",".join(COLUMNS).encode() + b"\n", "has no records"),
        (",".join(COLUMNS).encode() + b"\nr1,Ali,,,,\nr1,Omar,,,,\n", "appears twice"),
    ],
    ids=["empty", "missing-columns", "binary", "header-only", "duplicate-id"],
)
def test_bad_input_fails_in_one_line(tmp_path: Path, content: bytes, message: str) -> None:
    source = tmp_path / "input.csv"
    source.write_bytes(content)
    out = tmp_path / "out.csv"
    result = runner.invoke(app, ["resolve", "persons", str(source), "--out", str(out)])
    assert result.exit_code == 1
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not out.exists()


def test_missing_file_fails_in_one_line(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["resolve", "persons", str(tmp_path / "absent.csv"), "--out", str(tmp_path / "o")]
    )
    assert result.exit_code == 1
    assert "absent.csv cannot be read" in result.stderr


def test_judgements_win_over_the_model_in_a_later_run(person_csv: Path, tmp_path: Path) -> None:
    out = tmp_path / "clusters.csv"
    base = ["resolve", "persons", str(person_csv), "--out", str(out), "--region", "MR"]
    assert runner.invoke(app, base).exit_code == 0
    rows = _rows(out)
    by_cluster: dict[str, list[str]] = {}
    for row in rows:
        by_cluster.setdefault(row["cluster_id"], []).append(row["record_id"])
    joined = next(members for members in by_cluster.values() if len(members) == 2)
    apart = [
        rows[0]["record_id"],
        next(
            r["record_id"] for r in rows if r["record_id"] not in by_cluster[rows[0]["cluster_id"]]
        ),
    ]
    judgements = tmp_path / "judgements.csv"
    judgements.write_text(
        "record_id_a,record_id_b,decision\n"
        f"{joined[0]},{joined[1]},different\n{apart[0]},{apart[1]},same\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, [*base, "--judgements", str(judgements)])
    assert result.exit_code == 0, result.output
    cluster = {r["record_id"]: r["cluster_id"] for r in _rows(out)}
    assert cluster[joined[0]] != cluster[joined[1]]  # people said: not the same
    assert cluster[apart[0]] == cluster[apart[1]]  # people said: the same


def test_a_judgement_naming_an_unknown_record_is_refused(person_csv: Path, tmp_path: Path) -> None:
    judgements = tmp_path / "judgements.csv"
    judgements.write_text("record_id_a,record_id_b,decision\nnope,also-nope,same\n", "utf-8")
    out = tmp_path / "clusters.csv"
    args = ["resolve", "persons", str(person_csv), "--out", str(out), "--judgements"]
    result = runner.invoke(app, [*args, str(judgements)])
    assert result.exit_code == 1
    assert "nope" in result.output
    assert not out.exists()  # refused before any work


def test_a_model_saved_by_an_earlier_version_is_refused_with_a_clear_error(
    person_csv: Path, tmp_path: Path
) -> None:
    old = tmp_path / "old.json"
    level = {"sql_condition": "jusoor_name_similarity(name_l, name_r) >= 0.9"}
    old.write_text(json.dumps({"comparisons": [{"comparison_levels": [level]}]}), "utf-8")
    result = runner.invoke(app, _resolve(person_csv, tmp_path / "o.csv", "--model", str(old)))
    assert result.exit_code != 0
    assert "earlier version" in result.output
    assert "Traceback" not in result.output
