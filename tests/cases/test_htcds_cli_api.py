"""`jusoor cases export|import` and `/api/v1/cases/export|import`, on both engines."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from typer.testing import CliRunner

from jusoor.audit.models import AuditEvent
from jusoor.cases.models import Case
from jusoor.cli.main import app
from jusoor.core.db import Database
from tests.cases.support import open_case
from tests.support.tokens import bearer

runner = CliRunner()
CSV = "prs_Gender,jus_AgeBroad,prs_Citizenship,cas_Status\nFeminine,21-23,NG,Active\n"


def _cases(db: Database) -> int:
    with db.unit_of_work() as session:
        return int(session.scalar(select(func.count()).select_from(Case)) or 0)


def test_cli_exports_then_imports_a_file(demo_db: Database, tmp_path: Path) -> None:
    with demo_db.unit_of_work() as session:
        reference = open_case(session, name="Amina Testname").reference
    out = tmp_path / "cases.json"
    exported = runner.invoke(app, ["cases", "export", "--format", "json", "--out", str(out)])
    assert exported.exit_code == 0, exported.output
    text = out.read_text("utf-8")
    assert reference in text and "Amina" not in text
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    again = runner.invoke(app, ["cases", "export", "--out", str(out)])
    assert again.exit_code == 1 and "exists" in again.output
    imported = runner.invoke(
        app,
        ["cases", "import", str(out), "--agency", "tn-ngo", "--owner", "caseworker.tn", "--json"],
    )
    assert imported.exit_code == 0, imported.output
    (new,) = json.loads(imported.stdout)["imported"]
    assert new.startswith("TN-")
    with demo_db.unit_of_work() as session:
        actions = set(session.scalars(select(AuditEvent.action)).all())
    assert {"cases.export", "cases.import"} <= actions


def test_cli_import_lists_every_bad_row_and_saves_nothing(
    demo_db: Database, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(CSV + "Feminine,21-23,ZZ,Active\nFeminine,21-23,NG,Sleeping\n", "utf-8")
    result = runner.invoke(
        app, ["cases", "import", str(bad), "--agency", "tn-ngo", "--owner", "caseworker.tn"]
    )
    assert result.exit_code == 1
    assert "Row 2, column prs_Citizenship" in result.output
    assert "Row 3, column cas_Status" in result.output
    assert _cases(demo_db) == 0


def test_api_export_as_csv_and_json(client: TestClient, demo_db: Database) -> None:
    with demo_db.unit_of_work() as session:
        reference = open_case(session, contact="+212600000009").reference
    headers = bearer(demo_db, "caseworker.ma")
    as_csv = client.get("/api/v1/cases/export?format=csv", headers=headers)
    assert as_csv.status_code == 200, as_csv.text
    assert as_csv.headers["content-type"].startswith("text/csv")
    assert reference in as_csv.text and "+212600000009" not in as_csv.text
    as_json = client.get("/api/v1/cases/export?format=json", headers=headers)
    assert [row["jus_CaseReference"] for row in as_json.json()["cases"]] == [reference]
    refused = client.get("/api/v1/cases/export", headers=bearer(demo_db, "analyst.ma"))
    assert refused.status_code == 403
    assert client.get("/api/v1/cases/export?format=xml", headers=headers).status_code == 422


def test_api_import_opens_cases_or_names_the_bad_field(
    client: TestClient, demo_db: Database
) -> None:
    headers = {**bearer(demo_db, "caseworker.ma"), "Content-Type": "text/csv"}
    created = client.post("/api/v1/cases/import", content=CSV.encode(), headers=headers)
    assert created.status_code == 201, created.text
    assert created.json()["imported"][0].startswith("MA-")
    bad = client.post(
        "/api/v1/cases/import", content=(CSV + "Feminine,9-17,NG,Open\n").encode(), headers=headers
    )
    assert bad.status_code == 422
    assert bad.json()["error"]["field"] == "cas_Status"
    empty = client.post("/api/v1/cases/import", content=b"", headers=headers)
    assert empty.status_code == 422 and empty.json()["error"]["field"] == "file"
    assert _cases(demo_db) == 1
