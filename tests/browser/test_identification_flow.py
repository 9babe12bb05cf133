"""Formal identification end to end, in a real Chromium: a screener (in Arabic, on a 390 px
phone) screens a presumed victim and opens a case for a case worker of another agency; the
investigator finds the person in the identification queue and identifies them; the case worker
sees the decision and the screening result on the case page, and its timeline.

Screenshots go to $JUSOOR_SCREENSHOTS as identification-*.png.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from jusoor.agencies.service import get_user_by_username
from jusoor.core.db import Database
from tests.support.browser import OpenPage, choose_language, shot, sign_in

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
BASIS = "Passport held by the employer, unpaid for eight months, locked in at night."


def _enter(new_page: OpenPage, server: str, username: str, lang: str, **size: int) -> Page:
    page = new_page(lang=lang, **size)
    sign_in(page, server, username)
    if page.get_attribute("html", "lang") != lang:
        choose_language(page, lang)
        page.wait_for_load_state()
    assert page.get_attribute("html", "lang") == lang
    return page


def _submit(page: Page, form: str) -> None:
    page.locator(f"{form} button[type=submit]").first.click()
    page.wait_for_load_state()


def _fits(page: Page) -> None:
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]


def _screen_on_a_phone_in_arabic(page: Page, server: str) -> tuple[str, str]:
    """The screener answers yes to every question; returns the screening's id and case reference."""
    page.goto(f"{server}/screening")
    assert page.get_attribute("html", "dir") == "rtl"
    page.select_option("#age_band", "18-20")
    page.select_option("#exploitation", "labour")
    page.fill("#label", "هـ-7")
    page.locator("details.person summary").click()
    page.select_option("#gender", "feminine")
    page.select_option("#citizenship", "NG")
    page.locator("input[name=languages][value=en]").check()
    _fits(page)
    shot(page, "identification-1-start-ar-phone")
    _submit(page, "form[action='/screening']")
    for _step in range(20):
        if page.url.endswith("/result"):
            break
        for radio in page.locator("input[type=radio][value=yes]").all():
            radio.check()
        page.click("button[name=then][value=next]")
        page.wait_for_load_state()
    assert page.url.endswith("/result"), page.url
    screening_id = page.url.split("/")[-2]
    expect(page.locator(".outcome h2")).to_have_text("ضحية مفترضة")
    # Sent without a case worker: the form comes back with the message beside the field.
    _submit(page, "form[action$='/case']")
    expect(page.locator("#owner_username-error")).to_be_visible()
    page.select_option("#owner_username", "caseworker.ma")
    _submit(page, "form[action$='/case']")
    assert "/cases/opened/" in page.url
    reference = page.url.rsplit("/", 1)[1]
    assert re.fullmatch(r"MA-\d{4}-\d{6}", reference), reference
    page.goto(f"{server}/screening")
    expect(page.locator("main")).to_contain_text(reference)  # My screenings: the reference only
    _fits(page)
    shot(page, "identification-2-my-screenings-ar-phone")
    return screening_id, reference


def test_a_presumed_victim_is_identified_from_the_queue_and_the_case_worker_sees_it(
    server: str, new_page: OpenPage, demo_sqlite: Database
) -> None:
    screener = _enter(new_page, server, "screener.ma", "ar", **PHONE)
    screening_id, reference = _screen_on_a_phone_in_arabic(screener, server)

    investigator = _enter(new_page, server, "investigator.ma", "en")
    investigator.click("nav a[href='/identification']")
    investigator.wait_for_load_state()
    row = investigator.locator(
        "li.queue-row", has=investigator.locator(f"a[href='/screening/{screening_id}/result']")
    )
    expect(row).to_contain_text("Presumed victim")
    expect(row).to_contain_text("18 to 20 years")
    expect(row).to_contain_text("Days left")
    shot(investigator, "identification-3-queue")
    row.locator("a.button").click()
    investigator.wait_for_load_state()
    form = "form[action$='/identification']"
    investigator.select_option(f"{form} #status", "actual")
    investigator.fill(f"{form} #basis", BASIS)
    _submit(investigator, form)
    expect(investigator.locator("[role=status]")).to_be_visible()
    expect(investigator.locator(".decisions")).to_contain_text("Victim (identified)")
    investigator.goto(f"{server}/identification")
    expect(investigator.locator(f"a[href='/screening/{screening_id}/result']")).to_have_count(0)

    with demo_sqlite.unit_of_work() as session:
        decider = get_user_by_username(session, "investigator.ma")
        assert decider is not None
        decider_name = decider.display_name

    worker = _enter(new_page, server, "caseworker.ma", "en")
    worker.goto(f"{server}/cases")
    worker.locator("a", has_text=reference).first.click()
    worker.wait_for_load_state()
    panel = worker.locator("section[aria-labelledby=case-screening-title]")
    expect(panel).to_contain_text("Presumed victim")
    expect(panel).to_contain_text("Confiscation of documents")
    expect(panel).to_contain_text("Victim (identified)")
    expect(panel).to_contain_text(decider_name)
    expect(panel).to_contain_text(BASIS)
    profile = worker.locator("main").inner_text()
    assert "18-20" in profile and "Female" in profile, profile
    timeline = worker.locator("#timeline-title + details ol")
    expect(timeline).to_contain_text("Identified as a victim of trafficking")
    shot(worker, "identification-4-case-page")
    panel.locator(f"a[href='/screening/{screening_id}/result']").click()
    worker.wait_for_load_state()
    expect(worker.locator(".outcome h2")).to_have_text("Presumed victim")
