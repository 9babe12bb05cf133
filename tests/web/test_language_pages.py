"""Choosing the language: a cookie for everyone, the profile for signed-in users; Arabic is RTL."""

from __future__ import annotations

import html

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from jusoor.agencies.models import User
from jusoor.core.db import Database
from tests.conftest import DEMO_PASSWORD
from tests.support.web import login, post_form, translated


def locale_of(db: Database, username: str) -> str:
    with db.unit_of_work() as session:
        return session.scalars(select(User.locale).where(User.username == username)).one()


def test_arabic_pages_are_right_to_left_and_in_arabic(client: TestClient) -> None:
    client.headers["accept-language"] = "ar-EG,ar;q=0.9,en;q=0.5"
    page = client.get("/login").text
    assert '<html lang="ar" dir="rtl">' in page
    assert translated("Sign in to Jusoor", "ar") in html.unescape(page)
    client.headers["accept-language"] = "fr-MA"
    assert '<html lang="fr" dir="ltr">' in client.get("/login").text


def test_every_page_has_the_switcher_and_the_landmarks(
    client: TestClient, demo_db: Database
) -> None:
    pages = [client.get("/login").text]
    login(client, demo_db, "auditor.ma", DEMO_PASSWORD)
    pages += [client.get(path).text for path in ("/", "/audit", "/profile")]
    for page in pages:
        assert 'action="/language"' in page
        assert all(f'name="lang" value="{code}"' in page for code in ("ar", "en", "fr"))
        assert 'href="#main"' in page and '<main id="main"' in page


def test_switching_before_sign_in_sets_the_cookie_and_returns(client: TestClient) -> None:
    response = post_form(client, "/language", {"lang": "fr", "next": "/login"}, page="/login")
    assert response.status_code == 303 and response.headers["location"] == "/login"
    assert "jusoor_lang=fr" in response.headers["set-cookie"]
    page = html.unescape(client.get("/login").text)
    assert '<html lang="fr" dir="ltr">' in page
    assert translated("Sign in to Jusoor", "fr") in page


def test_switching_when_signed_in_saves_the_choice_in_the_profile(
    client: TestClient, demo_db: Database
) -> None:
    login(client, demo_db, "screener.eg", DEMO_PASSWORD)
    assert '<html lang="ar" dir="rtl">' in client.get("/").text  # the profile says Arabic
    response = post_form(client, "/language", {"lang": "en", "next": "/profile"}, page="/")
    assert response.headers["location"] == "/profile"
    assert locale_of(demo_db, "screener.eg") == "en"
    client.cookies.delete("jusoor_lang")  # the profile, not the cookie, keeps it
    assert '<html lang="en" dir="ltr">' in client.get("/").text


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example"])
def test_the_switcher_does_not_redirect_off_site(client: TestClient, target: str) -> None:
    response = post_form(client, "/language", {"lang": "ar", "next": target}, page="/login")
    assert response.headers["location"] == "/"


def test_an_unknown_language_is_refused_in_the_current_one(client: TestClient) -> None:
    client.headers["accept-language"] = "fr"
    response = post_form(client, "/language", {"lang": "de", "next": "/"}, page="/login")
    assert response.status_code == 422
    message = "This language is not available. Choose Arabic, English or French."
    assert translated(message, "fr") in html.unescape(response.text)
    assert "jusoor_lang" not in response.headers.get("set-cookie", "")


def test_numbers_follow_the_digits_preference(client: TestClient, demo_db: Database) -> None:
    login(client, demo_db, "admin", DEMO_PASSWORD)
    response = post_form(
        client, "/profile", {"display_name": "Hamza Ayman", "locale": "ar", "digits": "arab"}
    )
    assert response.status_code == 303
    home = client.get("/").text
    assert '<html lang="ar" dir="rtl">' in home
    assert "٦٤" in home  # 64 demo users, in Arabic-Indic digits
