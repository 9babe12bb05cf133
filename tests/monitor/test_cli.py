from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from jusoor.monitor.cli import app

REPORT = (
    "Tunis, le 12 mars 2024 – L'Instance nationale de lutte contre la traite des personnes (INLTP)"
    " a organisé, du 10 au 12 mars 2024 à Hammamet, un atelier de formation avec l'OIM."
    " Mme Raoudha Laabidi, présidente de l'INLTP, a ouvert l'atelier."
)
runner = CliRunner()


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_extract_json_prints_the_agreed_shape(tmp_path: Path) -> None:
    path = write(tmp_path, "report.txt", REPORT)
    result = runner.invoke(app, ["extract", str(path), "--json"])
    assert result.exit_code == 0, result.output
    [record] = json.loads(result.stdout)
    assert list(record) == [
        "file",
        "lang",
        "event",
        "organizations",
        "persons",
        "countries",
        "themes",
    ]
    assert record["file"] == str(path)
    assert record["lang"] == "fr"
    assert record["event"] == {
        "type": "workshop",
        "title": record["event"]["title"],
        "start": "2024-03-10",
        "end": "2024-03-12",
        "city": "Hammamet",
        "country": "TN",
    }
    assert record["organizations"] == [
        {
            "id": "tn_inltp",
            "acronym": "INLTP",
            "name": "National Authority for Combating Trafficking in Persons",
        },
        {"id": "iom", "acronym": "IOM", "name": "International Organization for Migration"},
    ]
    assert record["persons"] == [
        {"name": "Raoudha Laabidi", "latin": "Raoudha Laabidi", "role": "présidente de l'INLTP"}
    ]
    assert record["countries"] == ["TN"]
    assert "trafficking_in_persons" in record["themes"]


def test_unreadable_file_gets_one_line_and_the_batch_goes_on(tmp_path: Path) -> None:
    good = write(tmp_path, "good.txt", REPORT)
    empty = write(tmp_path, "empty.txt", "")
    result = runner.invoke(app, ["extract", str(empty), str(good), "--json"])
    assert result.exit_code == 1
    assert result.stderr.strip() == f"error: {empty} cannot be read: the file is empty"
    assert [r["file"] for r in json.loads(result.stdout)] == [str(good)]


def test_relative_date_uses_the_publication_date_option(tmp_path: Path) -> None:
    path = write(tmp_path, "today.txt", "The forum opened today, Thursday, in Kuwait City.")
    result = runner.invoke(app, ["extract", str(path), "--json"])
    assert json.loads(result.stdout)[0]["event"]["start"] is None
    result = runner.invoke(app, ["extract", str(path), "--json", "--published", "2024-11-14"])
    assert json.loads(result.stdout)[0]["event"]["start"] == "2024-11-14"


def test_summary_without_json_is_a_readable_table(tmp_path: Path) -> None:
    path = write(tmp_path, "report.txt", REPORT)
    result = runner.invoke(app, ["extract", str(path)])
    assert result.exit_code == 0
    for expected in ("workshop", "2024-03-10", "Hammamet, TN", "INLTP, IOM", "Raoudha Laabidi"):
        assert expected in result.stdout


def test_many_files_in_a_folder_are_all_extracted(tmp_path: Path) -> None:
    for n in range(12):  # above the progress-bar threshold
        write(tmp_path, f"r{n:02}.txt", REPORT)
    result = runner.invoke(app, ["extract", str(tmp_path), "--json"])
    assert result.exit_code == 0
    assert len(json.loads(result.stdout)) == 12
