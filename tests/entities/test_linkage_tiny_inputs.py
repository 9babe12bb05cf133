"""`jusoor resolve persons` on tiny, degenerate and malformed files: a clear line or a valid
trivial result, never a traceback; the person and judgements files are bounded and strict."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jusoor.cli.main import app
from jusoor.core.config import get_settings
from jusoor.entities.resolution.judgement_file import JudgementFileError, read_judgements
from jusoor.synth.person_files import COLUMNS, generate_person_files

runner = CliRunner()
HEADER = ",".join(COLUMNS) + "\n"
AMINA = "r1,Amina Diallo,1990-01-02,SN,,\n"
OMAR = "r2,Omar Ba,1985-03-04,SN,,\n"
TOO_THIN = "too few records"


@pytest.fixture(scope="module")
def model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A model trained on 60 synthetic people, for files too small to train their own."""
    folder = tmp_path_factory.mktemp("model")
    source = folder / "persons.csv"
    with source.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(generate_person_files(60, seed=8).records)
    saved = folder / "model.json"
    args = ["resolve", "persons", str(source), "--out", str(folder / "o.csv"), "--model"]
    result = runner.invoke(app, [*args, str(saved)])
    assert result.exit_code == 0, result.output
    return saved


def _resolve(tmp_path: Path, text: str, *options: str) -> tuple[int, str, Path]:
    source, out = tmp_path / "input.csv", tmp_path / "out.csv"
    source.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["resolve", "persons", str(source), "--out", str(out), *options])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stderr, out


def _clusters(out: Path) -> dict[str, str]:
    with out.open(encoding="utf-8") as source:
        return {row["record_id"]: row["cluster_id"] for row in csv.DictReader(source)}


def test_one_record_is_one_person(tmp_path: Path) -> None:
    code, stderr, out = _resolve(tmp_path, HEADER + AMINA)
    assert code == 0, stderr
    assert "one record" in stderr
    assert _clusters(out) == {"r1": "r1"}


def test_one_record_has_nothing_to_explain(tmp_path: Path) -> None:
    code, stderr, _out = _resolve(tmp_path, HEADER + AMINA, "--explain", "r1", "r1")
    assert code == 1
    assert "nothing to compare" in stderr


@pytest.mark.parametrize(
    "rows",
    [AMINA + OMAR, AMINA * 1 + AMINA.replace("r1", "r2") + AMINA.replace("r1", "r3")],
    ids=["two-without-a-shared-birth-date", "all-identical"],
)
def test_too_thin_to_train_says_so_in_one_line_and_writes_nothing(
    tmp_path: Path, rows: str
) -> None:
    code, stderr, out = _resolve(tmp_path, HEADER + rows)
    assert code == 1
    assert TOO_THIN in stderr and "--model" in stderr
    assert len(stderr.strip().splitlines()) == 1
    assert not out.exists()


def test_a_model_trained_elsewhere_links_a_tiny_file(tmp_path: Path, model: Path) -> None:
    twins = AMINA + AMINA.replace("r1", "r2")
    code, stderr, out = _resolve(tmp_path, HEADER + twins, "--model", str(model))
    assert code == 0, stderr
    assert _clusters(out) == {"r1": "r1", "r2": "r1"}
    code, stderr, out = _resolve(tmp_path, HEADER + AMINA + OMAR, "--model", str(model))
    assert code == 0, stderr
    assert _clusters(out) == {"r1": "r1", "r2": "r2"}


@pytest.mark.parametrize(
    ("rows", "words"),
    [
        ('"r1,Amina Diallo,1990-01-02,SN,,\nr2",Omar Ba,1985-03-04,SN,,\n', "Row 3"),
        ("r1,Amina Diallo,1990-01-02,SN\n", "4 cells"),
        ("r1,Amina\x00Diallo,1990-01-02,SN,,\n", "U+0000"),
    ],
    ids=["open-quote", "ragged", "nul"],
)
def test_a_malformed_person_file_is_refused_naming_the_row(
    tmp_path: Path, rows: str, words: str
) -> None:
    code, stderr, out = _resolve(tmp_path, HEADER + OMAR.replace("r2", "r0") + rows)
    assert code == 1
    assert words in stderr
    assert len(stderr.strip().splitlines()) == 1
    assert not out.exists()


def test_a_person_file_over_the_limits_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JUSOOR_IMPORT_MAX_ROWS", "1")
    get_settings.cache_clear()
    code, stderr, _out = _resolve(tmp_path, HEADER + AMINA + OMAR)
    assert code == 1
    assert "more than 1 rows" in stderr
    monkeypatch.setenv("JUSOOR_IMPORT_MAX_BYTES", "50")
    get_settings.cache_clear()
    code, stderr, _out = _resolve(tmp_path, HEADER + AMINA)
    assert code == 1
    assert "files of up to 50 bytes" in stderr


def test_a_malformed_judgements_file_is_refused_naming_the_row(tmp_path: Path) -> None:
    path = tmp_path / "j.csv"
    path.write_text("record_id_a,record_id_b,decision\n1,2,same\n3,4,same,extra\n", "utf-8")
    with pytest.raises(JudgementFileError, match="Row 3"):
        read_judgements(path)
    path.write_text("record_id_a,record_id_b,decision\n1,2\x00,same\n", "utf-8")
    with pytest.raises(JudgementFileError, match="U\\+0000"):
        read_judgements(path)
