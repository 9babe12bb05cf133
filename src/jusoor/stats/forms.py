"""Reading the dashboards' and the explorer's filters (a GET query) into periods and tables.

Every value is read as text and checked here, so that a wrong one comes back as a translated
message beside its field (never a bare 422 page).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from jusoor.core.errors import Invalid
from jusoor.core.i18n import gettext as _
from jusoor.core.validation import date_of
from jusoor.stats import engine
from jusoor.stats.publishing import Period, Protection

BY_FIELDS = ("by1", "by2", "by3")


def _integer(params: Mapping[str, str], name: str) -> int | None:
    raw = (params.get(name) or "").strip()
    if not raw:
        return None
    if not raw.isascii() or not raw.isdigit() or len(raw) > 6:
        raise Invalid(name, _("%(value)s is not a whole number.", value=raw[:20]))
    return int(raw)


def _day(params: Mapping[str, str], name: str) -> dt.date | None:
    label = _("From") if name == "from" else _("To")
    return date_of((params.get(name) or "")[:40], field=name, label=label)


def period(params: Mapping[str, str], default_year: int | None) -> Period:
    """`year`, or `from`/`to`; with none of them, `default_year`."""
    start, end = _day(params, "from"), _day(params, "to")
    year = _integer(params, "year")
    if year is None and start is None and end is None:
        year = default_year
    return Period.of(year=year, start=start, end=end)


def protection(params: Mapping[str, str]) -> Protection:
    return Protection.of(_integer(params, "min_count"), _integer(params, "rounding"))


@dataclass(frozen=True)
class Exploration:
    subject: str
    by: tuple[str, ...]
    period: Period
    protection: Protection


def exploration(params: Mapping[str, str], default_year: int | None) -> Exploration:
    """The explorer's choice: subject, up to three dimensions, period, threshold, rounding."""
    name = (params.get("subject") or "cases").strip()
    found = engine.subject(name)
    by = tuple(value for f in BY_FIELDS if (value := (params.get(f) or "").strip()))
    for position, dimension in enumerate(by):
        if dimension not in found.dimensions and dimension not in engine.PERIODS:
            raise Invalid(
                BY_FIELDS[position],
                _("%(subject)s cannot be counted by %(name)s.", subject=name, name=dimension[:40]),
            )
    if len(set(by)) != len(by):
        raise Invalid(BY_FIELDS[len(by) - 1], _("A dimension appears twice."))
    return Exploration(name, by, period(params, default_year), protection(params))


def query_string(params: Mapping[str, str], *names: str) -> str:
    """The filters to carry over to a download link, as they were typed."""
    from urllib.parse import urlencode

    return urlencode({n: params[n] for n in names if params.get(n)})
