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


def measure_of_actor(plan: Plan, who: Actor, *, responsible: bool = True) -> Measure:
    """A measure of `plan` that `who`'s agency is (or is not) responsible for."""
    return next(
        m
        for p in plan.pillars
        for m in p.measures
        if (who.agency_id in m.agency_ids) is responsible
    )
