"""Signing in and out in the browser: messages in three languages, lock-out, second factor, logout."""

from __future__ import annotations

import html

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from jusoor.agencies.models import User
from jusoor.auth.models import WebSession
from jusoor.core.db import Database
from jusoor.core.security import secrets, totp
from tests.conftest import DEMO_PASSWORD
from tests.support.web import csrf_from, login, post_form, totp_secret, translated


def text_of(response: object) -> str:
    return html.unescape(getattr(response, "text", ""))


def session_cookie(client: TestClient) -> str | None:
    return client.cookies.get("jusoor_session")


@pytest.mark.parametrize("lang", ["ar", "en", "fr"])
def test_wrong_password_is_refused_in_the_users_language(client: TestClient, lang: str) -> None:
    client.headers["accept-language"] = lang
    response = post_form(client, "/login", {"username": "screener.eg", "password": "not-it"})
    assert response.status_code == 401
    page = text_of(response)
    assert translated("Wrong username or password.", lang) in page
    assert f'<html lang="{lang}"' in page
    assert 'value="screener.eg"' in page  # the username is kept …
    assert "not-it" not in page  # … the password is not
    assert session_cookie(client) is None


def test_unknown_user_gets_the_same_message_as_a_wrong_password(client: TestClient) -> None:
    response = post_form(client, "/login", {"username": "nobody.xx", "password": "whatever"})
    assert response.status_code == 401
    assert "Wrong username or password." in text_of(response)


def test_sign_in_starts_a_hardened_session_and_opens_the_home_page(
    client: TestClient, demo_db: Database
) -> None:
    response = login(client, demo_db, "screener.eg", DEMO_PASSWORD)
    assert response.status_code == 303 and response.headers["location"] == "/"
    cookie = response.headers["set-cookie"]
    assert (
        cookie.startswith("jusoor_session=") and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    )
    home = client.get("/")
    assert home.status_code == 200
    assert "Amina El-Naggar" in home.text  # screener.eg's display name


def test_repeated_failures_lock_the_account_even_for_the_right_password(
    client: TestClient,
) -> None:
    for _ in range(5):
        post_form(client, "/login", {"username": "analyst.eg", "password": "wrong-password"})
    response = post_form(client, "/login", {"username": "analyst.eg", "password": DEMO_PASSWORD})
    assert response.status_code == 429
    assert "Too many failed attempts. Try again in" in text_of(response)
    assert session_cookie(client) is None


def test_admin_passes_the_second_factor_and_gets_a_new_session_id(
    client: TestClient, demo_db: Database
) -> None:
    response = post_form(client, "/login", {"username": "admin", "password": DEMO_PASSWORD})
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login/second-factor")
    half = session_cookie(client)
    assert half
    # Between the two steps nothing but the second-factor page is open.
    assert client.get("/", follow_redirects=False).headers["location"].startswith("/login")
    assert client.get("/login?next=/audit", follow_redirects=False).headers["location"] == (
        "/login/second-factor?next=/audit"
    )
    wrong = post_form(client, "/login/second-factor", {"code": "000000"})
    assert wrong.status_code == 401
    assert "This code is not valid" in text_of(wrong)
    secret = totp_secret(demo_db, "admin")
    assert secret
    passed = post_form(client, "/login/second-factor", {"code": totp.current_code(secret)})
    assert passed.status_code == 303 and passed.headers["location"] == "/"
    full = session_cookie(client)
    assert full and full != half  # rotated: the half-signed-in id is worthless now
    with demo_db.unit_of_work() as session:
        digests = set(session.scalars(select(WebSession.token_digest)))
    assert secrets.digest(half) not in digests and secrets.digest(full) in digests
    assert "State of this node" in client.get("/").text


def test_a_user_without_a_second_factor_enrols_one_before_going_further(
    client: TestClient, demo_db: Database
) -> None:
    with demo_db.unit_of_work() as session:
        user = session.scalars(select(User).where(User.username == "liaison.eg")).one()
        user.totp_secret = None
    response = post_form(client, "/login", {"username": "liaison.eg", "password": DEMO_PASSWORD})
    assert response.headers["location"].startswith("/login/enrol")
    page = client.get("/login/enrol")
    assert page.status_code == 200 and "<svg" in page.text
    bad = client.post("/login/enrol", data={"code": "123", "csrf_token": csrf_from(page.text)})
    assert bad.status_code == 422
    assert 'id="code-error"' in bad.text
    with demo_db.unit_of_work() as session:
        pending = session.scalars(select(User).where(User.username == "liaison.eg")).one()
        secret = pending.totp_pending_secret
    assert secret and secret.replace(" ", "")[:4] in page.text.replace(" ", "")  # shown as text
    done = post_form(client, "/login/enrol", {"code": totp.current_code(secret)})
    assert done.status_code == 303 and done.headers["location"] == "/"
    assert totp_secret(demo_db, "liaison.eg") == secret
    assert client.get("/").status_code == 200


@pytest.mark.parametrize(
    "target, expected",
    [
        ("/audit?outcome=failure", "/audit?outcome=failure"),
        ("//evil.example/steal", "/"),
        ("https://evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
    ],
)
def test_sign_in_follows_next_only_to_a_local_page(
    client: TestClient, target: str, expected: str
) -> None:
    response = post_form(
        client, "/login", {"username": "auditor.eg", "password": DEMO_PASSWORD, "next": target}
    )
    assert response.status_code == 303
    assert response.headers["location"] == expected


def test_a_page_asked_for_before_sign_in_is_opened_after_it(
    client: TestClient, demo_db: Database
) -> None:
    first = client.get("/profile", follow_redirects=False)
    assert first.status_code == 303 and first.headers["location"] == "/login?next=/profile"
    form = client.get(first.headers["location"])
    assert 'name="next" value="/profile"' in form.text


def test_sign_out_ends_the_session_and_says_so(client: TestClient, demo_db: Database) -> None:
    login(client, demo_db, "caseworker.eg", DEMO_PASSWORD)
    token = session_cookie(client)
    assert token
    response = post_form(client, "/logout", {}, page="/")
    assert response.status_code == 303
    assert response.headers["location"] == "/login?signed_out=1"
    after = html.unescape(client.get(response.headers["location"]).text)
    assert translated("You have signed out.", "ar") in after  # still in caseworker.eg's language
    client.cookies.set("jusoor_session", token)  # replaying the old cookie does not work
    assert client.get("/", follow_redirects=False).status_code == 303


def test_a_post_without_its_csrf_token_is_refused(client: TestClient) -> None:
    response = client.post("/login", data={"username": "admin", "password": DEMO_PASSWORD})
    assert response.status_code == 403
    assert "Reload the page" in response.text
