"""CSV read strictly: a malformed row is refused by its number, never silently repaired.

The rules (ASVS 4.0.3 5.1.3 and 5.1.4: structured input is validated against what it must be,
and refused whole when it is not):

- every row has as many cells as the header (a row of only blank cells is a blank row);
- no cell holds a line break: in the files Jusoor imports, one means a quote left open that
  swallowed the next row (two people read as one);
- no cell holds a control character (NUL, escape… U+0000-U+001F but tab, U+007F-U+009F): it
  would be stored and shown as it is;
- the csv module's own errors (a quote in the middle of a cell, a quote not closed at the end,
  a cell over its size limit) name the row where they happen;
- no more data rows than the limit, counted as they stream.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from typing import Any

from jusoor.core.errors import Invalid
from jusoor.core.i18n import gettext as _
from jusoor.core.import_limits import ImportLimits, check_rows

CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
LINE_BREAK = re.compile("[\r\n]")


class RowError(Invalid):
    """One row is malformed; `row` counts lines from the header (row 1), `problem` is the
    reason without the row, for callers that number rows their own way."""

    def __init__(self, row: int, column: str | None, problem: str) -> None:
        if column:
            message = _(
                "Row %(row)s, column %(column)s: %(problem)s Nothing was imported.",
                row=row,
                column=column,
                problem=problem,
            )
        else:
            message = _("Row %(row)s: %(problem)s Nothing was imported.", row=row, problem=problem)
        super().__init__(column or "file", message)
        self.row, self.column, self.problem = row, column, problem


def control_problem(value: str) -> str | None:
    """Why a text may not be stored, or None: it holds a control character."""
    found = CONTROL.search(value)
    if found is None:
        return None
    return _(
        "the cell holds the control character U+%(code)s, which no text may hold.",
        code=f"{ord(found.group()):04X}",
    )


def cell_problem(value: str, *, line_breaks: bool = False) -> str | None:
    """Why a cell is refused, or None. `line_breaks`: a spreadsheet cell may hold them."""
    if not line_breaks and LINE_BREAK.search(value):
        return _(
            "the cell runs over a line break: a quote is probably not closed, which would "
            "join two rows into one."
        )
    return control_problem(value)


def _column(header: list[str], position: int) -> str:
    name = header[position].strip() if position < len(header) else ""
    return name or f"#{position + 1}"


def check_row(
    number: int, cells: list[str], header: list[str], *, line_breaks: bool = False
) -> None:
    """RowError for the first cell of a row that may not be read (see the module's rules)."""
    joined = "\t".join(cells)  # one search for the whole row; cells only when it finds one
    if CONTROL.search(joined) is None and (line_breaks or LINE_BREAK.search(joined) is None):
        return
    for position, cell in enumerate(cells):
        problem = cell_problem(cell, line_breaks=line_breaks)
        if problem:
            column = _column(header, position) if header else f"#{position + 1}"
            raise RowError(number, column, problem)


def is_blank(cells: list[str]) -> bool:
    return not any(cell.strip() for cell in cells)


def check_width(number: int, cells: list[str], header: list[str]) -> None:
    """RowError when a row that is not blank has more or fewer cells than the header."""
    if len(cells) != len(header) and not is_blank(cells):
        raise RowError(
            number,
            None,
            _(
                "the row has %(found)s cells but the header has %(expected)s.",
                found=len(cells),
                expected=len(header),
            ),
        )


def strict_rows(
    lines: Iterable[str], *, file: str, limits: ImportLimits, dialect: Any = csv.excel
) -> Iterator[tuple[int, list[str]]]:
    """(row number, cells) of a CSV text, the header first as row 1; a blank row is yielded as
    it is, for the caller to count. Raises RowError at the first malformed row, and Invalid
    when the data rows pass the limit."""
    reader = csv.reader(lines, dialect, strict=True)
    header: list[str] = []
    number = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise RowError(
                number + 1,
                None,
                _("the CSV cannot be read here (%(reason)s).", reason=str(exc)),
            ) from None
        number += 1
        check_row(number, cells, header)
        if number == 1:
            header = cells
        else:
            check_rows(file, number - 1, limits)
            check_width(number, cells, header)
        yield number, cells
