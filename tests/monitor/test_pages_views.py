"""The calendar's list view and organisation names in the page's language, over the demo news."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from jusoor.core.db import Database
from jusoor.synth import monitor_news as demo
from tests.conftest import DEMO_PASSWORD
from tests.support.web import login, post_form

from .store_support import actor

EVENT_LINK = re.compile(r'href="/monitor/events/([0-9a-f-]{36})"')


@pytest.fixture
def analyst(client_sqlite: TestClient, demo_sqlite: Database) -> TestClient:
    with demo_sqlite.unit_of_work() as session:
        demo.load_if_empty(session, actor=actor("admin"))
    login(client_sqlite, demo_sqlite, "analyst.ma", DEMO_PASSWORD)
    return client_sqlite


def test_the_list_view_shows_the_calendar_events_one_line_each(analyst: TestClient) -> None:
    calendar = analyst.get("/monitor")
    listed = analyst.get("/monitor?view=list")
    assert listed.status_code == 200
    assert 'class="event-list"' in listed.text and 'class="month-grid"' not in listed.text
    assert 'class="calendar-months"' in calendar.text
    dated = set(EVENT_LINK.findall(calendar.text))
    assert dated and set(EVENT_LINK.findall(listed.text)) == dated
    assert 'href="/monitor?view=list"' in calendar.text  # the switch keeps the filters
    filtered = analyst.get("/monitor?view=list&country=MA")
    assert 'name="view" value="list"' in filtered.text


def test_organisation_filters_and_tables_are_in_the_page_language(analyst: TestClient) -> None:
    post_form(analyst, "/language", {"lang": "ar", "next": "/monitor"}, page="/monitor")
    calendar = analyst.get("/monitor").text
    actors = analyst.get("/monitor/actors?kind=organization").text
    assert (
        "مكتب الأمم المتحدة المعني بالمخدرات والجريمة" in calendar
        or "المنظمة الدولية للهجرة" in calendar
    )
    assert "International Organization for Migration" not in calendar
    names = re.findall(r'<th scope="row"><a href="/monitor/actors/[^"]+">([^<]+)</a>', actors)
    assert "مكتب الأمم المتحدة المعني بالمخدرات والجريمة" in names
    assert not any("United Nations" in name for name in names)
    assert 'class="actors-table"' in actors
