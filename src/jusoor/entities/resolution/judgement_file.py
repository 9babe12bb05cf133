"""People's judgements on a person file, read from CSV for `jusoor resolve persons --judgements`.

    read_judgements(path) -> {(record_a, record_b): "same" | "different"}   smaller id first

The file has the columns `record_id_a, record_id_b, decision` (same or different, any case); it
is bounded (the console's import limits) and read strictly (`core.strict_csv`). How judgements
constrain the clusters: `linkage.clustering`.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from jusoor.core.errors import Invalid
from jusoor.core.i18n import gettext as _
from jusoor.core.import_limits import ImportLimits, check_file, cli_limits
from jusoor.core.strict_csv import strict_rows
from jusoor.entities.resolution.linkage.clustering import DIFFERENT, SAME, ordered
from jusoor.entities.resolution.linkage.person_csv import missing_columns

DECISIONS = {SAME: SAME, DIFFERENT: DIFFERENT}
JUDGEMENT_COLUMNS = ("record_id_a", "record_id_b", "decision")


class JudgementFileError(Exception):
    """The judgements file cannot be used; the message says why, in the operator's language."""


def read_judgements(path: Path, limits: ImportLimits | None = None) -> dict[tuple[str, str], str]:
    """A CSV of `record_id_a, record_id_b, decision` (same | different) as a judgements map."""
    limits = limits or cli_limits()
    try:
        check_file(path, limits)
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return _judgements(path, strict_rows(handle, file=path.name, limits=limits))
    except Invalid as exc:
        raise JudgementFileError(exc.message) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise JudgementFileError(
            _("%(file)s cannot be read (%(reason)s).", file=path.name, reason=str(exc))
        ) from exc


def _judgements(path: Path, rows: Iterable[tuple[int, list[str]]]) -> dict[tuple[str, str], str]:
    header: list[str] = []
    found: dict[tuple[str, str], str] = {}
    for line, cells in rows:
        if line == 1:
            header = [cell.strip() for cell in cells]
            problem = missing_columns(path, header, JUDGEMENT_COLUMNS)
            if problem:
                raise JudgementFileError(problem)
            continue
        if not cells:
            continue
        row = dict(zip(header, cells, strict=True))
        decision = DECISIONS.get(row["decision"].strip().lower())
        a, b = row["record_id_a"].strip(), row["record_id_b"].strip()
        if decision is None or not a or not b or a == b:
            raise JudgementFileError(
                _(
                    "%(file)s, line %(line)s: give two record ids and same or different.",
                    file=path.name,
                    line=line,
                )
            )
        found[ordered(a, b)] = decision
    return found
