"""The National Referral Mechanism end to end, as its users click through it in a real Chromium:
screen a person, open a case, record consent, refer to a shelter, the shelter accepts and records a
service, the case moves through its stages to closed; another country's provider is refused, the
shelter sees only what was shared, and every read of the case is in the audit trail.

Screenshots go to $JUSOOR_SCREENSHOTS as nrm-*.png.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from jusoor.agencies.models import User
from jusoor.agencies.service import actor_for
from jusoor.audit.service import AuditFilter, search
from jusoor.core.db import Database
from tests.support.browser import OpenPage, choose_language, shot, sign_in

pytestmark = pytest.mark.browser

NAME = "Samira Testperson"
CONTACT = "+212 600 000 000"
STAGES = [
    ("reasonable_grounds", "Interview by the screener gives reasonable grounds."),
    ("recovery_reflection", "The person needs time to recover and decide."),
    ("assistance", "The person accepts assistance."),
    ("residence_inclusion", "The person stays and joins a training programme."),
    ("proceedings", "The person testifies against the recruiter."),
    ("closed", "Proceedings ended; the person no longer needs the mechanism."),
]


def _enter(new_page: OpenPage, server: str, username: str, lang: str) -> Page:
    """Sign in, then choose the interface language (a demo user may have another one saved)."""
    page = new_page(lang=lang)
    sign_in(page, server, username)
    if page.get_attribute("html", "lang") != lang:
        choose_language(page, lang)
        page.wait_for_load_state()
    assert page.get_attribute("html", "lang") == lang
    return page


def _submit(page: Page, form: str) -> None:
    page.locator(f"{form} button[type=submit]").first.click()
    page.wait_for_load_state()


def _screen_and_open_case(page: Page, server: str) -> str:
    """screener.ma answers yes to every question, then opens a case for caseworker.ma."""
    page.goto(f"{server}/screening")
    page.select_option("#age_band", "21-23")
    page.select_option("#exploitation", "labour")
    page.fill("#label", "NRM-1")
    _submit(page, "form[action='/screening']")
    for _step in range(20):
        if page.url.endswith("/result"):
            break
        for radio in page.locator("input[type=radio][value=yes]").all():
            radio.check()
        page.click("button[name=then][value=next]")
        page.wait_for_load_state()
    assert page.url.endswith("/result"), page.url
    expect(page.locator(".outcome h2")).to_have_text("Presumed victim")
    shot(page, "nrm-1-screening-result")
    page.select_option("#owner_username", "caseworker.ma")
    _submit(page, "form[action$='/case']")
    assert "/cases/opened/" in page.url
    reference = page.url.rsplit("/", 1)[1]
    assert re.fullmatch(r"MA-\d{4}-\d{6}", reference), reference
    return reference


def _fill_profile(page: Page) -> None:
    page.click("main a[href$='/profile'][href^='/cases/']")
    page.wait_for_load_state()
    page.fill("#name", NAME)
    page.select_option("#gender", "feminine")
    page.select_option("#age_band", "21-23")
    page.select_option("#languages", ["ar", "fr"])  # chosen by name, posted as codes
    page.fill("#contact", CONTACT)
    _submit(page, "form[action$='/profile']")


def _unfold(page: Page, form: str) -> None:
    """Open the fold a case-page form sits in (closed by default, so the page is short)."""
    fold = page.locator(f"details.form-fold:has({form})")
    if fold.get_attribute("open") is None:
        fold.locator("> summary").click()


def _consent(page: Page, purpose: str, agency_code: str = "") -> None:
    form = "form[action$='/consents']"
    _unfold(page, form)
    page.select_option(f"{form} #purpose", purpose)
    if agency_code:
        page.select_option(f"{form} #agency_code", agency_code)
    _submit(page, form)
    expect(page.locator("[role=status]")).to_be_visible()


def _refer_to_the_shelter(page: Page) -> str:
    page.click("a[href$='/referrals/new']")
    page.wait_for_load_state()
    page.select_option("#kind", "shelter")
    shared = {"age_band", "gender", "languages"}
    for box in page.locator("input[name=shared_fields]").all():
        box.set_checked(box.get_attribute("value") in shared)
    page.fill("#note", "Needs a bed tonight.")
    _submit(page, "form[action$='/referrals/new']")  # no agency chosen yet: refused, input kept
    expect(page.locator("#agency_id-error")).to_have_text("الحقل «الجهة» مطلوب.")
    assert page.input_value("#note") == "Needs a bed tonight."
    assert page.input_value("#kind") == "shelter"
    kept = page.locator("input[name=shared_fields]:checked").all()
    assert {box.get_attribute("value") for box in kept} == shared
    shot(page, "nrm-3-referral-form-ar")
    option = page.locator("#agency_id option", has_text="دار الأمان").filter(has_text="الرباط")
    page.select_option("#agency_id", option.get_attribute("value"))
    _submit(page, "form[action$='/referrals/new']")
    assert re.search(r"/referrals/[0-9a-f-]{36}\?done=created$", page.url), page.url
    return page.url.split("?")[0]


def _provider_serves(page: Page, server: str, referral_url: str) -> None:
    page.goto(f"{server}/referrals")
    page.locator(f"a[href='{referral_url.removeprefix(server)}']").first.click()
    page.wait_for_load_state()
    assert page.url == referral_url
    shared = page.locator("#shared-title + dl").inner_text()
    assert "Female" in shared and "21-23" in shared and "Arabic, French" in shared, shared
    assert NAME not in page.content() and CONTACT not in page.content()
    _submit(page, "form:has(input[name=action][value=accept])")
    expect(page.locator("[role=status]")).to_be_visible()
    page.fill("#what", "Two weeks of emergency shelter")
    page.fill("#delivered_on", dt.datetime.now(dt.UTC).date().isoformat())
    page.fill("#delivered_by", "Shelter duty team")
    _submit(page, "form[action$='/deliveries']")
    expect(page.locator("#delivered-title")).to_be_visible()
    _submit(page, "form:has(input[name=action][value=complete])")
    shot(page, "nrm-4-referral-completed")
    expect(page.locator(".facts").first).to_contain_text("completed")


def test_a_screening_becomes_a_case_referred_to_a_shelter_then_closed(
    server: str, new_page: OpenPage, demo_sqlite: Database
) -> None:
    screener = _enter(new_page, server, "screener.ma", "en")
    reference = _screen_and_open_case(screener, server)

    worker = _enter(new_page, server, "caseworker.ma", "ar")
    worker.goto(f"{server}/cases")
    worker.locator("a", has_text=reference).first.click()
    worker.wait_for_load_state()
    assert worker.get_attribute("html", "dir") == "rtl"
    case_url = worker.url
    case_id = case_url.rsplit("/", 1)[1]
    _fill_profile(worker)
    _consent(worker, "assistance")
    _consent(worker, "referral", "ma-shelter")
    expect(worker.locator("#consents-title + ul")).to_contain_text("دار الأمان")
    shot(worker, "nrm-2-case-consents-ar")
    referral_url = _refer_to_the_shelter(worker)

    provider = _enter(new_page, server, "provider.ma", "en")
    _provider_serves(provider, server, referral_url)

    worker.goto(case_url)
    expect(worker.locator("#case-referrals-title + *")).to_be_visible()
    for stage, reason in STAGES:
        form = "form[action$='/move']"
        _unfold(worker, form)
        worker.select_option(f"{form} #stage", stage)
        worker.fill(f"{form} #reason", reason)
        if worker.locator(f"{form} #early_end_reason").count():  # leaving reflection early
            worker.fill(f"{form} #early_end_reason", "The person asks for assistance now.")
        _submit(worker, form)
        assert worker.url.startswith(case_url), worker.url
        expect(worker.locator("[role=alert]")).to_have_count(0)
    assert worker.locator("form[action$='/move']").count() == 0  # closed: no further move
    assert worker.locator("a[href$='/referrals/new']").count() == 0  # nor a new referral
    timeline = worker.locator("#timeline-title + details ol")
    expect(timeline.locator(f"a[href='{referral_url.removeprefix(server)}']")).to_have_count(4)
    shot(worker, "nrm-5-case-closed-ar")
    worker.locator("#timeline-title").scroll_into_view_if_needed()
    shot(worker, "nrm-5b-case-referrals-timeline-ar", full_page=False)

    # The shelter sees the case with the shared fields only.
    provider.goto(case_url)
    assert provider.locator("h1").inner_text().endswith(reference)
    profile = provider.locator("section[aria-labelledby=profile-title] dl").inner_text()
    assert "Female" in profile and "21-23" in profile and "Arabic, French" in profile, profile
    page_text = provider.locator("main").inner_text()
    assert NAME not in page_text and CONTACT not in page_text
    assert provider.locator("#timeline-title").count() == 0  # nor the history of the case
    shot(provider, "nrm-6-case-as-shelter")

    # A provider of another country is told nothing exists.
    stranger = _enter(new_page, server, "provider.tn", "en")
    for url in (case_url, referral_url):
        response = stranger.goto(url)
        assert response is not None and response.status == 404, url
        assert NAME not in stranger.content() and reference not in stranger.content()
    shot(stranger, "nrm-7-other-country-404")

    with demo_sqlite.unit_of_work() as db:
        auditor = db.scalars(select(User).where(User.username == "auditor.ma")).one()
        reads = search(
            db,
            actor=actor_for(auditor, via="test"),
            flt=AuditFilter(action="case.read", object_id=case_id, limit=500),
        )
        readers = {event.actor_username for event in reads}
    assert {"caseworker.ma", "provider.ma"} <= readers, readers
