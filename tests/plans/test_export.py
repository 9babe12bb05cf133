"""The plan's export for the annual national report, through the CLI, the API and the service."""

from __future__ import annotations

import io
import json
import uuid
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook  # type: ignore[import-untyped]
from typer.testing import CliRunner

from jusoor.cli.main import app as cli
from jusoor.core.db import Database
from jusoor.core.errors import Invalid, NotFound
from jusoor.plans import export
from tests.plans.support import TODAY, actor, demo_plan
from tests.support.tokens import bearer


def _small_computed_value(db: Database) -> str:
    """The MA demo plan, with one computed value set to 3 (a small count), and its id."""
    with db.unit_of_work() as session:
        plan = demo_plan(session)
        computed = next(v for r in plan.reports for v in r.values if v.computed)
        computed.value = 3
        return str(plan.id)


def test_the_export_holds_the_plan_and_publishes_small_computed_counts_as_under_five(
    demo_db: Database,
) -> None:
    plan_id = _small_computed_value(demo_db)
    with demo_db.unit_of_work() as session:
        doc = json.loads(
            export.export_plan(
                session,
                actor=actor(session, "analyst.ma"),
                plan_id=uuid.UUID(plan_id),
                format="json",
                today=TODAY,
            )
        )
    assert doc["plan"]["country"] == "MA"
    assert [p["pillar"] for p in doc["pillars"]] == [
        "prevention", "protection", "prosecution", "partnership"
    ]  # fmt: skip
    measures = [m for p in doc["pillars"] for m in p["measures"]]
    assert all(m["lead"] and m["deadline"] and m["status"] for m in measures)
    assert any(m["overdue"] for m in measures)
    indicators = [i for p in doc["pillars"] for i in p["indicators"]]
    assert all({"baseline", "latest", "target"} <= set(i) for i in indicators)
    values = [v for r in doc["reports"] for v in r["indicators"]]
    assert any(v["computed"] and v["value"] == "<5" for v in values)
    assert not any(v["computed"] and v["value"] == "3" for v in values)
    assert len(doc["reports"]) == 2


def test_a_bad_format_and_another_countrys_plan_are_refused(demo_sqlite: Database) -> None:
    with demo_sqlite.unit_of_work() as session:
        plan = demo_plan(session, "TN")
        with pytest.raises(Invalid) as refused:
            export.export_plan(
                session, actor=actor(session, "analyst.tn"), plan_id=plan.id, format="pdf"
            )
        assert refused.value.field == "format"
        with pytest.raises(NotFound):
            export.export_plan(
                session, actor=actor(session, "analyst.ma"), plan_id=plan.id, format="json"
            )


def test_the_cli_lists_exports_and_reports(demo_sqlite: Database, tmp_path: Path) -> None:
    plan_id = _small_computed_value(demo_sqlite)
    runner = CliRunner()
    listed = runner.invoke(cli, ["plans", "list", "--as", "screener.ma", "--json"])
    assert listed.exit_code == 0, listed.output
    assert [row["id"] for row in json.loads(listed.output)] == [plan_id]
    out = tmp_path / "plan.xlsx"
    written = runner.invoke(
        cli,
        ["plans", "export", plan_id, "--format", "xlsx", "--out", str(out), "--as", "analyst.ma"],
    )
    assert written.exit_code == 0, written.output
    book = load_workbook(io.BytesIO(out.read_bytes()), read_only=True)
    rows = list(book.worksheets[3].iter_rows(values_only=True))
    assert any(row[3] == "indicator" and row[5] == "<5" for row in rows)
    refused = runner.invoke(
        cli, ["plans", "export", plan_id, "--out", str(tmp_path / "x.xlsx"), "--as", "analyst.tn"]
    )
    assert refused.exit_code == 1 and not (tmp_path / "x.xlsx").exists()
    shown = runner.invoke(cli, ["plans", "show", plan_id, "--as", "caseworker.ma", "--json"])
    measure = json.loads(shown.output)["pillars"][0]["measures"][0]
    assert measure["title"]
    with demo_sqlite.unit_of_work() as session:
        from jusoor.plans import service

        plan = service.get_plan(
            session, actor=actor(session, "coordinator.ma"), plan_id=uuid.UUID(plan_id)
        )
        first = plan.pillars[0].measures[0].id
    reported = runner.invoke(
        cli,
        ["plans", "report", plan_id, "--as", "coordinator.ma", "--period", "2026-Q3",
         "--start", "2026-07-01", "--end", "2026-09-30", "--measure", str(first),
         "--status", "done", "--evidence", "https://example.org/minutes"],
    )  # fmt: skip
    assert reported.exit_code == 0, reported.output
    bad = runner.invoke(
        cli,
        ["plans", "report", plan_id, "--as", "coordinator.ma", "--period", "2026-Q4",
         "--start", "2026-10-01", "--end", "2026-12-31", "--measure", str(first),
         "--status", "finished"],
    )  # fmt: skip
    assert bad.exit_code == 1 and "status" in bad.output.lower()


def test_the_api_lists_gets_and_takes_reports_in_scope(
    client: TestClient, demo_db: Database
) -> None:
    with demo_db.unit_of_work() as session:
        plan = demo_plan(session)
        plan_id, theirs = str(plan.id), str(demo_plan(session, "TN").id)
        worker = actor(session, "caseworker.ma")
        ours = next(m for p in plan.pillars for m in p.measures if worker.agency_id in m.agency_ids)
        other = next(
            m for p in plan.pillars for m in p.measures if worker.agency_id not in m.agency_ids
        )
        ours_id, other_id = str(ours.id), str(other.id)
    client.headers.update(bearer(demo_db, "caseworker.ma"))
    assert [p["id"] for p in client.get("/api/v1/plans").json()] == [plan_id]
    assert client.get(f"/api/v1/plans/{plan_id}").json()["plan"]["country"] == "MA"
    assert client.get(f"/api/v1/plans/{theirs}").status_code == 404
    assert isinstance(client.get(f"/api/v1/plans/{plan_id}/overdue").json(), list)
    body = {"label": "2026-Q3", "period_start": "2026-07-01", "period_end": "2026-09-30",
            "measures": [{"measure_id": ours_id, "status": "done"}]}  # fmt: skip
    created = client.post(f"/api/v1/plans/{plan_id}/reports", json=body)
    assert created.status_code == 201, created.text
    body["measures"] = [{"measure_id": other_id, "status": "done"}]
    assert client.post(f"/api/v1/plans/{plan_id}/reports", json=body).status_code == 403
