"""The profile page: settings, password, second factor and API tokens of the signed-in person."""

from __future__ import annotations

import html
import re

from fastapi.testclient import TestClient
from sqlalchemy import select

from jusoor.agencies.models import User
from jusoor.core.db import Database
from jusoor.core.security import totp
from tests.conftest import DEMO_PASSWORD
from tests.support.web import csrf_from, login, post_form, translated

TOKEN_SHOWN = re.compile(r'<code class="secret" dir="ltr">(jsr_[^<]+)</code>')


def user_row(db: Database, username: str) -> User:
    with db.unit_of_work() as session:
        return session.scalars(select(User).where(User.username == username)).one()


def test_settings_are_saved(client: TestClient, demo_db: Database) -> None:
    login(client, demo_db, "coordinator.tn", DEMO_PASSWORD)
    form = {
        "display_name": "Leila Ben Salah",
        "locale": "fr",
        "digits": "latn",
        "timezone": "Africa/Tunis",
    }
    response = post_form(client, "/profile", form)
    assert response.status_code == 303 and response.headers["location"] == "/profile?done=saved"
    saved = translated("Your settings are saved.", "fr")
    assert saved in html.unescape(client.get(response.headers["location"]).text)
    user = user_row(demo_db, "coordinator.tn")
    assert (user.display_name, user.locale, user.timezone) == (
        "Leila Ben Salah",
        "fr",
        "Africa/Tunis",
    )


def test_a_bad_time_zone_is_named_in_the_form(client: TestClient, demo_db: Database) -> None:
    login(client, demo_db, "screener.jo", DEMO_PASSWORD)
    client.post("/language", data={"lang": "en", "csrf_token": csrf_from(client.get("/").text)})
    response = post_form(
        client, "/profile", {"display_name": "Omar Haddad", "timezone": "Mars/Base"}
    )
    assert response.status_code == 422
    error = re.search(r'id="timezone-error">([^<]+)<', response.text)
    assert error and "Time zone" in error.group(1)
    assert 'value="Mars/Base"' in response.text


def test_changing_the_password_checks_the_current_one_and_the_policy(
    client: TestClient, demo_db: Database
) -> None:
    login(client, demo_db, "investigator.ly", DEMO_PASSWORD)
    client.post("/language", data={"lang": "en", "csrf_token": csrf_from(client.get("/").text)})
    new = "Granite-Olive-Harbour-73"

    def change(current: str, first: str, again: str) -> str:
        form = {"current_password": current, "new_password": first, "new_password_again": again}
        response = post_form(client, "/profile/password", form, page="/profile")
        return response.text if response.status_code == 422 else response.headers["location"]

    assert 'id="current_password-error"' in change("wrong-one", new, new)
    assert 'id="new_password_again-error"' in change(DEMO_PASSWORD, new, new + "x")
    short = change(DEMO_PASSWORD, "short", "short")
    assert 'id="new_password-error">The password must have at least 12 characters.' in short
    assert change(DEMO_PASSWORD, new, new) == "/profile?done=password&sessions=0&tokens=0"
    client.cookies.clear()
    assert (
        post_form(client, "/login", {"username": "investigator.ly", "password": new}).status_code
        == 303
    )


def test_a_token_is_shown_once_works_and_can_be_revoked(
    client: TestClient, demo_db: Database
) -> None:
    login(client, demo_db, "analyst.kw", DEMO_PASSWORD)
    created = post_form(
        client, "/profile/tokens", {"name": "reports", "days": "30"}, page="/profile"
    )
    assert created.status_code == 200
    match = TOKEN_SHOWN.search(created.text)
    assert match
    token = match.group(1)
    profile = client.get("/profile").text
    assert token not in profile and "reports" in profile and token[:10] in profile
    api = TestClient(client.app, base_url="http://127.0.0.1:8000")
    assert api.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    token_id = re.search(r'action="/profile/tokens/([0-9a-f-]+)/revoke"', profile)
    assert token_id
    revoked = post_form(client, f"/profile/tokens/{token_id.group(1)}/revoke", {}, page="/profile")
    assert revoked.headers["location"] == "/profile?done=revoked"
    assert api.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_a_token_with_a_bad_lifetime_is_refused_by_field(
    client: TestClient, demo_db: Database
) -> None:
    login(client, demo_db, "admin", DEMO_PASSWORD)
    response = post_form(client, "/profile/tokens", {"name": "x", "days": "999"}, page="/profile")
    assert response.status_code == 422 and 'id="days-error"' in response.text


def test_roles_without_tokens_see_no_token_form_and_cannot_post_one(
    client: TestClient, demo_db: Database
) -> None:
    login(client, demo_db, "screener.mr", DEMO_PASSWORD)
    page = client.get("/profile").text
    assert 'action="/profile/tokens"' not in page
    response = client.post(
        "/profile/tokens", data={"name": "x", "csrf_token": csrf_from(page)}, follow_redirects=False
    )
    assert response.status_code == 403


def test_a_user_turns_on_a_second_factor_from_the_profile(
    client: TestClient, demo_db: Database
) -> None:
    login(client, demo_db, "caseworker.ma", DEMO_PASSWORD)
    page = client.get("/profile/second-factor")
    assert page.status_code == 200 and "<svg" in page.text
    secret = user_row(demo_db, "caseworker.ma").totp_pending_secret
    assert secret
    done = post_form(client, "/profile/second-factor", {"code": totp.current_code(secret)})
    assert done.headers["location"] == "/profile?done=second_factor"
    assert user_row(demo_db, "caseworker.ma").totp_secret == secret
    client.cookies.clear()
    again = post_form(client, "/login", {"username": "caseworker.ma", "password": DEMO_PASSWORD})
    assert again.headers["location"].startswith("/login/second-factor")


def test_the_time_zone_is_chosen_by_the_name_of_its_country(
    client: TestClient, demo_db: Database
) -> None:
    login(client, demo_db, "coordinator.tn", DEMO_PASSWORD)
    client.post("/language", data={"lang": "ar", "csrf_token": csrf_from(client.get("/").text)})
    page = html.unescape(client.get("/profile").text)
    assert '<option value="Africa/Tunis" selected>تونس</option>' in page
    assert '<option value="America/New_York">الولايات المتحدة (نيويورك)</option>' in page
    assert 'list="timezones"' not in page  # no zone ids to type
