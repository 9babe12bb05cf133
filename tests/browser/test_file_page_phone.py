"""The file page of a file holding one of everything, on a 390 px phone in Arabic: every panel is
folded under its title and count (defendants and charges open), and opening them all never makes
the page, or a panel, scroll sideways.

Screenshots go to $JUSOOR_SCREENSHOTS as file-phone-*.png.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from jusoor.core.db import Database
from tests.investigations.support import open_file
from tests.investigations.test_file_page_panels import OPEN_BY_DEFAULT, TITLES, full_file
from tests.support.browser import OpenPage, choose_language, shot, sign_in

pytestmark = pytest.mark.browser
WIDTH = 390
MB = 1_000_000


def _no_sideways_scroll(page: Page) -> None:
    assert page.evaluate("() => document.documentElement.scrollWidth") <= WIDTH
    wide = page.evaluate(
        """() => [...document.querySelectorAll('details.panel[open] > .panel-body')]
             .filter(b => b.scrollWidth > b.clientWidth + 1)
             .map(b => b.parentElement.id)"""
    )
    assert wide == [], f"panels scrolling sideways: {wide}"


def test_the_file_page_folds_every_panel_and_fits_a_phone_in_arabic(
    server: str, new_page: OpenPage, demo_sqlite: Database
) -> None:
    with demo_sqlite.unit_of_work() as session:
        file_id = full_file(session)
    page = new_page(lang="ar", width=WIDTH, height=844)
    sign_in(page, server, "investigator.ma")
    page.goto(f"{server}/investigations/{file_id}")
    if page.get_attribute("html", "lang") != "ar":
        choose_language(page, "ar")
        page.wait_for_load_state()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")

    panels = page.locator("details.panel[id]")
    names = set(panels.evaluate_all("all => all.map(d => d.id)"))
    assert set(TITLES) <= names  # every panel of the file, and the stage-time fold
    for name in TITLES:
        fold = page.locator(f"details#{name}")
        summary = fold.locator("> summary h2")
        expect(summary.locator(".badge")).to_have_text(re.compile(r"^[0-9٠-٩]+$"))
        expect(fold.locator("h2")).to_have_count(1)  # the heading once, in the summary
        assert (fold.get_attribute("open") is not None) is (name in OPEN_BY_DEFAULT), name
    _no_sideways_scroll(page)
    shot(page, "file-phone-1-folded-ar")

    for name in sorted(set(TITLES) - OPEN_BY_DEFAULT):
        page.locator(f"details#{name} > summary").click()
        expect(page.locator(f"details#{name}")).to_have_attribute("open", "")
    _no_sideways_scroll(page)
    shot(page, "file-phone-2-open-ar")


def test_a_scan_too_large_gets_the_forms_error_in_the_browser(
    server: str, new_page: OpenPage, demo_sqlite: Database
) -> None:
    """Over the upload's allowance, the body is refused unread: the browser still shows the
    file page with the attachments panel open and the error beside the field, not a 413 page."""
    with demo_sqlite.unit_of_work() as session:
        file_id = open_file(session).id
    page = new_page(lang="ar", width=WIDTH, height=844)
    sign_in(page, server, "investigator.ma")
    page.goto(f"{server}/investigations/{file_id}")
    page.locator("details#attachments > summary").click()
    page.locator("details#attachments details > summary").click()
    big = b"%PDF-1.7\n" + b"0" * (11 * MB)
    page.set_input_files(
        "#attachment-file",
        files=[{"name": "scan.pdf", "mimeType": "application/pdf", "buffer": big}],
    )
    page.click("form[action$='/attachments'] button[type=submit]")
    page.wait_for_load_state()
    expect(page.locator("#attachment-file-error")).to_be_visible()
    expect(page.locator("details#attachments")).to_have_attribute("open", "")
    _no_sideways_scroll(page)
    shot(page, "file-phone-3-too-large-ar")
