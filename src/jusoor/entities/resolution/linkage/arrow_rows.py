"""Prepared records and scored pairs as Arrow columns, not a Python object per row.

A million prepared records take some 2 GB as dictionaries and a tenth of that as an Arrow table;
the millions of pairs a large batch scores likewise. The linkage keeps its records and pairs here
until the clustering needs them as Python values.
"""

from __future__ import annotations

from typing import Any

import pyarrow  # type: ignore[import-untyped]
import pyarrow.compute  # type: ignore[import-untyped]

Row = dict[str, Any]


def scored_pairs(table: Any) -> list[tuple[str, str, float]]:
    """(record a, record b, probability) of each row of an Arrow table of scored pairs
    (unique_id_l, unique_id_r, match_probability), built column by column: a million records
    score millions of pairs, and a dictionary per pair took more memory than the clusters. The
    ids are read once each (dictionary-encoded), so a record's pairs share its id's string."""
    if not table.num_rows:
        return []
    both = pyarrow.concat_arrays(
        [
            table.column(c).cast(pyarrow.string()).combine_chunks()
            for c in ("unique_id_l", "unique_id_r")
        ]
    )
    ids = pyarrow.compute.dictionary_encode(both)
    names = [str(name) for name in ids.dictionary.to_pylist()]
    codes = ids.indices.to_pylist()
    count = table.num_rows
    probabilities = table.column("match_probability").cast(pyarrow.float64()).to_pylist()
    return [
        (names[a], names[b], float(p))
        for a, b, p in zip(codes[:count], codes[count:], probabilities, strict=True)
    ]


def prepared_row(records: Any, record_id: str) -> Row:
    """The row of `records` (an Arrow table of prepared records) whose unique_id is
    `record_id`, as a dictionary; `KeyError` when there is none."""
    ids = records.column("unique_id").cast(pyarrow.string())
    found = records.filter(pyarrow.compute.equal(ids, record_id))
    if not found.num_rows:
        raise KeyError(record_id)
    row: Row = found.slice(0, 1).to_pylist()[0]
    return row


def as_arrow(rows: list[Row]) -> Any:
    """The rows as an Arrow table, a column of text where every value is missing (the engine
    then knows its type): several times quicker to register than the dictionaries, and built
    column by column, three times quicker than row by row (`Table.from_pylist`)."""
    names = dict.fromkeys(name for row in rows for name in row)
    table = pyarrow.table({name: [row.get(name) for row in rows] for name in names})
    for i, column in enumerate(table.schema):
        if pyarrow.types.is_null(column.type):
            table = table.set_column(i, column.name, table.column(i).cast(pyarrow.string()))
    return table
