"""The web shell in a real Chromium against a real uvicorn server over the demo directory.

The fixtures (`browser`, `server`, `new_page`) are in tests/support/browser.py; screenshots go to
$JUSOOR_SCREENSHOTS so that a person can look at the Arabic and English pages after a run.
"""

from __future__ import annotations

import pyotp
import pytest

from jusoor.core.db import Database
from tests.support.browser import OpenPage, choose_language, shot, sign_in
from tests.support.web import totp_secret

pytestmark = pytest.mark.browser


def test_arabic_sign_in_gives_a_right_to_left_page_then_english(
    server: str, new_page: OpenPage
) -> None:
    page = new_page(lang="ar")
    page.goto(f"{server}/login")
    assert page.get_attribute("html", "dir") == "rtl"
    shot(page, "login-ar")
    sign_in(page, server, "screener.eg")
    assert page.url == f"{server}/"
    assert page.get_attribute("html", "lang") == "ar"
    width = 1200
    brand = page.locator(".brand").bounding_box()
    first_link = page.locator(".nav a").first.bounding_box()
    assert brand and first_link
    assert brand["x"] > width / 2 and first_link["x"] > width / 2  # mirrored: start is at the right
    shot(page, "home-ar")
    choose_language(page, "en")
    page.wait_for_load_state()
    assert page.get_attribute("html", "dir") == "ltr"
    moved = page.locator(".nav a").first.bounding_box()
    assert moved and moved["x"] < width / 2
    assert page.locator("h1").inner_text().startswith("Welcome")
    shot(page, "home-en-screener")


def test_a_failed_sign_in_says_why_and_keeps_the_username(server: str, new_page: OpenPage) -> None:
    page = new_page(lang="en")
    sign_in(page, server, "screener.ma", "not-the-password")
    assert page.locator("[role=alert]").inner_text() == "Wrong username or password."
    assert page.input_value("#username") == "screener.ma"
    assert page.input_value("#password") == ""


def test_admin_signs_in_with_a_code_searches_users_on_a_phone_and_signs_out(
    server: str, new_page: OpenPage, demo_sqlite: Database
) -> None:
    page = new_page(lang="en")
    sign_in(page, server, "admin")
    assert "/login/second-factor" in page.url
    secret = totp_secret(demo_sqlite, "admin")
    assert secret
    page.fill("#code", pyotp.TOTP(secret).now())
    page.click("form[action='/login/second-factor'] button[type=submit]")
    page.wait_for_load_state()
    assert page.url == f"{server}/"
    assert page.locator(".badge.ok").first.inner_text() == "Intact"
    shot(page, "home-en-admin")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{server}/admin/users")
    assert "64 users found." in page.locator("#user-results").inner_text()
    # Typing filters the list in place (htmx), without a page load and within the CSP.
    marker = page.evaluate("() => { window.__stay = 1; return window.__stay; }")
    with page.expect_response(lambda r: "/admin/users?q=liaison" in r.url):
        page.fill("#q", "liaison")
    page.wait_for_function("() => document.querySelector('#user-results').innerText.includes('7 ')")
    assert page.evaluate("() => window.__stay") == marker  # the same document: no reload
    assert "q=liaison" in page.url
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390  # no sideways scroll
    shot(page, "users-phone", full_page=False)
    page.click("details.menu > summary")  # on a phone, sign-out is in the menu
    page.click("form[action='/logout'] button[type=submit]")
    page.wait_for_load_state()
    assert "/login" in page.url
    assert page.locator("[role=status]").inner_text() == "You have signed out."
    page.goto(f"{server}/admin/users")
    assert "/login" in page.url  # the session is over


def test_the_admin_home_in_arabic(server: str, new_page: OpenPage, demo_sqlite: Database) -> None:
    """The picture in the README: an administrator's home page in Arabic."""
    page = new_page(lang="ar", width=1100, height=720)
    sign_in(page, server, "admin")
    secret = totp_secret(demo_sqlite, "admin")
    assert secret
    page.fill("#code", pyotp.TOTP(secret).now())
    page.click("form[action='/login/second-factor'] button[type=submit]")
    page.wait_for_load_state()
    choose_language(page, "ar")
    page.wait_for_load_state()
    assert page.get_attribute("html", "dir") == "rtl"
    # One tile per section the admin may open (users, agencies, services, news, audit, profile).
    assert page.locator(".tiles li").count() == page.locator("nav.nav a").count() - 1
    shot(page, "home-ar-admin", full_page=False)
