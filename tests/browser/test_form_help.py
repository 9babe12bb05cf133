"""Forms in Chromium, on a 390 px phone in Arabic: a refused form opens on its error summary
(focused, each problem a link that lands on its field), a note box counts its characters as
one types, a long unbroken token in a note never makes the case page scroll sideways, and
withdrawing a consent asks first.

Screenshots go to $JUSOOR_SCREENSHOTS as form-help-*.png.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Dialog, Page, expect

from jusoor.cases.consent import give_consent
from jusoor.cases.schemas import ConsentCreate
from jusoor.core.db import Database
from tests.cases.support import actor, open_case
from tests.support.browser import OpenPage, choose_language, shot, sign_in

pytestmark = pytest.mark.browser
WIDTH = 390


def _case_page(page: Page, server: str, db: Database) -> str:
    with db.unit_of_work() as session:
        case_id = open_case(session).id
    sign_in(page, server, "caseworker.ma")
    if page.get_attribute("html", "lang") != "ar":
        choose_language(page, "ar")
        page.wait_for_load_state()
    url = f"{server}/cases/{case_id}"
    page.goto(url)
    for field in ("#body", "#title"):  # the case page folds its forms (cases/_fold.html)
        unfold(page, field)
    return url


def unfold(page: Page, field: str) -> None:
    """Open the folded form that holds `field`, as a person taps its summary."""
    fold = page.locator("details", has=page.locator(field)).first
    if fold.get_attribute("open") is None:
        fold.locator("xpath=./summary").click()


def test_a_refused_form_opens_on_its_summary_and_the_note_box_counts(
    server: str, new_page: OpenPage, demo_sqlite: Database
) -> None:
    page = new_page(lang="ar", width=WIDTH, height=844)
    _case_page(page, server, demo_sqlite)
    counter = page.locator("#body-counter")
    expect(counter).to_have_text("0 / 5000")
    page.fill("#body", "x" * 120)
    expect(counter).to_have_text("120 / 5000")
    assert page.get_attribute("#body", "maxlength") == "5000"
    # A task with a title too short and an impossible date: both problems, at the top.
    page.fill("#title", "x")
    page.fill("#due_on", "31/02/2023")
    page.locator("form[action$='/tasks'] button[type=submit]").click()
    page.wait_for_load_state()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_have_attribute("role", "alert")
    links = summary.locator("a")
    expect(links).to_have_count(2)
    expect(links.nth(1)).to_contain_text("2023")
    assert page.input_value("#due_on") == "31/02/2023"  # what was typed is kept
    shot(page, "form-help-summary-ar")
    links.nth(1).click()
    expect(page.locator("#due_on")).to_be_focused()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= WIDTH


def test_a_long_unbroken_note_wraps_on_a_phone(
    server: str, new_page: OpenPage, demo_sqlite: Database
) -> None:
    page = new_page(lang="ar", width=WIDTH, height=844)
    _case_page(page, server, demo_sqlite)
    page.fill("#body", "https://example.org/" + "a" * 3000)
    page.locator("form[action$='/notes'] button[type=submit]").click()
    page.wait_for_load_state()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= WIDTH
    shot(page, "form-help-long-note-ar")


def test_withdrawing_a_consent_asks_first(
    server: str, new_page: OpenPage, demo_sqlite: Database
) -> None:
    with demo_sqlite.unit_of_work() as session:
        case = open_case(session)
        consent_in = ConsentCreate(purpose="data_for_statistics", language="ar")
        worker = actor(session, "caseworker.ma")
        give_consent(session, actor=worker, case_id=case.id, consent_in=consent_in)
        case_id = case.id
    page = new_page(lang="en", width=WIDTH, height=844)
    sign_in(page, server, "caseworker.ma")
    if page.get_attribute("html", "lang") != "en":
        choose_language(page, "en")
        page.wait_for_load_state()
    page.goto(f"{server}/cases/{case_id}")
    withdraw = page.locator("form[action$='/withdraw'] button[type=submit]")
    asked: list[str] = []

    def dismiss(dialog: Dialog) -> None:
        asked.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    withdraw.click()
    assert asked and "withdraws this consent" in asked[0]
    expect(withdraw).to_have_count(1)  # nothing was sent
    page.once("dialog", lambda dialog: dialog.accept())
    withdraw.click()
    page.wait_for_load_state()
    expect(page.locator("form[action$='/withdraw']")).to_have_count(0)
