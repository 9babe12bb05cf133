"""Writing a plan: who may, and what bad input gets (an Invalid naming the field)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from jusoor.audit.models import AuditEvent
from jusoor.core.db import Database
from jusoor.core.errors import Forbidden, Invalid, NotFound
from jusoor.plans import service
from jusoor.plans.schemas import IndicatorIn, MeasureIn, PillarIn, PlanIn
from jusoor.plans.vocabulary import IndicatorSource, PillarKind, PlanStatus
from tests.plans.support import actor, demo_plan

PLAN = PlanIn(
    title_en="National Action Plan 2027-2030",
    period_start=dt.date(2027, 1, 1),
    period_end=dt.date(2030, 12, 31),
)


def test_coordinator_writes_a_plan_of_their_country_and_it_is_audited(demo_db: Database) -> None:
    with demo_db.unit_of_work() as session:
        coordinator = actor(session, "coordinator.ma")
        plan = service.create_plan(session, actor=coordinator, plan_in=PLAN)
        pillar = service.add_pillar(
            session, actor=coordinator, plan_id=plan.id, pillar_in=PillarIn(kind="protection")
        )
        assert plan.country == "MA"
        assert pillar.position == 0
        actions = session.scalars(
            select(AuditEvent.action).where(AuditEvent.object_id == str(plan.id))
        ).all()
        assert {"plan.create", "plan.pillar.add"} <= set(actions)


@pytest.mark.parametrize("username", ["analyst.ma", "caseworker.ma", "screener.ma"])
def test_only_the_coordinator_manages_plans(demo_sqlite: Database, username: str) -> None:
    with demo_sqlite.unit_of_work() as session, pytest.raises(Forbidden):
        service.create_plan(session, actor=actor(session, username), plan_in=PLAN)


def test_other_countries_plans_are_invisible(demo_sqlite: Database) -> None:
    with demo_sqlite.unit_of_work() as session:
        moroccan, tunisian = demo_plan(session, "MA"), demo_plan(session, "TN")
        reader = actor(session, "caseworker.ma")
        assert [p.id for p in service.list_plans(session, actor=reader)] == [moroccan.id]
        with pytest.raises(NotFound):
            service.get_plan(session, actor=reader, plan_id=tunisian.id)
        with pytest.raises(NotFound):
            service.update_plan(
                session, actor=actor(session, "coordinator.ma"), plan_id=tunisian.id, plan_in=PLAN
            )


def _measure(pillar_id: object, lead: object, **changes: object) -> MeasureIn:
    fields: dict[str, object] = {
        "pillar_id": pillar_id,
        "title": "Train labour inspectors",
        "start": dt.date(2027, 1, 1),
        "deadline": dt.date(2027, 12, 31),
        "lead_agency_id": lead,
    }
    return MeasureIn.model_validate({**fields, **changes})


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"deadline": dt.date(2026, 12, 31)}, "deadline"),
        ({"budget_amount": 1000, "currency": "XYZ"}, "currency"),
        ({"budget_amount": 1000}, "currency"),
    ],
)
def test_bad_measures_are_refused_naming_the_field(
    demo_sqlite: Database, changes: dict[str, object], field: str
) -> None:
    with demo_sqlite.unit_of_work() as session:
        coordinator = actor(session, "coordinator.ma")
        plan = service.create_plan(session, actor=coordinator, plan_in=PLAN)
        pillar = service.add_pillar(
            session, actor=coordinator, plan_id=plan.id, pillar_in=PillarIn(kind="prevention")
        )
        lead = coordinator.agency_id
        with pytest.raises(Invalid) as refused:
            service.add_measure(
                session, actor=coordinator, measure_in=_measure(pillar.id, lead, **changes)
            )
        assert refused.value.field == field


def test_a_measure_goes_only_to_agencies_of_the_plans_country(demo_sqlite: Database) -> None:
    with demo_sqlite.unit_of_work() as session:
        coordinator = actor(session, "coordinator.ma")
        plan = service.create_plan(session, actor=coordinator, plan_in=PLAN)
        pillar = service.add_pillar(
            session, actor=coordinator, plan_id=plan.id, pillar_in=PillarIn(kind="prevention")
        )
        tunisian = actor(session, "caseworker.tn").agency_id
        with pytest.raises(Invalid) as refused:
            service.add_measure(
                session,
                actor=coordinator,
                measure_in=_measure(pillar.id, coordinator.agency_id, agency_ids=[tunisian]),
            )
        assert refused.value.field == "agency_ids"
        measure = service.add_measure(
            session,
            actor=coordinator,
            measure_in=_measure(
                pillar.id, coordinator.agency_id, budget_amount=250000, currency="mad"
            ),
        )
        assert measure.currency == "MAD"
        assert measure.lead is not None and measure.lead.id == coordinator.agency_id


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"baseline_year": 2026, "target_year": 2025}, "target_year"),
        ({"baseline_value": 100, "target_value": 50}, "target_value"),
        ({"source": "engine", "statistic": "horses"}, "statistic"),
        ({"source": "engine", "statistic": "cases", "filters": {"colour": "red"}}, "filters"),
        ({"statistic": "cases"}, "statistic"),
    ],
)
def test_bad_indicators_are_refused_naming_the_field(
    demo_sqlite: Database, changes: dict[str, object], field: str
) -> None:
    with demo_sqlite.unit_of_work() as session:
        coordinator = actor(session, "coordinator.ma")
        plan = service.create_plan(session, actor=coordinator, plan_in=PLAN)
        pillar = service.add_pillar(
            session, actor=coordinator, plan_id=plan.id, pillar_in=PillarIn(kind="protection")
        )
        fields: dict[str, object] = {
            "pillar_id": pillar.id,
            "name": "Victims identified",
            "baseline_value": 10,
            "baseline_year": 2026,
            "target_value": 40,
            "target_year": 2030,
            "source": IndicatorSource.manual,
        }
        with pytest.raises(Invalid) as refused:
            service.add_indicator(
                session,
                actor=coordinator,
                indicator_in=IndicatorIn.model_validate({**fields, **changes}),
            )
        assert refused.value.field == field


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"period_end": dt.date(2026, 1, 1)}, "period_end"),
        ({"title_en": ""}, "title_en"),
        ({"status": PlanStatus.adopted}, "adopted_on"),
    ],
)
def test_bad_plans_are_refused_naming_the_field(
    demo_sqlite: Database, changes: dict[str, object], field: str
) -> None:
    with demo_sqlite.unit_of_work() as session:
        with pytest.raises(Invalid) as refused:
            service.create_plan(
                session,
                actor=actor(session, "coordinator.ma"),
                plan_in=PLAN.model_copy(update=changes),
            )
        assert refused.value.field == field


def test_the_demo_plan_has_four_pillars_and_measures_with_responsible_agencies(
    demo_sqlite: Database,
) -> None:
    with demo_sqlite.unit_of_work() as session:
        plan = demo_plan(session, "EG")
        assert [p.kind for p in plan.pillars] == list(PillarKind)
        measures = [m for p in plan.pillars for m in p.measures]
        assert 8 <= len(measures) <= 15
        assert all(m.lead is not None and m.lead.country == "EG" for m in measures)
        assert len(plan.reports) == 2
