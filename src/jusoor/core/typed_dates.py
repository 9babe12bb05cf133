"""Dates as people type them: the locale's short format (31/03/2026 in French and Arabic,
3/31/2026 in English) or ISO 8601 (2026-03-31), in Latin or Arabic-Indic digits.

Forms use a text box rather than the browser's date input: Chromium empties a date input whose
typed value is impossible (31/02/2023), so the deadline silently disappeared. Here an impossible
date is refused with a sentence naming it ("there is no 31 February 2023"), and a value the
parser cannot read is refused with an example in the reader's format. Parsing is Babel's
`parse_date`; the explanation of a refusal reads the same pattern.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Annotated, Any

from babel import dates as babel_dates
from pydantic import BeforeValidator, ValidationInfo
from pydantic_core import PydanticCustomError

from jusoor.core.i18n import babel_locale, localize_digits

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_NUMBERS = re.compile(r"\d+")
# Direction marks Babel puts in Arabic patterns, and those a phone keyboard may insert.
_MARKS = dict.fromkeys(map(ord, "\u200e\u200f\u061c\u202a\u202b\u202c\u2066\u2067\u2068\u2069"))
EXAMPLE = dt.date(2026, 3, 31)  # a day after the 12th, so the example shows which number is which


def _plain_digits(text: str) -> str:
    """ASCII digits for any decimal digits (Arabic-Indic ٣١, Persian ۳۱), without bidi marks."""
    chars = (str(unicodedata.decimal(ch)) if ch.isdecimal() else ch for ch in text)
    return "".join(chars).translate(_MARKS).strip()


def _pattern(locale: str | None) -> str:
    return str(babel_dates.get_date_format("short", locale=babel_locale(locale)).pattern)


def _long_year(pattern: str) -> str:
    """The short pattern with a four-digit year ("M/d/yy" -> "M/d/y"): no century to guess."""
    return re.sub(r"y+", "y", pattern)


def shown(value: object, locale: str | None = None) -> str:
    """What a date box shows: a date (or an ISO string) in the locale's short format with a
    four-digit year; anything else (what the person typed) unchanged."""
    if isinstance(value, str):
        match = _ISO.fullmatch(value.strip())
        if not match:
            return value
        try:
            value = dt.date(*(int(g) for g in match.groups()))
        except ValueError:
            return str(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        return "" if value is None else str(value)
    pattern = _long_year(_pattern(locale))
    return localize_digits(babel_dates.format_date(value, pattern, locale=babel_locale(locale)))


def example(locale: str | None = None) -> str:
    """The example date shown in a date box's hint, in the reader's format."""
    return shown(EXAMPLE, locale)


def _order(pattern: str) -> tuple[str, ...]:
    """Which of day, month and year come first in the locale's pattern ("dd/MM/y" -> d, M, y)."""
    first = {field: pattern.find(field) for field in ("d", "M", "y")}
    return tuple(sorted(first, key=lambda field: first[field]))


def _impossible(day: int, month: int, year: int) -> PydanticCustomError:
    return PydanticCustomError(
        "date_impossible", "there is no such date", {"day": day, "month": month, "year": year}
    )


def _not_a_date() -> PydanticCustomError:
    return PydanticCustomError("date_unreadable", "not a date")


def _explain(text: str, locale: str | None) -> PydanticCustomError:
    """Why `text` is not a date: an impossible day or month, else not a date at all."""
    iso = _ISO.fullmatch(text)
    if iso:
        numbers = {"y": int(iso[1]), "M": int(iso[2]), "d": int(iso[3])}
    else:
        found = _NUMBERS.findall(text)
        if len(found) != 3 or any(len(n) > 4 for n in found):
            return _not_a_date()
        numbers = dict(zip(_order(_pattern(locale)), map(int, found), strict=True))
        if numbers["M"] > 12 >= numbers["d"]:  # as Babel does: 31/2 in English is 31 February
            numbers["d"], numbers["M"] = numbers["M"], numbers["d"]
    year = numbers["y"] + (2000 if numbers["y"] < 100 else 0)
    if not 1 <= year <= 9999:
        return _not_a_date()
    return _impossible(numbers["d"], numbers["M"], year)


def parse(text: str, locale: str | None = None) -> dt.date:
    """`text` as a date, read in ISO 8601 or in `locale`'s short format (default: the reader's).

    Raises `PydanticCustomError` `date_impossible` (ctx day, month, year) for a day or month
    that does not exist, `date_unreadable` for anything else; `core.validation` words both.
    """
    plain = _plain_digits(text)
    iso = _ISO.fullmatch(plain)
    try:
        if iso:
            return dt.date(int(iso[1]), int(iso[2]), int(iso[3]))
        if not re.fullmatch(r"\d{1,4}\D{1,3}\d{1,2}\D{1,3}\d{1,4}", plain):
            raise _not_a_date()
        # Babel reads the numbers in the order of the locale's pattern and adds the century.
        return babel_dates.parse_date(plain, locale=babel_locale(locale), format="short")
    except ValueError as exc:
        if isinstance(exc, PydanticCustomError):
            raise
        raise _explain(plain, locale) from None


ISO_ONLY = {"dates": "iso"}  # validation context of files read in bulk (an HTCDS import)


def _typed(value: Any, info: ValidationInfo) -> Any:
    """Pydantic `BeforeValidator`: a string is read with `parse`; a date passes; an empty string
    is left for the field's own rule (None allowed or "required"). With the `ISO_ONLY` context
    (a file, where 03/04/2020 could mean either day), only ISO 8601 is read."""
    if isinstance(value, str) and value.strip():
        iso_only = (info.context or {}).get("dates") == "iso"
        if iso_only and not _ISO.fullmatch(_plain_digits(value)):
            raise PydanticCustomError("date_iso_only", "not an ISO 8601 date")
        return parse(value)
    return value


# A date a person types in a form (or an API client sends in ISO 8601).
TypedDate = Annotated[dt.date, BeforeValidator(_typed)]
