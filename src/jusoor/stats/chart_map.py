"""The map: countries shaded by a published figure, drawn from Natural Earth's outlines.

The outlines are the monitor's bundled file (`monitor/views/boundaries/countries.json`: ISO code →
polygons → rings of `[lon, lat, …]` in tenths of a degree), read here as data through
importlib.resources; stats does not import the monitor's code. Projection: equirectangular with
longitudes shortened by cos 30°, fair for North Africa and the Middle East. A map is not mirrored
in a right-to-left language (north stays up, west stays left); its legend and text are.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from importlib import resources
from xml.sax.saxutils import escape

from markupsafe import Markup

from jusoor.core.i18n import format_number, is_rtl
from jusoor.core.i18n import gettext as _
from jusoor.stats.charts import GRID, INK, MUTED, _open, figure_text
from jusoor.stats.disclosure import Shown
from jusoor.web.labels import country_name

X_SCALE = 0.866  # cos 30°
SHADES = ("#d0e6f0", "#8cc0d8", "#4a93b8", "#1f5f85")  # light to dark: more people
EMPTY = "#f5f7fa"


@cache
def outlines() -> dict[str, list[list[list[int]]]]:
    """Country code → polygons → rings of `[lon, lat, …]` in tenths of a degree."""
    path = resources.files("jusoor.monitor.views.boundaries").joinpath("countries.json")
    with path.open("r", encoding="utf-8") as fh:
        data: dict[str, list[list[list[int]]]] = json.load(fh)
    return data


@cache
def _frame() -> tuple[int, int, int, int]:
    """West, north, width and height of the drawing, in tenths of a degree (projected)."""
    lons = [r[i] for ps in outlines().values() for p in ps for r in p for i in range(0, len(r), 2)]
    lats = [r[i] for ps in outlines().values() for p in ps for r in p for i in range(1, len(r), 2)]
    west, east, south, north = min(lons), max(lons), min(lats), max(lats)
    return west, north, round((east - west) * X_SCALE), north - south


@cache
def _path(code: str) -> str:
    west, north, _w, _h = _frame()
    parts = []
    for polygon in outlines().get(code, []):
        for ring in polygon:
            points = [
                f"{round((ring[i] - west) * X_SCALE)} {north - ring[i + 1]}"
                for i in range(0, len(ring), 2)
            ]
            parts.append("M" + "L".join(points) + "Z")
    return "".join(parts)


def _shade(value: int, top: int) -> str:
    step = min(len(SHADES) - 1, (len(SHADES) * value - 1) // max(top, 1))
    return SHADES[max(0, step)]


def choropleth(key: str, title: str, figures: Mapping[str, Shown], *, unit: str) -> Markup:
    """Every outlined country, shaded by its figure; hatched when the figure is suppressed.

    Countries counted that have no outline (far from the region) are in the table only."""
    _west, _north, width, height = _frame()
    legend_h = 230
    placed = {code: shown for code, shown in figures.items() if code in outlines()}
    hidden = sum(1 for s in placed.values() if s.value is None)
    desc = _("A map of %(n)s countries by %(unit)s; the table after the map gives each figure.",
             n=format_number(len(placed)), unit=unit)  # fmt: skip
    if hidden:
        desc += " " + _("%(n)s of them are hidden to protect the people counted.",
                        n=format_number(hidden))  # fmt: skip
    out = _open(key, title, desc, width, height + legend_h)
    top = max((s.value or 0 for s in placed.values()), default=0)
    for code in sorted(outlines()):
        shown = placed.get(code)
        if shown is None:
            fill = EMPTY
        elif shown.value is None:
            fill = f"url(#{key}-hatch)"
        else:
            fill = _shade(shown.value, top) if shown.value else EMPTY
        name = escape(country_name(code))
        tip = f"{name}: {escape(figure_text(shown))}" if shown else name
        out.append(
            f'<path d="{_path(code)}" fill="{fill}" stroke="{GRID if shown is None else INK}" '
            f'stroke-width="1.5"><title>{tip}</title></path>'
        )
    out.append(_legend(key, top, width, height, is_rtl()))
    out.append("</svg>")
    return Markup("".join(out))  # noqa: S704 - every text and attribute above is escaped


def _legend(key: str, top: int, width: int, y: int, rtl: bool) -> str:
    """Two rows: the shades with their ranges, then the hatched (hidden) and empty swatches."""
    shades: list[tuple[str, str]] = []
    for i, shade in enumerate(SHADES):
        low = (top * i) // len(SHADES) + 1
        high = (top * (i + 1)) // len(SHADES)
        if top and high >= low:
            shades.append((shade, f"{format_number(low)}–{format_number(high)}"))
    others = [(f"url(#{key}-hatch)", _("hidden (small count)")), (EMPTY, _("none counted"))]
    out = []
    for row, entries in enumerate((shades, others)):
        gap = (width - 40) // max(len(SHADES) if row == 0 else len(entries), 1)
        for i, (fill, text) in enumerate(entries):
            place = len(entries) - 1 - i if rtl else i
            x, top_y, box = 20 + place * gap, y + 10 + row * 105, 56
            # In a right-to-left page the words end at the swatch's right edge.
            text_x, anchor = (x + gap - 20, "end") if rtl else (x, "start")
            out.append(
                f'<rect x="{x if not rtl else x + gap - 20 - box}" y="{top_y}" width="{box}" '
                f'height="{box // 2}" fill="{fill}" stroke="{MUTED}"/>'
                f'<text x="{text_x}" y="{top_y + box + 10}" text-anchor="{anchor}" fill="{INK}" '
                f'font-size="32">{escape(text)}</text>'
            )
    return "".join(out)
