"""On SQLite a request that writes takes the writer's lock in its database dependency (a worker
thread), never at its first statement in an `async` route on the event loop's thread: waiting
there stalled every request of the node, the lock's holder too when it needed the loop to commit,
until the busy bound answered "busy" (seen in CI). A wait on the loop's thread is logged."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import threading
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import select

from jusoor.core import migrate, reading
from jusoor.core.db import Database
from jusoor.web import deps
from tests.support.sqlite_lock import writer_free


def _request(db: Database, method: str) -> Any:
    return SimpleNamespace(
        method=method,
        scope={"endpoint": None},
        app=SimpleNamespace(state=SimpleNamespace(database=db)),
    )


@pytest.fixture
def sqlite_db(db_url: str) -> Database:
    if not db_url.startswith("sqlite"):
        pytest.skip("PostgreSQL has no single writer's lock")
    db = Database(db_url)
    migrate.upgrade(db.engine)
    return db


def test_a_posting_request_holds_the_lock_before_its_route_runs(sqlite_db: Database) -> None:
    dependency = deps.db_session(_request(sqlite_db, "POST"))
    session = next(dependency)
    assert not writer_free(sqlite_db)  # taken here, in the dependency's thread
    session.execute(select(1))
    dependency.close()
    assert writer_free(sqlite_db)
    reading_dependency = deps.db_session(_request(sqlite_db, "GET"))
    next(reading_dependency)
    assert writer_free(sqlite_db)  # a page read takes it only for its late writes
    reading_dependency.close()


def test_a_wait_for_the_lock_on_the_event_loop_thread_is_logged(
    sqlite_db: Database, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reading, "LOOP_WAIT_WARNING", 0.05)
    holder = sqlite3.connect(str(sqlite_db.engine.url.database), timeout=0, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    threading.Timer(0.3, holder.rollback).start()

    async def route_on_the_loop() -> None:
        with sqlite_db.unit_of_work() as session:
            session.execute(select(1))

    with caplog.at_level(logging.WARNING, logger="jusoor.db"):
        asyncio.run(route_on_the_loop())
    holder.close()
    assert "waited for" in caplog.text and "event loop" in caplog.text
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="jusoor.db"), sqlite_db.unit_of_work() as s:
        s.execute(select(1))  # no loop on this thread: not logged
    assert "event loop" not in caplog.text
