"""Progress reports: who reports on what, overdue measures, engine-sourced values."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from jusoor.cases.models import Case
from jusoor.core.db import Database
from jusoor.core.errors import Conflict, Forbidden, Invalid, NotFound
from jusoor.core.permissions import system_actor
from jusoor.plans import progress
from jusoor.plans.schemas import IndicatorReportIn, ReportIn
from jusoor.plans.vocabulary import IndicatorSource, MeasureStatus
from jusoor.synth.cases import load_demo_cases
from tests.plans.support import TODAY, actor, demo_plan, measure_of_actor

PERIOD = {"label": "2026-H1", "period_start": dt.date(2026, 1, 1), "period_end": TODAY}


def _on(measure_id: object, status: str = "in_progress") -> ReportIn:
    return ReportIn.model_validate(
        {**PERIOD, "measures": [{"measure_id": measure_id, "status": status, "narrative": "Done."}]}
    )


def test_an_agency_reports_only_on_the_measures_it_is_responsible_for(
    demo_db: Database,
) -> None:
    with demo_db.unit_of_work() as session:
        plan = demo_plan(session)
        worker = actor(session, "caseworker.ma")
        ours = measure_of_actor(plan, worker)
        theirs = measure_of_actor(plan, worker, responsible=False)
        report = progress.report_progress(
            session, actor=worker, plan_id=plan.id, report_in=_on(ours.id, "done")
        )
        assert ours.status is MeasureStatus.done
        assert [m.measure_id for m in report.measures] == [ours.id]
        with pytest.raises(Forbidden):
            progress.report_progress(
                session, actor=worker, plan_id=plan.id, report_in=_on(theirs.id)
            )
        mine, _ = progress.reportable(worker, plan)
        assert theirs not in mine and ours in mine


def test_a_refused_measure_leaves_nothing_of_the_report_saved(demo_sqlite: Database) -> None:
    with demo_sqlite.unit_of_work() as session:
        plan = demo_plan(session)
        plan_id = plan.id
        worker = actor(session, "caseworker.ma")
        ours = measure_of_actor(plan, worker)
        theirs = measure_of_actor(plan, worker, responsible=False)
        both = _on(ours.id, "done").model_copy(
            update={"measures": [*_on(ours.id, "done").measures, *_on(theirs.id).measures]}
        )
    with pytest.raises(Forbidden), demo_sqlite.unit_of_work() as session:
        progress.report_progress(
            session, actor=actor(session, "caseworker.ma"), plan_id=plan_id, report_in=both
        )
    with demo_sqlite.unit_of_work() as session:
        reader = actor(session, "coordinator.ma")
        plan = progress.service.get_plan(session, actor=reader, plan_id=plan_id)
        assert "2026-H1" not in [r.label for r in plan.reports]


def test_the_analyst_reports_country_wide_but_not_abroad(demo_sqlite: Database) -> None:
    with demo_sqlite.unit_of_work() as session:
        moroccan, tunisian = demo_plan(session, "MA"), demo_plan(session, "TN")
        analyst = actor(session, "analyst.ma")
        any_measure = moroccan.pillars[2].measures[0]
        progress.report_progress(
            session, actor=analyst, plan_id=moroccan.id, report_in=_on(any_measure.id)
        )
        with pytest.raises(NotFound):
            progress.report_progress(
                session,
                actor=analyst,
                plan_id=tunisian.id,
                report_in=_on(tunisian.pillars[0].measures[0].id),
            )


def test_bad_reports_are_refused_naming_the_field(demo_sqlite: Database) -> None:
    with demo_sqlite.unit_of_work() as session:
        plan = demo_plan(session)
        coordinator = actor(session, "coordinator.ma")
        measure = plan.pillars[0].measures[0]
        late = _on(measure.id).model_copy(update={"period_end": dt.date(2025, 1, 1)})
        with pytest.raises(Invalid) as refused:
            progress.report_progress(session, actor=coordinator, plan_id=plan.id, report_in=late)
        assert refused.value.field == "period_end"
        linked = _on(measure.id)
        linked.measures[0].evidence.append("javascript:alert(1)")
        with pytest.raises(Invalid) as refused:
            progress.report_progress(session, actor=coordinator, plan_id=plan.id, report_in=linked)
        assert refused.value.field == "evidence"
        manual = next(i for p in plan.pillars for i in p.indicators if i.source == "manual")
        empty = ReportIn.model_validate({**PERIOD, "indicators": [{"indicator_id": manual.id}]})
        with pytest.raises(Invalid) as refused:
            progress.report_progress(session, actor=coordinator, plan_id=plan.id, report_in=empty)
        assert refused.value.field == "value"
        moved = _on(measure.id).model_copy(update={"label": "2025"})  # the demo's 2025 report
        with pytest.raises(Conflict):
            progress.report_progress(session, actor=coordinator, plan_id=plan.id, report_in=moved)


def test_overdue_measures_are_past_their_deadline_and_not_finished(demo_db: Database) -> None:
    with demo_db.unit_of_work() as session:
        plan = demo_plan(session)
        reader = actor(session, "screener.ma")
        overdue = progress.overdue_measures(session, actor=reader, plan_id=plan.id, today=TODAY)
        everything = [m for p in plan.pillars for m in p.measures]
        expected = {
            m.id for m in everything if m.deadline < TODAY and m.status not in ("done", "cancelled")
        }
        assert {m.id for m in overdue} == expected
        assert expected, "the demo plan leaves some measures overdue"
        assert all(progress.is_overdue(m, TODAY) for m in overdue)
        assert not progress.overdue_measures(
            session, actor=actor(session, "screener.tn"), plan_id=plan.id, today=TODAY
        )


def test_an_engine_indicator_freezes_the_count_made_in_the_database(demo_db: Database) -> None:
    with demo_db.unit_of_work() as session:
        load_demo_cases(session, actor=system_actor("test"), count=60)
        plan = demo_plan(session)
        children = next(
            i for p in plan.pillars for i in p.indicators if i.filters == {"age_group": "child"}
        )
        assert children.source is IndicatorSource.engine
        today = dt.date.today()
        report = progress.report_progress(
            session,
            actor=actor(session, "analyst.ma"),
            plan_id=plan.id,
            report_in=ReportIn(
                label="to date",
                period_start=dt.date(2000, 1, 1),
                period_end=today,
                indicators=[IndicatorReportIn(indicator_id=children.id)],
            ),
        )
        direct = session.scalar(
            select(func.count())
            .select_from(Case)
            .where(Case.country == "MA", Case.is_child.is_(True))
        )
        value = next(v for v in report.values if v.indicator_id == children.id)
        assert value.computed and value.value == direct
        assert direct and direct > 0
        with pytest.raises(Invalid):  # a computed value is not typed in
            progress.report_progress(
                session,
                actor=actor(session, "analyst.ma"),
                plan_id=plan.id,
                report_in=ReportIn(
                    label="to date",
                    period_start=dt.date(2000, 1, 1),
                    period_end=today,
                    indicators=[IndicatorReportIn(indicator_id=children.id, value=3)],
                ),
            )


def test_a_small_engine_count_is_published_as_under_five() -> None:
    assert progress.sources.shown(3, computed=True) == "<5"
    assert progress.sources.shown(0, computed=True) == "0"
    assert progress.sources.shown(12, computed=True) == "12"
    assert progress.sources.shown(3, computed=False) == "3"
    assert progress.sources.shown(2.5, computed=False) == "2.5"
