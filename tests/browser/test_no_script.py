"""Without JavaScript (a browser that blocks it, a page whose script did not arrive on a slow
line), disabling an account is still asked first, on a page of its own (jusoor.web.confirm)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from jusoor.agencies.models import User
from jusoor.core.db import Database
from tests.support.browser import pass_second_factor, shot, sign_in

pytestmark = pytest.mark.browser


def _active(db: Database, username: str) -> bool:
    with db.unit_of_work() as session:
        return bool(session.query(User).filter_by(username=username).one().active)


def test_disabling_an_account_without_the_script_is_asked_on_a_page_then_done(
    server: str, browser: Browser, demo_sqlite: Database
) -> None:
    context = browser.new_context(
        java_script_enabled=False, locale="en", extra_http_headers={"Accept-Language": "en"}
    )
    try:
        page = context.new_page()
        sign_in(page, server, "admin")
        pass_second_factor(page, demo_sqlite, "admin")
        with demo_sqlite.unit_of_work() as session:
            user_id = session.query(User).filter_by(username="analyst.jo").one().id
        page.goto(f"{server}/admin/users/{user_id}")
        page.locator(f"form[action='/admin/users/{user_id}/active'] button[type=submit]").click()
        expect(page.locator("h1")).to_have_text(
            "Disable this account? Its owner will no longer be able to sign in."
        )
        shot(page, "no-script-confirmation")
        assert _active(demo_sqlite, "analyst.jo")  # asked, not done
        page.get_by_role("button", name="Yes, go on").click()
        page.wait_for_load_state()
        assert not _active(demo_sqlite, "analyst.jo")
        assert f"/admin/users/{user_id}" in page.url
    finally:
        context.close()
