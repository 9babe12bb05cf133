"""u estimated on pairs that another field shows to be two people, so that true matches do not
inflate it.

Splink estimates u, the chance that two different people agree at a level, from random pairs. In a
batch where each person has two or three records, random pairs hold a few true matches too, and at
the strongest levels (a rare full name, the same date of birth) those few outnumber the
non-matches that agree by chance: the strongest evidence then looks weaker than the next level.
Here each field's levels are counted among random pairs whose *witness*, a field independent of it
among different people, disagrees outright: names among pairs born years apart, every other field
among pairs whose names have nothing in common. True matches almost never disagree so, and the
field's agreement by chance is the same with or without that condition.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from splink import Linker
from splink.internals.comparison import Comparison

from jusoor.entities.resolution.linkage.comparisons import SHARE_A_PAIR
from jusoor.entities.resolution.linkage.evidence import both_sides, case_statements, input_columns

MIN_PAIRS = 20_000  # fewer contrasting pairs than this, and Splink's own u is kept
ELSE_LABEL = "All other comparisons"  # Splink's label of the else level


def sample_size(records: int, pairs: float) -> int:
    """How many records to draw so that their pairs number about `pairs`."""
    return min(records, int((2 * pairs) ** 0.5) + 1)


def contrast_u(
    linker: Linker,
    table: str,
    ids: Sequence[str],
    witnesses: Mapping[str, tuple[str, str]],
    *,
    pairs: float,
    seed: int,
) -> dict[str, dict[int, float]]:
    """For each comparison with a witness (comparison, label of its level of outright
    disagreement): comparison vector value → u, counted among the pairs of a random sample of
    records (`ids`) where the witness comparison is at that level.
    Comparisons with too few such pairs are left out (keep their u)."""
    chosen = random.Random(seed).sample(list(ids), sample_size(len(ids), pairs))  # noqa: S311
    settings = linker._settings_obj
    comparisons = {c.output_column_name: c for c in settings.comparisons}
    cases = case_statements(settings.comparisons)
    sides = both_sides(input_columns(settings.comparisons))
    listed = ", ".join("'" + i.replace("'", "''") + "'" for i in chosen)
    sample = f"WITH s AS (SELECT * FROM {table} WHERE unique_id IN ({listed}))"  # noqa: S608
    joined = f"SELECT {sides} FROM s AS l JOIN s AS r ON l.unique_id < r.unique_id"  # noqa: S608
    # (table is Splink's; ids are quoted; columns are the prepared names)
    if SHARE_A_PAIR in cases:
        # The engine calls the name function once per vector of rows at every level it tests,
        # however few rows of the vector share a pair of name words: among random pairs, about
        # one in a hundred. Those few are counted apart, gathered into full vectors first (the
        # ORDER BY), so the calls are few (at 2,000,000 pairs, 62 calls instead of 3,704). The
        # pairs are written twice, not shared: a shared one would be stored whole.
        shared = f"coalesce({SHARE_A_PAIR}, false)"
        sql = (
            f"{sample}, d AS ({joined} WHERE {shared} ORDER BY name_l, name_r), "  # noqa: S608
            f"o AS ({joined} WHERE NOT {shared}) "
            f"SELECT {cases}, count(*) AS pair_count FROM d GROUP BY ALL "
            f"UNION ALL SELECT {cases}, count(*) AS pair_count FROM o GROUP BY ALL"
        )
    else:
        sql = (
            f"{sample}, p AS ({joined}) SELECT {cases}, count(*) AS pair_count FROM p GROUP BY ALL"  # noqa: S608
        )
    histogram: list[dict[str, Any]] = linker.misc.query_sql(sql).as_record_list()  # type: ignore[no-untyped-call]
    result: dict[str, dict[int, float]] = {}
    for name, comparison in comparisons.items():
        if name not in witnesses or witnesses[name][0] not in comparisons:
            continue
        witness, label = witnesses[name]
        disagree = _level_value(comparisons[witness], label)
        counts: Counter[int] = Counter()
        for row in histogram:  # a level may come in two rows (see above): counts add up
            if int(row[f"gamma_{witness}"]) == disagree and int(row[f"gamma_{name}"]) >= 0:
                counts[int(row[f"gamma_{name}"])] += int(row["pair_count"])
        total = sum(counts.values())
        if total < MIN_PAIRS:
            continue
        levels = [
            int(level.comparison_vector_value)
            for level in comparison.comparison_levels
            if not level.is_null_level
        ]
        smoothed = {level: counts[level] + 0.5 for level in levels}
        mass = sum(smoothed.values())
        result[name] = {level: count / mass for level, count in smoothed.items()}
    return result


def _level_value(comparison: Comparison, label: str) -> int:
    """The comparison vector value of the level of `comparison` labelled `label`."""
    for level in comparison.comparison_levels:
        if level._label_for_charts_no_duplicates(comparison.comparison_levels) == label:
            return int(level.comparison_vector_value)
    raise ValueError(f"{comparison.output_column_name} has no level {label!r}")
