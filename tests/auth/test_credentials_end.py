"""A password change or reset ends the credentials issued before it (ASVS 3.3.3): every other
session of the user and every API token, in the same transaction, audited, and the person is told
how many; the session that changed its own password lives on under a new id."""

from __future__ import annotations

import html
import json
import re

from fastapi.testclient import TestClient
from sqlalchemy import select

from jusoor.audit.models import AuditEvent
from jusoor.core.db import Database
from jusoor.core.i18n import gettext, use_locale
from jusoor.web.middleware import SESSION_COOKIE
from tests.conftest import DEMO_PASSWORD
from tests.support import tokens
from tests.support.web import csrf_from, login, post_form, translated

NEW_PASSWORD = "Granite-Olive-Harbour-73"
CHANGED = (
    "Your password is changed. Other sessions ended: %(sessions)s. API tokens revoked: "
    "%(tokens)s. Issue new tokens for any program that used them."
)
RESET = (
    "Sessions ended: %(sessions)s. API tokens revoked: %(tokens)s. The user must issue "
    "new tokens for any program that used them."
)


def _in(locale: str, message: str, **params: object) -> str:
    with use_locale(locale):
        return gettext(message, **params)


def _browser(client: TestClient) -> TestClient:
    return TestClient(client.app, base_url="http://127.0.0.1:8000")


def _me(client: TestClient, headers: dict[str, str] | None = None) -> int:
    return client.get("/api/v1/me", headers=headers or {}).status_code


def _last_event(db: Database, action: str) -> AuditEvent:
    with db.unit_of_work() as session:
        event = session.scalars(
            select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.seq.desc())
        ).first()
        assert event is not None
        return event


def test_a_password_change_ends_other_sessions_and_tokens_and_keeps_this_one(
    client: TestClient, demo_db: Database
) -> None:
    other = _browser(client)
    login(other, demo_db, "investigator.ly", DEMO_PASSWORD)
    login(client, demo_db, "investigator.ly", DEMO_PASSWORD)
    token = {"Authorization": f"Bearer {tokens.issue(demo_db, 'investigator.ly')}"}
    assert _me(other) == _me(client) == _me(_browser(client), token) == 200
    before = client.cookies.get(SESSION_COOKIE)
    client.post("/language", data={"lang": "fr", "csrf_token": csrf_from(client.get("/").text)})

    form = {
        "current_password": DEMO_PASSWORD,
        "new_password": NEW_PASSWORD,
        "new_password_again": NEW_PASSWORD,
    }
    response = post_form(client, "/profile/password", form, page="/profile")

    assert response.status_code == 303
    assert response.headers["location"] == "/profile?done=password&sessions=1&tokens=1"
    assert _me(other) == 401  # the other browser is signed out
    assert _me(_browser(client), token) == 401  # the token is revoked
    after = client.cookies.get(SESSION_COOKIE)
    assert after and after != before  # this session lives on, under a new id
    page = html.unescape(client.get(response.headers["location"]).text)
    # The page speaks the person's language (the catalogs' coverage is tests/core/test_translations).
    assert _in("fr", CHANGED, sessions=1, tokens=1) in page
    assert _me(client) == 200
    event = _last_event(demo_db, "auth.credentials_ended")
    assert json.loads(event.details) == {"reason": "password_change", "sessions": 1, "tokens": 1}
    assert event.actor_username == "investigator.ly"


def test_a_failed_password_change_ends_nothing(client: TestClient, demo_db: Database) -> None:
    other = _browser(client)
    login(other, demo_db, "investigator.ly", DEMO_PASSWORD)
    login(client, demo_db, "investigator.ly", DEMO_PASSWORD)
    token = {"Authorization": f"Bearer {tokens.issue(demo_db, 'investigator.ly')}"}
    form = {"current_password": "wrong", "new_password": NEW_PASSWORD}
    form["new_password_again"] = NEW_PASSWORD
    assert post_form(client, "/profile/password", form, page="/profile").status_code == 422
    assert _me(other) == _me(_browser(client), token) == 200


def test_an_administrators_reset_ends_every_session_and_token(
    client: TestClient, demo_db: Database
) -> None:
    target = _browser(client)
    login(target, demo_db, "provider.jo", DEMO_PASSWORD)
    token = {"Authorization": f"Bearer {tokens.issue(demo_db, 'provider.jo')}"}
    login(client, demo_db, "admin", DEMO_PASSWORD)
    users = client.get("/admin/users?q=provider.jo").text
    user_id = re.search(r'href="/admin/users/([0-9a-f-]{36})"', users)
    assert user_id
    page = f"/admin/users/{user_id.group(1)}"

    response = post_form(client, f"{page}/password", {}, page=page)

    assert response.status_code == 200
    assert RESET % {"sessions": 1, "tokens": 1} in html.unescape(response.text)
    assert _me(target) == 401 and _me(_browser(client), token) == 401
    event = _last_event(demo_db, "user.reset_password")
    details = json.loads(event.details)
    assert (details["sessions"], details["tokens"]) == (1, 1)


def test_guessing_the_current_password_is_throttled_like_a_sign_in(
    client: TestClient, demo_db: Database
) -> None:
    """A stolen session cannot be used to guess the password and take the account over."""
    other = _browser(client)
    login(other, demo_db, "investigator.ly", DEMO_PASSWORD)
    login(client, demo_db, "investigator.ly", DEMO_PASSWORD)
    guess = {"new_password": NEW_PASSWORD, "new_password_again": NEW_PASSWORD}
    for i in range(5):
        form = {**guess, "current_password": f"guess-{i}"}
        response = post_form(client, "/profile/password", form, page="/profile")
        assert response.status_code == 422
    right = {**guess, "current_password": DEMO_PASSWORD}
    refused = post_form(client, "/profile/password", right, page="/profile")
    assert refused.status_code == 422
    locked = translated(
        "Too many failed attempts. Try again in %(minutes)s minutes.", "ar", minutes=1
    )
    assert locked in html.unescape(refused.text)  # investigator.ly reads Arabic
    assert _me(other) == 200  # nothing was ended
