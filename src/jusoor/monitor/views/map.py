"""Where events happened, drawn server-side as an inline SVG over bundled country outlines.

No tiles and no script: the outlines (Natural Earth 1:110m, see `boundaries/build.py`) and the city
coordinates (`boundaries/cities.yaml`) ship with the package. Countries are shaded by their number
of events; each city with events gets a marker sized by its count. Every shape is a link to the
event list filtered to that country, with a `<title>` tooltip; the page repeats the counts in a
table for those who cannot see the map.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any
from urllib.parse import urlencode

from markupsafe import Markup, escape
from pydantic import RootModel

from jusoor.core.datafiles import declare
from jusoor.core.i18n import current_locale, ngettext
from jusoor.core.i18n import gettext as _
from jusoor.monitor.reading.gazetteer import load
from jusoor.monitor.schemas import EventSummary
from jusoor.web.labels import country_name


class CityPoints(RootModel[dict[str, tuple[float, float]]]):
    """`boundaries/cities.yaml`: city id -> [latitude, longitude]."""


CITY_POINTS = declare("jusoor.monitor.views.boundaries", "cities.yaml", CityPoints)

# The frame, in tenths of a degree: from the Atlantic to Iran, from the Equator to the Baltic.
WEST, SOUTH, EAST, NORTH = -190, -30, 630, 560
# Equirectangular with the parallels true at 30°N, where most of the region lies.
X_SCALE = math.cos(math.radians(30))
WIDTH = round((EAST - WEST) * X_SCALE)
HEIGHT = NORTH - SOUTH
SHADES = 5  # classes c0 (no event) to c4 (the most)


@dataclass(frozen=True, slots=True)
class CountryCount:
    code: str
    name: str
    events: int
    cities: tuple[tuple[str, int], ...]  # (display name, events), most first
    href: str


@dataclass(frozen=True, slots=True)
class EventMap:
    svg: Markup
    rows: tuple[CountryCount, ...]  # the text alternative: every country with events
    unplaced: int  # events with no country at all


def _open(name: str) -> Any:
    path = resources.files("jusoor.monitor.views.boundaries").joinpath(name)
    with path.open("r", encoding="utf-8") as fh:
        return json.load(fh)


@cache
def outlines() -> dict[str, list[list[list[int]]]]:
    """Country code → polygons → rings of `[lon, lat, …]` in tenths of a degree."""
    data: dict[str, list[list[list[int]]]] = _open("countries.json")
    return data


@cache
def city_positions() -> dict[str, tuple[float, float]]:
    """City id (places.yaml) → (latitude, longitude)."""
    return {key: (float(lat), float(lon)) for key, (lat, lon) in CITY_POINTS.plain().items()}


def project(lon10: float, lat10: float) -> tuple[int, int]:
    """Tenths of a degree to SVG user units (y grows southwards)."""
    return round((lon10 - WEST) * X_SCALE), round(NORTH - lat10)


@cache
def country_path(code: str) -> str:
    """The SVG path of a country: absolute first point, relative steps after (short to send)."""
    parts = []
    for polygon in outlines().get(code, []):
        for ring in polygon:
            points = [project(ring[i], ring[i + 1]) for i in range(0, len(ring), 2)]
            (x, y), steps = points[0], []
            for px, py in points[1:]:
                if (px, py) != (x, y):
                    steps.append(f"{px - x} {py - y}")
                    x, y = px, py
            parts.append(f"M{points[0][0]} {points[0][1]}l{' '.join(steps)}z")
    return "".join(parts)


@cache
def _city_names() -> dict[str, dict[str, str]]:
    names: dict[str, dict[str, str]] = {}
    for city in load("places.yaml")["cities"]:
        aliases = city["names"]
        shared = aliases.get("any", [])
        names[city["id"]] = {
            lang: (aliases.get(lang) or shared or aliases.get("en") or [city["id"]])[0]
            for lang in ("ar", "en", "fr")
        }
    return names


def warm() -> None:
    """The gazetteer's city names, read now (`Domain.warm`)."""
    _city_names()


def city_name(city_id: str | None, fallback: str | None = None) -> str:
    """A gazetteer city's name in the page's language."""
    if not city_id:
        return fallback or ""
    return _city_names().get(city_id, {}).get(current_locale(), fallback or city_id)


def shade(count: int, most: int) -> int:
    """0 for no event, then 1..SHADES-1 on a square-root scale of the largest count."""
    if count <= 0 or most <= 0:
        return 0
    return max(1, math.ceil((SHADES - 1) * math.sqrt(count / most)))


def _events_label(name: str, count: int) -> str:
    return ngettext("%(place)s: %(num)s event", "%(place)s: %(num)s events", count, place=name)


def _link(base: str, filters: Mapping[str, str], country: str) -> str:
    return f"{base}?{urlencode({**filters, 'country': country})}"


def build_map(
    events: Iterable[EventSummary], *, list_url: str, filters: Mapping[str, str]
) -> EventMap:
    """The map and its table for `events`; links keep `filters` and set the country."""
    by_country: Counter[str] = Counter()
    by_city: Counter[tuple[str, str]] = Counter()
    unplaced = 0
    for event in events:
        if not event.country:
            unplaced += 1
            continue
        by_country[event.country] += 1
        if event.city_id:
            by_city[(event.country, event.city_id)] += 1
    rows = tuple(
        CountryCount(
            code=code,
            name=country_name(code),
            events=count,
            cities=tuple(
                (city_name(city), n) for (c, city), n in by_city.most_common() if c == code
            ),
            href=_link(list_url, filters, code),
        )
        for code, count in sorted(by_country.items(), key=lambda kv: (-kv[1], country_name(kv[0])))
    )
    svg = _svg(by_country, by_city, list_url=list_url, filters=filters)
    return EventMap(svg=svg, rows=rows, unplaced=unplaced)


def _svg(
    by_country: Counter[str],
    by_city: Counter[tuple[str, str]],
    *,
    list_url: str,
    filters: Mapping[str, str],
) -> Markup:
    most = max(by_country.values(), default=0)
    out = [
        f'<svg class="event-map" viewBox="0 0 {WIDTH} {HEIGHT}" role="group" '
        f'aria-label="{escape(_("Map of events by country and city"))}" '
        f'xmlns="http://www.w3.org/2000/svg">'
    ]
    # Countries with no outline at this scale (Bahrain, Malta) still count, in the table.
    for code in outlines():
        count = by_country.get(code, 0)
        label = escape(_events_label(country_name(code), count))
        out.append(
            f'<a href="{escape(_link(list_url, filters, code))}" aria-label="{label}">'
            f'<path id="country-{code}" class="country c{shade(count, most)}" '
            f'd="{country_path(code)}"><title>{label}</title></path></a>'
        )
    positions = city_positions()
    top = max(by_city.values(), default=0)
    for (code, city), count in sorted(by_city.items(), key=lambda kv: -kv[1]):
        if city not in positions:
            continue
        lat, lon = positions[city]
        x, y = project(lon * 10, lat * 10)
        if not (0 <= x <= WIDTH and 0 <= y <= HEIGHT):
            continue
        radius = 6 + round(8 * math.sqrt(count / top))
        label = escape(_events_label(city_name(city), count))
        out.append(
            f'<a href="{escape(_link(list_url, filters, code))}" aria-label="{label}">'
            f'<circle id="city-{escape(city)}" class="marker" cx="{x}" cy="{y}" r="{radius}">'
            f"<title>{label}</title></circle></a>"
        )
    out.append("</svg>")
    # Every value put in above is a number, a code from the bundled files, or escaped.
    return Markup("".join(out))  # noqa: S704
