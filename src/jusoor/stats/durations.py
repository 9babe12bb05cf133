"""How long things take: screening to identification, referral response time, time in each NRM
stage, case opening to closing — medians, means and 90th percentiles in days.

A duration belongs to a subject of the engine (identifications, referrals, cases), whose scope,
period (the subject's date: the decision, the referral, the opening) and dimensions apply. Only
the two moments and the dimensions are fetched; the statistics are computed here, the same on
SQLite and PostgreSQL. A duration whose end precedes its start (a clock or data-entry error) is
left out rather than counted as negative.

Time in each stage comes from the cases' timeline (`stage_moved` events, in order): a case is in
its first stage from its opening to the first move, then in each stage until the next; an open
case is in its current stage up to now. The `stage` dimension of this duration is the stage the
time was spent in (not the case's current stage); the closed stage is not timed.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import product
from typing import Any

from sqlalchemy import ColumnElement
from sqlalchemy.orm import Session

from jusoor.cases.models import Case, CaseEvent
from jusoor.cases.vocabulary import EventKind, Stage
from jusoor.core.db import utcnow
from jusoor.core.errors import Invalid
from jusoor.core.i18n import N_
from jusoor.core.i18n import gettext as _
from jusoor.core.permissions import Actor
from jusoor.referrals.models import Transition
from jusoor.screening.models import Identification, Screening
from jusoor.stats.engine import (
    READ,
    Query,
    Subject,
    categories_of,
    check_dimensions,
    described,
    dimension_columns,
    restricted,
    subject,
)
from jusoor.stats.tables import Duration, DurationTable, Key

DAY = 86400.0
STAGE_TIME = "stage_time"


@dataclass(frozen=True)
class Span:
    """A duration: from `start` to `end` of each unit of `subject` where both are known."""

    name: str
    label: str  # msgid
    subject: str
    start: Callable[[], Any]
    end: Callable[[], Any]


SPANS: dict[str, Span] = {
    s.name: s
    for s in (
        Span("screening_to_identification", N_("Screening to identification"), "identifications",
             lambda: Screening.completed_at, lambda: Identification.decided_at),
        Span("referral_response", N_("Referral response time"), "referrals",
             lambda: Transition.created_at, lambda: Transition.responded_at),
        Span("case_duration", N_("Case opening to closing"), "cases",
             lambda: Case.opened_at, lambda: Case.closed_at),
        # Measured from the timeline (`_stage_times`), not from two columns of a row.
        Span(STAGE_TIME, N_("Time in each stage"), "cases",
             lambda: Case.opened_at, lambda: Case.stage_entered_at),
    )
}  # fmt: skip


def span(name: str) -> Span:
    try:
        return SPANS[name]
    except KeyError:
        raise Invalid(
            "statistic",
            _("%(name)s is not a duration Jusoor measures; choose one of: %(names)s.",
              name=name, names=", ".join(sorted(SPANS))),
        ) from None  # fmt: skip


def summary(days: list[float]) -> Duration:
    """Count, median, mean and 90th percentile (linear interpolation) of `days`."""
    if not days:
        return Duration(count=0, median=None, mean=None, p90=None)
    ordered = sorted(days)
    p90 = (
        ordered[0]
        if len(ordered) == 1
        else statistics.quantiles(ordered, n=10, method="inclusive")[8]
    )
    return Duration(
        count=len(ordered),
        median=statistics.median(ordered),
        mean=statistics.fmean(ordered),
        p90=p90,
    )


def durations(session: Session, actor: Actor, query: Query) -> DurationTable:
    """Durations named by `query.subject` (a `SPANS` name) by `query.by`, over the units `actor`
    may count. Exact: the figures' counts go through disclosure control before they leave."""
    actor.require(READ)
    found_span = span(query.subject)
    found = subject(found_span.subject)
    if not isinstance(found, Subject):
        raise ValueError(f"{found_span.subject} is not a SQL subject")
    by = check_dimensions(found, query.by)
    for name in query.where:
        check_dimensions(found, [name])
    samples: dict[Key, list[float]] = defaultdict(list)
    overall: list[float] = []
    rows = (
        _stage_times(session, actor, query, found, by)
        if found_span.name == STAGE_TIME
        else _spans(session, actor, query, found, found_span, by)
    )
    for per_dimension, days in rows:
        if days < 0:
            continue
        overall.append(days)
        for key in product(*per_dimension):
            samples[key].append(days)
    return DurationTable(
        statistic=found_span.name,
        unit=found.unit,
        by=by,
        cells={key: summary(values) for key, values in samples.items()},
        overall=summary(overall),
        filters=described(query),
    )


Sample = tuple[list[list[str]], float]


def _days(start: dt.datetime, end: dt.datetime) -> float:
    return (end - start).total_seconds() / DAY


def _selected(
    found: Subject, actor: Actor, query: Query, by: tuple[str, ...], extra: list[Any]
) -> tuple[Any, list[int], int]:
    columns, spans = dimension_columns(found, by)
    filters = [found.dimensions[name].expression() for name in query.where]
    statement = found.base().add_columns(*columns, *filters, *extra)
    return restricted(found, actor, query, statement), spans, len(columns)


def _wanted(found: Subject, query: Query, row: Any, position: int, skip: str = "") -> bool:
    for offset, (name, wanted) in enumerate(query.where.items()):
        if name != skip and wanted not in found.dimensions[name].explode(row[position + offset]):
            return False
    return True


def _spans(
    session: Session, actor: Actor, query: Query, found: Subject, s: Span, by: tuple[str, ...]
) -> Iterator[Sample]:
    end: ColumnElement[Any] = s.end()
    statement, spans, width = _selected(found, actor, query, by, [s.start(), end])
    statement = statement.where(s.start().is_not(None), end.is_not(None))
    for row in session.execute(statement):
        if _wanted(found, query, row, width):
            yield categories_of(found, by, spans, row), _days(row[-2], row[-1])


def _stage_times(
    session: Session, actor: Actor, query: Query, found: Subject, by: tuple[str, ...]
) -> Iterator[Sample]:
    extra = [Case.id, Case.opened_at, Case.stage, Case.stage_entered_at]
    statement, spans, width = _selected(found, actor, query, by, extra)
    moves = _moves(session, actor, query, found)
    now = utcnow()
    wanted_stage = query.where.get("stage")
    for row in session.execute(statement):
        if not _wanted(found, query, row, width, skip="stage"):
            continue
        case_id, opened, current, entered = row[-4:]
        per_dimension = categories_of(found, by, spans, row)
        for stage, days in _intervals(moves.get(case_id, []), opened, current, entered, now):
            if wanted_stage is not None and stage != wanted_stage:
                continue
            shown = [
                [stage] if name == "stage" else cats
                for name, cats in zip(by, per_dimension, strict=True)
            ]
            yield shown, days


def _moves(
    session: Session, actor: Actor, query: Query, found: Subject
) -> dict[Any, list[tuple[dt.datetime, str, str]]]:
    """(when, from, to) of every stage move of the cases in scope, oldest first per case."""
    statement = (
        found.base()
        .add_columns(CaseEvent.case_id, CaseEvent.at, CaseEvent.details)
        .join(CaseEvent, CaseEvent.case_id == Case.id)
        .where(CaseEvent.kind == EventKind.stage_moved.value)
        .order_by(CaseEvent.case_id, CaseEvent.seq)
    )
    found_moves: dict[Any, list[tuple[dt.datetime, str, str]]] = defaultdict(list)
    for case_id, at, details in session.execute(restricted(found, actor, query, statement)):
        found_moves[case_id].append((at, str(details.get("from", "")), str(details.get("to", ""))))
    return found_moves


def _intervals(
    moves: Iterable[tuple[dt.datetime, str, str]],
    opened: dt.datetime,
    current: Any,
    entered: dt.datetime,
    now: dt.datetime,
) -> Iterator[tuple[str, float]]:
    """(stage, days) for each stage a case went through, and its current stage up to now."""
    since = opened
    for at, before, _after in moves:
        yield before or Stage.identification.value, _days(since, at)
        since = at
    stage = str(getattr(current, "value", current))
    if stage != Stage.closed.value:
        yield stage, _days(entered, now)


def catalogue() -> dict[str, Span]:
    """The durations measured, by name."""
    return dict(SPANS)
