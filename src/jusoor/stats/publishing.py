"""Tables fit to leave need-to-know: counted, protected, and (when downloaded) audited.

Pages, the API and the printed report call these, never `engine.count` then show the result:
the only tables they get are `Published` ones (`stats.disclosure.protect`).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import uuid
from dataclasses import dataclass
from typing import Literal

from sqlalchemy.orm import Session

from jusoor.agencies.service import agencies_by_id
from jusoor.audit.service import record
from jusoor.core.errors import Invalid
from jusoor.core.i18n import current_locale
from jusoor.core.i18n import gettext as _
from jusoor.core.permissions import Action, Actor
from jusoor.stats import engine
from jusoor.stats.disclosure import DEFAULT_THRESHOLD, Published, check_threshold, protect
from jusoor.stats.labels import category_label, dimension_label
from jusoor.stats.tables import TOTAL

FileFormat = Literal["csv", "xlsx"]
MEDIA_TYPES: dict[str, str] = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
ROUNDINGS = (1, 2, 3, 5, 10)
EARLIEST_YEAR, LATEST_YEAR = 1990, 2100


@dataclass(frozen=True)
class Protection:
    """How a table is protected: the smallest count shown and the rounding base (None: exact)."""

    threshold: int = DEFAULT_THRESHOLD
    rounding: int | None = None

    @classmethod
    def of(cls, threshold: int | None, rounding: int | None) -> Protection:
        chosen = check_threshold(DEFAULT_THRESHOLD if threshold is None else threshold)
        if rounding is not None and rounding not in ROUNDINGS:
            raise Invalid(
                "rounding",
                _("Rounding must be one of %(bases)s.", bases=", ".join(map(str, ROUNDINGS))),
            )
        return cls(chosen, rounding if rounding and rounding > 1 else None)


@dataclass(frozen=True)
class Period:
    """The days a table covers, both inclusive; None on a side means no limit."""

    start: dt.date | None = None
    end: dt.date | None = None

    @classmethod
    def of(
        cls, year: int | None = None, start: dt.date | None = None, end: dt.date | None = None
    ) -> Period:
        if year is not None:
            if not EARLIEST_YEAR <= year <= LATEST_YEAR:
                raise Invalid(
                    "year",
                    _("The year must be between %(low)s and %(high)s.",
                      low=EARLIEST_YEAR, high=LATEST_YEAR),
                )  # fmt: skip
            return cls(dt.date(year, 1, 1), dt.date(year, 12, 31))
        if start and end and start > end:
            raise Invalid("to", _("The end of the period comes before its start."))
        return cls(start, end)

    def query(
        self, subject: str, by: tuple[str, ...], where: dict[str, str] | None = None
    ) -> engine.Query:
        return engine.Query(subject, by, start=self.start, end=self.end, where=where or {})

    @property
    def days(self) -> int | None:
        if self.start is None or self.end is None:
            return None
        return (self.end - self.start).days + 1


def publish(
    session: Session, *, actor: Actor, query: engine.Query, protection: Protection
) -> Published:
    """The table asked for, over what `actor` may count, with disclosure control applied."""
    exact = engine.count(session, actor, query)
    return protect(exact, threshold=protection.threshold, rounding=protection.rounding)


def agency_names(session: Session, table: Published) -> dict[str, str]:
    """The names, in the reader's language, of the agencies a table is broken down by."""
    if "agency" not in table.by:
        return {}
    position = table.by.index("agency")
    ids = set()
    for key in table.cells:
        try:
            ids.add(uuid.UUID(key[position]))
        except ValueError:
            continue  # "unknown"
    locale = current_locale()
    return {str(a.id): a.name(locale) for a in agencies_by_id(session, ids)}


def download(
    session: Session,
    *,
    actor: Actor,
    query: engine.Query,
    protection: Protection,
    fmt: FileFormat,
) -> bytes:
    """The published table as a CSV or XLSX file; requires `stats.export`; audited."""
    actor.require(Action.stats_export)
    if fmt not in MEDIA_TYPES:
        raise Invalid("format", _("A table is downloaded as csv or xlsx, not %(fmt)s.", fmt=fmt))
    table = publish(session, actor=actor, query=query, protection=protection)
    record(
        session,
        actor=actor,
        action="stats.export",
        object_type="stats_table",
        object_id=query.subject,
        details={
            "by": list(query.by),
            "format": fmt,
            "threshold": protection.threshold,
            "rounding": protection.rounding,
            "suppressed": table.suppressed_count(),
            **table.filters,
        },
    )
    rows = table_rows(table, agency_names(session, table))
    return _csv(rows) if fmt == "csv" else _xlsx(rows, table)


def table_rows(table: Published, agencies: dict[str, str] | None = None) -> list[list[str]]:
    """Header, one row per published cell, each margin, the total, then the notes: the long
    format UNODC and CTDC publish (one figure per line), in the reader's language."""
    header = [dimension_label(table.statistic, d) for d in table.by] + [_("Count")]
    rows = [header]
    for key, shown in sorted(table.cells.items()):
        labels = [category_label(d, c, agencies) for d, c in zip(table.by, key, strict=True)]
        rows.append([*labels, shown.text])
    if len(table.by) > 1:
        for i, margin in enumerate(table.margins):
            for category, shown in sorted(margin.items()):
                labels = [_("Total")] * len(table.by)
                labels[i] = category_label(table.by[i], category, agencies)
                rows.append([*labels, shown.text])
    rows.append([_("Total")] * max(1, len(table.by)) + [table.total.text])
    for note in table.notes:
        rows.append([note])
    return rows


def _csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        # A cell starting with = + - @ would run as a formula in a spreadsheet (CWE-1236).
        writer.writerow(["'" + c if c[:1] in "=+-@" else c for c in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # BOM: spreadsheets read it as UTF-8


def _xlsx(rows: list[list[str]], table: Published) -> bytes:
    from openpyxl import Workbook  # type: ignore[import-untyped]  # here: slow to import

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=table.statistic[:31] or TOTAL)
    for row in rows:
        # Published counts go in as numbers so that a spreadsheet can sum them; "<5" and "x"
        # stay text, as in UNODC's own file.
        sheet.append([int(c) if c.isdigit() else c for c in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
