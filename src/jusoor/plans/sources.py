"""Where an indicator's value comes from when it is a statistic of the engine.

One small seam, so that the plan does not care which statistics API computes the count: today
`stats.engine.count`; a named-statistics service (`stats.service.statistic`) can take its place
with `use_counter` from a `register()`, as long as it answers the same `Query` with a `Table`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy.orm import Session

from jusoor.core.errors import Invalid
from jusoor.core.i18n import gettext as _
from jusoor.core.permissions import Actor, system_actor
from jusoor.stats import engine
from jusoor.stats.disclosure import Shown, protect
from jusoor.stats.tables import Table

Counter = Callable[[Session, Actor, engine.Query], Table]
_counter: Counter = engine.count


def use_counter(counter: Counter) -> None:
    """Compute engine-sourced indicators with `counter` instead of `stats.engine.count`."""
    global _counter
    _counter = counter


def check(statistic: str | None, filters: dict[str, str]) -> str:
    """The subject an engine-sourced indicator counts, its filters checked against it."""
    if not statistic:
        raise Invalid("statistic", _("Choose the statistic this indicator is computed from."))
    try:
        found = engine.subject(statistic)
    except Invalid as exc:
        raise Invalid("statistic", str(exc)) from None
    for name in filters:
        try:
            engine.check_dimensions(found, [name])
        except Invalid as exc:
            raise Invalid("filters", str(exc)) from None
    return found.name


def national_count(
    session: Session,
    *,
    statistic: str,
    filters: dict[str, str],
    country: str,
    start: dt.date,
    end: dt.date,
) -> int:
    """The count of `statistic` in `country` over [start, end].

    A plan is the country's: its indicators count the whole country's records, whoever files
    the report (an agency head reporting on their measure would otherwise freeze their agency's
    share as the national figure). The result is only ever shown through `shown` below."""
    query = engine.Query(
        subject=statistic, start=start, end=end, country=country, where=dict(filters)
    )
    return _counter(session, system_actor("plans"), query).total


def shown(value: float, *, computed: bool) -> str:
    """A value as published: an engine count under the threshold is "<5", as in GLOTIP."""
    if not computed:
        return _number(value)
    count = int(value)
    published: Shown = protect(
        Table(statistic="indicator", unit="", by=(), cells={(): count}, total=count)
    ).total
    return published.text


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def statistics() -> list[tuple[str, str]]:
    """The engine's subjects an indicator may count, with their labels (for the form)."""
    return [(name, _(s.label)) for name, s in sorted(engine.subjects().items())]


def dimensions() -> list[tuple[str, str]]:
    """Every dimension a filter may name, across the subjects (the service checks the pair)."""
    seen: dict[str, str] = {}
    for found in engine.subjects().values():
        for name, label in engine.dimension_labels(found).items():
            seen.setdefault(name, _(label))
    return sorted(seen.items())
