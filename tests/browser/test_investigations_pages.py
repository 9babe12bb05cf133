"""The investigator's day in a real Chromium: open a file, move it to the preliminary
investigation, find it in "My work" — in English on a wide screen, then in Arabic on a 390 px
phone, where no page (workspace, list, file) scrolls sideways.

Screenshots go to $JUSOOR_SCREENSHOTS as investigations-*.png.
"""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from tests.support.browser import OpenPage, choose_language, shot, sign_in

pytestmark = pytest.mark.browser

# A long title and a long court name, as real ones are: the layout must wrap them.
TITLE = "Shabakat al-Tawzif al-Wahmiya — recruitment of domestic workers through a false agency"
COURT = "Tribunal de première instance de Casablanca, chambre criminelle des affaires de traite"


def _enter(new_page: OpenPage, server: str, lang: str, width: int) -> Page:
    page = new_page(lang=lang, width=width, height=844 if width < 500 else 800)
    sign_in(page, server, "investigator.ma")
    if page.get_attribute("html", "lang") != lang:
        choose_language(page, lang)
        page.wait_for_load_state()
    assert page.get_attribute("html", "lang") == lang
    return page


def _no_sideways_scroll(page: Page) -> None:
    width = page.evaluate("() => window.innerWidth")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width, page.url


def _open_and_move(page: Page, server: str, title: str) -> str:
    """Open a file from the form, move it one stage on; the file's URL."""
    page.goto(f"{server}/investigations/new")
    page.fill("#title", title)
    page.select_option("#origin", "screening")
    page.fill("#reported_on", (dt.date.today() - dt.timedelta(days=4)).isoformat())
    page.fill("#court", COURT)
    page.locator("form[action='/investigations/new'] button[type=submit]").click()
    page.wait_for_load_state()
    assert "?done=opened" in page.url, page.url
    url = page.url.split("?")[0]
    page.select_option("#move-stage", "preliminary_investigation")
    page.locator("form[action$='/move'] button[type=submit]").click()
    page.wait_for_load_state()
    assert "?done=moved" in page.url, page.url
    return url


def test_an_investigator_opens_a_file_moves_it_and_finds_it_in_my_work(
    server: str, new_page: OpenPage
) -> None:
    page = _enter(new_page, server, "en", 1200)
    url = _open_and_move(page, server, TITLE)
    reference = page.locator(".file-head h1 bdi").inner_text()
    expect(page.locator(".stage-road li[aria-current=step]")).to_contain_text(
        "Preliminary investigation"
    )
    expect(page.locator(".stage-road li.done")).to_contain_text("Report received")
    shot(page, "investigations-1-file")

    page.click("nav.nav a[href='/investigations/workspace']")
    page.wait_for_load_state()
    mine = page.locator("#mine")
    expect(mine).to_contain_text("Preliminary investigation")
    expect(mine.locator(f"a[href='{url.removeprefix(server)}']")).to_have_text(reference)
    expect(page.locator("#activity")).to_contain_text("Stage changed")
    shot(page, "investigations-2-workspace")

    phone = _enter(new_page, server, "ar", 390)
    phone.goto(f"{server}/investigations/workspace")
    assert phone.get_attribute("html", "dir") == "rtl"
    expect(phone.locator("#mine")).to_contain_text(reference)
    _no_sideways_scroll(phone)
    shot(phone, "investigations-3-workspace-ar-390")
    phone.click(f"#mine a[href='{url.removeprefix(server)}']")
    phone.wait_for_load_state()
    expect(phone.locator(".file-head")).to_contain_text(TITLE)
    _no_sideways_scroll(phone)
    shot(phone, "investigations-4-file-ar-390")
    phone.goto(f"{server}/investigations")
    _no_sideways_scroll(phone)
    shot(phone, "investigations-5-list-ar-390")
    phone.goto(f"{server}/investigations/figures")
    expect(phone.locator("h1")).to_be_visible()
    _no_sideways_scroll(phone)  # long Arabic row headers wrap inside the counts tables
    shot(phone, "investigations-6-figures-ar-390")
