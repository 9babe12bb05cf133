"""Entity tables within bounds: a zip bomb, too many rows, too many bytes and malformed rows are
refused whole, naming the row, before anything is written; large files stream with progress."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from jusoor.audit.models import AuditEvent
from jusoor.cli.main import app
from jusoor.core.db import Database
from jusoor.core.errors import Invalid
from jusoor.core.import_limits import ImportLimits, cli_limits
from jusoor.entities.io import table_rows, tabular
from jusoor.entities.io.mapping import parse_mapping
from jusoor.entities.models import Entity
from tests.entities.test_tabular import MAPPING, OPERATOR, ROWS, _agency
from tests.support.workbooks import with_sheet, workbook

runner = CliRunner()
SMALL = ImportLimits(
    max_bytes=10**6,
    max_rows=2000,
    max_unpacked_bytes=10**8,
    max_zip_ratio=10**4,
    max_zip_members=50,
)
GOOD = "full_name,dob,nationality,phone,passport\nAmina Diallo,1990,SN,,\nOmar Ba,1991,SN,,\n"


def _written(db: Database) -> tuple[int, int]:
    """Entities, and import audit events, in the database."""
    with db.unit_of_work() as session:
        entities = session.scalar(select(func.count()).select_from(Entity)) or 0
        imports = session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "entity.import")
        )
        return entities, imports or 0


def _import(db: Database, path: Path, limits: ImportLimits | None = None) -> tabular.ImportSummary:
    _code, agency_id = _agency(db)
    with db.unit_of_work() as session:
        return tabular.import_table(
            session,
            actor=OPERATOR,
            path=path,
            mapping=parse_mapping(MAPPING),
            agency_id=agency_id,
            limits=limits,
        )


@pytest.mark.parametrize(
    ("tail", "row", "words"),
    [
        ('"Sara Idrissi,1992,MA,,\nKarim\x00 Alami",1993,MA,,\n', 4, "quote"),
        ("Sara Idrissi,1992,MA,,,extra\n", 4, "6 cells"),
        ("Sara Idrissi,1992\n", 4, "2 cells"),
        ("Sara\x00Idrissi,1992,MA,,\n", 4, "U+0000"),
        ("Sara Idrissi,1992,MA,\x1b[31m,\n", 4, "U+001B"),
    ],
    ids=["open-quote", "longer", "shorter", "nul", "escape"],
)
def test_a_malformed_row_refuses_the_file_naming_it_and_writes_nothing(
    demo_db: Database, tmp_path: Path, tail: str, row: int, words: str
) -> None:
    path = tmp_path / "persons.csv"
    path.write_text(GOOD + tail + "Youssef Alaoui,1988,MA,,\n", encoding="utf-8")
    with pytest.raises(Invalid) as refused:
        _import(demo_db, path)
    assert f"Row {row}" in refused.value.message
    assert words in refused.value.message
    assert "Nothing was imported" in refused.value.message
    assert _written(demo_db) == (0, 0)


def test_a_zip_bomb_is_refused_before_openpyxl_inflates_it(
    demo_sqlite: Database, tmp_path: Path
) -> None:
    bomb = with_sheet(tmp_path / "bomb.xlsx", list(MAPPING["columns"]), 600_000)
    started = time.perf_counter()
    with pytest.raises(Invalid) as refused:
        _import(demo_sqlite, bomb)
    assert time.perf_counter() - started < 1.0
    assert "compressed" in refused.value.message
    assert _written(demo_sqlite) == (0, 0)


def test_a_sheet_declaring_too_many_rows_is_refused_at_once(tmp_path: Path) -> None:
    path = with_sheet(tmp_path / "wide.xlsx", ["full_name"], 3, dimension="A1:A5000000")
    started = time.perf_counter()
    with pytest.raises(Invalid) as refused:
        table_rows.open_table(path, cli_limits())
    assert time.perf_counter() - started < 0.5
    assert "more than 1,000,000 rows" in refused.value.message


def test_a_sheet_hiding_its_rows_behind_a_small_dimension_is_counted_in_full(
    tmp_path: Path,
) -> None:
    # openpyxl stops at the declared dimension; the rows past it are read and counted too.
    path = with_sheet(tmp_path / "liar.xlsx", ["full_name", "dob"], 1999, dimension="A1:B2")
    assert table_rows.open_table(path, SMALL).rows == 1999
    more = with_sheet(tmp_path / "more.xlsx", ["full_name", "dob"], 2001, dimension="A1:B2")
    with pytest.raises(Invalid) as refused:
        table_rows.open_table(more, SMALL)
    assert "more than 2,000 rows" in refused.value.message


def test_a_spreadsheet_value_past_the_header_is_refused(tmp_path: Path) -> None:
    path = workbook(tmp_path / "past.xlsx", [["full_name", "dob"], ["Amina", "1990", "", "x"]])
    with pytest.raises(Invalid) as refused:
        table_rows.open_table(path, SMALL)
    assert "Row 2" in refused.value.message
    assert "column 4" in refused.value.message
    short = workbook(tmp_path / "short.xlsx", [["full_name", "dob", "note"], ["Amina"]])
    assert list(table_rows.open_table(short, SMALL).data()) == [(2, ["Amina", "", ""])]


def test_a_csv_over_the_row_limit_is_refused_before_any_row_is_written(
    demo_sqlite: Database, tmp_path: Path
) -> None:
    path = tmp_path / "persons.csv"
    path.write_text(GOOD.splitlines()[0] + "\n" + "Amina Diallo,1990,SN,,\n" * 2001, "utf-8")
    with pytest.raises(Invalid) as refused:
        _import(demo_sqlite, path, SMALL)
    assert "more than 2,000 rows" in refused.value.message
    assert _written(demo_sqlite) == (0, 0)


def test_progress_is_reported_up_to_the_total(demo_sqlite: Database, tmp_path: Path) -> None:
    path = tmp_path / "persons.csv"
    path.write_text(ROWS, encoding="utf-8")
    seen: list[tuple[int, int]] = []
    _code, agency_id = _agency(demo_sqlite)
    with demo_sqlite.unit_of_work() as session:
        tabular.import_table(
            session,
            actor=OPERATOR,
            path=path,
            mapping=parse_mapping(MAPPING),
            agency_id=agency_id,
            progress=lambda done, total: seen.append((done, total)),
        )
    assert seen[-1] == (6, 6)


def test_the_command_refuses_a_file_over_the_byte_limit_in_one_line(
    demo_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "persons.csv"
    path.write_text(ROWS, encoding="utf-8")
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps(MAPPING), encoding="utf-8")
    code, _agency_id = _agency(demo_db)
    monkeypatch.setenv("JUSOOR_IMPORT_MAX_BYTES", "100")
    from jusoor.core.config import get_settings

    get_settings.cache_clear()
    result = runner.invoke(
        app, ["entities", "import", str(path), "--mapping", str(mapping), "--agency", code]
    )
    assert result.exit_code == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert "files of up to 100 bytes" in result.stderr
    assert _written(demo_db) == (0, 0)


def test_the_command_shows_progress_lines_when_not_on_a_terminal(
    demo_sqlite: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("jusoor.core.progress.LINE_EVERY", 2)
    path = tmp_path / "persons.csv"
    path.write_text(ROWS, encoding="utf-8")
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps(MAPPING), encoding="utf-8")
    monkeypatch.setattr("jusoor.entities.io.tabular.FLUSH_EVERY", 2)
    code, _agency_id = _agency(demo_sqlite)
    result = runner.invoke(
        app, ["entities", "import", str(path), "--mapping", str(mapping), "--agency", code]
    )
    assert result.exit_code == 0, result.output
    assert "2 of 6 rows" in result.stderr
    assert "6 of 6 rows" in result.stderr
