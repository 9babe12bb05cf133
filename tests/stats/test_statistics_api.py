"""`/api/v1/stats/statistics`: the catalogue and each statistic by id (both engines) — counts equal
a direct count with small cells hidden, durations shown only over enough people, scope and refusals
as everywhere, every answer audited."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from jusoor.audit.models import AuditEvent
from jusoor.cases.models import Case
from jusoor.core.db import Database
from jusoor.core.permissions import system_actor
from jusoor.stats import service
from jusoor.synth.cases import load_demo_cases
from tests.support.tokens import bearer

ALL_DATES = "from=2000-01-01&to=2100-12-31"


@pytest.fixture
def demo_db(demo_sqlite: Database) -> Database:
    """SQLite only: the engine's counts are checked on both databases in test_engine_*.py; here
    the answers' shape, protection, scope and refusals."""
    with demo_sqlite.unit_of_work() as session:
        load_demo_cases(session, actor=system_actor("test"), count=80, seed=23)
    return demo_sqlite


def test_the_catalogue_lists_every_statistic_in_the_readers_words(
    client: TestClient, demo_db: Database
) -> None:
    answer = client.get("/api/v1/stats/statistics", headers=bearer(demo_db, "analyst.ma"))
    assert answer.status_code == 200
    ids = [entry["id"] for entry in answer.json()]
    assert ids == [s.id for s in service.catalogue()]
    kinds = {entry["kind"] for entry in answer.json()}
    assert kinds == {"count", "duration"} and all(e["label"] for e in answer.json())


def test_a_count_equals_a_direct_count_with_small_cells_hidden(
    client: TestClient, demo_db: Database
) -> None:
    answer = client.get(
        f"/api/v1/stats/statistics/victims_by_stage?by=stage&{ALL_DATES}",
        headers=bearer(demo_db, "coordinator.ma"),
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["kind"] == "count" and body["durations"] is None
    with demo_db.unit_of_work() as s:
        exact = {
            str(getattr(stage, "value", stage)): n
            for stage, n in s.execute(
                select(Case.stage, func.count()).where(Case.country == "MA").group_by(Case.stage)
            )
        }
    shown = {cell["key"][0]: cell for cell in body["table"]["cells"]}
    assert set(shown) == set(exact)
    for stage, n in exact.items():
        cell = shown[stage]
        if n < 5:
            assert cell["value"] is None and cell["text"] == "<5"
        elif cell["suppressed"] is None:
            assert cell["value"] == n
    assert body["table"]["total"]["value"] == sum(exact.values())
    with demo_db.unit_of_work() as s:
        audited = s.scalars(
            select(AuditEvent).where(
                AuditEvent.action == "stats.read", AuditEvent.object_id == "victims_by_stage"
            )
        ).all()
    assert audited


def test_durations_show_their_figures_only_over_enough_people(
    client: TestClient, demo_db: Database
) -> None:
    answer = client.get(
        f"/api/v1/stats/statistics/case_duration?{ALL_DATES}",
        headers=bearer(demo_db, "coordinator.ma"),
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()["durations"]
    assert answer.json()["kind"] == "duration" and body is not None
    for cell in [*body["cells"], body["overall"]]:
        if cell["count"].startswith("<") or cell["count"] == "x":
            assert cell["median"] is None and cell["mean"] is None and cell["p90"] is None


def test_refusals_and_bad_input_name_what_is_wrong(client: TestClient, demo_db: Database) -> None:
    auditor = client.get(
        "/api/v1/stats/statistics/victims_by_stage", headers=bearer(demo_db, "auditor.ma")
    )
    assert auditor.status_code == 403
    listing = client.get("/api/v1/stats/statistics", headers=bearer(demo_db, "auditor.ma"))
    assert listing.status_code == 403
    unknown = client.get(
        "/api/v1/stats/statistics/no_such_thing", headers=bearer(demo_db, "analyst.ma")
    )
    assert unknown.status_code == 422 and "statistic" in unknown.text
    bad_by = client.get(
        "/api/v1/stats/statistics/victims_by_stage?by=shoe_size",
        headers=bearer(demo_db, "analyst.ma"),
    )
    assert bad_by.status_code == 422 and "by" in bad_by.text


def _cli(*args: str) -> tuple[int, str]:
    from typer.testing import CliRunner

    from jusoor.cli.main import app as cli

    result = CliRunner().invoke(cli, ["stats", *args])
    return result.exit_code, result.output


def test_the_console_lists_and_shows_statistics_as_the_api_does(demo_db: Database) -> None:
    import json

    code, output = _cli("statistics", "--json")
    assert code == 0 and [e["id"] for e in json.loads(output)] == [
        s.id for s in service.catalogue()
    ]
    code, output = _cli(
        "show", "time_in_stage", "--as", "coordinator.ma", "--from-date", "2000-01-01", "--json"
    )
    assert code == 0, output
    data = json.loads(output)
    assert data["by"] == ["stage"] and data["overall"]["count"]
    for cell in data["cells"]:
        if cell["count"].startswith("<") or cell["count"] == "x":
            assert cell["median"] is None
        else:
            assert cell["median"] is not None and cell["median"] >= 0
    code, output = _cli("show", "victims_by_sex_age", "--as", "auditor.ma")
    assert code == 1
    code, output = _cli("show", "no_such_thing", "--as", "analyst.ma")
    assert code == 1 and "no_such_thing" in output
