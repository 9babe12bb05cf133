"""Dates and times are shown with the month by its name in the reader's language, never as
"12/7/26" (12 July or 7 December, depending on who reads it), and in the reader's time zone."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from jusoor.core.i18n import format_date, format_datetime, use_locale

MOMENT = dt.datetime(2026, 7, 12, 14, 5, 31, tzinfo=dt.UTC)
NUMERIC_DATE = re.compile(r"\d{1,2}\s*\u200f?/\s*\u200f?\d{1,2}\s*\u200f?/")


@pytest.mark.parametrize(
    ("locale", "day", "moment"),
    [
        ("en", "Jul 12, 2026", "Jul 12, 2026, 5:05\u202fPM"),
        ("fr", "12 juil. 2026", "12 juil. 2026, 17:05"),
        ("ar", "12 يوليو 2026", "12 يوليو 2026، 5:05 م"),
    ],
)
def test_dates_name_the_month_in_the_readers_language(locale: str, day: str, moment: str) -> None:
    with use_locale(locale):
        assert format_date(MOMENT.date()) == day
        assert format_datetime(MOMENT, "Africa/Cairo") == moment  # UTC+3 in July
        for fmt in ("short", "medium"):
            shown = format_datetime(MOMENT, "Africa/Cairo", fmt) + format_date(MOMENT.date(), fmt)
            assert not NUMERIC_DATE.search(shown), shown


def test_arabic_indic_digits_apply_to_dates_when_the_reader_prefers_them() -> None:
    with use_locale("ar", "arab"):
        assert format_date(MOMENT.date()) == "١٢ يوليو ٢٠٢٦"


def test_other_formats_are_kept_as_asked() -> None:
    with use_locale("en"):
        assert format_date(MOMENT.date(), "full") == "Sunday, July 12, 2026"
        assert format_date(MOMENT.date(), "LLLL y") == "July 2026"
