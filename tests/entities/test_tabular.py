"""Importing tables of entities: bad values kept out and counted, encodings, missing columns,
XLSX, all rows or none, and the `jusoor entities import` command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import Workbook  # type: ignore[import-untyped]
from sqlalchemy import func, select
from typer.testing import CliRunner

from jusoor.agencies.models import User
from jusoor.audit.models import AuditEvent
from jusoor.cli.main import app
from jusoor.core.db import Database
from jusoor.core.errors import Invalid
from jusoor.core.permissions import system_actor
from jusoor.entities import service
from jusoor.entities.io import table_rows, tabular
from jusoor.entities.io.mapping import parse_mapping
from jusoor.entities.models import Entity, Link

runner = CliRunner()
OPERATOR = system_actor("test")
MAPPING = {
    "schema": "Person",
    "columns": {"full_name": "name", "dob": "birthDate", "nationality": "nationality"},
    "linked": [
        {"column": "phone", "schema": "Phone", "property": "number", "link": "uses_phone"},
        {
            "column": "passport",
            "schema": "IdentityDocument",
            "property": "number",
            "link": "holds_document",
            "properties": {"type": "passport"},
        },
    ],
}
ROWS = """full_name,dob,nationality,phone,passport
محمد الأمين ولد أكيك,12/03/1985,موريتانيا,0022222456789,B 0912345
OULD AKIK Mohamed Lamine,1985,MRT,+222 22 45 67 89,
Aminata Diallo,31/31/1990,Sénégal,not a phone,A1234567
,1992-04-01,MA,22 45 11 22,
,,,,
Youssef Alaoui,1988-07-14,Maroc,,
"""


def _agency(db: Database, username: str = "investigator.mr") -> tuple[str, object]:
    with db.unit_of_work() as session:
        user = session.scalars(select(User).where(User.username == username)).one()
        return user.agency.code, user.agency_id


def _count(db: Database, model: type[Entity] | type[Link]) -> int:
    with db.unit_of_work() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_bad_values_are_left_out_and_counted_and_every_row_is_kept(
    demo_db: Database, tmp_path: Path
) -> None:
    path = tmp_path / "persons.csv"
    path.write_text(ROWS, encoding="utf-8")
    _code, agency_id = _agency(demo_db)
    with demo_db.unit_of_work() as session:
        summary = tabular.import_table(
            session, actor=OPERATOR, path=path, mapping=parse_mapping(MAPPING), agency_id=agency_id
        )
    assert summary.rows == 5
    assert summary.entities == {"Person": 5, "Phone": 2, "IdentityDocument": 2}
    assert summary.reused == 1  # the second row's phone is the first row's
    assert summary.links == 5
    assert summary.problems == {
        "birthDate: unreadable_date": 1,
        "number: unparseable_phone": 1,
        "name: empty": 1,
        "row: empty": 1,
    }
    assert summary.examples["name: empty"] == [5]
    with demo_db.unit_of_work() as session:
        people = service.list_entities(session, actor=OPERATOR, schema_name="Person")
        assert len(people) == 5
        aminata = next(p for p in people if p.caption == "Aminata Diallo")
        assert aminata.properties == {"name": ["Aminata Diallo"], "nationality": ["SN"]}
        mauritanian = next(p for p in people if p.caption == "محمد الأمين ولد أكيك")
        assert mauritanian.source_ref == summary.batch
        audited = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "entity.import")
        ).one()
        assert audited.object_id == summary.batch


@pytest.mark.parametrize("encoding", ["cp1256", "utf-8-sig"])
def test_arabic_windows_and_bom_files_read(
    demo_sqlite: Database, tmp_path: Path, encoding: str
) -> None:
    path = tmp_path / "arabic.csv"
    path.write_bytes(ROWS.encode(encoding))
    _code, agency_id = _agency(demo_sqlite)
    with demo_sqlite.unit_of_work() as session:
        summary = tabular.import_table(
            session, actor=OPERATOR, path=path, mapping=parse_mapping(MAPPING), agency_id=agency_id
        )
        names = {e.caption for e in service.list_entities(session, actor=OPERATOR)}
    assert summary.encoding == encoding
    assert "محمد الأمين ولد أكيك" in names


def test_a_file_pasted_from_two_encodings_reads_line_by_line() -> None:
    data = b"name,city\n" + "أحمد,Rabat\n".encode("cp1256") + "José,Tétouan\n".encode()
    text, encoding = table_rows.decode(data)
    assert text == "name,city\nأحمد,Rabat\nJosé,Tétouan\n"
    assert encoding == "utf-8+cp1256"


def test_a_missing_column_fails_at_once_naming_it(demo_sqlite: Database, tmp_path: Path) -> None:
    path = tmp_path / "persons.csv"
    path.write_text(ROWS.replace("passport", "passeport"), encoding="utf-8")
    _code, agency_id = _agency(demo_sqlite)
    with pytest.raises(Invalid) as missing, demo_sqlite.unit_of_work() as session:
        tabular.import_table(
            session, actor=OPERATOR, path=path, mapping=parse_mapping(MAPPING), agency_id=agency_id
        )
    assert missing.value.field == "passport"
    assert "passport" in missing.value.message
    assert _count(demo_sqlite, Entity) == 0


def test_an_error_midway_leaves_nothing_written(
    demo_sqlite: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "persons.csv"
    path.write_text(ROWS, encoding="utf-8")
    _code, agency_id = _agency(demo_sqlite)
    calls = {"n": 0}
    real = service.add_link

    def failing(*args: object, **kwargs: object) -> Link:
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("disk full")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(service, "add_link", failing)
    with pytest.raises(RuntimeError), demo_sqlite.unit_of_work() as session:
        tabular.import_table(
            session, actor=OPERATOR, path=path, mapping=parse_mapping(MAPPING), agency_id=agency_id
        )
    assert _count(demo_sqlite, Entity) == 0
    assert _count(demo_sqlite, Link) == 0


def test_an_xlsx_sheet_imports(demo_sqlite: Database, tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    for line in ROWS.strip().splitlines():
        sheet.append(line.split(","))
    path = tmp_path / "persons.xlsx"
    book.save(path)
    _code, agency_id = _agency(demo_sqlite)
    with demo_sqlite.unit_of_work() as session:
        summary = tabular.import_table(
            session, actor=OPERATOR, path=path, mapping=parse_mapping(MAPPING), agency_id=agency_id
        )
    assert summary.rows == 5
    assert summary.entities["Person"] == 5


def test_a_mapping_naming_an_unknown_property_is_refused() -> None:
    with pytest.raises(Invalid) as bad:
        parse_mapping({"schema": "Person", "columns": {"eyes": "eyeColour"}})
    assert "eyeColour" in bad.value.message
    with pytest.raises(Invalid):
        parse_mapping(
            {
                "schema": "Person",
                "linked": [
                    {"column": "p", "schema": "Phone", "property": "number", "link": "paid"}
                ],
            }
        )


def test_the_import_command_prints_the_summary(demo_db: Database, tmp_path: Path) -> None:
    path = tmp_path / "persons.csv"
    path.write_bytes(ROWS.encode("cp1256"))
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps(MAPPING), encoding="utf-8")
    code, _agency_id = _agency(demo_db)
    result = runner.invoke(
        app,
        ["entities", "import", str(path), "--mapping", str(mapping), "--agency", code, "--json"],
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["rows"] == 5
    assert summary["problems"]["number: unparseable_phone"] == 1
    missing = runner.invoke(
        app, ["entities", "import", str(path), "--mapping", str(mapping), "--agency", "nowhere"]
    )
    assert missing.exit_code == 1
    assert "nowhere" in missing.stderr
