"""Tables from an external victims file, without the database: CTDC's published CSVs and HTCDS 2.0
CSVs, read through one mapping per format (`external_ctdc.yaml`, `external_htcds.yaml`), so that a
national body can set its own figures beside CTDC's.

Each row is a victim. A dimension takes its categories from the first of its source columns the
file has: a coded column (every value must be one of its codes: an unknown one stops the reading
with the column, the code and the line), a country column (ISO 3166 alpha-2 or alpha-3; "NA" is
Namibia), a year, an age in years, a ";"-separated list, or binary indicator columns that together
make one multi-valued dimension (CTDC's isForcedLabour, isSexualExploit... become `form`). Values
the format writes for "missing" are counted as unknown. Columns not mapped are ignored, unless
`--by` names one: it is then counted by its raw values. The result is an exact `Table`: what leaves
the console goes through `stats.disclosure.protect`.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from itertools import product
from pathlib import Path
from typing import Literal

import pycountry
from pydantic import Field, model_validator

from jusoor.core.datafiles import StrictModel, declare
from jusoor.core.errors import Invalid
from jusoor.core.i18n import gettext as _
from jusoor.stats.engine import MAX_DIMENSIONS
from jusoor.stats.tables import UNKNOWN, Key, Table

Format = Literal["ctdc", "htcds"]
Kind = Literal["code", "codes", "country", "countries", "year", "age", "flags", "text"]
MAX_BYTES = 512 * 1024 * 1024  # CTDC's largest file is under 100 MB


class Source(StrictModel):
    column: str | None = None
    kind: Kind
    codes: dict[str, str] = Field(default_factory=dict)
    flags: dict[str, str | list[str]] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _shape(self) -> Source:
        if self.kind == "flags" and not self.flags:
            raise ValueError("a flags source lists its indicator columns")
        if self.kind != "flags" and not self.column:
            raise ValueError("a source names its column")
        if self.kind in ("code", "codes") and not self.codes:
            raise ValueError("a coded source lists its codes")
        return self


class DimensionSpec(StrictModel):
    sources: list[Source]


class FormatFile(StrictModel):
    missing: list[str]
    unit: str
    separator: str = ";"
    dimensions: dict[str, DimensionSpec]


FORMATS = {
    "ctdc": declare("jusoor.stats", "external_ctdc.yaml", FormatFile),
    "htcds": declare("jusoor.stats", "external_htcds.yaml", FormatFile),
}


def _normal(code: str) -> str:
    """Codebooks print ranges with dashes the files write otherwise ("0—8", "0--8", "0-8")."""
    return code.strip().replace("\u2014", "-").replace("\u2013", "-").replace("--", "-")


@dataclass(frozen=True)
class _Reader:
    """How one `--by` dimension takes its categories from a row."""

    name: str
    columns: tuple[str, ...]  # the file's own column names it reads
    read: Callable[[dict[str, str], int], list[str]]
    multi: bool


def _country(value: str) -> str | None:
    code = value.strip().upper()
    if code == "ZZ":  # CTDC 2017: unknown
        return UNKNOWN
    if len(code) == 2:
        found = pycountry.countries.get(alpha_2=code)
    elif len(code) == 3:
        found = pycountry.countries.get(alpha_3=code)
    else:
        found = None
    return str(found.alpha_2) if found is not None else None


def _bad_code(column: str, value: str, line: int, choices: list[str]) -> Invalid:
    return Invalid(
        "file",
        _("Line %(line)s: column %(column)s holds %(code)s, which is not one of its codes "
          "(%(codes)s).", line=line, column=column, code=repr(value),
          codes=", ".join(choices[:20])),
    )  # fmt: skip


def _source_reader(source: Source, header: dict[str, str], missing: set[str], sep: str
                   ) -> tuple[tuple[str, ...], Callable[[dict[str, str], int], list[str]], bool]:  # fmt: skip
    """(columns read, row -> categories, multi) for a source the file has."""
    if source.kind == "flags":
        present = {header[c.lower()]: v for c, v in source.flags.items() if c.lower() in header}

        def flags(row: dict[str, str], line: int) -> list[str]:
            found: set[str] = set()
            for column, meaning in present.items():
                value = (row.get(column) or "").strip()
                if value in missing or value in ("0", "0.0"):
                    continue
                if value not in ("1", "1.0"):
                    raise _bad_code(column, value, line, ["0", "1"])
                found.update([meaning] if isinstance(meaning, str) else meaning)
            return sorted(found) or [UNKNOWN]

        return tuple(present), flags, True
    column = header[(source.column or "").lower()]  # a column: checked by the model
    codes = {_normal(k): v for k, v in source.codes.items()}

    def one(value: str, line: int) -> str:
        if source.kind in ("code", "codes"):
            found = codes.get(_normal(value))
            if found is None:
                raise _bad_code(column, value, line, list(source.codes))
            return found
        if source.kind in ("country", "countries"):
            country = _country(value)
            if country is None:
                raise _bad_code(column, value, line, [_("ISO 3166 country codes")])
            return country
        if source.kind == "year":
            if not (value.isdigit() and 1900 <= int(value) <= 2100):
                raise _bad_code(column, value, line, [_("a year")])
            return value
        if source.kind == "age":
            if not (value.isdigit() and int(value) <= 130):
                raise _bad_code(column, value, line, [_("an age in years")])
            return "child" if int(value) < 18 else "adult"
        return value.strip()

    multi = source.kind in ("codes", "countries")

    def read(row: dict[str, str], line: int) -> list[str]:
        value = (row.get(column) or "").strip()
        if value in missing:
            return [UNKNOWN]
        parts = [p.strip() for p in value.split(sep)] if multi else [value]
        found = sorted({one(p, line) for p in parts if p and p not in missing})
        return found or [UNKNOWN]

    return (column,), read, multi


def _readers(spec: FormatFile, header: dict[str, str], by: list[str], fmt: str) -> list[_Reader]:
    missing = set(spec.missing)
    readers: list[_Reader] = []
    for name in by:
        dimension = spec.dimensions.get(name) or _dimension_of_column(spec, name)
        if dimension is not None:
            usable = [s for s in dimension.sources if _has(s, header)]
            if usable:
                columns, read, multi = _source_reader(usable[0], header, missing, spec.separator)
                readers.append(_Reader(name, columns, read, multi))
                continue
        if name.lower() in header:  # a column of the file the mapping does not know: raw values
            raw = Source(column=name, kind="text")
            columns, read, multi = _source_reader(raw, header, missing, spec.separator)
            readers.append(_Reader(name, columns, read, multi))
            continue
        raise Invalid(
            "by",
            _("%(name)s is neither a column of this file nor a dimension of the %(format)s "
              "format; choose from: %(names)s.", name=name, format=fmt,
              names=", ".join(sorted(d for d, s in spec.dimensions.items()
                                     if any(_has(x, header) for x in s.sources)))),
        )  # fmt: skip
    return readers


def _has(source: Source, header: dict[str, str]) -> bool:
    if source.kind == "flags":
        return any(c.lower() in header for c in source.flags)
    return source.column is not None and source.column.lower() in header


def _dimension_of_column(spec: FormatFile, name: str) -> DimensionSpec | None:
    """`--by gender` means the dimension `gender` feeds (`sex`), read the same way."""
    for dimension in spec.dimensions.values():
        for source in dimension.sources:
            if source.column and source.column.lower() == name.lower():
                return DimensionSpec(sources=[source])
    return None


def table_from_file(path: Path, fmt: str, by: list[str]) -> Table:
    """Exact counts of the file's victims by `by` (dimension names of the format, or columns)."""
    if fmt not in FORMATS:
        raise Invalid("format", _("The format must be one of: %(names)s.", names="ctdc, htcds"))
    if not by or len(by) > MAX_DIMENSIONS:
        raise Invalid("by", _("A table has one to %(n)s dimensions.", n=MAX_DIMENSIONS))
    if len(set(by)) != len(by):
        raise Invalid("by", _("A dimension appears twice."))
    if not path.is_file():
        raise Invalid("from", _("%(file)s: no such file.", file=str(path)))
    if path.stat().st_size > MAX_BYTES:
        raise Invalid("from", _("%(file)s is too large to read.", file=path.name))
    spec = FORMATS[fmt].load()
    cells: dict[Key, int] = defaultdict(int)
    margins: list[dict[str, int]] = [defaultdict(int) for _ in by]
    total = 0
    additive = True
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            header = {name.strip().lower(): name for name in reader.fieldnames or ()}
            if not header:
                raise Invalid("from", _("%(file)s has no header row.", file=path.name))
            readers = _readers(spec, header, by, fmt)
            for row in reader:
                line = reader.line_num
                categories = [r.read(row, line) for r in readers]
                total += 1
                for i, found in enumerate(categories):
                    if len(found) > 1:
                        additive = False
                    for category in found:
                        margins[i][category] += 1
                for key in product(*categories):
                    cells[key] += 1
    except UnicodeDecodeError:
        raise Invalid("from", _("%(file)s is not UTF-8 text.", file=path.name)) from None
    except csv.Error as exc:
        raise Invalid("from", _("%(file)s is not a readable CSV file (%(error)s).",
                                file=path.name, error=str(exc))) from None  # fmt: skip
    return Table(
        statistic=f"{fmt}:{path.name}",
        unit=spec.unit,
        by=tuple(by),
        cells=dict(cells),
        total=total,
        margins=tuple(dict(m) for m in margins),
        additive=additive,
        filters={"file": path.name, "format": fmt},
    )
