"""Person files in and out of linkage: UTF-8 CSV (with or without a byte-order mark), checked
before any work starts so that a bad file fails in one line, and nothing is half-written. The
file is bounded (`core.import_limits`) and read strictly (`core.strict_csv`)."""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

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
    records: list[dict[str, str]]
    extra_columns: tuple[str, ...]  # kept as they are in the output


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
    records: list[dict[str, str]] = []
    try:
        rows = strict_rows(io.StringIO(text, newline=""), file=path.name, limits=limits)
        for number, cells in rows:
            if number == 1:
                header = [column.strip() for column in cells]
                _check_header(path, header)
            elif cells:
                records.append(
                    {key: value.strip() for key, value in zip(header, cells, strict=True) if key}
                )
    except Invalid as exc:
        raise PersonFileError(f"{path.name}: {exc.message}") from None
    if not records:
        raise PersonFileError(_("%(file)s has no records.", file=path.name))
    _check_ids(path, records)
    extra = tuple(column for column in header if column not in INPUT_COLUMNS)
    return PersonFile(records, extra)


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


def _check_ids(path: Path, records: Sequence[dict[str, str]]) -> None:
    seen: set[str] = set()
    for line, record in enumerate(records, start=2):
        record_id = record.get("record_id", "")
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
            for record in person_file.records:
                record_id = record["record_id"]
                writer.writerow(
                    {
                        "record_id": record_id,
                        "cluster_id": clusters.get(record_id, record_id),
                        "match_probability": f"{best_match.get(record_id, 0.0):.4f}",
                        **{column: record.get(column, "") for column in person_file.extra_columns},
                    }
                )
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
