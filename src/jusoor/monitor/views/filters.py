"""The event filters shared by the calendar and the map: read from the query string, checked, kept
in links, and offered as choices from what is stored."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from jusoor.core.bounds import whole_number
from jusoor.core.errors import Invalid
from jusoor.core.i18n import gettext as _
from jusoor.core.validation import date_of
from jusoor.monitor.labels import (
    event_type_label,
    language_label,
    organization_name,
    theme_label,
)
from jusoor.monitor.queries import FilterChoices
from jusoor.web.labels import country_name

FIELDS = ("country", "theme", "organization", "lang", "type", "since", "until")
_COUNTRY = re.compile(r"[A-Za-z]{2}")
_KEY = re.compile(r"[a-z0-9_]{1,80}")


@dataclass
class EventQuery:
    """What the filter form asked for: the values as typed, and per field what was wrong."""

    form: dict[str, str]
    errors: dict[str, str] = field(default_factory=dict)
    since: dt.date | None = None
    until: dt.date | None = None
    page: int = 1
    view: str = "calendar"  # or "list": the same events as a list, newest first

    def service_filters(self) -> dict[str, Any]:
        """Keyword arguments for `service.list_events` (fields in error are left out)."""
        f = {k: v for k, v in self.form.items() if v and k not in self.errors}
        return {
            "country": f.get("country"),
            "theme": f.get("theme"),
            "organization": f.get("organization"),
            "lang": f.get("lang"),
            "event_type": f.get("type"),
            "since": self.since,
            "until": self.until,
        }

    def kept(self) -> dict[str, str]:
        """The filters to carry in links (non-empty, without the page), and the list view."""
        kept = {k: v for k, v in self.form.items() if v}
        return {**kept, "view": self.view} if self.view != "calendar" else kept

    def query_string(self, **changes: str | int) -> str:
        values = {**self.kept(), **{k: str(v) for k, v in changes.items()}}
        if values.get("page") == "1":
            del values["page"]
        return urlencode(values)


def parse(params: Mapping[str, str]) -> EventQuery:
    """Read the filters; a value in the wrong shape is reported on its field and not applied."""
    form = {name: params.get(name, "").strip()[:80] for name in FIELDS}
    query = EventQuery(form=form)
    if form["country"]:
        if _COUNTRY.fullmatch(form["country"]):
            form["country"] = form["country"].upper()
        else:
            query.errors["country"] = _("Choose a country from the list.")
    for name in ("theme", "organization", "lang", "type"):
        if form[name] and not _KEY.fullmatch(form[name]):
            query.errors[name] = _("Choose a value from the list.")
    for name, label in (("since", _("From")), ("until", _("To"))):
        try:  # the reader's short format or ISO (core.typed_dates)
            setattr(query, name, date_of(form[name], field=name, label=label))
        except Invalid as exc:
            query.errors[name] = exc.message
    if query.since and query.until and query.until < query.since:
        query.errors["until"] = _("The end of the period must not be before its start.")
        query.until = None
    query.view = "list" if params.get("view") == "list" else "calendar"
    page = params.get("page", "")
    query.page = whole_number(page, low=1, high=10_000) or 1
    return query


def choices(found: FilterChoices) -> dict[str, list[tuple[str, str]]]:
    """The options of each filter, named in the page's language, sorted by name."""

    def by_name(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
        return sorted(pairs, key=lambda pair: pair[1])

    return {
        "country": by_name([(c, country_name(c)) for c in found.countries]),
        "theme": [(t, theme_label(t)) for t in found.themes],
        "organization": by_name(
            [
                (key, f"{acronym} — {local}" if acronym else local)
                for key, name, acronym in found.organizations
                for local in [organization_name(key, name)]
            ]
        ),
        "lang": [(code, language_label(code)) for code in found.langs],
        "type": by_name([(t, event_type_label(t)) for t in found.event_types]),
    }
