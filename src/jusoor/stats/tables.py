"""The shape every statistic takes, from the engine to disclosure control, pages and exports.

A `Table` holds *exact* counts and never leaves the node as it is: pages, downloads and releases
pass it through `stats.disclosure` first. Counts are of units (victims, screenings, referrals...),
each counted once per cell it falls in. A unit with two citizenships is counted under both, so the
cells of a multi-valued dimension may add up to more than its total: `additive` says whether the
cells of the table add up to the margins (every unit in exactly one cell), which the disclosure
control needs to know which totals an attacker could subtract from.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

Key = tuple[str, ...]
UNKNOWN = "unknown"  # the category of a unit with no value for a dimension
TOTAL = "total"  # the key word of a margin in exports


@dataclass(frozen=True)
class Table:
    """Counts of `unit` by the categories of `by` (the dimensions, in order).

    - `cells`: one count per combination of categories present (absent means 0);
    - `total`: the number of distinct units counted (not the sum of cells when not additive);
    - `margins[i]`: per category of dimension `by[i]`, the distinct units in it;
    - `additive`: every unit falls in exactly one cell, so cells sum to margins and the total.
    """

    statistic: str
    unit: str
    by: tuple[str, ...]
    cells: dict[Key, int]
    total: int
    margins: tuple[dict[str, int], ...] = ()
    additive: bool = True
    filters: dict[str, str] = field(default_factory=dict)

    def categories(self, dimension: int) -> list[str]:
        """The categories of `by[dimension]` that occur, in a stable order (unknown last)."""
        seen = {key[dimension] for key in self.cells}
        return sorted(seen, key=lambda c: (c == UNKNOWN, c))

    def count(self, *key: str) -> int:
        return self.cells.get(tuple(key), 0)

    def rows(self) -> Iterator[tuple[Key, int]]:
        """(key, count) for every non-empty cell, in key order."""
        for key in sorted(self.cells, key=lambda k: tuple((c == UNKNOWN, c) for c in k)):
            yield key, self.cells[key]


@dataclass(frozen=True)
class Duration:
    """How long units took between two moments, in days."""

    count: int
    median: float | None
    mean: float | None
    p90: float | None


@dataclass(frozen=True)
class DurationTable:
    """Durations of `unit` (e.g. screening to identification) by the categories of `by`."""

    statistic: str
    unit: str
    by: tuple[str, ...]
    cells: dict[Key, Duration]
    overall: Duration
    filters: dict[str, str] = field(default_factory=dict)
