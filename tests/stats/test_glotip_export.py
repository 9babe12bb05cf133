"""The UNODC report: the demo country's answers open with openpyxl under UNODC's very header and
category names; victims' counts match counts made directly in the database; counts 1 to 4 are
"<5" and no other small count appears; the file reads back through the importer's reader; a role
that may not release is refused and nothing is written; the export is audited."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import openpyxl  # type: ignore[import-untyped]
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from jusoor.audit.models import AuditEvent
from jusoor.cases.models import Case
from jusoor.cli.main import app as cli
from jusoor.core.db import Database
from jusoor.core.errors import Forbidden
from jusoor.stats import engine
from jusoor.stats.glotip import export
from jusoor.stats.glotip.read import HEADER, Value, read
from jusoor.stats.glotip.vocabulary import vocabulary
from tests.cases.support import open_case
from tests.investigations.support import actor

SEXES = {"Female", "Male", "Other", "Unknown", "Total"}
AGES = {"0 to 17 years", "18 years or over", "Unknown", "Total"}
FORMS = {"Sexual exploitation", "Forced labour", "Other forms of exploitation"}
INDICATORS = {"Detected trafficking victims", "Persons brought into formal contact",
              "Persons prosecuted", "Persons convicted"}  # fmt: skip


# (gender, age, citizenship, forms, how many): enough for cells over 5, and a few under it.
VICTIMS = [
    ("feminine", 24, ["NG"], ["sexual_exploitation"], 9),
    ("feminine", 31, ["MA"], ["forced_labour", "servitude"], 6),
    ("masculine", 35, ["MA"], ["forced_labour"], 7),
    ("masculine", 16, ["SN"], ["forced_begging"], 2),
    ("feminine", 15, ["MA", "FR"], ["sexual_exploitation", "forced_labour"], 3),
    ("non_conforming", 22, [], ["other"], 1),
]
YEAR = dt.date.today().year


def seed(db: Database) -> int:
    """The victims above, opened this year in Morocco; returns the year."""
    with db.unit_of_work() as s:
        for gender, age, citizenship, forms, n in VICTIMS:
            for _ in range(n):
                open_case(s, gender=gender, age=age, citizenship=citizenship,
                          forms_of_exploitation=forms)  # fmt: skip
    return YEAR


def direct_counts(db: Database, country: str, year: int) -> tuple[Counter[str], Counter[str], int]:
    """Victims of the year by UNODC sex and by UNODC age, counted straight from the cases."""
    v = vocabulary()
    sexes: Counter[str] = Counter()
    ages: Counter[str] = Counter()
    start = dt.datetime(year, 1, 1, tzinfo=dt.UTC)
    with db.unit_of_work() as s:
        cases = s.execute(
            select(Case.gender, Case.is_child, Case.age_band, Case.age).where(
                Case.country == country, Case.opened_at >= start,
                Case.opened_at < start.replace(year=year + 1),
            )
        ).all()  # fmt: skip
    for gender, is_child, band, age in cases:
        sexes[v.sex[gender.value if gender else "unknown"]] += 1
        known = band is not None or age is not None
        ages[v.age["child" if is_child else "adult" if known else "unknown"]] += 1
    return sexes, ages, len(cases)


def published(count: int) -> str:
    return "<5" if 0 < count < 5 else f"{count:,}"


def test_the_export_has_unodc_columns_and_categories_and_the_database_counts(
    demo_db: Database, tmp_path: Path
) -> None:
    year = seed(demo_db)
    out = tmp_path / "glotip.xlsx"
    with demo_db.unit_of_work() as s:
        result = export.answers(s, actor=actor(s, "coordinator.ma"), year=year)
        export.write(result, out)
    sheet = openpyxl.load_workbook(out, read_only=True).worksheets[0]
    sheet.reset_dimensions()
    rows = list(sheet.iter_rows(values_only=True))
    assert tuple(rows[2]) == HEADER
    body = [dict(zip(HEADER, r, strict=True)) for r in rows[3:]]
    assert body and {r["Iso3_code"] for r in body} == {"MAR"}
    assert {r["Country"] for r in body} == {"Morocco"}
    assert {r["Subregion"] for r in body} == {"Northern Africa"}
    assert {r["Indicator"] for r in body} <= INDICATORS
    assert {r["Sex"] for r in body} <= SEXES and {r["Age"] for r in body} <= AGES
    forms = {r["Category"] for r in body if r["Dimension"] == "by form of exploitation"}
    assert forms and forms <= FORMS
    victims = [r for r in body if r["Indicator"] == "Detected trafficking victims"]
    assert {r["Dimension"] for r in victims} <= {"Total", "by form of exploitation",
                                                 "by citizenship"}  # fmt: skip
    # Counts 1 to 4 are written "<5"; no other small number appears among the victims.
    for r in victims:
        text = str(r["txtVALUE"])
        assert text == "<5" or text == "0" or int(text.replace(",", "")) >= 5, r
    sexes, ages, total = direct_counts(demo_db, "MA", year)
    totals = {(r["Sex"], r["Age"]): r["txtVALUE"] for r in victims if r["Dimension"] == "Total"}
    assert totals[("Total", "Total")] == published(total)
    for sex, n in sexes.items():
        assert totals.get((sex, "Total"), "hidden") in (published(n), "hidden")
    for age, n in ages.items():
        assert totals.get(("Total", age), "hidden") in (published(n), "hidden")
    assert any(("Total", age) in totals for age in ages)
    assert total == 28 and totals[("Female", "Total")] == "18"
    # Forced labour and servitude fall in one UNODC form: those six women count once in it.
    by_form = {
        r["Category"]: r["txtVALUE"]
        for r in victims
        if r["Dimension"] == "by form of exploitation" and r["Sex"] == r["Age"] == "Total"
    }
    assert by_form == {
        "Sexual exploitation": "12",
        "Forced labour": "16",
        "Other forms of exploitation": "<5",
    }
    by_citizenship = {
        r["Category"]: r["txtVALUE"]
        for r in victims
        if r["Dimension"] == "by citizenship" and r["Sex"] == r["Age"] == "Total"
    }
    assert by_citizenship == {
        "Nationals": "16",
        "Nigeria": "9",
        "Senegal": "<5",
        "France": "<5",
        "Unknown": "<5",
    }
    # UNODC's categories are a subject of their own: the cases subject is left as declared.
    assert not any(name.startswith("glotip_") for name in engine.subject("cases").dimensions)
    # It reads back through the importer's own reader.
    reading = read(out)
    assert not reading.malformed and len(reading.rows) == len(body)
    assert reading.rows[0].value == Value(None, "<5") or reading.rows[0].value.value is not None
    with demo_db.unit_of_work() as s:
        event = s.scalars(
            select(AuditEvent).where(AuditEvent.action == "stats.glotip.export")
        ).first()  # fmt: skip
        assert event is not None


def test_the_console_writes_the_file_and_refuses_a_role_that_may_not_release(
    demo_sqlite: Database, tmp_path: Path
) -> None:
    year = seed(demo_sqlite)
    out = tmp_path / "ma.xlsx"
    args = ["stats", "glotip", "export", "--year", str(year), "--out", str(out)]
    refused = CliRunner().invoke(cli, [*args, "--as", "caseworker.ma"])
    assert refused.exit_code == 1 and not out.exists()
    assert list(tmp_path.iterdir()) == []
    done = CliRunner().invoke(cli, [*args, "--as", "analyst.ma"])
    assert done.exit_code == 0, done.output
    assert out.is_file() and "figures to" in done.output


def test_another_country_is_refused(demo_sqlite: Database) -> None:
    with demo_sqlite.unit_of_work() as s, pytest.raises(Forbidden):
        export.answers(s, actor=actor(s, "coordinator.ma"), year=2024, country="EG")


def test_the_api_gives_the_same_workbook_to_whom_may_release(
    client: TestClient, demo_db: Database
) -> None:
    import io

    from tests.support.tokens import bearer

    year = seed(demo_db)
    answer = client.get(f"/api/v1/stats/glotip/{year}.xlsx", headers=bearer(demo_db, "analyst.ma"))
    assert answer.status_code == 200, answer.text
    rows = list(
        openpyxl.load_workbook(io.BytesIO(answer.content)).active.iter_rows(values_only=True)
    )
    assert rows[2] == tuple(HEADER)
    victims = [r for r in rows[3:] if r[4] == "Detected trafficking victims" and r[5] == "Total"]
    assert victims and all(r[0] == "MAR" and r[9] == year for r in victims)
    assert all(v not in {"1", "2", "3", "4"} for r in rows[3:] for v in [r[11]])
    refused = client.get(
        f"/api/v1/stats/glotip/{year}.xlsx", headers=bearer(demo_db, "caseworker.ma")
    )
    assert refused.status_code == 403
    abroad = client.get(
        f"/api/v1/stats/glotip/{year}.xlsx?country=EG", headers=bearer(demo_db, "analyst.ma")
    )
    assert abroad.status_code == 403
