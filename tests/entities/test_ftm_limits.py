"""FtM JSON lines within bounds: lines and bytes counted as they stream, control characters
never stored, deep JSON and bad UTF-8 refused cleanly; a refused file writes nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from jusoor.agencies.models import Agency
from jusoor.cli.main import app
from jusoor.core.config import get_settings
from jusoor.core.db import Database
from jusoor.core.errors import Invalid
from jusoor.core.import_limits import ImportLimits
from jusoor.core.permissions import system_actor
from jusoor.entities.io import ftm_import
from jusoor.entities.models import Entity

runner = CliRunner()
OPERATOR = system_actor("test")
PERSON = {"id": "p1", "schema": "Person", "properties": {"name": ["Ali Hassan"]}}


def _agency(db: Database) -> Agency:
    with db.unit_of_work() as session:
        agency = session.scalars(select(Agency).where(Agency.country == "EG")).first()
        assert agency is not None
        session.expunge(agency)
        return agency


def _entities(db: Database) -> int:
    with db.unit_of_work() as session:
        return session.scalar(select(func.count()).select_from(Entity)) or 0


def _import(db: Database, lines: list[str], limits: ImportLimits | None = None) -> object:
    agency = _agency(db)
    with db.unit_of_work() as session:
        return ftm_import.import_ftm(
            session, actor=OPERATOR, lines=lines, agency_id=agency.id, limits=limits
        )


def test_lines_past_the_limit_refuse_the_file_and_write_nothing(demo_db: Database) -> None:
    lines = [json.dumps({**PERSON, "id": f"p{n}"}) for n in range(4)]
    with pytest.raises(Invalid) as refused:
        _import(demo_db, lines, ImportLimits(10**6, 3, 10**6, 100, 50))
    assert "more than 3 rows" in refused.value.message
    with pytest.raises(Invalid) as big:
        _import(demo_db, lines, ImportLimits(100, 10, 10**6, 100, 50))
    assert "up to 100 bytes" in big.value.message
    assert _entities(demo_db) == 0


def test_a_value_with_a_control_character_is_left_out_and_counted(demo_sqlite: Database) -> None:
    item = {
        "id": "p1",
        "schema": "Person",
        "properties": {"name": ["Ali\u0000 Hassan", "Ali Hassan"], "notes": ["\u001b[2J"]},
    }
    deep = "[" * 100_000 + "]" * 100_000
    summary = _import(demo_sqlite, [json.dumps(item), deep])
    assert isinstance(summary, ftm_import.FtmImportSummary)
    assert summary.problems["Person.name: control_character"] == 1
    assert summary.problems["Person.notes: control_character"] == 1
    assert summary.problems["line: invalid_json"] == 1
    with demo_sqlite.unit_of_work() as session:
        (person,) = session.scalars(select(Entity)).all()
        assert person.properties["name"] == ["Ali Hassan"]


def test_the_command_refuses_bad_utf8_and_a_file_over_the_limit_in_one_line(
    demo_sqlite: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code = _agency(demo_sqlite).code
    bad = tmp_path / "bad.ftm.json"
    bad.write_bytes(json.dumps(PERSON).encode() + b"\n" + b'{"id": "\xff"}\n')
    result = runner.invoke(app, ["entities", "import-ftm", str(bad), "--agency", code])
    assert result.exit_code == 1
    assert "not UTF-8" in result.stderr
    monkeypatch.setenv("JUSOOR_IMPORT_MAX_BYTES", "10")
    get_settings.cache_clear()
    result = runner.invoke(app, ["entities", "import-ftm", str(bad), "--agency", code])
    assert result.exit_code == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert "files of up to 10 bytes" in result.stderr
    assert _entities(demo_sqlite) == 0
