"""Password guessing is throttled through the login page (ASVS 2.2.1); every failure and every
refusal is an audit event; the delay lifts after its time. The counters' design (pair, account,
address, known addresses) is tested in tests/auth/test_throttle.py."""

from __future__ import annotations

import datetime as dt

from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import select, update

from jusoor.audit.models import AuditEvent
from jusoor.auth.models import LoginAttempt
from jusoor.core.config import get_settings
from jusoor.core.db import Database, utcnow
from jusoor.web.middleware import SESSION_COOKIE
from tests.conftest import DEMO_PASSWORD
from tests.support.web import post_form

WRONG = "Wrong username or password."
LOCKED = "Too many failed attempts."


def _attempt(client: TestClient, username: str, password: str) -> Response:
    return post_form(client, "/login", {"username": username, "password": password})


def _login_events(db: Database, after: int) -> list[tuple[str, str]]:
    with db.unit_of_work() as session:
        events = session.scalars(
            select(AuditEvent)
            .where(AuditEvent.seq > after, AuditEvent.action == "auth.login")
            .order_by(AuditEvent.seq)
        ).all()
        return [(e.outcome, e.details) for e in events]


def _last_seq(db: Database) -> int:
    with db.unit_of_work() as session:
        return int(session.scalar(select(AuditEvent.seq).order_by(AuditEvent.seq.desc())) or 0)


def test_five_wrong_passwords_lock_the_account(client: TestClient, demo_db: Database) -> None:
    start = _last_seq(demo_db)
    limit = get_settings().login_max_failures
    assert limit == 5
    for _ in range(limit):
        response = _attempt(client, "caseworker.eg", "not the password")
        assert response.status_code == 401
        assert WRONG in response.text
    locked = _attempt(client, "caseworker.eg", DEMO_PASSWORD)
    assert locked.status_code == 429
    assert LOCKED in locked.text
    assert SESSION_COOKIE not in locked.headers.get("set-cookie", "")
    assert client.get("/api/v1/me").status_code == 401

    events = _login_events(demo_db, start)
    assert events[:limit] == [("failure", '{"reason":"bad_password"}')] * limit
    assert events[limit] == ("denied", '{"reason":"locked_out"}')
    assert len(events) == limit + 1


def test_other_accounts_are_not_locked_by_one_accounts_failures(
    client: TestClient, demo_db: Database
) -> None:
    for _ in range(5):
        _attempt(client, "caseworker.eg", "not the password")
    response = _attempt(client, "screener.eg", DEMO_PASSWORD)
    assert response.status_code == 303


def test_the_lock_out_answers_alike_for_unknown_and_real_users(
    client: TestClient, demo_db: Database
) -> None:
    for username in ("caseworker.eg", "nobody.here"):
        for _ in range(5):
            assert _attempt(client, username, "guess").status_code == 401
    real = _attempt(client, "caseworker.eg", DEMO_PASSWORD)
    unknown = _attempt(client, "nobody.here", DEMO_PASSWORD)
    assert real.status_code == unknown.status_code == 429


def test_the_lock_out_lifts_after_its_time(client: TestClient, demo_db: Database) -> None:
    for _ in range(5):
        _attempt(client, "caseworker.eg", "not the password")
    assert _attempt(client, "caseworker.eg", DEMO_PASSWORD).status_code == 429
    lockout = get_settings().login_lockout_minutes
    with demo_db.unit_of_work() as session:
        session.execute(
            update(LoginAttempt).values(at=utcnow() - dt.timedelta(minutes=lockout + 1))
        )
    assert _attempt(client, "caseworker.eg", DEMO_PASSWORD).status_code == 303


def test_a_successful_login_is_audited_with_its_address(
    client: TestClient, demo_db: Database
) -> None:
    start = _last_seq(demo_db)
    assert _attempt(client, "caseworker.eg", DEMO_PASSWORD).status_code == 303
    with demo_db.unit_of_work() as session:
        event = session.scalars(
            select(AuditEvent).where(AuditEvent.seq > start, AuditEvent.action == "auth.login")
        ).one()
    assert (event.outcome, event.actor_username, event.country) == (
        "success",
        "caseworker.eg",
        "EG",
    )
    assert event.client_addr == "testclient"
