"""The demo's cases spread over the past five years, so that time series and durations show
something; each case's timeline still tells its story in order."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from sqlalchemy import select

from jusoor.cases.models import Case, CaseEvent
from jusoor.cases.vocabulary import Stage
from jusoor.core.db import Database, utcnow
from jusoor.stats.durations import durations
from jusoor.stats.engine import Query
from tests.stats.support import actor


def test_demo_cases_open_over_the_years_with_their_history_in_order(stats_db: Database) -> None:
    with stats_db.unit_of_work() as s:
        now = utcnow()
        cases = s.scalars(select(Case)).unique().all()
        years = Counter(c.opened_at.year for c in cases)
        assert len(years) >= 2, years
        assert all(c.opened_at >= now - dt.timedelta(days=5 * 366) for c in cases)
        assert years[max(years)] + years[max(years) - 1] > years[min(years)], years
        for case in cases:
            events = s.scalars(
                select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.seq)
            ).all()
            times = [e.at for e in events]
            assert times == sorted(times) and times[-1] <= now, case.reference
            assert events[0].kind == "opened"
            assert abs(events[0].at - case.opened_at) < dt.timedelta(seconds=1), case.reference
            moves = [e for e in events if e.kind == "stage_moved"]
            if moves:
                assert abs(case.stage_entered_at - moves[-1].at) < dt.timedelta(seconds=1)
            if moves and case.screening_id is None:  # the demo's own cases, spread over time
                assert moves[0].at - case.opened_at >= dt.timedelta(days=1), case.reference
            if case.stage is Stage.closed:
                assert case.closed_at is not None
                assert abs(case.closed_at - case.stage_entered_at) < dt.timedelta(seconds=1)
            if case.reflection_ends_on is not None:
                entered = next(e.at for e in moves if e.details["to"] == "recovery_reflection")
                assert case.reflection_ends_on > entered.date()
                assert case.reflection_ends_on.isoformat() == next(
                    e.details["reflection_ends_on"]
                    for e in moves
                    if "reflection_ends_on" in e.details
                )


def test_time_in_stage_of_the_demo_is_days_not_seconds(stats_db: Database) -> None:
    with stats_db.unit_of_work() as s:
        table = durations(s, actor(s, "admin"), Query("stage_time", ("stage",)))
        assert table.overall.median is not None and table.overall.median > 1
        reflection = table.cells[("recovery_reflection",)]
        assert reflection.count and reflection.median and reflection.median > 5
