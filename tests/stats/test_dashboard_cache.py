"""The dashboard keeps its protected tables a minute per scope (issue 18, item 3): a second view
sends far fewer statements, a viewer of another scope never gets the first one's figures, the
permission is checked on every view, and a table is counted again once its time is up."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from jusoor.agencies.service import actor_for, get_user_by_username
from jusoor.core.db import Database
from jusoor.stats import dashboards
from tests.stats.test_dashboard_pages import (
    ALL_DATES,
    _agrees,
    _rows,
    _section,
    _signed_in,
    _stage_counts,
    _user,
)
from tests.stats.test_dashboard_pages import demo_db as demo_db  # 120 cases, SQLite
from tests.support.statements import counting


def _stage_rows(client: TestClient) -> dict[str, str]:
    page = client.get(f"/stats?{ALL_DATES}")
    assert page.status_code == 200
    return _rows(_section(page.text, "stage"))


def _views(client: TestClient, db: Database) -> tuple[int, int]:
    with counting(db.engine) as first:
        client.get(f"/stats?{ALL_DATES}")
    with counting(db.engine) as second:
        client.get(f"/stats?{ALL_DATES}")
    return first.count, second.count


def test_tables_are_kept_a_minute_per_scope_and_never_cross_scopes(
    client: TestClient, demo_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A second view within the minute counts nothing again; once the time is up, it does.
    _signed_in(client, demo_db, "coordinator.ma")
    cold, warm = _views(client, demo_db)
    assert warm <= cold - 10, (cold, warm)  # ~15 grouped counts saved
    # The Moroccan coordinator's national picture is kept; a Moroccan case worker (agency
    # scope) and Egypt's coordinator then see their own figures, not the kept ones.
    national = _stage_rows(client)
    assert _agrees(national["Total"], sum(_stage_counts(demo_db, country="MA").values()))
    worker = _user(demo_db, "caseworker.ma")
    _signed_in(client, demo_db, "caseworker.ma")
    mine = _stage_rows(client)
    assert _agrees(mine["Total"], sum(_stage_counts(demo_db, agency_id=worker.agency_id).values()))
    _signed_in(client, demo_db, "coordinator.eg")
    egypt = _stage_rows(client)
    exact_eg = sum(_stage_counts(demo_db, country="EG").values())
    assert _agrees(egypt["Total"], exact_eg)
    assert exact_eg != sum(_stage_counts(demo_db, country="MA").values())  # the test can tell
    # The permission is checked on every view, kept tables or not.
    _signed_in(client, demo_db, "auditor.ma")
    assert client.get(f"/stats?{ALL_DATES}").status_code == 403
    _signed_in(client, demo_db, "coordinator.ma")
    monkeypatch.setattr(dashboards, "CACHE_SECONDS", 0.0)
    _again, after = _views(client, demo_db)
    assert after >= cold - 2, (cold, after)  # time is up: counted again


def test_the_scope_key_tells_apart_every_scope_and_its_subject(demo_sqlite: Database) -> None:
    with demo_sqlite.unit_of_work() as session:
        keys = {}
        for name in ("coordinator.ma", "coordinator.tn", "caseworker.ma", "provider.ma",
                     "caseworker.tn", "analyst.ma", "admin"):  # fmt: skip
            user = get_user_by_username(session, name)
            if user is not None:
                keys[name] = dashboards.scope_key(actor_for(user, via="session"))
    assert keys["coordinator.ma"] == keys["analyst.ma"] == ("country", "MA")
    assert keys["coordinator.tn"] == ("country", "TN")
    assert keys["caseworker.ma"][0] == "agency" and keys["caseworker.ma"] != keys["provider.ma"]
    assert keys["caseworker.ma"] != keys["caseworker.tn"]
