"""Person files in and out of linkage: UTF-8 CSV (with or without a byte-order mark), checked
before any work starts so that a bad file fails in one line, and nothing is half-written. The
file is bounded (`core.import_limits`) and read strictly (`core.strict_csv`). A file's records
are kept as Arrow columns, not a dictionary per record: a million records took some 600 MB as
dictionaries, for the whole run, and a fifth of that as columns."""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow  # type: ignore[import-untyped]

from jusoor.core.errors import Invalid
from jusoor.core.i18n import gettext as _
from jusoor.core.import_limits import ImportLimits, cli_limits, read_capped
from jusoor.core.strict_csv import strict_rows
from jusoor.entities.resolution.linkage.prepare import INPUT_COLUMNS

OUTPUT_COLUMNS = ("record_id", "cluster_id", "match_probability")


class PersonFileError(Exception):
    """The file cannot be linked; the message says why, in the operator's language."""


@dataclass(frozen=True)
class PersonFile:
    table: Any  # an Arrow table, a column of text per column of the file, in its order
    extra_columns: tuple[str, ...]  # kept as they are in the output

    def __len__(self) -> int:
        return int(self.table.num_rows)

    def record_ids(self) -> list[str]:
        return [str(value) for value in self.table.column("record_id").to_pylist()]

    def records(self) -> list[dict[str, str]]:
        """Each record as a dictionary of its columns, in the file's order."""
        rows: list[dict[str, str]] = self.table.to_pylist()
        return rows

    def slices(self, size: int = 100_000) -> Iterator[Any]:
        """The table, `size` records at a time (Arrow tables)."""
        for start in range(0, len(self), size):
            yield self.table.slice(start, size)


def read_person_file(path: Path, limits: ImportLimits | None = None) -> PersonFile:
    """The records of a person CSV file, or `PersonFileError` naming what is wrong with it: over
    the limits (the console's by default; checked before reading), not UTF-8, a missing column,
    or a malformed row (`core.strict_csv`: ragged, a quote left open, a control character)."""
    limits = limits or cli_limits()
    try:
        text = read_capped(path, limits).decode("utf-8-sig")
    except Invalid as exc:
        raise PersonFileError(exc.message) from None
    except UnicodeDecodeError:
        raise PersonFileError(_("%(file)s is not a UTF-8 CSV file.", file=path.name)) from None
    except OSError as exc:
        raise PersonFileError(
            _("%(file)s cannot be read (%(reason)s).", file=path.name, reason=exc.strerror)
        ) from None
    if not text.strip():
        raise PersonFileError(_("%(file)s is empty.", file=path.name))
    header: list[str] = []
    columns: list[list[str]] = []
    try:
        rows = strict_rows(io.StringIO(text, newline=""), file=path.name, limits=limits)
        for number, cells in rows:
            if number == 1:
                header = [column.strip() for column in cells]
                _check_header(path, header)
                columns = [[] for _column in header]
            elif cells:
                for column, value in zip(columns, cells, strict=True):
                    column.append(value.strip())
    except Invalid as exc:
        raise PersonFileError(f"{path.name}: {exc.message}") from None
    del text
    # An unnamed column is dropped; of two columns of one name, the last is kept (as a
    # dictionary per record kept it).
    named = {key: column for key, column in zip(header, columns, strict=True) if key}
    if not named or not len(next(iter(named.values()))):
        raise PersonFileError(_("%(file)s has no records.", file=path.name))
    _check_ids(path, named["record_id"])
    extra = tuple(column for column in named if column not in INPUT_COLUMNS)
    return PersonFile(
        pyarrow.table(
            {key: pyarrow.array(values, pyarrow.string()) for key, values in named.items()}
        ),
        extra,
    )


def _check_header(path: Path, header: list[str]) -> None:
    problem = missing_columns(path, header, INPUT_COLUMNS)
    if problem:
        raise PersonFileError(problem)


def missing_columns(path: Path, header: Sequence[str], required: Sequence[str]) -> str | None:
    """The message naming the columns of `required` that a CSV file's `header` lacks, or None:
    one wording for the person file and the judgements file."""
    missing = [column for column in required if column not in header]
    if not missing:
        return None
    return _("%(file)s lacks the columns: %(columns)s.", file=path.name, columns=", ".join(missing))


def _check_ids(path: Path, record_ids: Sequence[str]) -> None:
    seen: set[str] = set()
    for line, record_id in enumerate(record_ids, start=2):
        if not record_id:
            raise PersonFileError(
                _("%(file)s line %(line)s: record_id is empty.", file=path.name, line=line)
            )
        if record_id in seen:
            raise PersonFileError(
                _(
                    "%(file)s line %(line)s: record_id %(id)s appears twice.",
                    file=path.name,
                    line=line,
                    id=record_id,
                )
            )
        seen.add(record_id)


def write_clusters(
    path: Path,
    person_file: PersonFile,
    clusters: dict[str, str],
    best_match: dict[str, float],
) -> None:
    """Write record_id, cluster_id, match_probability and the extra columns, atomically."""
    fieldnames = [*OUTPUT_COLUMNS, *person_file.extra_columns]
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", newline="", encoding="utf-8") as out:
            writer = csv.DictWriter(out, fieldnames=fieldnames)
            writer.writeheader()
            extra = person_file.extra_columns
            for piece in person_file.slices():
                carried = [piece.column(column).to_pylist() for column in extra]
                for record_id, *values in zip(
                    piece.column("record_id").to_pylist(), *carried, strict=True
                ):
                    writer.writerow(
                        {
                            "record_id": record_id,
                            "cluster_id": clusters.get(record_id, record_id),
                            "match_probability": f"{best_match.get(record_id, 0.0):.4f}",
                            **dict(zip(extra, values, strict=True)),
                        }
                    )
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
