"""Property tests of disclosure control: whatever the table, no published figure is under the
threshold and no hidden figure can be pinned down from the published ones.

The check is independent of the implementation: the tables are built from units (people) the
way the engine counts them, the relations an attacker may use are written here from how the
table was built, and each hidden figure's smallest and largest feasible values are found by
linear programming (scipy's HiGHS) over non-negative values.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import product

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from jusoor.stats.disclosure import protect
from jusoor.stats.tables import Table

CATEGORIES = ("a", "b", "c", "d")


@st.composite
def tables(draw: st.DrawFn) -> tuple[Table, list[bool]]:
    """A table of 1 to 3 dimensions counted from up to 60 units; a dimension may be
    multi-valued (a unit in one or two of its categories)."""
    dims = draw(st.integers(1, 3))
    widths = [draw(st.integers(1, 4)) for _ in range(dims)]
    multi = [draw(st.booleans()) and draw(st.booleans()) for _ in range(dims)]
    units = draw(st.integers(0, 60))
    cells: dict[tuple[str, ...], int] = defaultdict(int)
    margins: list[dict[str, int]] = [defaultdict(int) for _ in range(dims)]
    for _ in range(units):
        per_dim: list[list[str]] = []
        for d in range(dims):
            first = draw(st.integers(0, widths[d] - 1))
            chosen = {CATEGORIES[first]}
            if multi[d] and draw(st.booleans()):
                chosen.add(CATEGORIES[draw(st.integers(0, widths[d] - 1))])
            per_dim.append(sorted(chosen))
        for d, categories in enumerate(per_dim):
            for c in categories:
                margins[d][c] += 1
        for key in product(*per_dim):
            cells[key] += 1
    by = tuple(f"d{i}" for i in range(dims))
    single = [not m for m in multi]
    table = Table(
        "cases", "victims", by, dict(cells), units, tuple(dict(m) for m in margins),
        additive=all(single) or not any(len(k) for k in cells),
    )  # fmt: skip
    return table, single


def attacker_relations(table: Table, single: list[bool]) -> list[dict[str, int]]:
    """What holds by construction, written from the units' shape (not from the implementation)."""
    found: list[dict[str, int]] = []
    for k, margins in enumerate(table.margins):
        if all(s for i, s in enumerate(single) if i != k):
            for c in margins:
                rule = {f"m{k}:{c}": -1}
                rule.update({f"c:{key}": 1 for key in table.cells if key[k] == c})
                found.append(rule)
        if single[k]:
            found.append({"t": -1, **{f"m{k}:{c}": 1 for c in margins}})
    return found


def published_figures(table: Table, threshold: int) -> tuple[dict[str, int], dict[str, int]]:
    """(true value, published value or -1 when hidden) by figure name."""
    published = protect(table, threshold=threshold)
    truth: dict[str, int] = {}
    shown: dict[str, int] = {}
    for key, n in table.cells.items():
        truth[f"c:{key}"] = n
        shown[f"c:{key}"] = -1 if published.cells[key].value is None else published.cells[key].value  # type: ignore[assignment]
    for k, margins in enumerate(table.margins):
        for c, n in margins.items():
            value = published.margins[k][c].value
            truth[f"m{k}:{c}"] = n
            shown[f"m{k}:{c}"] = -1 if value is None else value
    truth["t"] = table.total
    shown["t"] = -1 if published.total.value is None else published.total.value
    return truth, shown


def feasible_range(rules: list[dict[str, int]], shown: dict[str, int], figure: str) -> float:
    hidden = sorted(f for f, v in shown.items() if v < 0)
    index = {f: i for i, f in enumerate(hidden)}
    rows, rhs = [], []
    for rule in rules:
        row = np.zeros(len(hidden))
        constant = 0.0
        for f, coefficient in rule.items():
            if f in index:
                row[index[f]] += coefficient
            else:
                constant += coefficient * shown.get(f, 0)
        if row.any():
            rows.append(row)
            rhs.append(-constant)
    objective = np.zeros(len(hidden))
    objective[index[figure]] = 1.0
    kwargs = {"A_eq": np.array(rows), "b_eq": np.array(rhs)} if rows else {}
    low = linprog(objective, bounds=(0, None), method="highs", **kwargs)
    high = linprog(-objective, bounds=(0, None), method="highs", **kwargs)
    if high.status == 3:  # unbounded above: certainly not pinned down
        return float("inf")
    assert low.status == 0 and high.status == 0
    return float(-high.fun - low.fun)


SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(tables(), st.sampled_from([3, 5, 10]))
def test_no_published_figure_is_under_the_threshold(
    case: tuple[Table, list[bool]], threshold: int
) -> None:
    table, _ = case
    truth, shown = published_figures(table, threshold)
    for figure, value in shown.items():
        assert value < 0 or value == 0 or value >= threshold, figure
        if value >= 0:
            assert value == truth[figure]  # no rounding asked: published figures are exact


@SETTINGS
@given(tables(), st.sampled_from([3, 5, 10]))
def test_no_hidden_figure_can_be_worked_out(case: tuple[Table, list[bool]], threshold: int) -> None:
    table, single = case
    truth, shown = published_figures(table, threshold)
    rules = attacker_relations(table, single)
    for rule in rules:  # the relations really hold, so the attacker's model is right
        assert sum(c * truth[f] for f, c in rule.items()) == 0
    for figure, value in shown.items():
        if value < 0:
            assert truth[figure] > 0  # zeros are never hidden
            assert feasible_range(rules, shown, figure) > 1e-6, figure


@SETTINGS
@given(tables(), st.sampled_from([2, 5, 10]))
def test_rounding_keeps_suppression_and_rounds_each_figure(
    case: tuple[Table, list[bool]], base: int
) -> None:
    table, _ = case
    plain = protect(table)
    rounded = protect(table, rounding=base)
    assert rounded.suppression == plain.suppression
    for key, n in table.cells.items():
        value = rounded.cells[key].value
        if value is None:
            assert plain.cells[key].value is None
        else:
            assert value % base == 0 and abs(value - n) <= base / 2
