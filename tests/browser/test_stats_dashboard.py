"""The national picture on a 390 px phone in Arabic with Arabic-Indic digits: charts drawn, each
followed by its table, nothing scrolls sideways, and a table downloads as CSV.

Screenshots go to $JUSOOR_SCREENSHOTS as stats-*.png.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import update

from jusoor.agencies.models import User
from jusoor.core.db import Database
from jusoor.core.permissions import system_actor
from jusoor.synth.cases import load_demo_cases
from tests.support.browser import OpenPage, choose_language, shot, sign_in

pytestmark = pytest.mark.browser
WIDTH = 390


def test_the_coordinator_reads_the_national_picture_on_a_phone_in_arabic(
    server: str, new_page: OpenPage, demo_sqlite: Database
) -> None:
    with demo_sqlite.unit_of_work() as session:
        load_demo_cases(session, actor=system_actor("test"), count=80, seed=17)
        session.execute(update(User).where(User.username == "coordinator.ma").values(digits="arab"))
    page = new_page(lang="ar", width=WIDTH, height=844)
    sign_in(page, server, "coordinator.ma")
    page.goto(f"{server}/stats?from=2000-01-01&to=2100-12-31")
    if page.get_attribute("html", "lang") != "ar":
        choose_language(page, "ar")
        page.wait_for_load_state()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")

    stage = page.locator("section#panel-stage, section:has(#panel-stage)").first
    expect(stage.locator("svg[role=img]")).to_be_visible()
    expect(stage.locator("table.stats-table")).to_be_visible()
    total = stage.locator("tfoot td").last.inner_text()
    assert re.fullmatch(r"[٠-٩<]+|x", total.strip()), total  # Arabic-Indic digits, or hidden
    assert page.evaluate("() => document.documentElement.scrollWidth") <= WIDTH
    shot(page, "stats-1-national-picture-ar")

    with page.expect_download() as download:
        stage.locator("a[href$='.csv'], a[href*='.csv?']").first.click()
    path = download.value.path()
    text = path.read_text(encoding="utf-8-sig")
    assert text.count("\n") >= 2  # a header, the stages, the total
