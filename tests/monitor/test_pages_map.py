"""The page logic with no database: the bundled outlines and city positions, the map, the month
grid, the filter form, sentence anchors."""

from __future__ import annotations

import datetime as dt
import re
import uuid

import pytest

from jusoor.core.i18n import use_locale
from jusoor.monitor.reading.gazetteer import load
from jusoor.monitor.schemas import EventSummary
from jusoor.monitor.views import calendar, filters, map
from jusoor.monitor.views import report as reading
from jusoor.monitor.views.boundaries import build

REGION = ("MA", "DZ", "TN", "LY", "EG", "MR", "SD", "JO", "LB", "SY", "IQ", "SA", "YE", "OM")


def summary(**values: object) -> EventSummary:
    fields: dict[str, object] = {
        "id": uuid.uuid4(),
        "type": "conference",
        "title": "A conference",
        "start": None,
        "end": None,
        "city": None,
        "city_id": None,
        "country": None,
        "participants": None,
        "themes": (),
        "crime": None,
        "langs": ("ar",),
        "document_ids": (),
    }
    fields.update(values)
    return EventSummary(**fields)  # type: ignore[arg-type]


def test_the_bundled_outlines_hold_the_region_keyed_by_iso_code() -> None:
    shapes = map.outlines()
    assert set(REGION) <= set(shapes)
    assert all(re.fullmatch(r"[A-Z]{2}", code) for code in shapes)
    for polygons in shapes.values():
        for ring in (ring for polygon in polygons for ring in polygon):
            assert len(ring) % 2 == 0 and len(ring) >= 8
            assert all(-1800 <= v <= 1800 for v in ring)


def test_every_city_position_is_a_gazetteer_city_in_its_country() -> None:
    cities = {c["id"]: c["country"] for c in load("places.yaml")["cities"]}
    positions = map.city_positions()
    assert set(positions) <= set(cities)
    rabat, cairo = positions["rabat"], positions["cairo"]
    assert 33 < rabat[0] < 35 and -8 < rabat[1] < -6
    assert 29 < cairo[0] < 31 and 30 < cairo[1] < 32


def test_the_converter_decodes_topojson_arcs_into_iso_keyed_rings() -> None:
    topology = {
        "transform": {"scale": [0.1, 0.1], "translate": [0, 0]},
        "arcs": [[[0, 0], [100, 0], [0, 100], [-100, 0], [0, -100]]],
        "objects": {"countries": {"geometries": [{"type": "Polygon", "arcs": [[0]], "id": "504"}]}},
    }
    assert build.build(topology) == {"MA": [[[0, 0, 100, 0, 100, 100, 0, 100, 0, 0]]]}


def test_simplify_keeps_the_ends_and_drops_points_on_a_line() -> None:
    line = [(0, 0), (1, 0), (2, 0), (3, 5), (4, 0)]
    assert build.simplify(line, tolerance=0.5) == [(0, 0), (2, 0), (3, 5), (4, 0)]


def test_the_map_shades_by_count_and_links_each_country_and_city() -> None:
    events = [summary(country="MA", city_id="rabat")] * 3 + [summary(country="EG"), summary()]
    with use_locale("en"):
        result = map.build_map(events, list_url="/monitor", filters={"lang": "ar"})
    svg = str(result.svg)
    assert 'id="country-MA" class="country c4"' in svg
    assert re.search(r'id="country-EG" class="country c[123]"', svg)
    assert 'id="country-TN" class="country c0"' in svg
    assert '<circle id="city-rabat"' in svg and "<title>Rabat: 3 events</title>" in svg
    assert 'href="/monitor?lang=ar&amp;country=MA"' in svg
    assert [(row.code, row.events, row.cities) for row in result.rows] == [
        ("MA", 3, (("Rabat", 3),)),
        ("EG", 1, ()),
    ]
    assert result.unplaced == 1
    assert len(svg) < 40_000


def test_city_names_follow_the_page_language() -> None:
    with use_locale("ar"):
        assert map.city_name("cairo") == "القاهرة"
    with use_locale("fr"):
        assert map.city_name("cairo") == "Le Caire"
    assert map.city_name(None, "Somewhere") == "Somewhere"


def test_months_lay_out_days_from_the_first_day_of_the_week() -> None:
    events = [summary(start=dt.date(2023, 7, 11)), summary(start=dt.date(2023, 5, 16)), summary()]
    with use_locale("en"):
        months, undated = calendar.months(events)
    assert [m.first for m in months] == [dt.date(2023, 7, 1), dt.date(2023, 5, 1)]
    july = months[0]
    assert len(july.days) == 31 and july.count == 1
    assert [d.date.day for d in july.days if d.events] == [11]
    assert july.offset == 5  # 1 July 2023 is a Saturday; weeks start on Monday by default
    assert len(undated) == 1
    with use_locale("en"):
        assert calendar.weekday_names(country="EG")[0] == ("Sat", "Saturday")
        assert calendar.months(events, country="EG")[0][0].offset == 0
        assert calendar.months(events, country="SA")[0][0].offset == 6


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"since": "2023-02-30"}, "since"),
        ({"country": "Egypt"}, "country"),
        ({"theme": "<script>"}, "theme"),
        ({"since": "2023-05-01", "until": "2023-04-01"}, "until"),
    ],
)
def test_a_bad_filter_is_reported_on_its_field_and_not_applied(
    params: dict[str, str], field: str
) -> None:
    query = filters.parse(params)
    assert field in query.errors
    assert query.service_filters()[field] is None


def test_filters_are_kept_in_links_without_the_first_page() -> None:
    query = filters.parse({"country": "eg", "lang": "ar", "page": "3"})
    assert query.service_filters()["country"] == "EG"
    assert query.page == 3
    assert query.query_string(page=1) == "country=EG&lang=ar"
    assert query.query_string(page=4) == "country=EG&lang=ar&page=4"


def test_every_offset_of_a_report_falls_in_one_numbered_sentence() -> None:
    text = "First sentence here. Second one!\n\nThird, after a blank line.\n"
    pieces = reading.sentences(text)
    assert [p.text for p in pieces] == [
        "First sentence here.",
        "Second one!",
        "Third, after a blank line.",
    ]
    assert "".join(p.raw for p in pieces) == text
    assert reading.sentence_number(pieces, text.index("Third")) == 3
    assert reading.anchor("d", 3) == "/monitor/documents/d#s-3"


def test_only_web_addresses_become_links() -> None:
    assert reading.web_link("https://example.org/a") == "https://example.org/a"
    assert reading.web_link("javascript:alert(1)") is None
    assert reading.web_link("/work/shared/seeds/000.txt") is None
    assert reading.web_link(None) is None


def test_the_facts_read_from_a_sentence_are_marked_in_it() -> None:
    text = "Held in Rabat on 16 May. Then more."
    first = reading.sentences(text)[0]
    parts = reading.segments(first, [(8, 13, "Place"), (17, 23, "Start date"), (9, 12, "Place")])
    assert [(p.text, p.label) for p in parts] == [
        ("Held in ", None),
        ("Rabat", "Place"),
        (" on ", None),
        ("16 May", "Start date"),
        (".", None),
    ]
