"""The dashboard keeps its protected tables a minute per scope (issue 18, item 3): a second view
sends far fewer statements, a viewer of another scope never gets the first one's figures, the
permission is checked on every view, and a table is counted again once its time is up."""

from __future__ import annotations

import threading
import time

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jusoor.agencies.service import actor_for, get_user_by_username
from jusoor.cases.models import Case
from jusoor.core.db import Database
from jusoor.stats import dashboards, kept
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
    monkeypatch.setattr(kept, "FRESH_SECONDS", 0.0)
    monkeypatch.setattr(kept, "STALE_SECONDS", 0.0)
    _again, after = _views(client, demo_db)
    assert after >= cold - 2, (cold, after)  # time is up: counted again


def test_a_table_past_its_minute_is_shown_and_counted_again_in_the_background(
    demo_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    counted: list[str] = []

    def count(session: Session) -> int:
        counted.append(threading.current_thread().name)
        return int(session.execute(select(func.count()).select_from(Case)).scalar_one())

    with demo_db.reading() as session:
        kept.forget(session)
        first = kept.kept(session, ("country", "MA"), "cases", count)
        monkeypatch.setattr(kept, "FRESH_SECONDS", 0.0)  # past its minute, not yet too old
        again = kept.kept(session, ("country", "MA"), "cases", count)
    assert again == first  # shown as kept …
    deadline = time.monotonic() + 30
    while len(counted) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.2)
    # … not counted in the request, but once more in the background
    assert counted == [threading.current_thread().name, "jusoor-dashboard-refresh"]


def test_viewers_of_one_scope_asking_at_once_wait_for_one_count(demo_db: Database) -> None:
    counted: list[int] = []
    started = threading.Event()

    def slow_count(session: Session) -> int:
        counted.append(1)
        started.set()
        time.sleep(0.5)
        return int(session.execute(select(func.count()).select_from(Case)).scalar_one())

    results: list[int] = []

    def view() -> None:
        with demo_db.reading() as session:
            results.append(kept.kept(session, ("country", "EG"), "cases", slow_count))

    with demo_db.reading() as session:
        kept.forget(session)
    first = threading.Thread(target=view)
    first.start()
    started.wait(10)
    others = [threading.Thread(target=view) for _ in range(4)]
    for thread in others:
        thread.start()
    for thread in [first, *others]:
        thread.join(30)
    assert len(counted) == 1 and len(results) == 5 and len(set(results)) == 1


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


def test_tables_past_their_time_are_counted_again_one_at_a_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """When many kept tables fall due together (a warmed node, five minutes after it started),
    one thread counts them again in turn: a thread each kept the machine busy for every page."""
    from sqlalchemy import create_engine

    engine = create_engine("sqlite://")
    running, most, counted = [0], [0], []
    guard = threading.Lock()

    def compute(key: int) -> object:
        def count(_session: Session) -> int:
            with guard:
                running[0] += 1
                most[0] = max(most[0], running[0])
            time.sleep(0.05)
            with guard:
                running[0] -= 1
                counted.append(key)
            return key

        return count

    with Session(engine) as session:
        for key in range(6):
            kept.kept(session, ("agency", str(key)), key, compute(key))
        counted.clear()
        monkeypatch.setattr(kept, "FRESH_SECONDS", 0.0)
        for key in range(6):  # each past its time: shown as kept, queued to be counted again
            assert kept.kept(session, ("agency", str(key)), key, compute(key)) == key
        deadline = time.monotonic() + 30
        while len(counted) < 6 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert sorted(counted) == list(range(6)) and most[0] == 1
        kept.forget(session)
    engine.dispose()
