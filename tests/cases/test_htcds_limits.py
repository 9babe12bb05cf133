"""HTCDS imports within bounds: over-large files refused before parsing, malformed CSV rows and
control characters refused by row and column, hostile JSON refused cleanly; nothing saved."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from typer.testing import CliRunner

from jusoor.cases.htcds.imports import NotHtcds, RowsInvalid, import_cases, parse
from jusoor.cases.models import Case
from jusoor.cli.main import app
from jusoor.core.config import get_settings
from jusoor.core.db import Database
from jusoor.core.errors import Invalid
from jusoor.core.import_limits import ImportLimits
from tests.cases.support import actor
from tests.support.tokens import bearer
from tests.support.web import translated

runner = CliRunner()
HEADER = "prs_Gender,jus_AgeBroad,prs_Citizenship,cas_Status\n"
GOOD = "Feminine,21-23,NG,Active\n"
LIMITS = ImportLimits(
    max_bytes=10_000, max_rows=3, max_unpacked_bytes=10**6, max_zip_ratio=100, max_zip_members=50
)


def _cases(db: Database) -> int:
    with db.unit_of_work() as session:
        return int(session.scalar(select(func.count()).select_from(Case)) or 0)


@pytest.mark.parametrize(
    ("tail", "row", "column", "words"),
    [
        ("Feminine,21-23,NG,Active,extra\n", 2, None, "5 cells"),
        ("Feminine,21-23\n", 2, None, "2 cells"),
        ('"Feminine,21-23,NG,Active\nMasculine",30-38,BD,Active\n', 2, "prs_Gender", "quote"),
        ("Femi\x00nine,21-23,NG,Active\n", 2, "prs_Gender", "U+0000"),
    ],
    ids=["longer", "shorter", "open-quote", "nul"],
)
def test_a_malformed_csv_row_is_named_and_nothing_is_saved(
    demo_db: Database, tail: str, row: int, column: str | None, words: str
) -> None:
    before = _cases(demo_db)
    with pytest.raises(RowsInvalid) as refused, demo_db.unit_of_work() as session:
        import_cases(
            session, actor=actor(session, "caseworker.jo"), data=(HEADER + GOOD + tail).encode()
        )
    (problem,) = refused.value.problems
    assert (problem.row, problem.column) == (row, column)
    assert words in problem.message
    assert _cases(demo_db) == before


def test_a_control_character_in_a_json_value_is_refused() -> None:
    body = {"cases": [{"prs_Gender": "Feminine", "prs_Citizenship": ["NG", "K\u0000W"]}]}
    rows = parse(json.dumps(body).encode())
    from jusoor.cases.htcds.imports import _row_case

    _case, _closed, problems = _row_case(1, rows[0])
    assert [(p.row, p.column) for p in problems] == [(1, "prs_Citizenship")]
    assert "U+0000" in problems[0].message


def test_json_nested_beyond_reason_is_refused_not_crashed() -> None:
    with pytest.raises(NotHtcds):
        parse(b"[" * 200_000 + b"]" * 200_000, ImportLimits(10**7, 10, 10**7, 100, 50))


def test_sizes_and_rows_over_the_limits_are_refused_before_parsing() -> None:
    with pytest.raises(Invalid) as big:
        parse(b"x" * 10_001, LIMITS)
    assert "10,000 bytes" in big.value.message
    with pytest.raises(Invalid) as many_csv:
        parse((HEADER + GOOD * 4).encode(), LIMITS)
    assert "more than 3 rows" in many_csv.value.message
    with pytest.raises(Invalid) as many_json:
        parse(json.dumps([{"prs_Gender": "Feminine"}] * 4).encode(), LIMITS)
    assert "more than 3 rows" in many_json.value.message
    assert len(parse((HEADER + GOOD * 3).encode(), LIMITS)) == 3


def test_the_api_applies_the_web_row_limit(
    client: TestClient, demo_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JUSOOR_IMPORT_WEB_MAX_ROWS", "2")
    get_settings.cache_clear()
    headers = {**bearer(demo_db, "caseworker.ma"), "Content-Type": "text/csv"}
    before = _cases(demo_db)
    refused = client.post(
        "/api/v1/cases/import", content=(HEADER + GOOD * 3).encode(), headers=headers
    )
    assert refused.status_code == 422
    # caseworker.ma works in Arabic: the message comes in the user's language.
    assert refused.json()["error"]["message"] == translated(
        "The file %(file)s has more than %(limit)s rows; split it into smaller files.",
        "ar",
        file="htcds",
        limit=2,
    )
    assert _cases(demo_db) == before


def test_the_command_refuses_a_file_over_the_byte_limit_before_reading_it(
    demo_sqlite: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "cases.csv"
    path.write_text(HEADER + GOOD * 50, "utf-8")
    monkeypatch.setenv("JUSOOR_IMPORT_MAX_BYTES", "200")
    get_settings.cache_clear()
    result = runner.invoke(
        app, ["cases", "import", str(path), "--agency", "tn-ngo", "--owner", "caseworker.tn"]
    )
    assert result.exit_code == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert "files of up to 200 bytes" in result.stderr
    assert _cases(demo_sqlite) == 0
