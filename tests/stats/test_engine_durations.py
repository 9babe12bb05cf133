"""Durations: medians, means and 90th percentiles in days, against values worked out by hand and
against the rows' own timestamps."""

from __future__ import annotations

import datetime as dt
import statistics
import uuid
from collections import defaultdict

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from jusoor.cases.models import Case, CaseEvent
from jusoor.cases.vocabulary import Stage
from jusoor.core.db import Database, utcnow
from jusoor.core.errors import Forbidden, Invalid
from jusoor.referrals.models import Transition
from jusoor.screening.models import Identification, Screening
from jusoor.stats import service
from jusoor.stats.durations import durations, summary
from jusoor.stats.engine import Query
from jusoor.stats.tables import Duration
from tests.stats.support import actor

UTC = dt.UTC


def test_summary_of_days() -> None:
    assert summary([]) == Duration(count=0, median=None, mean=None, p90=None)
    assert summary([2.5]) == Duration(count=1, median=2.5, mean=2.5, p90=2.5)
    # p90 by linear interpolation: position 0.9 * 4 = 3.6 between 4 and 10 -> 4 + 0.6 * 6.
    found = summary([10, 1, 3, 2, 4])
    assert (found.count, found.median, found.mean) == (5, 3, 4.0)
    assert found.p90 == pytest.approx(7.6)


def _case(s: Session, template: Case, opened: dt.datetime, stage: Stage, entered: dt.datetime,
          closed: dt.datetime | None) -> Case:  # fmt: skip
    case = Case(reference=f"MA-2015-{uuid.uuid4().hex[:6]}", country="MA",
                agency_id=template.agency_id, owner_id=template.owner_id, stage=stage,
                stage_entered_at=entered, opened_at=opened, closed_at=closed)  # fmt: skip
    s.add(case)
    s.flush()
    return case


def _move(s: Session, case: Case, at: dt.datetime, before: Stage, after: Stage) -> None:
    s.add(CaseEvent(case_id=case.id, at=at, actor_username="test", kind="stage_moved",
                    details={"from": before.value, "to": after.value}))  # fmt: skip
    s.flush()


def test_time_in_each_stage_and_case_length_worked_out_by_hand(stats_db: Database) -> None:
    with stats_db.unit_of_work() as s:
        template = s.scalars(select(Case).where(Case.country == "MA")).unique().first()
        assert template is not None
        d = lambda day, hour=0: dt.datetime(2015, 1, day, hour, tzinfo=UTC)  # noqa: E731
        open_case = _case(s, template, d(1), Stage.assistance, d(11), None)
        _move(s, open_case, d(3), Stage.identification, Stage.reasonable_grounds)
        _move(s, open_case, d(11), Stage.reasonable_grounds, Stage.assistance)
        closed = _case(s, template, d(20), Stage.closed, d(24, 12), d(24, 12))
        _move(s, closed, d(24, 12), Stage.identification, Stage.closed)
    with stats_db.unit_of_work() as s:
        coordinator = actor(s, "coordinator.ma")
        in_2015 = {"start": dt.date(2015, 1, 1), "end": dt.date(2015, 12, 31)}
        table = durations(s, coordinator, Query("stage_time", ("stage",), **in_2015))
        # identification: 2 days (case 1) and 4.5 days (case 2); reasonable grounds: 8 days.
        assert table.cells[("identification",)] == Duration(2, 3.25, 3.25, pytest.approx(4.25))
        assert table.cells[("reasonable_grounds",)] == Duration(1, 8.0, 8.0, 8.0)
        still = table.cells[("assistance",)]
        expected = (utcnow() - d(11)).total_seconds() / 86400
        assert still.count == 1 and still.median == pytest.approx(expected, abs=0.01)
        assert ("closed",) not in table.cells and table.overall.count == 4
        only = durations(s, coordinator, Query("stage_time", ("year",), where={"stage": "reasonable_grounds"}, **in_2015))  # fmt: skip
        assert only.cells == {("2015",): Duration(1, 8.0, 8.0, 8.0)}
        length = durations(s, coordinator, Query("case_duration", ("year",), **in_2015))
        assert length.overall == Duration(1, 4.5, 4.5, 4.5)
        other = durations(s, actor(s, "analyst.eg"), Query("stage_time", ("stage",), **in_2015))
        assert other.overall.count == 0  # Morocco's cases are not Egypt's analyst's


def _days(start: dt.datetime, end: dt.datetime) -> float:
    return (end - start).total_seconds() / 86400


def test_screening_to_identification_and_referral_response_match_the_rows(
    stats_db: Database,
) -> None:
    with stats_db.unit_of_work() as s:
        admin = actor(s, "admin")
        waited: dict[str, list[float]] = defaultdict(list)
        for decision in s.scalars(select(Identification)):
            screening = s.get(Screening, decision.screening_id)
            assert screening is not None and screening.completed_at is not None
            waited[decision.status.value].append(_days(screening.completed_at, decision.decided_at))
        assert waited, "the demo has no identification: the test would prove nothing"
        table = durations(s, admin, Query("screening_to_identification", ("outcome",)))
        for outcome, days in waited.items():
            cell = table.cells[(outcome,)]
            assert cell.count == len(days)
            assert cell.median == pytest.approx(statistics.median(days))
            assert cell.mean == pytest.approx(statistics.fmean(days))
        answered: dict[str, list[float]] = defaultdict(list)
        for t in s.scalars(select(Transition)).unique():
            if t.responded_at is not None:
                answered[t.service.kind.value].append(_days(t.created_at, t.responded_at))
        response = durations(s, admin, Query("referral_response", ("service",)))
        assert {k[0]: v.count for k, v in response.cells.items()} == {
            k: len(v) for k, v in answered.items()
        }
        for kind, days in answered.items():
            assert response.cells[(kind,)].median == pytest.approx(statistics.median(days))


def test_durations_refuse_what_they_cannot_measure(stats_db: Database) -> None:
    with stats_db.unit_of_work() as s:
        coordinator = actor(s, "coordinator.ma")
        with pytest.raises(Invalid) as refused:
            durations(s, coordinator, Query("stage_time", ("eye_colour",)))
        assert refused.value.field == "by"
        with pytest.raises(Invalid) as refused:
            durations(s, coordinator, Query("gestation", ()))
        assert refused.value.field == "statistic"
        with pytest.raises(Forbidden):
            durations(s, actor(s, "auditor.ma"), Query("case_duration", ()))


def test_every_catalogue_statistic_computes_for_the_coordinator(stats_db: Database) -> None:
    with stats_db.unit_of_work() as s:
        coordinator = actor(s, "coordinator.ma")
        for found in service.catalogue():
            table = service.statistic(s, coordinator, found.id)
            assert table.statistic == found.id
            assert table.by == found.by
        victims = service.statistic(s, coordinator, "victims_by_sex_age", by=["stage"])
        assert victims.by == ("stage",)
        with pytest.raises(Invalid) as refused:
            service.statistic(s, coordinator, "victims_by_horse")
        assert refused.value.field == "statistic"
