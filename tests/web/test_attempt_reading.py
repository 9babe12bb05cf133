"""`web.actions.attempt` on a page read: on SQLite no savepoint (a savepoint is a write and would
take the writer's lock for the rest of the page), the failed call's audit events dropped, and a call
that wrote at once after all rolls the whole request back rather than keep half of it."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, func, select

from jusoor.audit.models import AuditEvent
from jusoor.audit.service import record
from jusoor.auth.models import WebSession
from jusoor.core.db import Database
from jusoor.core.errors import Invalid
from jusoor.core.reading import WroteAtOnce
from jusoor.web.actions import attempt
from tests.support.sqlite_lock import writer_free


def _events(db: Database) -> int:
    with db.reading() as session:
        return int(session.scalar(select(func.count()).select_from(AuditEvent)) or 0)


@pytest.fixture
def db(db_url: str) -> Database:
    from jusoor.core import migrate

    database = Database(db_url)
    migrate.upgrade(database.engine)
    return database


def test_a_page_read_runs_its_call_without_taking_the_writers_lock(db: Database) -> None:
    def call() -> int:
        record(session, actor=None, action="stats.read", username="coordinator.ma")
        return int(session.scalar(select(func.count()).select_from(WebSession)) or 0)

    with db.reading() as session:
        shown = attempt(session, call, done=lambda n: ("shown", n), failed=lambda e: ("form", e))
        assert shown == ("shown", 0)
        assert writer_free(db)  # no savepoint, no lock while the page goes on
    assert _events(db) == 1  # the page's event, written at its commit


def test_a_failed_call_leaves_none_of_its_events(db: Database) -> None:
    def call() -> None:
        record(session, actor=None, action="stats.read", username="coordinator.ma")
        raise Invalid("year", "the year is not a number")

    with db.reading() as session:
        record(session, actor=None, action="page.read", username="coordinator.ma")
        errors = attempt(session, call, done=lambda _: {}, failed=lambda e: e)
        assert errors == {"year": "the year is not a number"}
        assert writer_free(db)
    assert _events(db) == 1  # the page's own event, not the failed call's


def test_a_call_that_wrote_at_once_and_failed_rolls_the_request_back(db: Database) -> None:
    def call() -> None:
        record(session, actor=None, action="stats.read", username="coordinator.ma")
        session.execute(delete(WebSession))  # a write the page should not make
        raise Invalid("year", "the year is not a number")

    outcome: object = None
    try:
        with db.reading() as session:
            record(session, actor=None, action="page.read", username="coordinator.ma")
            outcome = attempt(session, call, done=lambda _: {}, failed=lambda e: e)
    except WroteAtOnce:
        outcome = "request rolled back"
    if db.engine.dialect.name == "sqlite":
        assert outcome == "request rolled back" and _events(db) == 0
    else:  # PostgreSQL keeps its savepoint: the call alone is undone
        assert outcome == {"year": "the year is not a number"} and _events(db) == 1
