"""A synthetic national database of N victims' cases, built fast for the statistics benchmark.

The drawing and the writers moved to `jusoor.synth.scale.population`, shared with
`jusoor demo load --cases N`; this module keeps the bench's names.
"""

from __future__ import annotations

from jusoor.synth.scale.population import (
    CASE_HOLDERS,
    COLUMNS,
    JSON_COLUMNS,
    YEAR_WEIGHTS,
    YEARS,
    Holder,
    batches,
    holders,
    insert_copy,
    insert_core,
    rows,
)

__all__ = [
    "CASE_HOLDERS",
    "COLUMNS",
    "JSON_COLUMNS",
    "YEARS",
    "YEAR_WEIGHTS",
    "Holder",
    "batches",
    "holders",
    "insert_copy",
    "insert_core",
    "rows",
]
