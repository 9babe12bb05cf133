"""Disclosure control on worked examples: what is hidden, why, and what the notes say."""

from __future__ import annotations

import pytest

from jusoor.core.errors import Invalid
from jusoor.stats.disclosure import (
    PRIMARY,
    SECONDARY,
    protect,
    protect_durations,
    suppress,
)
from jusoor.stats.tables import Duration, DurationTable, Table


def two_way() -> Table:
    cells = {("MA", "female"): 3, ("MA", "male"): 10, ("TN", "female"): 7, ("TN", "male"): 12}
    return Table(
        "cases", "victims", ("country", "sex"), cells, 32,
        ({"MA": 13, "TN": 19}, {"female": 10, "male": 22}),
    )  # fmt: skip


def test_a_small_cell_in_a_two_way_table_takes_its_rectangle_with_it() -> None:
    published = protect(two_way())
    assert published.cells[("MA", "female")].text == "<5"
    # One hidden cell in a line is its margin minus the others: its line and column each
    # need a second hidden cell, and those need a fourth.
    assert {k: s.suppressed for k, s in published.cells.items()} == {
        ("MA", "female"): PRIMARY,
        ("MA", "male"): SECONDARY,
        ("TN", "female"): SECONDARY,
        ("TN", "male"): SECONDARY,
    }
    assert published.margins[0]["MA"].value == 13 and published.total.value == 32
    assert published.suppression["cell:MA|female"] == PRIMARY
    assert len(published.notes) == 2


def test_zero_is_published_and_a_table_without_small_counts_is_untouched() -> None:
    table = Table("cases", "victims", ("sex",), {("female",): 0, ("male",): 9}, 9,
                  ({"female": 0, "male": 9},))  # fmt: skip
    published = protect(table)
    assert published.cells[("female",)].value == 0
    assert published.suppression == {} and published.notes == []


def test_one_way_table_hides_a_second_cell_and_its_margin() -> None:
    cells = {("a",): 2, ("b",): 6, ("c",): 30}
    table = Table("cases", "victims", ("x",), cells, 38, ({"a": 2, "b": 6, "c": 30},))
    published = protect(table)
    assert published.cells[("a",)].suppressed == PRIMARY
    assert published.cells[("b",)].suppressed == SECONDARY  # the smallest other one
    assert published.margins[0]["b"].value is None  # the margin of a one-way table is the cell
    assert published.cells[("c",)].value == 30 and published.total.value == 38


def test_multi_valued_margins_are_only_primary_suppressed() -> None:
    # 20 people, 3 with two citizenships: the margins sum to 23, not to the total.
    cells = {("DZ",): 3, ("MA",): 12, ("TN",): 8}
    table = Table("cases", "victims", ("citizenship",), cells, 20,
                  ({"DZ": 3, "MA": 12, "TN": 8},), additive=False)  # fmt: skip
    published = protect(table)
    assert published.cells[("DZ",)].suppressed == PRIMARY
    assert published.cells[("MA",)].value == 12 and published.cells[("TN",)].value == 8
    assert published.total.value == 20


def test_three_way_table_is_protected() -> None:
    cells = {("a", "x", "p"): 2, ("a", "x", "q"): 9, ("b", "y", "p"): 8, ("b", "y", "q"): 11}
    margins = ({"a": 11, "b": 19}, {"x": 11, "y": 19}, {"p": 10, "q": 20})
    published = protect(Table("cases", "victims", ("s", "t", "u"), cells, 30, margins))
    hidden = {k for k, s in published.cells.items() if s.suppressed}
    assert ("a", "x", "p") in hidden and len(hidden) >= 2


def test_small_total_and_margins_are_hidden() -> None:
    table = Table("cases", "victims", ("sex",), {("female",): 2, ("male",): 1}, 3,
                  ({"female": 2, "male": 1},))  # fmt: skip
    published = protect(table)
    assert published.total.text == "<5"
    assert all(s.value is None for s in published.cells.values())


def test_rounding_is_said_and_bounds_are_checked() -> None:
    published = protect(two_way(), rounding=5)
    assert published.total.value == 30
    assert any("rounded" in note for note in published.notes)
    with pytest.raises(Invalid) as error:
        protect(two_way(), threshold=1)
    assert error.value.field == "min_count"
    with pytest.raises(Invalid) as error:
        protect(two_way(), rounding=0)
    assert error.value.field == "rounding"


def test_durations_of_few_people_are_not_shown() -> None:
    def d(n: int, median: float) -> Duration:
        return Duration(n, median, median, median)

    table = DurationTable(
        "screening_to_identification", "victims", ("sex",),
        {("female",): d(3, 4.0), ("male",): d(20, 9.0), ("unknown",): d(7, 6.0)}, d(30, 8.0),
    )  # fmt: skip
    published = protect_durations(table)
    assert published.cells[("female",)].median is None
    assert published.cells[("female",)].count.text == "<5"
    # the smallest other count is hidden too, else 30 - 20 - 7 gives the 3 back
    assert published.cells[("unknown",)].median is None
    assert published.cells[("male",)].median == 9.0
    assert published.overall.median == 8.0


def test_a_relation_the_figures_do_not_satisfy_is_not_used() -> None:
    # Seen on a 36-case demo's dashboard (analyst.eg): the margins of a dimension summed to the
    # total by coincidence although one unit was in two categories, so "the margin is the sum of
    # its cells" was assumed where it is false. With every positive figure hidden, the false
    # equation "margin y = 0" claimed a hidden figure was recoverable and protection failed (500).
    table = Table(
        statistic="t",
        unit="victims",
        by=("citizenship",),
        cells={("x",): 3},
        total=5,
        margins=({"x": 3, "y": 2},),
        additive=False,
    )
    protected = protect(table, threshold=10)
    assert protected.total.suppressed == PRIMARY and protected.total.value is None
    hidden = set(suppress(table, 10))
    assert ("margin", (0, "y")) in hidden and ("margin", (0, "x")) in hidden
    assert ("cell", ("x",)) in hidden
