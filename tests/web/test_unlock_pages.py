"""The administrator lifts a user's sign-in slowdown from the user's page (users.manage, audited);
a token made in the browser by a second-factor role records that its session passed the factor."""

from __future__ import annotations

import html
import json
import re

from fastapi.testclient import TestClient
from sqlalchemy import select

from jusoor.agencies.models import User
from jusoor.audit.models import AuditEvent
from jusoor.auth.models import ApiToken
from jusoor.core.db import Database
from tests.conftest import DEMO_PASSWORD
from tests.support.web import login, post_form

UNLOCKED = "The failed sign-in attempts are forgotten: the user can sign in again now."


def _user_page(db: Database, username: str) -> str:
    with db.unit_of_work() as session:
        user_id = session.scalars(select(User.id).where(User.username == username)).one()
    return f"/admin/users/{user_id}"


def _attempt(client: TestClient, username: str, password: str) -> int:
    form = {"username": username, "password": password}
    return post_form(client, "/login", form).status_code


def test_an_administrator_unlocks_a_slowed_user(client: TestClient, demo_db: Database) -> None:
    person = TestClient(client.app, base_url="http://127.0.0.1:8000")
    for _ in range(5):
        assert _attempt(person, "screener.tn", "not the password") == 401
    assert _attempt(person, "screener.tn", DEMO_PASSWORD) == 429
    login(client, demo_db, "admin", DEMO_PASSWORD)
    page = _user_page(demo_db, "screener.tn")
    assert f'action="{page}/unlock"' in client.get(page).text

    response = post_form(client, f"{page}/unlock", {}, page=page)

    assert response.status_code == 303 and response.headers["location"].endswith("?done=unlocked")
    assert UNLOCKED in html.unescape(client.get(response.headers["location"]).text)
    assert _attempt(person, "screener.tn", DEMO_PASSWORD) == 303
    with demo_db.unit_of_work() as session:
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "user.unlock")).one()
        assert event.actor_username == "admin"
        assert json.loads(event.details) == {"username": "screener.tn", "failures": 6}


def test_unlocking_needs_users_manage(client: TestClient, demo_db: Database) -> None:
    login(client, demo_db, "coordinator.tn", DEMO_PASSWORD)
    page = _user_page(demo_db, "screener.tn")
    response = post_form(client, f"{page}/unlock", {}, page="/profile")
    assert response.status_code == 403
    with demo_db.unit_of_work() as session:
        assert (
            session.scalars(select(AuditEvent).where(AuditEvent.action == "user.unlock")).all()
            == []
        )


def test_a_token_made_in_a_second_factor_session_records_it(
    client: TestClient, demo_db: Database
) -> None:
    login(client, demo_db, "liaison.ma", DEMO_PASSWORD)  # passes the second factor
    created = post_form(client, "/profile/tokens", {"name": "relay", "days": "7"}, page="/profile")
    assert created.status_code == 200
    assert re.search(r'<code class="secret" dir="ltr">jsr_', created.text)
    with demo_db.unit_of_work() as session:
        row = session.scalars(select(ApiToken)).one()
        assert (row.name, row.issued_with, row.exception_reason) == ("relay", "session", None)


def test_a_session_that_has_not_passed_the_second_factor_cannot_make_a_token(
    client: TestClient, demo_db: Database
) -> None:
    step = post_form(client, "/login", {"username": "liaison.ma", "password": DEMO_PASSWORD})
    assert step.headers["location"].startswith("/login/second-factor")
    form = {"name": "x"}
    assert (
        post_form(client, "/profile/tokens", form, page=step.headers["location"]).status_code == 401
    )
    assert client.post("/api/v1/me/tokens", json={"name": "x"}).status_code == 401
    with demo_db.unit_of_work() as session:
        assert session.scalars(select(ApiToken)).all() == []
