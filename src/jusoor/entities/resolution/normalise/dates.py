"""Dates of birth as records hold them: ISO, d/m/y, d.m.y, d-m-y, month names in Arabic, French
and English, year only or month and year, Arabic-Indic digits, "00" for an unknown day."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache

from jusoor.entities.resolution.normalise.namekeys import normalize_name
from jusoor.entities.resolution.normalise.tables import TableError, mapping, read_table, text_list

EARLIEST_YEAR = 1900
LATEST_YEAR = 2100
_TIME = re.compile(r"[t ]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?(z|[+-]\d{2}:?\d{2})?$", re.IGNORECASE)
_UNKNOWN = {"0", "00", "x", "xx"}  # an unknown day or month in a partial date
_ORDINAL = re.compile(r"^(\d{1,2})(?:er|re|e|st|nd|rd|th)$")  # 1er janvier, March 1st


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date known to the year, the month or the day."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def iso(self) -> str:
        """ "1990", "1990-03" or "1990-03-12"."""
        parts = [f"{self.year:04d}"]
        if self.month is not None:
            parts.append(f"{self.month:02d}")
            if self.day is not None:
                parts.append(f"{self.day:02d}")
        return "-".join(parts)

    def __str__(self) -> str:
        return self.iso


@cache
def _months() -> dict[tuple[str, ...], int]:
    names: dict[tuple[str, ...], int] = {}
    table = mapping(read_table("months.yaml"), "months.yaml")
    if sorted(table) != sorted(str(month) for month in range(1, 13)):
        raise TableError("months.yaml: expected the months 1 to 12")
    for month, spellings in table.items():
        number = int(month)
        for spelling in text_list(spellings, f"months.yaml {month}"):
            names[tuple(normalize_name(spelling).split())] = number
    return names


def _with_month_names(words: list[str]) -> tuple[list[str], int | None]:
    """Numeric words, and the month if one was written as a name; other words are ignored."""
    months = _months()
    longest = max(len(key) for key in months)
    numbers: list[str] = []
    named: int | None = None
    i = 0
    while i < len(words):
        for size in range(longest, 0, -1):
            if tuple(words[i : i + size]) in months:
                named = months[tuple(words[i : i + size])]
                i += size
                break
        else:
            ordinal = _ORDINAL.match(words[i])
            if words[i].isdigit() or words[i] in _UNKNOWN:
                numbers.append(words[i])
            elif ordinal:
                numbers.append(ordinal.group(1))
            i += 1
    return numbers, named


def _year(text: str, reference_year: int) -> int | None:
    if not text.isdigit():
        return None
    if len(text) == 4:
        return int(text)
    if len(text) == 2:  # two-digit year: the latest one not after the reference year
        year = reference_year - reference_year % 100 + int(text)
        return year - 100 if year > reference_year else year
    return None


def _part(text: str) -> int | None:
    return None if text in _UNKNOWN else int(text)


def _build(year: int | None, month: int | None, day: int | None) -> PartialDate | None:
    if year is None or not EARLIEST_YEAR <= year <= LATEST_YEAR:
        return None
    if month is None:
        return PartialDate(year)
    if not 1 <= month <= 12:
        return None
    if day is None:
        return PartialDate(year, month)
    try:
        dt.date(year, month, day)
    except ValueError:
        return None
    return PartialDate(year, month, day)


def _from_numbers(numbers: list[str], named: int | None, reference_year: int) -> PartialDate | None:
    if named is not None:
        if len(numbers) == 1:
            return _build(_year(numbers[0], reference_year), named, None)
        if len(numbers) == 2:
            first, second = numbers
            day, year = (second, first) if len(first) == 4 else (first, second)
            return _build(_year(year, reference_year), named, _part(day))
        return None
    if len(numbers) == 1 and len(numbers[0]) == 8:  # 19900312, else 12031990
        text = numbers[0]
        compact = [text[:4], text[4:6], text[6:]]
        return _from_numbers(compact, None, reference_year) or _from_numbers(
            [text[:2], text[2:4], text[4:]], None, reference_year
        )
    if len(numbers) == 1:
        return _build(
            _year(numbers[0], reference_year) if len(numbers[0]) == 4 else None, None, None
        )
    if len(numbers) == 2:
        first, second = numbers
        month, year = (second, first) if len(first) == 4 else (first, second)
        return _build(_year(year, reference_year), _part(month), None)
    if len(numbers) == 3:
        if len(numbers[0]) == 4:  # ISO order
            year, month, day = numbers
        else:  # the region writes day first; a month above 12 means the writer did not
            day, month, year = numbers
            if day not in _UNKNOWN and month not in _UNKNOWN and int(month) > 12 >= int(day):
                day, month = month, day
        return _build(_year(year, reference_year), _part(month), _part(day))
    return None


def parse_date(raw: str, *, reference_year: int | None = None) -> PartialDate | None:
    """A date of birth as a `PartialDate`, or None when it is not a possible date.

    Day-first unless that is impossible ("03/25/1990" is read as 25 March). Two-digit years are
    the latest year not after `reference_year` (by default this year). Unknown day or month may
    be written 00 or xx ("00/03/1990" → 1990-03). Years outside 1900–2100 are refused."""
    reference = reference_year if reference_year is not None else dt.date.today().year
    text = _TIME.sub("", raw.strip())
    words = normalize_name(text).split()
    if not words or len(words) > 8:
        return None
    numbers, named = _with_month_names(words)
    if any(len(number) > 8 for number in numbers):
        return None
    return _from_numbers(numbers, named, reference)
