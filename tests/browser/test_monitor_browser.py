"""The monitor's calendar and map in a real Chromium, in Arabic, on a wide screen and a phone.

Screenshots go where `test_browser` puts them (`monitor-*.png`), to be looked at after a run.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from jusoor.core.db import Database
from jusoor.monitor import service
from jusoor.monitor.store.ingest import read_sources
from tests.monitor.store_support import ANALYST, seeds_dir
from tests.support.browser import OpenPage, choose_language, shot, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def seeded(demo_sqlite: Database) -> Database:
    with demo_sqlite.unit_of_work() as session:
        service.ingest(session, actor=ANALYST, documents=read_sources([seeds_dir()]))
    return demo_sqlite


def _arabic(page_opener: OpenPage, base: str, *, width: int, height: int) -> Page:
    page = page_opener(lang="ar", width=width, height=height)
    sign_in(page, base, "analyst.ma")
    choose_language(page, "ar")
    page.wait_for_load_state()
    assert page.get_attribute("html", "dir") == "rtl"
    return page


def test_the_calendar_in_arabic_is_a_grid_on_a_wide_screen_and_a_list_on_a_phone(
    seeded: Database, server: str, new_page: OpenPage
) -> None:
    page = _arabic(new_page, server, width=1280, height=900)
    page.goto(f"{server}/monitor")
    assert page.get_attribute("html", "lang") == "ar"
    grid = page.locator("#month-2023-07-01 + .month-grid")
    columns = grid.evaluate("el => getComputedStyle(el).gridTemplateColumns.split(' ').length")
    assert columns == 7
    first, second = (page.locator(".month-grid .weekday").nth(i).bounding_box() for i in (0, 1))
    assert first and second and first["x"] > second["x"]  # the week runs right to left
    shot(page, "monitor-calendar-ar")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{server}/monitor")
    assert page.locator(".month-grid .empty").first.is_hidden()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    shot(page, "monitor-calendar-ar-phone")


def test_the_map_in_arabic_links_a_country_to_its_events(
    seeded: Database, server: str, new_page: OpenPage
) -> None:
    page = _arabic(new_page, server, width=1280, height=900)
    page.goto(f"{server}/monitor/map")
    assert page.locator("svg.event-map #country-EG").count() == 1
    assert page.locator("svg.event-map #city-sharm_el_sheikh").is_visible()
    shot(page, "monitor-map-ar")
    page.locator("svg.event-map a:has(#country-EG)").click()
    page.wait_for_load_state()
    assert "country=EG" in page.url
    assert page.locator(".event-card").count() == 1
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{server}/monitor/map")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    shot(page, "monitor-map-ar-phone")


def test_a_fact_leads_to_its_sentence_highlighted_in_the_report(
    seeded: Database, server: str, new_page: OpenPage
) -> None:
    page = _arabic(new_page, server, width=1100, height=900)
    page.goto(f"{server}/monitor?country=EG")
    page.locator(".event-card h3 a").first.click()
    page.wait_for_load_state()
    shot(page, "monitor-event-ar")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    shot(page, "monitor-event-ar-phone", full_page=False)
    page.locator(".evidence a").first.click()
    page.wait_for_load_state()
    target = page.locator(".sentence:target")
    assert target.count() == 1 and target.is_visible()
    background = target.evaluate("el => getComputedStyle(el).backgroundColor")
    assert background != "rgba(0, 0, 0, 0)"  # highlighted, without a script
    shot(page, "monitor-document-ar", full_page=False)


@pytest.fixture
def demo_news(demo_sqlite: Database) -> Database:
    from jusoor.synth import monitor_news as demo
    from tests.monitor.store_support import actor

    with demo_sqlite.unit_of_work() as session:
        demo.load_if_empty(session, actor=actor("admin"))
    return demo_sqlite


def test_the_monitor_pages_fit_a_phone_in_arabic_with_the_demo_news(
    demo_news: Database, server: str, new_page: OpenPage
) -> None:
    page = _arabic(new_page, server, width=390, height=844)
    for path, name in (
        ("/monitor", "calendar"),
        ("/monitor?view=list", "list"),
        ("/monitor/actors", "actors"),
        ("/monitor/map", "map"),
    ):
        page.goto(f"{server}{path}")
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 390, path
        shot(page, f"monitor-{name}-ar-390")
    page.goto(f"{server}/monitor")
    months = page.locator(".calendar-months")
    assert months.evaluate("el => el.getBoundingClientRect().height") <= 844
    page.goto(f"{server}/monitor/actors")
    widest = page.evaluate(
        "() => Math.max(...[...document.querySelectorAll('.actors-table th, .actors-table td')]"
        ".map(c => c.getBoundingClientRect().width))"
    )
    assert widest <= 390
    page.goto(f"{server}/monitor?view=list")
    page.locator(".event-list a").first.click()
    page.wait_for_load_state()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    heading = page.locator("h1").inner_text()
    assert " — " in heading and not heading.rstrip().endswith(("حول", "في", "on", "the"))
    shot(page, "monitor-event-ar-390")
