"""Credentials in a real Chromium: a slowed sign-in says when to retry, the administrator lifts it
with one button, and a password change says what it ended (all within the strict CSP)."""

from __future__ import annotations

import pyotp
import pytest

from jusoor.core.db import Database
from tests.conftest import DEMO_PASSWORD
from tests.support.browser import OpenPage, shot, sign_in
from tests.support.web import totp_secret, translated

pytestmark = pytest.mark.browser

NEW_PASSWORD = "Granite-Olive-Harbour-73"


def test_a_slowed_user_is_told_when_to_retry_and_the_admin_lifts_it(
    server: str, new_page: OpenPage, demo_sqlite: Database
) -> None:
    person = new_page(lang="en")
    for _ in range(5):
        sign_in(person, server, "analyst.mr", "not-the-password")
    sign_in(person, server, "analyst.mr")
    assert (
        person.locator("[role=alert]").inner_text()
        == "Too many failed attempts. Try again in 2 minutes."
    )

    admin = new_page(lang="en")
    sign_in(admin, server, "admin")
    secret = totp_secret(demo_sqlite, "admin")
    assert secret
    admin.fill("#code", pyotp.TOTP(secret).now())
    admin.click("form[action='/login/second-factor'] button[type=submit]")
    admin.wait_for_load_state()
    admin.goto(f"{server}/admin/users?q=analyst.mr")
    admin.click("#user-results a >> nth=0")  # the one user found
    admin.wait_for_load_state()
    admin.click("button:has-text('Lift the sign-in slowdown')")
    admin.wait_for_load_state()
    assert "done=unlocked" in admin.url
    assert "the user can sign in again now" in admin.locator("[role=status]").inner_text()
    shot(admin, "user-unlocked-en")

    sign_in(person, server, "analyst.mr")
    assert person.url == f"{server}/"


def test_a_password_change_says_what_it_ended(
    server: str, new_page: OpenPage, demo_sqlite: Database
) -> None:
    elsewhere = new_page(lang="en")
    sign_in(elsewhere, server, "investigator.mr")
    page = new_page(lang="en")
    sign_in(page, server, "investigator.mr")
    page.goto(f"{server}/profile")
    page.fill("#current_password", DEMO_PASSWORD)
    page.fill("#new_password", NEW_PASSWORD)
    page.fill("#new_password_again", NEW_PASSWORD)
    page.click("form[action='/profile/password'] button[type=submit]")
    page.wait_for_load_state()
    notice = page.locator("[role=status]").inner_text()
    # investigator.mr works in French (the profile's language wins over the browser's).
    assert notice == translated(
        "Your password is changed. Other sessions ended: %(sessions)s. API tokens revoked: "
        "%(tokens)s. Issue new tokens for any program that used them.",
        "fr",
        sessions=1,
        tokens=0,
    )
    shot(page, "password-changed-fr")
    page.goto(f"{server}/profile")  # this browser is still signed in, under a new session id
    assert "/login" not in page.url
    elsewhere.goto(f"{server}/profile")  # the other one is not
    assert "/login" in elsewhere.url
