"""What a reader can work out exactly from the published figures of a table.

A published table is a set of figures tied by linear relations: a line of cells sums to its
margin, the margins of a dimension sum to the total. Once some figures are hidden, a hidden
figure can still be *recovered* when some combination of the relations leaves it alone with known
figures: exactly when its unit vector lies in the row space of the relations restricted to the
hidden figures. The test is done here with exact rational arithmetic (Gauss-Jordan elimination
over `Fraction`s), never with floating point tolerances.

Which relations hold depends on the table (`relations`): a unit counted in several categories
of a multi-valued dimension (two citizenships) breaks the sums along that dimension, so only the
sums along single-valued dimensions are relations.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from fractions import Fraction

from jusoor.stats.tables import Key, Table

# A published figure: ("cell", key), ("margin", (dimension, category)) or ("total", ()).
Figure = tuple[str, Hashable]
TOTAL: Figure = ("total", ())


def cell(key: Key) -> Figure:
    return ("cell", key)


def margin(dimension: int, category: str) -> Figure:
    return ("margin", (dimension, category))


def single_valued(table: Table) -> list[bool]:
    """Per dimension, whether every unit falls in exactly one of its categories: then (and only
    then) its margins sum to the total, since every unit has at least one category."""
    if not table.margins:
        return [table.additive] * len(table.by)
    return [table.additive or sum(m.values()) == table.total for m in table.margins]


def relations(table: Table) -> list[dict[Figure, int]]:
    """The linear relations (coefficients summing to zero) between the figures of `table`.

    - a margin of dimension k equals the sum of its cells when every *other* dimension is
      single-valued (for a one-way table, the margin is the cell);
    - the margins of a single-valued dimension sum to the total;
    - the cells sum to the total when every dimension is single-valued.
    Cells absent from the table are published zeros and take no part. A relation the table's
    own figures do not satisfy (a dimension whose margins happen to sum to the total although a
    unit is in several of its categories, a margin without cells) is left out: a reader cannot
    use an equation that is false, and keeping it would claim figures are determined that are not
    (with every positive figure hidden, nothing true can determine one)."""
    values = figures(table)
    return [
        rule
        for rule in _structural_relations(table)
        if sum(coefficient * values.get(f, 0) for f, coefficient in rule.items()) == 0
    ]


def _structural_relations(table: Table) -> list[dict[Figure, int]]:
    """The relations the table's shape implies (see `relations`), true or not on its figures."""
    single = single_valued(table)
    found: list[dict[Figure, int]] = []
    for k, margins in enumerate(table.margins):
        others_single = all(s for i, s in enumerate(single) if i != k)
        if others_single:
            for category in margins:
                keys = [key for key in table.cells if key[k] == category]
                found.append({margin(k, category): -1, **{cell(key): 1 for key in keys}})
        if single[k]:
            found.append({TOTAL: -1, **{margin(k, c): 1 for c in margins}})
    if all(single):
        found.append({TOTAL: -1, **{cell(key): 1 for key in table.cells}})
    return found


def recoverable(rules: Sequence[dict[Figure, int]], hidden: Iterable[Figure]) -> set[Figure]:
    """The hidden figures that the published ones determine exactly through `rules`."""
    unknowns = sorted(set(hidden), key=repr)
    if not unknowns:
        return set()
    index = {figure: i for i, figure in enumerate(unknowns)}
    rows: list[list[Fraction]] = []
    for rule in rules:
        row = [Fraction(0)] * len(unknowns)
        touched = False
        for figure, coefficient in rule.items():
            at = index.get(figure)
            if at is not None:
                row[at] += coefficient
                touched = True
        if touched:
            rows.append(row)
    pivots = _reduce(rows, len(unknowns))
    # In reduced row echelon form a variable is determined iff its pivot row has no other
    # non-zero entry (then that row *is* its unit vector).
    found: set[Figure] = set()
    for row_index, column in pivots:
        row = rows[row_index]
        if all(value == 0 for j, value in enumerate(row) if j != column):
            found.add(unknowns[column])
    return found


def _reduce(rows: list[list[Fraction]], width: int) -> list[tuple[int, int]]:
    """Gauss-Jordan elimination in place; the (row, column) of every pivot."""
    pivots: list[tuple[int, int]] = []
    top = 0
    for column in range(width):
        chosen = next((r for r in range(top, len(rows)) if rows[r][column] != 0), None)
        if chosen is None:
            continue
        rows[top], rows[chosen] = rows[chosen], rows[top]
        lead = rows[top][column]
        if lead != 1:
            rows[top] = [value / lead for value in rows[top]]
        pivot_row = rows[top]
        spread = [j for j, value in enumerate(pivot_row) if value != 0]  # rows are sparse
        for r in range(len(rows)):
            factor = rows[r][column]
            if r != top and factor != 0:
                row = rows[r]
                for j in spread:
                    row[j] -= factor * pivot_row[j]
        pivots.append((top, column))
        top += 1
        if top == len(rows):
            break
    return pivots


def figures(table: Table) -> dict[Figure, int]:
    """Every published figure of `table` with its exact value."""
    out: dict[Figure, int] = {cell(key): n for key, n in table.cells.items()}
    for k, margins in enumerate(table.margins):
        out.update({margin(k, c): n for c, n in margins.items()})
    out[TOTAL] = table.total
    return out


def breaks(rules: Sequence[dict[Figure, int]], hidden: Iterable[Figure], target: Figure) -> bool:
    """Whether `target` is *not* determined once `hidden` are hidden, by floating point rank:
    fast, for choosing among candidates only — `recoverable` (exact) has the last word."""
    import numpy as np  # here, not at the top: slow to import, and only this needs it

    unknowns = sorted(set(hidden), key=repr)
    index = {figure: i for i, figure in enumerate(unknowns)}
    matrix = np.zeros((len(rules) + 1, len(unknowns)))
    for r, rule in enumerate(rules):
        for figure, coefficient in rule.items():
            at = index.get(figure)
            if at is not None:
                matrix[r, at] += coefficient
    matrix[len(rules), index[target]] = 1.0
    rank = int(np.linalg.matrix_rank(matrix[:-1])) if len(rules) else 0
    return int(np.linalg.matrix_rank(matrix)) > rank
