"""Disclosure control: what of a table may leave need-to-know.

Every table shown on a page, downloaded or exported passes through `protect`. It never returns
an exact count under the threshold: a count from 1 to threshold-1 is *primary*-suppressed and shown
as "<threshold" (GLOTIP's "<5" by default); *secondary* suppression then hides further cells so that
no suppressed count can be recovered by subtracting published cells from a published margin or
total; optional rounding to a base hides exact small differences. The result says what was
suppressed and why (`Published.notes`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from jusoor.core.errors import Invalid
from jusoor.core.i18n import gettext as _
from jusoor.stats.tables import Key, Table

DEFAULT_THRESHOLD = 5
MIN_THRESHOLD, MAX_THRESHOLD = 2, 100
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
    """A table fit to leave need-to-know: no exact count under `threshold`, none recoverable."""

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


def _small(count: int, threshold: int) -> bool:
    return 0 < count < threshold


def protect(
    table: Table, *, threshold: int = DEFAULT_THRESHOLD, rounding: int | None = None
) -> Published:
    """The publishable form of `table` (see the module's docstring)."""
    check_threshold(threshold)
    hidden: dict[Key, str] = {k: PRIMARY for k, n in table.cells.items() if _small(n, threshold)}
    margin_hidden: list[dict[str, str]] = [
        {c: PRIMARY for c, n in m.items() if _small(n, threshold)} for m in table.margins
    ]
    total_hidden = _small(table.total, threshold)
    if table.additive:
        _complete_lines(table, hidden, margin_hidden)
    text_small = f"<{threshold}"

    def shown(count: int, reason: str | None) -> Shown:
        if reason:
            return Shown(None, text_small if reason == PRIMARY else "x", reason)
        value = _rounded(count, rounding)
        return Shown(value, str(value))

    cells = {key: shown(n, hidden.get(key)) for key, n in table.cells.items()}
    margins = tuple(
        {c: shown(n, margin_hidden[i].get(c)) for c, n in m.items()}
        for i, m in enumerate(table.margins)
    )
    total = shown(table.total, PRIMARY if total_hidden else None)
    notes = _notes(hidden, threshold, rounding)
    return Published(
        statistic=table.statistic,
        unit=table.unit,
        by=table.by,
        cells=cells,
        margins=margins,
        total=total,
        threshold=threshold,
        rounding=rounding,
        notes=notes,
        filters=dict(table.filters),
    )


def _rounded(count: int, base: int | None) -> int:
    if not base or base <= 1:
        return count
    return int(base * round(count / base))


def _complete_lines(
    table: Table, hidden: dict[Key, str], margin_hidden: list[dict[str, str]]
) -> None:
    """Hide a second cell in every line (cells sharing all but one category, with their margin)
    that has exactly one hidden cell, until no line has one: one hidden cell in a line is its
    margin minus the others."""
    changed = True
    while changed:
        changed = False
        for dim in range(len(table.by)):
            lines: dict[Key, list[Key]] = {}
            for key in table.cells:
                lines.setdefault(key[:dim] + key[dim + 1 :], []).append(key)
            for line_key, keys in lines.items():
                hidden_here = [k for k in keys if k in hidden]
                if len(hidden_here) != 1:
                    continue
                candidates = sorted(
                    (table.cells[k], k) for k in keys if k not in hidden and table.cells[k] > 0
                )
                if candidates:
                    hidden[candidates[0][1]] = SECONDARY
                    changed = True
                elif len(table.by) == 2:
                    # The only non-zero cell of its line: its line's margin is the cell itself.
                    other = 1 - dim
                    category = line_key[0]
                    if category not in margin_hidden[other]:
                        margin_hidden[other][category] = SECONDARY


def _notes(hidden: dict[Key, str], threshold: int, rounding: int | None) -> list[str]:
    notes: list[str] = []
    primary = sum(1 for r in hidden.values() if r == PRIMARY)
    secondary = sum(1 for r in hidden.values() if r == SECONDARY)
    if primary:
        notes.append(
            _("%(n)s cells count fewer than %(t)s people and are shown as <%(t)s.",
              n=primary, t=threshold)
        )  # fmt: skip
    if secondary:
        notes.append(
            _("%(n)s further cells are hidden (x) so that the small ones cannot be worked out "
              "from the totals.", n=secondary)
        )  # fmt: skip
    if rounding and rounding > 1:
        notes.append(_("Counts are rounded to the nearest %(base)s.", base=rounding))
    return notes
