"""The demo gives each country a plan: four pillars, 8-15 measures, two reports, some overdue."""

from __future__ import annotations

from sqlalchemy import select

from jusoor.core.db import Database
from jusoor.core.permissions import system_actor
from jusoor.plans import progress
from jusoor.plans.models import Plan
from jusoor.synth import plans as demo_plans
from jusoor.synth.directory import COUNTRIES
from tests.plans.support import TODAY


def test_every_demo_country_gets_a_plan_once(demo_sqlite: Database) -> None:
    with demo_sqlite.unit_of_work() as session:
        system = system_actor("test")
        assert demo_plans.load_if_empty(session, actor=system, countries=COUNTRIES) == len(
            COUNTRIES
        )
        assert demo_plans.load_if_empty(session, actor=system, countries=COUNTRIES) == 0
        plans = session.scalars(select(Plan)).all()
        assert sorted(p.country for p in plans) == sorted(COUNTRIES)
        for plan in plans:
            measures = [m for p in plan.pillars for m in p.measures]
            assert len(plan.pillars) == 4 and 8 <= len(measures) <= 15
            assert {i.source for p in plan.pillars for i in p.indicators} == {"engine", "manual"}
            assert len(plan.reports) == 2
            assert all(m.lead is not None and m.lead.country == plan.country for m in measures)
        overdue = progress.overdue_measures(session, actor=system, today=TODAY)
        assert 0 < len(overdue) < sum(len(p.measures) for plan in plans for p in plan.pillars) / 2
