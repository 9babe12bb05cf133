"""Releases through the console and the API: who may release, what a file holds, and that a
refused or failed release leaves no file behind."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from typer.testing import CliRunner

from jusoor.audit.models import AuditEvent
from jusoor.cases.models import Case
from jusoor.core.db import Database
from jusoor.core.i18n import gettext as _
from jusoor.stats import releases
from jusoor.stats.release_api import METADATA_HEADER
from tests.support.tokens import bearer

runner = CliRunner()


@pytest.fixture
def cases_db(demo_db: Database) -> Database:
    """The demo directory with synthetic cases in every demo country."""
    from jusoor.core.permissions import system_actor
    from jusoor.synth import cases

    with demo_db.unit_of_work() as session:
        assert cases.load_if_empty(session, actor=system_actor("test"), count=120, seed=17) > 0
    return demo_db


def release(*args: str) -> tuple[int, str]:
    from jusoor.cli.main import app as cli

    result = runner.invoke(cli, ["stats", "release", *args])
    return result.exit_code, result.output


def released_events(db: Database) -> list[AuditEvent]:
    with db.unit_of_work() as session:
        return list(session.scalars(select(AuditEvent).where(AuditEvent.action == "stats.release")))


def test_coordinator_writes_a_k_anonymised_release_with_its_metadata(
    cases_db: Database, tmp_path: Path
) -> None:
    demo_db = cases_db
    out = tmp_path / "ma.csv"
    code, output = release("--method", "k-anon", "--k", "2", "--out", str(out),
                           "--as", "coordinator.ma", "--json")  # fmt: skip
    assert code == 0, output
    metadata = json.loads(releases.sidecar(out).read_text("utf-8"))
    assert metadata == json.loads(output)
    assert metadata["method"] == "k-anon" and metadata["k"] == 2
    assert metadata["country"] == "MA" and metadata["jusoor_version"]
    with demo_db.unit_of_work() as session:
        cases_ma = session.scalar(select(func.count()).where(Case.country == "MA"))
    assert metadata["records_in"] == cases_ma  # the country's cases, no other
    lines = out.read_text("utf-8").splitlines()
    assert cases_ma > 20, (metadata, lines)
    assert (
        len(lines) - 1 == metadata["records"] == cases_ma - metadata["report"]["records_suppressed"]
    )
    assert "jus_CaseReference" not in lines[0] and "prs_Gender" in lines[0]
    (event,) = released_events(demo_db)
    details = json.loads(event.details)
    assert details["method"] == "k-anon" and details["records"] == metadata["records"]


def test_a_case_worker_is_refused_and_no_file_is_written(demo_db: Database, tmp_path: Path) -> None:
    out = tmp_path / "x.csv"
    code, output = release("--method", "dp", "--out", str(out), "--as", "caseworker.ma")
    assert code == 1 and "Error" in output
    assert not out.exists() and not releases.sidecar(out).exists()
    assert released_events(demo_db) == []


def test_parameters_out_of_range_name_the_parameter_and_write_nothing(
    demo_db: Database, tmp_path: Path
) -> None:
    out = tmp_path / "x.csv"
    code, output = release("--method", "k-anon", "--k", "1", "--out", str(out),
                           "--as", "analyst.ma")  # fmt: skip
    assert code == 1 and "k must be between 2 and 100, not 1." in output
    code, output = release("--method", "dp", "--epsilon", "20", "--out", str(out),
                           "--as", "analyst.ma")  # fmt: skip
    assert code == 1 and "epsilon must be between" in output
    code, output = release("--method", "l-diversity", "--out", str(out), "--as", "analyst.ma")
    assert code == 1 and "l-diversity" in output
    assert list(tmp_path.iterdir()) == []


def test_an_existing_file_is_never_overwritten(demo_db: Database, tmp_path: Path) -> None:
    out = tmp_path / "x.csv"
    out.write_text("precious", "utf-8")
    code, output = release("--method", "dp", "--out", str(out), "--as", "analyst.ma")
    assert code == 1 and _("The file %(path)s already exists.", path=str(out)) in output
    assert out.read_text("utf-8") == "precious"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.csv"]  # no temporary left


def test_dp_release_over_the_api(client: TestClient, cases_db: Database) -> None:
    demo_db = cases_db
    analyst = bearer(demo_db, "analyst.ma")
    answer = client.post(
        "/api/v1/stats/releases", json={"method": "dp", "epsilon": 2.0}, headers=analyst
    )
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/csv")
    metadata = json.loads(answer.headers[METADATA_HEADER])
    assert metadata["epsilon"] == 2.0 and metadata["delta"] == 0
    assert answer.text.splitlines()[0].split(",") == metadata["attributes"]
    worker = bearer(demo_db, "caseworker.ma")
    refused = client.post("/api/v1/stats/releases", json={"method": "dp"}, headers=worker)
    assert refused.status_code == 403
    bad = client.post(
        "/api/v1/stats/releases", json={"method": "dp", "epsilon": 0.01}, headers=analyst
    )
    assert bad.status_code == 422 and "epsilon" in bad.text
    assert len(released_events(demo_db)) == 1
