"""Referrals of cases to services (by the referring agency's country) and services delivered.

A referral belongs to two agencies: the staff of the referring and of the receiving agency both
count it. `agency` is the receiving agency (who answers and delivers); `from_agency` the sender.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, case, select

from jusoor.core.db import utcnow
from jusoor.core.i18n import N_
from jusoor.referrals.models import Service, ServiceDelivery, Transition
from jusoor.referrals.workflow import machine
from jusoor.stats.engine import Subject, register_subject, single


def _overdue() -> Any:
    """'yes' for a referral still waiting for an answer past its deadline (as the inbox says)."""
    waiting = sorted(machine().open)
    late = and_(Transition.status.in_(waiting), Transition.deadline < utcnow())
    return case((late, "yes"), else_="no")


REFERRALS = Subject(
    name="referrals",
    unit=N_("referrals"),
    label=N_("Referrals to services"),
    base=lambda: (
        select().select_from(Transition).join(Service, Service.id == Transition.service_id)
    ),
    dated_by=lambda: Transition.created_at,
    agency=lambda: Transition.to_agency_id,
    also_agency=lambda: Transition.from_agency_id,
    country=lambda: Transition.country,
    dimensions={
        d.name: d
        for d in (
            single("country", N_("Country"), lambda: Transition.country),
            single("agency", N_("Receiving agency"), lambda: Transition.to_agency_id),
            single("from_agency", N_("Referring agency"), lambda: Transition.from_agency_id),
            single("service", N_("Service"), lambda: Service.kind),
            single("state", N_("State"), lambda: Transition.status),
            single("overdue", N_("Overdue"), _overdue),
        )
    },
)

SERVICES = Subject(
    name="services",
    unit=N_("services delivered"),
    label=N_("Services delivered"),
    base=lambda: (
        select()
        .select_from(ServiceDelivery)
        .join(Transition, Transition.id == ServiceDelivery.transition_id)
        .join(Service, Service.id == Transition.service_id)
    ),
    dated_by=lambda: ServiceDelivery.delivered_on,
    agency=lambda: Transition.to_agency_id,
    also_agency=lambda: Transition.from_agency_id,
    country=lambda: Transition.country,
    dimensions={
        d.name: d
        for d in (
            single("country", N_("Country"), lambda: Transition.country),
            single("agency", N_("Delivering agency"), lambda: Transition.to_agency_id),
            single("service", N_("Service"), lambda: Service.kind),
        )
    },
)

register_subject(REFERRALS)
register_subject(SERVICES)
