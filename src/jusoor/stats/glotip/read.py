"""Reading UNODC's GLOTIP data file (`data_glotip.xlsx`): one row per country, indicator,
dimension, category, sex, age and year, with the count as *text* in `txtVALUE`.

The file is large (about 59,000 rows), so it is streamed (openpyxl read-only). Values are text:
"<5" (UNODC's mark for a count from 1 to 4), "1,757" (a thousands separator), "12"; anything else
is *reported* with its row number, never guessed. A row without a country code cannot be placed
in the series and is reported the same way.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from jusoor.core.errors import Invalid
from jusoor.core.i18n import gettext as _

HEADER = (
    "Iso3_code", "Country", "Region", "Subregion", "Indicator", "Dimension", "Category", "Sex",
    "Age", "Year", "Unit of measurement", "txtVALUE", "Source",
)  # fmt: skip
HEADER_ROW = 3  # rows 1-2: the publisher and the date of the file
SMALL = "<5"
_NUMBER = re.compile(r"\d{1,3}(,\d{3})+|\d+")


@dataclass(frozen=True)
class Value:
    """A published count: `value` when exact, `small` "<5" when UNODC only says it is 1 to 4."""

    value: int | None
    small: str | None = None


def parse_value(text: object) -> Value | None:
    """The count a `txtVALUE` cell holds, or None when it is not one UNODC writes."""
    if isinstance(text, bool):
        return None
    if isinstance(text, int):
        return Value(text) if text >= 0 else None
    if isinstance(text, float):
        return Value(int(text)) if text.is_integer() and text >= 0 else None
    if not isinstance(text, str):
        return None
    cleaned = text.strip()
    if cleaned == SMALL:
        return Value(None, SMALL)
    if _NUMBER.fullmatch(cleaned):
        return Value(int(cleaned.replace(",", "")))
    return None


@dataclass(frozen=True)
class Row:
    """One published figure, as the file names it."""

    line: int
    iso3: str
    country: str
    region: str
    subregion: str
    indicator: str
    dimension: str
    category: str
    sex: str
    age: str
    year: int
    unit: str
    value: Value
    source: str


@dataclass(frozen=True)
class Malformed:
    """A row of the file that could not be read, and why (for the importer's report)."""

    line: int
    text: str
    reason: str


@dataclass
class Reading:
    rows: list[Row] = field(default_factory=list)
    malformed: list[Malformed] = field(default_factory=list)
    file_date: dt.date | None = None


def _text(cell: object) -> str:
    return "" if cell is None else str(cell).strip()


def _file_date(cell: object) -> dt.date | None:
    if isinstance(cell, dt.datetime):
        return cell.date()
    if isinstance(cell, dt.date):
        return cell
    try:
        return dt.datetime.strptime(_text(cell), "%d/%m/%Y").date()
    except ValueError:
        return None


def read(path: Path) -> Reading:
    """Every row of the file: the readable ones and the malformed ones, in file order."""
    reading = Reading()
    for item in iter_rows(path, reading):
        if isinstance(item, Row):
            reading.rows.append(item)
        else:
            reading.malformed.append(item)
    return reading


def iter_rows(path: Path, reading: Reading | None = None) -> Iterator[Row | Malformed]:
    """The file's rows one by one (streamed); its date goes to `reading.file_date`."""
    import openpyxl  # type: ignore[import-untyped]  # here: slow to import, only reading needs it
    from openpyxl.utils.exceptions import InvalidFileException  # type: ignore[import-untyped]

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (OSError, ValueError, KeyError, zipfile.BadZipFile, InvalidFileException) as exc:
        raise Invalid(
            "file", _("%(file)s is not a readable Excel file (%(error)s).", file=path.name,
                      error=type(exc).__name__)
        ) from None  # fmt: skip
    try:
        sheet = book.worksheets[0]
        sheet.reset_dimensions()  # the file under-declares its size
        rows = sheet.iter_rows(values_only=True)
        head = [next(rows, ()) for _ in range(HEADER_ROW)]
        if reading is not None and len(head) > 1 and head[1]:
            reading.file_date = _file_date(head[1][0])
        header = tuple(_text(c) for c in head[-1][: len(HEADER)])
        if header != HEADER:
            raise Invalid(
                "file",
                _("%(file)s does not have UNODC's columns on row %(row)s: expected %(expected)s.",
                  file=path.name, row=HEADER_ROW, expected=", ".join(HEADER)),
            )  # fmt: skip
        for line, cells in enumerate(rows, start=HEADER_ROW + 1):
            if not any(c not in (None, "") for c in cells):
                continue
            yield _row(line, tuple(cells) + (None,) * (len(HEADER) - len(cells)))
    finally:
        book.close()


def _row(line: int, cells: tuple[object, ...]) -> Row | Malformed:
    iso3 = _text(cells[0]).upper()
    raw = cells[11]
    if not re.fullmatch(r"[A-Z]{3}", iso3):
        return Malformed(line, _text(cells[1]) or _text(cells[0]), "country code")
    value = parse_value(raw)
    if value is None:
        return Malformed(line, _text(raw), "value")
    year = cells[9]
    if isinstance(year, str) and year.strip().isdigit():
        year = int(year.strip())
    if not isinstance(year, int) or isinstance(year, bool) or not 1900 <= year <= 2100:
        return Malformed(line, _text(year), "year")
    return Row(
        line=line,
        iso3=iso3,
        country=_text(cells[1]),
        region=_text(cells[2]),
        subregion=_text(cells[3]),
        indicator=_text(cells[4]),
        dimension=_text(cells[5]),
        category=_text(cells[6]),
        sex=_text(cells[7]),
        age=_text(cells[8]),
        year=year,
        unit=_text(cells[10]),
        value=value,
        source=_text(cells[12]),
    )
