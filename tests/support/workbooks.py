"""XLSX files for import tests: ordinary ones, and hostile ones built small on disk (a sheet of
repetitive rows that inflates far beyond its size, a sheet whose declared size lies)."""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from pathlib import Path

from openpyxl import Workbook  # type: ignore[import-untyped]

SHEET = "xl/worksheets/sheet1.xml"
_HEAD = (
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b'<dimension ref="%s"/><sheetData>'
)
_TAIL = b"</sheetData></worksheet>"


def workbook(path: Path, rows: Iterable[Iterable[object]]) -> Path:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(list(row))
    book.save(path)
    return path


def _row(cells: Iterable[str]) -> bytes:
    # No row or cell references: readers number them in order, and the text repeats exactly.
    inner = "".join(f'<c t="inlineStr"><is><t>{cell}</t></is></c>' for cell in cells)
    return f"<row>{inner}</row>".encode()


def with_sheet(path: Path, header: list[str], rows: int, *, dimension: str = "A1:B2") -> Path:
    """Rewrite the first sheet of a workbook at `path` to `header` and `rows` identical rows,
    streamed into the zip (never in memory), declaring `dimension`."""
    template = workbook(path.with_suffix(".template.xlsx"), [header])
    with (
        zipfile.ZipFile(template) as source,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out,
    ):
        for member in source.infolist():
            if member.filename != SHEET:
                out.writestr(member, source.read(member))
                continue
            with out.open(SHEET, "w") as sheet:
                sheet.write(_HEAD % dimension.encode())
                sheet.write(_row(header))
                chunk = _row(["Amina Diallo", "1990"]) * 1000
                for _ in range(rows // 1000):
                    sheet.write(chunk)  # the same text again and again: it folds a thousandfold
                sheet.write(_row(["Amina Diallo", "1990"]) * (rows % 1000))
                sheet.write(_TAIL)
    template.unlink()
    return path
