"""`jusoor stats table`: one table, from the node's records or from an external file.

- Without `--from`: the engine counts `--subject` (default: victims' cases) by `--by`, over the
  records the `--as` user may count, in the period asked; disclosure control always applies
  (`--min-count`, default GLOTIP's 5).
- With `--from FILE.csv --format ctdc|htcds`: the same table from the file, without the database
  (`stats.external`); exact unless `--min-count` is given (CTDC's files are already published).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table as RichTable

from jusoor.audit.service import record
from jusoor.core.console import JSON_OPTION, fail, reason, unit_of_work
from jusoor.core.errors import DomainError, Invalid
from jusoor.core.i18n import gettext as _
from jusoor.stats import engine, external
from jusoor.stats.console import acting
from jusoor.stats.disclosure import DEFAULT_THRESHOLD, Published, check_threshold, protect
from jusoor.stats.tables import Table

FROM_OPTION = typer.Option(None, "--from", help="An external CSV file (CTDC or HTCDS) to count.")
FORMAT_OPTION = typer.Option("", "--format", help="The external file's format: ctdc or htcds.")
BY_OPTION = typer.Option(..., "--by", help="Dimensions, comma-separated (e.g. sex,form).")
MIN_OPTION = typer.Option(None, "--min-count", help="Counts under this are shown as <K.")
SUBJECT_OPTION = typer.Option("cases", "--subject", help="What to count (database mode).")
AS_TABLE_OPTION = typer.Option("", "--as", help="The user on whose behalf you act (database).")
YEAR_OPTION = typer.Option(None, "--year", help="Only this year (database mode).")
FROM_DATE_OPTION = typer.Option(None, "--from-date", help="First day, YYYY-MM-DD (database).")
TO_DATE_OPTION = typer.Option(None, "--to-date", help="Last day, YYYY-MM-DD (database).")


def _day(value: str | None, option: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise Invalid(option, _("%(value)s is not a date (YYYY-MM-DD).", value=value)) from None


def _period(
    year: int | None, from_date: str | None, to_date: str | None
) -> tuple[dt.date | None, dt.date | None]:
    start, end = _day(from_date, "from-date"), _day(to_date, "to-date")
    if year is not None:
        if not 1900 <= year <= 2100:
            raise Invalid("year", _("%(value)s is not a year.", value=year))
        start, end = start or dt.date(year, 1, 1), end or dt.date(year, 12, 31)
    if start and end and start > end:
        raise Invalid("to-date", _("The period ends before it starts."))
    return start, end


def _exact(table: Table) -> dict[str, Any]:
    return {
        "statistic": table.statistic,
        "unit": table.unit,
        "by": list(table.by),
        "cells": [{"key": list(key), "count": n} for key, n in table.rows()],
        "margins": [dict(sorted(m.items())) for m in table.margins],
        "total": table.total,
        "additive": table.additive,
        "filters": table.filters,
    }


def _published(table: Published) -> dict[str, Any]:
    def shown(item: Any) -> dict[str, Any]:
        return {"value": item.value, "text": item.text, "suppressed": item.suppressed}

    return {
        "statistic": table.statistic,
        "unit": table.unit,
        "by": list(table.by),
        "cells": [{"key": list(key), **shown(s)} for key, s in sorted(table.cells.items())],
        "margins": [{c: shown(s) for c, s in sorted(m.items())} for m in table.margins],
        "total": shown(table.total),
        "threshold": table.threshold,
        "notes": table.notes,
        "filters": table.filters,
    }


def _print(table: Table | Published) -> None:
    console = Console()
    rich = RichTable(title=f"{table.statistic} ({_(table.unit)})")
    for name in table.by:
        rich.add_column(name)
    rich.add_column(_("Count"), justify="right")
    if isinstance(table, Published):
        for key, shown in sorted(table.cells.items()):
            rich.add_row(*key, shown.text)
        total = table.total.text
    else:
        for key, n in table.rows():
            rich.add_row(*key, str(n))
        total = str(table.total)
    rich.add_row(*([_("Total")] + [""] * (len(table.by) - 1)), total)
    console.print(rich)
    for note in table.notes if isinstance(table, Published) else ():
        console.print(note)


def table(
    from_file: Path | None = FROM_OPTION,
    fmt: str = FORMAT_OPTION,
    by: str = BY_OPTION,
    min_count: int | None = MIN_OPTION,
    subject: str = SUBJECT_OPTION,
    as_user: str = AS_TABLE_OPTION,
    year: int | None = YEAR_OPTION,
    from_date: str | None = FROM_DATE_OPTION,
    to_date: str | None = TO_DATE_OPTION,
    json_out: bool = JSON_OPTION,
) -> None:
    """Count victims (or another subject) by dimensions, from the node or from a CTDC/HTCDS file."""
    names = [n.strip() for n in by.split(",") if n.strip()]
    result: Table | Published
    try:
        if min_count is not None:
            check_threshold(min_count)
        if from_file is not None:
            if not fmt:
                raise Invalid("format", _("--format: choose ctdc or htcds for the file."))
            exact = external.table_from_file(from_file, fmt, names)
            result = exact if min_count is None else protect(exact, threshold=min_count)
        else:
            if not as_user:
                fail(_("--as: name the user on whose behalf you count the node's records."))
            start, end = _period(year, from_date, to_date)
            with unit_of_work() as session:
                actor = acting(session, as_user)
                query = engine.Query(subject=subject, by=tuple(names), start=start, end=end)
                counted = engine.count(session, actor, query)
                record(session, actor=actor, action="stats.table", object_type="statistics",
                       details={"subject": subject, "by": names, **counted.filters})  # fmt: skip
                result = protect(counted, threshold=min_count or DEFAULT_THRESHOLD)
    except DomainError as exc:
        fail(reason(exc))
    if json_out:
        data = _published(result) if isinstance(result, Published) else _exact(result)
        typer.echo(json.dumps(data, ensure_ascii=False))
    else:
        _print(result)
