"""The monitor's pages over the seed reports: calendar, map, event, report, actors (both engines)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from jusoor.core.db import Database
from jusoor.monitor import service
from jusoor.monitor.store.ingest import read_sources
from tests.conftest import DEMO_PASSWORD
from tests.support.web import login, post_form

from .store_support import ANALYST, seeds_dir

EVENT_LINK = re.compile(r'href="/monitor/events/([0-9a-f-]{36})"')
SENTENCE_LINK = re.compile(r'href="/monitor/documents/([0-9a-f-]{36})#s-(\d+)"')
ACTOR_LINK = re.compile(r'href="/monitor/actors/([0-9a-f-]{36})"')


@pytest.fixture
def analyst(client: TestClient, demo_db: Database) -> TestClient:
    """An analyst signed in, with the five seed reports ingested through the service."""
    with demo_db.unit_of_work() as session:
        results = service.ingest(session, actor=ANALYST, documents=read_sources([seeds_dir()]))
    assert all(r.error is None for r in results), results
    login(client, demo_db, "analyst.ma", DEMO_PASSWORD)
    return client


def _event_ids(html: str) -> list[str]:
    return list(dict.fromkeys(EVENT_LINK.findall(html)))


def test_the_calendar_lists_every_event_by_month(analyst: TestClient) -> None:
    page = analyst.get("/monitor")
    assert page.status_code == 200
    assert 'class="month-grid"' in page.text
    assert len(_event_ids(page.text)) == 4  # five reports, one event told in two languages
    assert 'id="month-2023-07-01"' in page.text  # the Cairo meeting of July 2023 (seeds 000, 001)


def test_filters_narrow_the_calendar(analyst: TestClient) -> None:
    everything = set(_event_ids(analyst.get("/monitor").text))
    egypt = set(_event_ids(analyst.get("/monitor?country=EG").text))
    english = set(_event_ids(analyst.get("/monitor?lang=en").text))
    with_unodc = set(_event_ids(analyst.get("/monitor?organization=unodc").text))
    assert egypt and egypt < everything
    assert english and english < everything  # every seed event has an Arabic report
    assert with_unodc <= everything
    nothing = analyst.get("/monitor?since=2031-01-01")
    assert nothing.status_code == 200 and not _event_ids(nothing.text)


def test_a_malformed_filter_is_named_and_not_applied(analyst: TestClient) -> None:
    page = analyst.get("/monitor?since=2023-02-30&country=Egypt")
    assert page.status_code == 422
    assert 'id="since-error"' in page.text and 'id="country-error"' in page.text
    summary = page.text.split("data-error-summary", 1)[1].split("</div>", 1)[0]
    assert 'href="#since"' in summary and 'href="#country"' in summary
    assert len(_event_ids(page.text)) == 4


def test_the_map_shades_the_event_country_and_marks_its_city(analyst: TestClient) -> None:
    page = analyst.get("/monitor/map")
    assert page.status_code == 200
    svg = page.text[page.text.index("<svg") : page.text.index("</svg>")]
    egypt = re.search(r'<path id="country-EG" class="country c(\d)"', svg)
    assert egypt and egypt.group(1) != "0"
    assert 'id="country-DZ" class="country c0"' in svg  # no seed report is about Algeria
    assert '<circle id="city-sharm_el_sheikh"' in svg  # the conference of seeds 000 and 001
    assert 'href="/monitor?country=EG"' in svg
    assert "<title>" in svg
    assert "<caption>" in page.text  # the same counts as a table
    assert len(page.content) < 60_000


def test_the_map_keeps_the_filters_in_its_links(analyst: TestClient) -> None:
    page = analyst.get("/monitor/map?lang=ar")
    assert 'href="/monitor?lang=ar&amp;country=EG"' in page.text


def test_each_fact_links_to_its_sentence_in_the_report(analyst: TestClient) -> None:
    calendar = analyst.get("/monitor?country=EG").text
    event = analyst.get(f"/monitor/events/{_event_ids(calendar)[0]}")
    assert event.status_code == 200
    links = SENTENCE_LINK.findall(event.text)
    assert links
    documents = {doc for doc, _n in links}
    assert len(documents) == 2  # the Arabic and the English report of the same meeting
    document, number = links[0]
    report = analyst.get(f"/monitor/documents/{document}")
    assert report.status_code == 200
    assert f'id="s-{number}"' in report.text


def test_an_actor_page_lists_the_events_they_took_part_in(analyst: TestClient) -> None:
    listing = analyst.get("/monitor/actors?q=UNODC")
    assert listing.status_code == 200
    actor_id = ACTOR_LINK.findall(listing.text)[0]
    page = analyst.get(f"/monitor/actors/{actor_id}")
    assert page.status_code == 200
    assert _event_ids(page.text)
    assert "مكتب الأمم المتحدة" in page.text  # its Arabic name, from the gazetteer
    assert SENTENCE_LINK.search(page.text)


def test_a_person_shows_their_latin_name_and_roles(analyst: TestClient) -> None:
    listing = analyst.get("/monitor/actors?kind=person&q=Naela").text
    page = analyst.get(f"/monitor/actors/{ACTOR_LINK.findall(listing)[0]}").text
    assert "نائلة جبر" in page
    assert re.search(r'<dd dir="ltr">Na[ei]la', page)  # the Latin rendering
    assert _event_ids(page)


def test_an_unknown_event_or_report_is_not_found(analyst: TestClient) -> None:
    assert analyst.get("/monitor/events/not-an-id").status_code == 404
    missing = "/monitor/documents/0190b2a4-0000-7000-8000-000000000000"
    assert analyst.get(missing).status_code == 404


@pytest.mark.parametrize(
    "path",
    ["/monitor", "/monitor/map", "/monitor/actors", "/monitor/documents/x", "/monitor/events/x"],
)
def test_a_screener_may_not_read_the_monitor(
    client: TestClient, demo_db: Database, path: str
) -> None:
    login(client, demo_db, "screener.ma", DEMO_PASSWORD)
    page = client.get(path)
    assert page.status_code == 403
    assert "<html" in page.text
    assert 'href="/monitor"' not in client.get("/").text  # not in the menu either


def test_the_pages_speak_arabic_right_to_left(analyst: TestClient) -> None:
    post_form(analyst, "/language", {"lang": "ar", "next": "/monitor"}, page="/monitor")
    page = analyst.get("/monitor")
    assert 'dir="rtl"' in page.text and 'lang="ar"' in page.text
    assert "/static/monitor.css" in page.text
    assert "<script>" not in page.text and "style=" not in page.text


def test_the_pages_render_before_any_report_is_stored(
    client: TestClient, demo_db: Database
) -> None:
    login(client, demo_db, "analyst.tn", DEMO_PASSWORD)
    for path in ("/monitor", "/monitor/map", "/monitor/actors?kind=nonsense&page=x"):
        page = client.get(path)
        assert page.status_code == 200, path
        assert not _event_ids(page.text)
    assert 'class="country c0"' in client.get("/monitor/map").text


def test_the_calendar_pages_through_the_events(
    analyst: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from jusoor.monitor import pages

    monkeypatch.setattr(pages, "PAGE_SIZE", 3)
    first = analyst.get("/monitor?theme=partnership").text
    assert 'href="/monitor?theme=partnership&amp;page=2" rel="next"' in first
    second = analyst.get("/monitor?theme=partnership&page=2").text
    assert 'href="/monitor?theme=partnership" rel="prev"' in second
    assert len(_event_ids(first)) == 3 and len(_event_ids(second)) == 1
    assert not set(_event_ids(first)) & set(_event_ids(second))
