"""Writing and reading national action plans: the plan, its pillars, measures and indicators.

A plan is the country's public document: everyone with `plans.read` in the country sees it; the
coordinator (`plans.manage`) writes it. Progress reports are in `progress.py`. Every write is
audited in the caller's transaction; nothing here commits.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

import pycountry
from sqlalchemy import ColumnElement, select, true
from sqlalchemy.orm import Session

from jusoor.agencies.models import Agency
from jusoor.audit import service as audit
from jusoor.core.db import utcnow
from jusoor.core.errors import Invalid, NotFound
from jusoor.core.i18n import gettext as _
from jusoor.core.permissions import Action, Actor, Scope
from jusoor.plans import sources
from jusoor.plans.models import Indicator, Measure, MeasureAgency, Pillar, Plan
from jusoor.plans.schemas import IndicatorIn, MeasureIn, PillarIn, PlanIn
from jusoor.plans.vocabulary import Direction, IndicatorSource, PlanStatus

READ, MANAGE = Action.plans_read, Action.plans_manage


def visible(actor: Actor, action: str = READ) -> ColumnElement[bool]:
    """The plans `actor` may reach for `action`: their country's (all for the administrator)."""
    scope = actor.require(action)
    if scope is Scope.all:
        return true()
    return Plan.country == (actor.country or "")


def list_plans(session: Session, *, actor: Actor) -> Sequence[Plan]:
    statement = select(Plan).where(visible(actor)).order_by(Plan.country, Plan.period_start.desc())
    return session.scalars(statement).all()


def get_plan(session: Session, *, actor: Actor, plan_id: uuid.UUID, action: str = READ) -> Plan:
    """One plan the actor may reach for `action`; out of scope is NotFound (it does not exist
    for them), as everywhere."""
    plan = session.scalars(select(Plan).where(Plan.id == plan_id, visible(actor, action))).first()
    if plan is None:
        raise NotFound(_("No such action plan."))
    return plan


def _check_plan(plan_in: PlanIn) -> None:
    if not (plan_in.title_ar or plan_in.title_en or plan_in.title_fr):
        raise Invalid("title_en", _("Give the plan a title in at least one language."))
    if plan_in.period_end <= plan_in.period_start:
        raise Invalid("period_end", _("The plan must end after it starts."))
    if plan_in.status is not PlanStatus.draft and plan_in.adopted_on is None:
        raise Invalid("adopted_on", _("An adopted plan needs the date it was adopted."))


def _audit(session: Session, actor: Actor, action: str, plan: Plan, **details: Any) -> None:
    audit.record(
        session,
        actor=actor,
        action=action,
        object_type="action_plan",
        object_id=plan.id,
        details={k: str(v) for k, v in details.items()},
    )


def create_plan(
    session: Session, *, actor: Actor, plan_in: PlanIn, country: str | None = None
) -> Plan:
    """A new plan of the actor's country (the administrator names one)."""
    scope = actor.require(MANAGE)
    country = (country or "").upper() if scope is Scope.all and country else actor.country
    if not country:
        raise Invalid("country", _("Choose the country the plan is for."))
    _check_plan(plan_in)
    plan = Plan(country=country, **plan_in.model_dump())
    session.add(plan)
    session.flush()
    _audit(session, actor, "plan.create", plan, country=country)
    return plan


def update_plan(session: Session, *, actor: Actor, plan_id: uuid.UUID, plan_in: PlanIn) -> Plan:
    plan = get_plan(session, actor=actor, plan_id=plan_id, action=MANAGE)
    _check_plan(plan_in)
    for name, value in plan_in.model_dump().items():
        setattr(plan, name, value)
    plan.updated_at = utcnow()
    session.flush()
    _audit(session, actor, "plan.update", plan, status=plan.status)
    return plan


def add_pillar(
    session: Session, *, actor: Actor, plan_id: uuid.UUID, pillar_in: PillarIn
) -> Pillar:
    plan = get_plan(session, actor=actor, plan_id=plan_id, action=MANAGE)
    if any(p.kind is pillar_in.kind for p in plan.pillars):
        raise Invalid("kind", _("The plan already has this pillar."))
    pillar = Pillar(kind=pillar_in.kind, title=pillar_in.title, position=len(plan.pillars))
    plan.pillars.append(pillar)
    session.flush()
    _audit(session, actor, "plan.pillar.add", plan, pillar=pillar.kind)
    return pillar


def _pillar_of(session: Session, actor: Actor, pillar_id: uuid.UUID) -> Pillar:
    pillar = session.get(Pillar, pillar_id)
    if pillar is None:
        raise Invalid("pillar_id", _("No such pillar in this plan."))
    get_plan(session, actor=actor, plan_id=pillar.plan_id, action=MANAGE)
    return pillar


def _responsible(session: Session, plan: Plan, measure_in: MeasureIn) -> list[MeasureAgency]:
    ids = [
        measure_in.lead_agency_id,
        *[a for a in measure_in.agency_ids if a != measure_in.lead_agency_id],
    ]
    found = {a.id: a for a in session.scalars(select(Agency).where(Agency.id.in_(ids)))}
    for agency_id in ids:
        agency = found.get(agency_id)
        field = "lead_agency_id" if agency_id == measure_in.lead_agency_id else "agency_ids"
        if agency is None or agency.country != plan.country:
            raise Invalid(field, _("Choose agencies of the plan's country."))
    return [MeasureAgency(agency_id=a, lead=(i == 0)) for i, a in enumerate(dict.fromkeys(ids))]


def _check_measure(measure_in: MeasureIn) -> str | None:
    if measure_in.deadline < measure_in.start:
        raise Invalid("deadline", _("The deadline cannot be before the start."))
    currency = (measure_in.currency or "").strip().upper() or None
    if currency is not None and pycountry.currencies.get(alpha_3=currency) is None:
        raise Invalid(
            "currency",
            _("%(code)s is not a currency we know: choose one from the list.", code=currency),
        )
    if measure_in.budget_amount is not None and currency is None:
        raise Invalid("currency", _("Give the currency of the budget."))
    return currency


def add_measure(session: Session, *, actor: Actor, measure_in: MeasureIn) -> Measure:
    pillar = _pillar_of(session, actor, measure_in.pillar_id)
    currency = _check_measure(measure_in)
    measure = Measure(
        position=len(pillar.measures),
        **measure_in.model_dump(exclude={"pillar_id", "lead_agency_id", "agency_ids", "currency"}),
        currency=currency,
        responsible=_responsible(session, pillar.plan, measure_in),
    )
    pillar.measures.append(measure)
    session.flush()
    _audit(session, actor, "plan.measure.add", pillar.plan, measure=measure.id)
    return measure


def update_measure(
    session: Session, *, actor: Actor, measure_id: uuid.UUID, measure_in: MeasureIn
) -> Measure:
    measure = session.get(Measure, measure_id)
    if measure is None:
        raise NotFound(_("No such measure."))
    get_plan(session, actor=actor, plan_id=measure.pillar.plan_id, action=MANAGE)
    pillar = _pillar_of(session, actor, measure_in.pillar_id)
    if pillar.plan_id != measure.pillar.plan_id:
        raise Invalid("pillar_id", _("No such pillar in this plan."))
    currency = _check_measure(measure_in)
    responsible = _responsible(session, pillar.plan, measure_in)
    for name, value in measure_in.model_dump(
        exclude={"pillar_id", "lead_agency_id", "agency_ids", "currency"}
    ).items():
        setattr(measure, name, value)
    measure.pillar, measure.currency = pillar, currency
    measure.responsible.clear()
    session.flush()  # the old rows go before the new ones take the same keys
    measure.responsible.extend(responsible)
    session.flush()
    _audit(session, actor, "plan.measure.update", pillar.plan, measure=measure.id)
    return measure


def _check_indicator(indicator_in: IndicatorIn) -> str | None:
    if indicator_in.target_year < indicator_in.baseline_year:
        raise Invalid("target_year", _("The target year cannot be before the baseline year."))
    rising = indicator_in.target_value >= indicator_in.baseline_value
    if indicator_in.target_value != indicator_in.baseline_value and rising != (
        indicator_in.direction is Direction.up
    ):
        raise Invalid(
            "target_value",
            _("The target goes the other way from the direction chosen for this indicator."),
        )
    if indicator_in.source is IndicatorSource.engine:
        return sources.check(indicator_in.statistic, indicator_in.filters)
    if indicator_in.statistic or indicator_in.filters:
        raise Invalid("statistic", _("An indicator entered by hand has no statistic."))
    return None


def add_indicator(session: Session, *, actor: Actor, indicator_in: IndicatorIn) -> Indicator:
    pillar = _pillar_of(session, actor, indicator_in.pillar_id)
    statistic = _check_indicator(indicator_in)
    if indicator_in.measure_id is not None and indicator_in.measure_id not in {
        m.id for m in pillar.measures
    }:
        raise Invalid("measure_id", _("Choose a measure of the same pillar."))
    indicator = Indicator(
        position=len(pillar.indicators),
        **indicator_in.model_dump(exclude={"pillar_id", "statistic"}),
        statistic=statistic,
    )
    pillar.indicators.append(indicator)
    session.flush()
    _audit(session, actor, "plan.indicator.add", pillar.plan, indicator=indicator.id)
    return indicator


def plan_agencies(session: Session, plan: Plan) -> Sequence[Agency]:
    """The agencies a measure of `plan` may be given to (the plan's country's)."""
    statement = select(Agency).where(Agency.country == plan.country).order_by(Agency.code)
    return session.scalars(statement).all()


def get_measure(
    session: Session, *, actor: Actor, measure_id: uuid.UUID, action: str = READ
) -> Measure:
    """One measure of a plan the actor may reach for `action`."""
    measure = session.get(Measure, measure_id)
    if measure is None:
        raise NotFound(_("No such measure."))
    get_plan(session, actor=actor, plan_id=measure.pillar.plan_id, action=action)
    return measure
