"""What a dashboard panel shows: its chart (stats.charts) and its table, from a published table.

No SQL and no permission check here: the tables come from `stats.publishing` / `dashboards`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from markupsafe import Markup

from jusoor.cases.vocabulary import Stage
from jusoor.core.i18n import format_number
from jusoor.core.i18n import gettext as _
from jusoor.stats import chart_map, charts
from jusoor.stats.charts import Point, figure_text
from jusoor.stats.dashboards import Chart, Result
from jusoor.stats.disclosure import Published, Shown
from jusoor.stats.engine import PERIODS
from jusoor.stats.labels import category_label, dimension_label
from jusoor.stats.tables import UNKNOWN, Key

ZERO = Shown(0, "0")
_STAGE_ORDER = {s.value: i for i, s in enumerate(Stage)}


@dataclass(frozen=True)
class TableView:
    """A table as the page prints it: a caption, column headers, rows of (header, texts)."""

    caption: str
    headers: list[str]
    rows: list[tuple[str, list[str]]]
    total: tuple[str, list[str]] | None
    notes: list[str]


@dataclass(frozen=True)
class PanelView:
    key: str
    title: str
    chart: Markup | None
    table: TableView | None
    by: tuple[str, ...]
    available: bool


def panel_view(result: Result, agencies: Mapping[str, str] | None = None) -> PanelView:
    spec = result.spec
    title = _(spec.title)
    if result.table is None:
        return PanelView(spec.key, title, None, None, result.by, False)
    table = result.table
    unit = _(table.unit)
    chart = draw(spec.chart, spec.key, title, table, unit, spec.top, agencies)
    if spec.chart == "pairs":
        view = cross_table(title, table, agencies)
    else:
        view = long_table(title, table, agencies)
    return PanelView(spec.key, title, chart, view, result.by, True)


def draw(
    kind: Chart,
    key: str,
    title: str,
    table: Published,
    unit: str,
    top: int = 0,
    agencies: Mapping[str, str] | None = None,
) -> Markup:
    """The chart of `table` drawn as `kind` (one dimension for series, bars and map; two for
    pairs and flows)."""
    if kind == "map" and table.by:
        return chart_map.choropleth(key, title, _first(table), unit=unit)
    if kind == "series" and table.by:
        return charts.columns(key, title, _series(table), unit=unit)
    return charts.bars(key, title, _ranked(table, top, agencies, flows=kind == "flows"), unit=unit)


def _first(table: Published) -> dict[str, Shown]:
    """A one-dimension table's figures by category: its cells, which carry the secondary
    suppression (its margin would show a cell hidden only to protect another)."""
    return {key[0]: shown for key, shown in table.cells.items()}


def _series(table: Published) -> list[Point]:
    name = table.by[0]
    cells = {key[0]: shown for key, shown in table.cells.items()}
    periods = _periods(name, table.filters, set(cells))
    return [Point(category_label(name, p), cells.get(p, ZERO)) for p in periods]


def _periods(name: str, filters: Mapping[str, str], present: set[str]) -> list[str]:
    """Every period from the first to the last (an empty month is a real zero, shown as one)."""
    known = sorted(p for p in present if p != UNKNOWN)
    first = filters.get("from", "")
    last = filters.get("to", "")
    start = _period_of(name, first) if first else (known[0] if known else None)
    end = _period_of(name, min(last, dt.date.today().isoformat())) if last else None
    end = end or (known[-1] if known else None)
    if start is None or end is None:
        return known
    out: list[str] = []
    current = start
    while current <= end and len(out) < 400:
        out.append(current)
        current = _next(name, current)
    return out + ([UNKNOWN] if UNKNOWN in present else [])


def _period_of(name: str, day: str) -> str:
    year, month = int(day[:4]), int(day[5:7])
    if name == "year":
        return f"{year:04d}"
    if name == "quarter":
        return f"{year:04d}-Q{(month - 1) // 3 + 1}"
    return f"{year:04d}-{month:02d}"


def _next(name: str, period: str) -> str:
    year = int(period[:4])
    if name == "year":
        return f"{year + 1:04d}"
    if name == "quarter":
        q = int(period[-1])
        return f"{year + q // 4:04d}-Q{q % 4 + 1}"
    month = int(period[5:7])
    return f"{year + month // 12:04d}-{month % 12 + 1:02d}"


def _order(name: str, category: str, shown: Shown) -> tuple[int, int, str]:
    # Stages in the mechanism's order; other categories largest first, hidden ones and
    # unknown last (a hidden figure's place in a ranking would itself tell its size).
    if name == "stage":
        return (0, _STAGE_ORDER.get(category, 99), category)
    if name in PERIODS:  # time runs in order: "2026-01" < "2026-02"
        return (2 * (category == UNKNOWN), 0, category)
    hidden = shown.value is None
    return (int(hidden) + 2 * (category == UNKNOWN), -(shown.value or 0), category)


def _ranked(
    table: Published, top: int, agencies: Mapping[str, str] | None, *, flows: bool = False
) -> list[Point]:
    if len(table.by) == 1:
        items = sorted(_first(table).items(), key=lambda i: _order(table.by[0], *i))
        points = [Point(category_label(table.by[0], c, agencies), s) for c, s in items]
    else:
        cells = sorted(table.cells.items(), key=lambda i: _order("", "/".join(i[0]), i[1]))
        points = [Point(_pair(table.by, k, agencies, flows=flows), s) for k, s in cells]
    return points[:top] if top else points


def _pair(by: tuple[str, ...], key: Key, agencies: Mapping[str, str] | None, *, flows: bool) -> str:
    first, second = (category_label(d, c, agencies) for d, c in zip(by, key, strict=True))
    if flows:
        return _("from %(origin)s to %(destination)s", origin=first, destination=second)
    return _("%(first)s, %(second)s", first=first, second=second)


def long_table(
    title: str, table: Published, agencies: Mapping[str, str] | None = None
) -> TableView:
    """One row per category (or pair of categories), then the total."""
    headers = [dimension_label(table.statistic, d) for d in table.by] + [_("Count")]
    if len(table.by) == 1:
        items = sorted(_first(table).items(), key=lambda i: _order(table.by[0], *i))
        rows = [(category_label(table.by[0], c, agencies), [figure_text(s)]) for c, s in items]
    else:
        rows = [
            (category_label(table.by[0], k[0], agencies),
             [category_label(d, c, agencies) for d, c in zip(table.by[1:], k[1:], strict=True)]
             + [figure_text(s)])
            for k, s in sorted(table.cells.items(), key=lambda i: _order("", "/".join(i[0]), i[1]))
        ]  # fmt: skip
    total = (_("Total"), [""] * (len(table.by) - 1) + [figure_text(table.total)])
    return TableView(title, headers, rows, total, _notes(table))


def cross_table(
    title: str, table: Published, agencies: Mapping[str, str] | None = None
) -> TableView:
    """Rows by the first dimension, columns by the second, margins and the total."""
    rows_of, cols_of = table.by
    rows_c = sorted(table.margins[0], key=lambda c: (c == UNKNOWN, c))
    cols_c = sorted(table.margins[1], key=lambda c: (c == UNKNOWN, c))
    headers = [dimension_label(table.statistic, rows_of)]
    headers += [category_label(cols_of, c, agencies) for c in cols_c] + [_("Total")]
    rows = [
        (category_label(rows_of, r, agencies),
         [figure_text(table.cells.get((r, c), ZERO)) for c in cols_c]
         + [figure_text(table.margins[0][r])])
        for r in rows_c
    ]  # fmt: skip
    total = (
        _("Total"),
        [figure_text(table.margins[1][c]) for c in cols_c] + [figure_text(table.total)],
    )
    return TableView(title, headers, rows, total, _notes(table))


def _notes(table: Published) -> list[str]:
    notes = list(table.notes)
    if not notes:
        notes.append(
            _("No figure is hidden: every count shown is %(t)s or more, or zero.",
              t=format_number(table.threshold))
        )  # fmt: skip
    return notes


COUNTRY_CHARTS = frozenset({"origin", "exploitation", "citizenship", "transit", "country"})


def explored(
    table: Published, chart: str, agencies: Mapping[str, str] | None = None
) -> tuple[TableView, Markup | None]:
    """The explorer's table and chart: a time series for one period dimension, a map when asked
    for one country dimension, bars otherwise; no chart for three dimensions (the table is it)."""
    title = ", ".join(dimension_label(table.statistic, d) for d in table.by)
    kind: Chart = "bars"
    if len(table.by) == 1 and table.by[0] in PERIODS:
        kind = "series"
    elif len(table.by) == 1 and table.by[0] in COUNTRY_CHARTS and chart == "map":
        kind = "map"
    if len(table.by) == 2:
        view = cross_table(title, table, agencies)
    else:
        view = long_table(title, table, agencies)
    svg = None
    if len(table.by) <= 2:
        svg = draw(kind, "explore", title, table, _(table.unit), top=30, agencies=agencies)
    return view, svg
