"""The court panels on a phone, in Arabic: the prosecutor opens the "Charges and judgments" form
folded in its <details>, sees the unverified-reference warning, records a judgment refused first
(an acquittal with a prison term: the message beside the field) then accepted; nothing makes the
page scroll sideways at 390 px.

Screenshots go to $JUSOOR_SCREENSHOTS as court-*.png.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from jusoor.core.db import Database
from tests.investigations.court_support import UNCHECKED_MA, at_trial, bring
from tests.support.browser import OpenPage, choose_language, pass_second_factor, shot, sign_in

pytestmark = pytest.mark.browser


def test_a_prosecutor_judges_a_charge_on_a_phone_in_arabic(
    server: str, new_page: OpenPage, demo_sqlite: Database
) -> None:
    with demo_sqlite.unit_of_work() as session:
        file, defendant, _charge = at_trial(session)
        bring(session, file, defendant, UNCHECKED_MA)
        url = f"{server}/investigations/{file.id}"
    page = new_page(lang="ar", width=390, height=900)
    sign_in(page, server, "prosecutor.ma")
    pass_second_factor(page, demo_sqlite, "prosecutor.ma")
    page.goto(url)
    if page.get_attribute("html", "lang") != "ar":
        choose_language(page, "ar")
        page.wait_for_load_state()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    panel = page.locator("#charges")
    expect(panel.locator("ul.charges p.once[role=note]")).to_have_count(
        1
    )  # the unverified reference
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    shot(page, "court-1-charges-ar")

    panel.locator("details summary").last.click()
    page.select_option("#judgment-charge_id", index=1)
    page.select_option("#judgment-verdict", "acquitted")
    page.fill("#judgment-prison_months", "12")
    page.click("form[action$='/judgments'] button[type=submit]")
    page.wait_for_load_state()
    expect(page.locator("#judgment-prison_months-error")).to_be_visible()
    expect(page.locator("#judgment-prison_months")).to_have_attribute("aria-invalid", "true")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    shot(page, "court-2-refused-ar")

    page.fill("#judgment-prison_months", "")
    page.click("form[action$='/judgments'] button[type=submit]")
    page.wait_for_load_state()
    expect(page.locator("#charges .judgment")).to_have_count(1)
    expect(page.locator("p.notice[role=status]")).to_be_visible()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    shot(page, "court-3-judged-ar")
