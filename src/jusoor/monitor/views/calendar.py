"""The calendar: a page of events laid out by month and day (a grid on wide screens, a list on
phones — one markup, the stylesheet decides), undated events apart."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from babel import Locale, UnknownLocaleError

from jusoor.core.i18n import babel_locale, format_date
from jusoor.monitor.schemas import EventSummary


@dataclass(frozen=True, slots=True)
class Day:
    date: dt.date
    events: tuple[EventSummary, ...]


@dataclass(frozen=True, slots=True)
class Month:
    first: dt.date
    name: str  # "March 2026" in the page's language
    offset: int  # empty cells before the 1st, counted from the locale's first day of the week
    days: tuple[Day, ...]  # every day of the month, with its events (most have none)
    count: int  # events starting this month (on this page of results)


def _month_days(first: dt.date) -> list[dt.date]:
    following = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return [first + dt.timedelta(days=n) for n in range((following - first).days)]


def first_weekday(country: str | None) -> int:
    """The day weeks start on where the user works (CLDR: Saturday in Egypt, Sunday in Saudi
    Arabia, Monday in Morocco), 0 being Monday; the page language's default without a country."""
    for language in ("ar", "fr", "en") if country else ():
        try:  # CLDR keeps week data by territory; any of our languages spoken there will do
            return Locale(language, territory=country).first_week_day
        except (UnknownLocaleError, ValueError):
            continue
    return babel_locale().first_week_day


def months(
    events: Iterable[EventSummary], *, country: str | None = None
) -> tuple[list[Month], list[EventSummary]]:
    """Months with events, newest first, and the events no report dates (in the given order).

    Weeks start on the first day of the week of `country` (the user's), see `first_weekday`."""
    by_day: dict[dt.date, list[EventSummary]] = defaultdict(list)
    undated: list[EventSummary] = []
    for event in events:
        if event.start is None:
            undated.append(event)
        else:
            by_day[event.start].append(event)
    start = first_weekday(country)
    result = []
    for first in sorted({day.replace(day=1) for day in by_day}, reverse=True):
        days = tuple(Day(d, tuple(by_day.get(d, ()))) for d in _month_days(first))
        result.append(
            Month(
                first=first,
                name=format_date(first, "LLLL y"),
                offset=(first.weekday() - start) % 7,
                days=days,
                count=sum(len(d.events) for d in days),
            )
        )
    return result, undated


def weekday_names(*, country: str | None = None) -> list[tuple[str, str]]:
    """(abbreviated, full) weekday names in the page's language, from `country`'s first day."""
    locale = babel_locale()
    short = locale.days["stand-alone"]["abbreviated"]
    wide = locale.days["format"]["wide"]
    start = first_weekday(country)
    return [(short[(start + i) % 7], wide[(start + i) % 7]) for i in range(7)]
