"""The statistics a viewer asks for by id (`definitions`): exact tables and durations, in the
viewer's scope. What leaves need-to-know goes through `stats.disclosure` first."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy.orm import Session

from jusoor.core.permissions import Actor
from jusoor.stats import definitions
from jusoor.stats.definitions import Statistic
from jusoor.stats.durations import durations
from jusoor.stats.engine import Query, count
from jusoor.stats.tables import DurationTable, Table


def catalogue() -> list[Statistic]:
    """The statistics Jusoor computes, in the catalogue's order."""
    return list(definitions.catalogue().values())


def statistic(
    session: Session,
    actor: Actor,
    statistic_id: str,
    *,
    by: Sequence[str] | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    country: str | None = None,
    agency_id: Any = None,
) -> Table | DurationTable:
    """The statistic `statistic_id` by `by` (its default breakdown when None), over the period
    `start`–`end` (inclusive) and the records `actor` may count. The table's `statistic` is the id
    asked for. Raises `Invalid` naming `statistic` or `by` for what does not exist."""
    found = definitions.statistic(statistic_id)
    query = Query(
        subject=found.source,
        by=tuple(found.by if by is None else by),
        start=start,
        end=end,
        country=country,
        agency_id=agency_id,
        where=dict(found.where),
    )
    if found.kind == "duration":
        table: Table | DurationTable = durations(session, actor, query)
    else:
        table = count(session, actor, query)
    return _named(table, statistic_id)


def _named(table: Table | DurationTable, statistic_id: str) -> Table | DurationTable:
    return replace(table, statistic=statistic_id)
