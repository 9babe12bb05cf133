"""The model's evidence on any chosen pairs of records, blocked or not: each field's level and the
match weight (log2 Bayes factor) the trained model gives it, computed by the engine from the
model's own level SQL, so nothing is restated in Python.

    weights = pair_weights(linker, "persons", [("rec-1", "rec-7"), ...])  # (a, b) → bits

A pair's weight is the sum of its fields' weights without the prior: positive when the fields
speak for one person, negative when they speak against, 0 when they say nothing (every field
missing). `clustering` uses it to keep apart records the model itself tells apart.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from splink import Linker
from splink.internals.comparison import Comparison

PAIRS_TABLE = "__jusoor_evidence_pairs"
Pair = tuple[str, str]


def input_columns(comparisons: Sequence[Comparison]) -> list[str]:
    """The input columns the comparisons' level SQL reads (without the _l/_r suffix)."""
    return sorted(
        {
            column.unquote().name
            for comparison in comparisons
            for column in comparison._input_columns_used_by_case_statement
        }
    )


def case_statements(comparisons: Sequence[Comparison]) -> str:
    """The select list of each comparison's level SQL, as `gamma_<comparison>` columns."""
    return ",\n".join(c._case_statement for c in comparisons)


def both_sides(columns: Sequence[str]) -> str:
    """The select list that puts records `l` and `r` side by side, as the level SQL expects."""
    return ", ".join(f"l.{c} AS {c}_l, r.{c} AS {c}_r" for c in columns)


def level_weights(comparison: Comparison) -> dict[int, float]:
    """Comparison vector value → match weight in bits (0 for the null level, and for a level
    the model has no estimate for)."""
    weights: dict[int, float] = {}
    for level in comparison.comparison_levels:
        factor = level._bayes_factor
        if level.is_null_level or factor is None:
            weight = 0.0
        elif factor == 0:
            weight = -math.inf
        else:
            weight = math.log2(factor)
        weights[int(level.comparison_vector_value)] = weight
    return weights


def pair_weights(linker: Linker, table: str, pairs: Sequence[Pair]) -> dict[Pair, float]:
    """The model's total match weight (bits, no prior) of each pair of record ids in `table`."""
    if not pairs:
        return {}
    comparisons = linker._settings_obj.comparisons
    cases = case_statements(comparisons)
    sides = both_sides(input_columns(comparisons))
    linker.table_management.register_table(
        {"a": [a for a, _ in pairs], "b": [b for _, b in pairs]},
        PAIRS_TABLE,
        overwrite=True,
    )
    sql = f"""
        WITH p AS (
            SELECT q.a AS pair_a, q.b AS pair_b, {sides}
            FROM {PAIRS_TABLE} AS q
            JOIN {table} AS l ON l.unique_id = q.a
            JOIN {table} AS r ON r.unique_id = q.b
        )
        SELECT pair_a, pair_b, {cases} FROM p
    """  # noqa: S608 - table names are Splink's and ours; columns are the model's inputs
    rows: list[dict[str, Any]] = linker.misc.query_sql(sql).as_record_list()  # type: ignore[no-untyped-call]
    weights = {c.output_column_name: level_weights(c) for c in comparisons}
    return {
        (str(row["pair_a"]), str(row["pair_b"])): sum(
            weights[name][int(row[f"gamma_{name}"])] for name in weights
        )
        for row in rows
    }
