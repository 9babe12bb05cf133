"""Shared steps of the plan tests: actors for demo users and the demo plan of a country."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from jusoor.agencies import service as agencies
from jusoor.core.permissions import Actor, system_actor
from jusoor.plans.models import Measure, Plan
from jusoor.synth import plans as demo_plans

TODAY = dt.date(2026, 6, 30)


def actor(session: Session, username: str) -> Actor:
    user = agencies.get_user_by_username(session, username)
    assert user is not None, username
    return agencies.actor_for(user, via="session")


def demo_plan(session: Session, country: str = "MA") -> Plan:
    return demo_plans.load_plan(session, actor=system_actor("test"), country=country, today=TODAY)


def measure_of(session: Session, plan: Plan, agency_code: str, *, lead: bool = True) -> Measure:
    """A measure of `plan` that `agency_code` leads (or only partners in)."""
    agency = agencies.agency_by_code(session, agency_code)
    assert agency is not None
    for pillar in plan.pillars:
        for measure in pillar.measures:
            for row in measure.responsible:
                if row.agency_id == agency.id and row.lead is lead:
                    return measure
    raise AssertionError(f"no measure of {agency_code}")


def measure_not_of(session: Session, plan: Plan, agency_code: str) -> Measure:
    agency = agencies.agency_by_code(session, agency_code)
    assert agency is not None
    return next(m for p in plan.pillars for m in p.measures if agency.id not in m.agency_ids)
