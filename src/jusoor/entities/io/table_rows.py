"""Entity tables (CSV, XLSX) read as streams of rows, within the import limits.

A file is opened in two passes. The check pass streams every row once, before anything is
written: the size on disk and (XLSX) the zip's central directory first, then each row's
structure (`core.strict_csv`: ragged rows, a quote left open, control characters) and the row
count, so a bad row 900,000 fails in seconds and names itself. The import pass streams the same
rows again, with the total known for progress. Memory stays bounded: no pass holds the rows.

CSV files may be UTF-8 (with or without BOM), Windows Arabic (cp1256), Windows Latin or
Latin-1 — line by line, so a file pasted together from several sources reads too.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import charset_normalizer

from jusoor.core.errors import Invalid
from jusoor.core.i18n import gettext as _
from jusoor.core.import_limits import ImportLimits, check_file, check_rows, check_zip
from jusoor.core.import_limits import too_many_rows as _too_many_rows
from jusoor.core.strict_csv import RowError, check_row, strict_rows

_LEGACY_ENCODINGS = ["cp1256", "cp1252", "latin_1"]
_SNIFF_CHARS = 8192
_LEGACY_SAMPLE = 1 << 20  # bytes of non-UTF-8 lines enough to tell the legacy encoding
XLSX_SUFFIXES = {".xlsx", ".xlsm"}
Rows = Iterator[tuple[int, list[str]]]  # (row number, cells); the header is row 1


@dataclass(frozen=True)
class TableFile:
    """A checked table: its header, how many data rows it has, and how to stream them."""

    name: str
    header: list[str]
    rows: int
    encoding: str
    _stream: Callable[[], Rows]

    def data(self) -> Rows:
        """(row number, cells) of every data row, from row 2; blank rows included."""
        stream = self._stream()
        next(stream, None)  # the header, already read
        return stream


# Encodings ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Encoding:
    bom: bool
    legacy: str | None  # for the lines that are not UTF-8; None: every line is
    label: str


def _is_utf8(line: bytes) -> bool:
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _detect(lines: Iterable[bytes]) -> _Encoding:
    """UTF-8 where a line is UTF-8, else the legacy encoding that best fits a sample of the
    lines that are not (one pass, a bounded sample)."""
    bom, bad, sampled, utf8_beyond_ascii = False, [], 0, False
    for number, line in enumerate(lines):
        if number == 0 and line.startswith(codecs.BOM_UTF8):
            bom, line = True, line[len(codecs.BOM_UTF8) :]
        if _is_utf8(line):
            utf8_beyond_ascii = utf8_beyond_ascii or not line.isascii()
        elif sampled < _LEGACY_SAMPLE:
            bad.append(line)
            sampled += len(line)
    label = "utf-8-sig" if bom else "utf-8"
    if not bad:
        return _Encoding(bom, None, label)
    best = charset_normalizer.from_bytes(b"".join(bad), cp_isolation=_LEGACY_ENCODINGS).best()
    legacy = best.encoding if best is not None else "latin_1"
    return _Encoding(bom, legacy, f"{label}+{legacy}" if utf8_beyond_ascii else legacy)


def _decode_lines(lines: Iterable[bytes], encoding: _Encoding) -> Iterator[str]:
    for number, line in enumerate(lines):
        if number == 0 and encoding.bom:
            line = line[len(codecs.BOM_UTF8) :]
        if encoding.legacy is None or _is_utf8(line):
            yield line.decode("utf-8")
        else:
            yield line.decode(encoding.legacy, errors="replace")


def decode(data: bytes) -> tuple[str, str]:
    """The text of CSV bytes and the encoding(s) it was read in, line by line."""
    lines = data.splitlines(keepends=True)
    encoding = _detect(lines)
    return "".join(_decode_lines(lines, encoding)), encoding.label


# Rows -----------------------------------------------------------------------------------------


def _csv_stream(path: Path, encoding: _Encoding, limits: ImportLimits) -> Rows:
    with path.open("rb") as handle:
        lines = _decode_lines(handle, encoding)
        head = []
        size = 0
        for line in lines:
            head.append(line)
            size += len(line)
            if size >= _SNIFF_CHARS:
                break
        try:
            dialect: Any = csv.Sniffer().sniff("".join(head)[:_SNIFF_CHARS], delimiters=",;\t|")
        except csv.Error:
            dialect = csv.excel
        yield from strict_rows(
            itertools.chain(head, lines), file=path.name, limits=limits, dialect=dialect
        )


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _xlsx_stream(path: Path, limits: ImportLimits) -> Rows:
    from openpyxl import load_workbook  # type: ignore[import-untyped]  # loaded for XLSX only

    book = load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = book.worksheets[0]
        # The sheet's declared size refuses a large sheet at once; it may lie, so it is then
        # dropped (openpyxl would stop reading at it, silently) and the rows are counted.
        if (sheet.max_row or 0) - 1 > limits.max_rows:
            raise _too_many_rows(path.name, limits)
        sheet.reset_dimensions()
        header: list[str] = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [_cell(v) for v in values]
            if number == 1:
                header = cells
            else:
                check_rows(path.name, number - 1, limits)
                cells = _fit(number, cells, header)
            check_row(number, cells, header, line_breaks=True)  # a cell may hold them
            yield number, cells
    finally:
        book.close()


def _fit(number: int, cells: list[str], header: list[str]) -> list[str]:
    """A spreadsheet row as wide as the header: short rows end in empty cells; a value past
    the last header is refused (it belongs to no column)."""
    beyond = [i for i in range(len(header), len(cells)) if cells[i].strip()]
    if beyond:
        raise RowError(
            number,
            None,
            _(
                "the row has a value in column %(position)s, past the header's %(expected)s "
                "columns.",
                position=beyond[0] + 1,
                expected=len(header),
            ),
        )
    return (cells + [""] * len(header))[: len(header)]


def open_table(path: Path, limits: ImportLimits) -> TableFile:
    """Check a CSV or XLSX file whole (see the module) and return it ready to stream; Invalid
    naming the file, or the row and column, when it cannot be imported."""
    if path.suffix.lower() in XLSX_SUFFIXES:
        check_zip(path, limits)

        def stream() -> Rows:
            return _xlsx_stream(path, limits)

        label = "xlsx"
    else:
        check_file(path, limits)
        with path.open("rb") as handle:
            encoding = _detect(handle)

        def stream() -> Rows:
            return _csv_stream(path, encoding, limits)

        label = encoding.label
    header: list[str] | None = None
    count = 0
    try:
        for number, cells in stream():
            if number == 1:
                header = [h.strip().lstrip("\ufeff") for h in cells]
            else:
                count += 1
    except Invalid:
        raise
    except Exception:  # openpyxl and zipfile raise many kinds on a broken file
        raise Invalid(
            "file", _("The file %(path)s cannot be read as CSV or XLSX.", path=path.name)
        ) from None
    if header is None:
        raise Invalid("file", _("The file %(path)s is empty.", path=path.name))
    return TableFile(path.name, header, count, label, stream)
