"""Disclosure control: what of a table may leave need-to-know.

Every table shown on a page, downloaded or exported passes through `protect`. What it promises:

- *primary* suppression: no count from 1 to threshold-1 is published (cells, margins, total); it
  is shown as "<threshold" (GLOTIP's "<5" by default). A zero is not sensitive and stays 0.
- *secondary* suppression: further figures are hidden ("x") until no hidden figure can be worked
  out exactly from the published cells, margins and total by the linear relations that hold
  between them (`stats.recovery`, exact rational arithmetic). Every hidden figure is positive,
  so a hidden figure that is not determined linearly can move both ways: its smallest and
  largest feasible values differ (the property tests check this with linear programming). The
  cheapest complement is chosen: a cell before a margin, the smallest non-zero count first.
- an *additive* table (every unit in one cell) is tied by all its lines: cells to margins,
  margins to the total, in 1, 2 and 3 dimensions (a three-way table publishes one-way margins).
  A *non-additive* table (a multi-valued dimension, e.g. citizenship: a person with two counts
  twice) keeps only the relations that hold: the sums along its single-valued dimensions, and
  the margins of a single-valued dimension to the total. The margins of a multi-valued dimension
  do not sum to the total, so they are protected by primary suppression alone — which is exact
  there, since no relation could give them away.
- optional *rounding* to a base (e.g. 5): cells, margins and total rounded independently, after
  suppression; a suppressed figure stays suppressed.

What it does not cover: two different tables of the same records published side by side can
be combined (linked tables); pages publish one table per query of the same records and
the same threshold, and releases of records go through `kanon` or `dp` instead.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field

from jusoor.core.errors import Invalid
from jusoor.core.i18n import gettext as _
from jusoor.stats import recovery
from jusoor.stats.recovery import TOTAL, Figure
from jusoor.stats.tables import Duration, DurationTable, Key, Table

DEFAULT_THRESHOLD = 5
MIN_THRESHOLD, MAX_THRESHOLD = 2, 100
MAX_ROUNDING = 1000
PRIMARY = "primary"  # under the threshold
SECONDARY = "secondary"  # hidden so that a primary one cannot be recomputed


@dataclass(frozen=True)
class Shown:
    """One published figure: `value` is None when suppressed, `text` is what a reader sees."""

    value: int | None
    text: str
    suppressed: str | None = None  # PRIMARY | SECONDARY | None


@dataclass(frozen=True)
class Published:
    """A table fit to leave need-to-know: no exact count under `threshold`, none recoverable.

    `suppression` is the machine-readable account for exports: "cell:A|B", "margin:<dimension
    name>:<category>" or "total" -> PRIMARY | SECONDARY."""

    statistic: str
    unit: str
    by: tuple[str, ...]
    cells: dict[Key, Shown]
    margins: tuple[dict[str, Shown], ...]
    total: Shown
    threshold: int
    rounding: int | None = None
    notes: list[str] = field(default_factory=list)  # translated sentences: what and why
    filters: dict[str, str] = field(default_factory=dict)
    suppression: dict[str, str] = field(default_factory=dict)

    def suppressed_count(self) -> int:
        return sum(1 for shown in self.cells.values() if shown.suppressed)


def check_threshold(threshold: int) -> int:
    if not MIN_THRESHOLD <= threshold <= MAX_THRESHOLD:
        raise Invalid(
            "min_count",
            _("The smallest count shown must be between %(low)s and %(high)s.",
              low=MIN_THRESHOLD, high=MAX_THRESHOLD),
        )  # fmt: skip
    return threshold


def check_rounding(rounding: int | None) -> int | None:
    if rounding is not None and not 1 <= rounding <= MAX_ROUNDING:
        raise Invalid(
            "rounding",
            _("Counts can be rounded to a base between %(low)s and %(high)s.",
              low=1, high=MAX_ROUNDING),
        )  # fmt: skip
    return rounding


def _small(count: int, threshold: int) -> bool:
    return 0 < count < threshold


def suppress(table: Table, threshold: int) -> dict[Figure, str]:
    """Every figure of `table` to hide, with its reason (see the module's docstring)."""
    values = recovery.figures(table)
    hidden: dict[Figure, str] = {f: PRIMARY for f, n in values.items() if _small(n, threshold)}
    if not hidden:
        return hidden
    rules = recovery.relations(table)
    while found := recovery.recoverable(rules, hidden):
        target = min(found, key=repr)
        hidden[_complement(rules, values, hidden, target)] = SECONDARY
    return hidden


def _cost(figure: Figure, count: int) -> tuple[int, int, str]:
    kind = {"cell": 0, "margin": 1}.get(figure[0], 2)  # a cell, then a margin, the total last
    return (kind, count, repr(figure))


def _complement(
    rules: list[dict[Figure, int]],
    values: dict[Figure, int],
    hidden: dict[Figure, str],
    target: Figure,
) -> Figure:
    """The cheapest cell or margin whose hiding makes `target` unrecoverable; failing one, the
    cheapest in a relation with `target` (the loop then hides more); the total, the headline
    figure, only when nothing else is left."""
    open_ = sorted(
        (f for f, n in values.items() if f not in hidden and n > 0),
        key=lambda f: _cost(f, values[f]),
    )
    for candidate in open_:
        if candidate != TOTAL and recovery.breaks(rules, [*hidden, candidate], target):
            return candidate
    near = [f for f in open_ if f != TOTAL and any(target in r and f in r for r in rules)]
    if near:
        return near[0]
    if open_:
        return open_[0]
    raise AssertionError("a positive hidden figure with every figure hidden is not recoverable")


def protect(
    table: Table, *, threshold: int = DEFAULT_THRESHOLD, rounding: int | None = None
) -> Published:
    """The publishable form of `table` (see the module's docstring)."""
    check_threshold(threshold)
    check_rounding(rounding)
    hidden = suppress(table, threshold)
    text_small = f"<{threshold}"

    def shown(figure: Figure, count: int) -> Shown:
        reason = hidden.get(figure)
        if reason:
            return Shown(None, text_small if reason == PRIMARY else "x", reason)
        value = _rounded(count, rounding)
        return Shown(value, str(value))

    cells = {key: shown(recovery.cell(key), n) for key, n in table.cells.items()}
    margins = tuple(
        {c: shown(recovery.margin(i, c), n) for c, n in m.items()}
        for i, m in enumerate(table.margins)
    )
    return Published(
        statistic=table.statistic,
        unit=table.unit,
        by=table.by,
        cells=cells,
        margins=margins,
        total=shown(TOTAL, table.total),
        threshold=threshold,
        rounding=rounding,
        notes=_notes(hidden, threshold, rounding),
        filters=dict(table.filters),
        suppression={_label(table, f): reason for f, reason in sorted(hidden.items(), key=repr)},
    )


def _label(table: Table, figure: Figure) -> str:
    kind, where = figure
    if kind == "cell":
        return "cell:" + "|".join(_parts(where))
    if kind == "margin":
        dimension, category = _parts(where)
        return f"margin:{table.by[int(dimension)]}:{category}"
    return "total"


def _parts(where: Hashable) -> tuple[str, ...]:
    return tuple(str(part) for part in where) if isinstance(where, tuple) else (str(where),)


def _rounded(count: int, base: int | None) -> int:
    if not base or base <= 1:
        return count
    return int(base * round(count / base))


def _notes(hidden: dict[Figure, str], threshold: int, rounding: int | None) -> list[str]:
    notes: list[str] = []
    primary = sum(1 for r in hidden.values() if r == PRIMARY)
    secondary = sum(1 for r in hidden.values() if r == SECONDARY)
    if primary:
        notes.append(
            _("%(n)s figures count fewer than %(t)s people and are shown as <%(t)s.",
              n=primary, t=threshold)
        )  # fmt: skip
    if secondary:
        notes.append(
            _("%(n)s further figures are hidden (x) so that the small ones cannot be worked out "
              "from the totals.", n=secondary)
        )  # fmt: skip
    if rounding and rounding > 1:
        notes.append(
            _("Figures are rounded to the nearest %(base)s, each on its own: they may not add "
              "up exactly.", base=rounding)
        )  # fmt: skip
    return notes


@dataclass(frozen=True)
class ShownDuration:
    """One published duration: its count as a `Shown`, its statistics None when hidden."""

    count: Shown
    median: float | None
    mean: float | None
    p90: float | None


@dataclass(frozen=True)
class PublishedDurations:
    statistic: str
    unit: str
    by: tuple[str, ...]
    cells: dict[Key, ShownDuration]
    overall: ShownDuration
    threshold: int
    notes: list[str] = field(default_factory=list)
    filters: dict[str, str] = field(default_factory=dict)


def protect_durations(
    table: DurationTable, *, threshold: int = DEFAULT_THRESHOLD
) -> PublishedDurations:
    """Durations fit to publish: a median or mean over fewer than `threshold` people tells about
    them, so the statistics of a cell are shown only when its count is published; counts are
    protected like a table (`protect`), the overall count being their total when they add up —
    otherwise a hidden cell's count and mean could be worked out from the overall ones."""
    check_threshold(threshold)
    counts = Table(
        statistic=table.statistic,
        unit=table.unit,
        by=table.by,
        cells={k: d.count for k, d in table.cells.items()},
        total=table.overall.count,
        additive=sum(d.count for d in table.cells.values()) == table.overall.count,
    )
    published = protect(counts, threshold=threshold)

    def shown(count: Shown, duration: Duration) -> ShownDuration:
        if count.suppressed or not duration.count:
            return ShownDuration(count, None, None, None)
        return ShownDuration(count, duration.median, duration.mean, duration.p90)

    cells = {k: shown(published.cells[k], d) for k, d in table.cells.items()}
    notes = list(published.notes)
    if any(c.count.suppressed for c in cells.values()) or published.total.suppressed:
        notes.append(
            _("Durations are not shown for fewer than %(t)s people.", t=threshold)
        )  # fmt: skip
    return PublishedDurations(
        statistic=table.statistic,
        unit=table.unit,
        by=table.by,
        cells=cells,
        overall=shown(published.total, table.overall),
        threshold=threshold,
        notes=notes,
        filters=dict(table.filters),
    )
