"""The coordinator's forms to write a plan: the plan itself (with its four pillars), its
measures (responsible agencies, deadline, budget) and its indicators. The services refuse anyone
without `plans.manage` in the plan's country."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from jusoor.core.i18n import N_, current_locale
from jusoor.core.i18n import gettext as _
from jusoor.core.permissions import Actor
from jusoor.plans import labels, service, sources
from jusoor.plans.labels import template_helpers
from jusoor.plans.models import Measure, Plan
from jusoor.plans.schemas import IndicatorIn, MeasureIn, PillarIn, PlanIn
from jusoor.plans.vocabulary import PillarKind
from jusoor.web.access import requires
from jusoor.web.actions import submit
from jusoor.web.deps import CurrentActor, DbSession
from jusoor.web.forms import path_id, redirect
from jusoor.web.labels import currency_choices
from jusoor.web.templating import render

router = APIRouter(include_in_schema=False)

PLANS = "/plans"
MANAGE = [requires("plans.manage")]
PlanId = Annotated[uuid.UUID, path_id("plan_id", N_("No such action plan."))]
MeasureId = Annotated[uuid.UUID, path_id("measure_id", N_("No such measure."))]
PLAN_FIELDS = ("title_ar", "title_en", "title_fr", "adopting_body", "adopted_on",
               "period_start", "period_end", "status")  # fmt: skip


def _plan_labels() -> dict[str, str]:
    return {
        "title_ar": _("Title in Arabic"),
        "title_en": _("Title in English"),
        "title_fr": _("Title in French"),
        "adopting_body": _("Adopted by"),
        "adopted_on": _("Adopted on"),
        "period_start": _("From"),
        "period_end": _("To"),
        "status": _("Status"),
    }


def _typed(form: FormData, names: tuple[str, ...]) -> dict[str, Any]:
    """The fields of `names` as typed; an empty date or number is absent (None), not invalid."""
    return {n: (str(form.get(n, "")).strip() or None) for n in names}


def _plan_in(form: FormData) -> PlanIn:
    typed = _typed(form, PLAN_FIELDS)
    for name in ("title_ar", "title_en", "title_fr", "adopting_body"):
        typed[name] = typed[name] or ""
    typed["status"] = typed["status"] or "draft"
    return PlanIn.model_validate(typed)


def _plan_form(
    request: Request, plan: Plan | None, form: dict[str, Any], errors: dict[str, str] | None = None
) -> HTMLResponse:
    values = {
        "plan": plan,
        "form": form,
        "errors": errors or {},
        "statuses": [(k, _(v)) for k, v in labels.PLAN_STATUS.items()],
        **template_helpers(),
    }
    return render(request, "plans/plan_form.html", values, status_code=422 if errors else 200)


@router.get(f"{PLANS}/new", response_class=HTMLResponse, dependencies=MANAGE)
def new_plan(request: Request) -> Response:
    return _plan_form(request, None, {"status": "draft"})


def _create_with_pillars(db: Session, actor: Actor, plan_in: PlanIn) -> Plan:
    """A new plan has the four pillars from the start: every measure belongs to one."""
    plan = service.create_plan(db, actor=actor, plan_in=plan_in)
    for kind in PillarKind:
        service.add_pillar(db, actor=actor, plan_id=plan.id, pillar_in=PillarIn(kind=kind))
    return plan


@router.post(f"{PLANS}/new", response_class=HTMLResponse, dependencies=MANAGE)
async def create_plan(request: Request, db: DbSession, actor: CurrentActor) -> Response:
    return await submit(
        request,
        db,
        run=lambda form: _create_with_pillars(db, actor, _plan_in(form)),
        done=lambda plan: redirect(f"{PLANS}/{plan.id}?done=created"),
        failed=lambda errors, typed: _plan_form(request, None, typed, errors),
        labels=_plan_labels(),
    )


@router.get(f"{PLANS}/{{plan_id}}/edit", response_class=HTMLResponse, dependencies=MANAGE)
def edit_plan(request: Request, db: DbSession, actor: CurrentActor, plan_id: PlanId) -> Response:
    plan = service.get_plan(db, actor=actor, plan_id=plan_id, action=service.MANAGE)
    form = {n: getattr(plan, n) for n in PLAN_FIELDS}
    form["status"] = plan.status.value
    return _plan_form(request, plan, form)


@router.post(f"{PLANS}/{{plan_id}}/edit", response_class=HTMLResponse, dependencies=MANAGE)
async def save_plan(
    request: Request, db: DbSession, actor: CurrentActor, plan_id: PlanId
) -> Response:
    plan = service.get_plan(db, actor=actor, plan_id=plan_id, action=service.MANAGE)
    return await submit(
        request,
        db,
        run=lambda form: service.update_plan(db, actor=actor, plan_id=plan.id, plan_in=_plan_in(form)),
        done=lambda _saved: redirect(f"{PLANS}/{plan.id}?done=saved"),
        failed=lambda errors, typed: _plan_form(request, plan, typed, errors),
        labels=_plan_labels(),
    )  # fmt: skip


# Measures ------------------------------------------------------------------------------------

MEASURE_FIELDS = ("pillar_id", "title", "description", "start", "deadline", "budget_amount",
                  "currency", "status", "lead_agency_id")  # fmt: skip


def _measure_labels() -> dict[str, str]:
    return {
        "pillar_id": _("Pillar"),
        "title": _("Measure"),
        "description": _("Description"),
        "start": _("Start"),
        "deadline": _("Deadline"),
        "budget_amount": _("Budget"),
        "currency": _("Currency"),
        "status": _("Status"),
        "lead_agency_id": _("Lead agency"),
        "agency_ids": _("Partner agencies"),
    }


def _measure_in(form: FormData) -> MeasureIn:
    typed = _typed(form, MEASURE_FIELDS)
    typed["description"] = typed["description"] or ""
    typed["status"] = typed["status"] or "planned"
    typed["agency_ids"] = [str(a) for a in form.getlist("agency_ids")]
    return MeasureIn.model_validate(typed)


def _measure_form(
    request: Request,
    db: Session,
    plan: Plan,
    measure: Measure | None,
    form: dict[str, Any],
    errors: dict[str, str] | None = None,
) -> HTMLResponse:
    locale = current_locale()
    values = {
        "plan": plan,
        "measure": measure,
        "form": form,
        "errors": errors or {},
        "pillars": [(str(p.id), labels.pillar_label(p.kind)) for p in plan.pillars],
        "agencies": [(str(a.id), a.name(locale)) for a in service.plan_agencies(db, plan)],
        "statuses": [(k, _(v)) for k, v in labels.MEASURE_STATUS.items()],
        "currencies": currency_choices(),
        **template_helpers(),
    }
    return render(request, "plans/measure_form.html", values, status_code=422 if errors else 200)


def _form_of(measure: Measure) -> dict[str, Any]:
    form: dict[str, Any] = {n: getattr(measure, n, None) for n in MEASURE_FIELDS}
    form["pillar_id"], form["status"] = str(measure.pillar_id), measure.status.value
    lead = next((r.agency_id for r in measure.responsible if r.lead), None)
    form["lead_agency_id"] = str(lead) if lead else ""
    form["agency_ids"] = [str(r.agency_id) for r in measure.responsible if not r.lead]
    form["budget_amount"] = "" if measure.budget_amount is None else measure.budget_amount
    return form


def _typed_measure(form: dict[str, str], raw: FormData) -> dict[str, Any]:
    return {**form, "agency_ids": [str(a) for a in raw.getlist("agency_ids")]}


@router.get(f"{PLANS}/{{plan_id}}/measures/new", response_class=HTMLResponse, dependencies=MANAGE)
def new_measure(request: Request, db: DbSession, actor: CurrentActor, plan_id: PlanId) -> Response:
    plan = service.get_plan(db, actor=actor, plan_id=plan_id, action=service.MANAGE)
    form = {"status": "planned", "start": plan.period_start, "agency_ids": []}
    return _measure_form(request, db, plan, None, form)


@router.post(f"{PLANS}/{{plan_id}}/measures/new", response_class=HTMLResponse, dependencies=MANAGE)
async def create_measure(
    request: Request, db: DbSession, actor: CurrentActor, plan_id: PlanId
) -> Response:
    plan = service.get_plan(db, actor=actor, plan_id=plan_id, action=service.MANAGE)
    raw = await request.form()
    return await submit(
        request,
        db,
        run=lambda form: service.add_measure(db, actor=actor, measure_in=_measure_in(form)),
        done=lambda _m: redirect(f"{PLANS}/{plan.id}?done=measure"),
        failed=lambda errors, typed: _measure_form(
            request, db, plan, None, _typed_measure(typed, raw), errors
        ),
        labels=_measure_labels(),
    )


@router.get(
    f"{PLANS}/measures/{{measure_id}}/edit", response_class=HTMLResponse, dependencies=MANAGE
)
def edit_measure(
    request: Request, db: DbSession, actor: CurrentActor, measure_id: MeasureId
) -> Response:
    measure = service.get_measure(db, actor=actor, measure_id=measure_id, action=service.MANAGE)
    return _measure_form(request, db, measure.pillar.plan, measure, _form_of(measure))


@router.post(
    f"{PLANS}/measures/{{measure_id}}/edit", response_class=HTMLResponse, dependencies=MANAGE
)
async def save_measure(
    request: Request, db: DbSession, actor: CurrentActor, measure_id: MeasureId
) -> Response:
    measure = service.get_measure(db, actor=actor, measure_id=measure_id, action=service.MANAGE)
    plan = measure.pillar.plan
    raw = await request.form()
    return await submit(
        request,
        db,
        run=lambda form: service.update_measure(
            db, actor=actor, measure_id=measure.id, measure_in=_measure_in(form)
        ),
        done=lambda _m: redirect(f"{PLANS}/{plan.id}?done=measure"),
        failed=lambda errors, typed: _measure_form(
            request, db, plan, measure, _typed_measure(typed, raw), errors
        ),
        labels=_measure_labels(),
    )


# Indicators ----------------------------------------------------------------------------------

INDICATOR_FIELDS = ("pillar_id", "measure_id", "name", "unit", "baseline_value", "baseline_year",
                    "target_value", "target_year", "direction", "source", "statistic")  # fmt: skip


def _indicator_labels() -> dict[str, str]:
    return {
        "pillar_id": _("Pillar"),
        "measure_id": _("Measure"),
        "name": _("Indicator"),
        "unit": _("Unit"),
        "baseline_value": _("Baseline"),
        "baseline_year": _("Baseline year"),
        "target_value": _("Target"),
        "target_year": _("Target year"),
        "direction": _("Direction"),
        "source": _("Source"),
        "statistic": _("Statistic"),
        "filters": _("Filter"),
    }


def _indicator_in(form: FormData) -> IndicatorIn:
    typed = _typed(form, INDICATOR_FIELDS)
    typed["unit"] = typed["unit"] or ""
    typed["direction"] = typed["direction"] or "up"
    typed["source"] = typed["source"] or "manual"
    dimension, category = (str(form.get(n, "")).strip() for n in ("filter_by", "filter_value"))
    typed["filters"] = {dimension: category} if dimension and category else {}
    return IndicatorIn.model_validate(typed)


def _indicator_form(
    request: Request, plan: Plan, form: dict[str, Any], errors: dict[str, str] | None = None
) -> HTMLResponse:
    values = {
        "plan": plan,
        "form": form,
        "errors": errors or {},
        "pillars": [(str(p.id), labels.pillar_label(p.kind)) for p in plan.pillars],
        "measures": [(str(m.id), m.title) for p in plan.pillars for m in p.measures],
        "directions": [(k, _(v)) for k, v in labels.DIRECTION.items()],
        "sources": [(k, _(v)) for k, v in labels.SOURCE.items()],
        "statistics": sources.statistics(),
        "dimensions": sources.dimensions(),
        **template_helpers(),
    }
    return render(request, "plans/indicator_form.html", values, status_code=422 if errors else 200)


@router.get(f"{PLANS}/{{plan_id}}/indicators/new", response_class=HTMLResponse, dependencies=MANAGE)
def new_indicator(
    request: Request, db: DbSession, actor: CurrentActor, plan_id: PlanId
) -> Response:
    plan = service.get_plan(db, actor=actor, plan_id=plan_id, action=service.MANAGE)
    year = plan.period_start.year
    form = {
        "direction": "up",
        "source": "manual",
        "baseline_year": year - 1,
        "target_year": plan.period_end.year,
    }
    return _indicator_form(request, plan, form)


@router.post(
    f"{PLANS}/{{plan_id}}/indicators/new", response_class=HTMLResponse, dependencies=MANAGE
)
async def create_indicator(
    request: Request, db: DbSession, actor: CurrentActor, plan_id: PlanId
) -> Response:
    plan = service.get_plan(db, actor=actor, plan_id=plan_id, action=service.MANAGE)
    return await submit(
        request,
        db,
        run=lambda form: service.add_indicator(db, actor=actor, indicator_in=_indicator_in(form)),
        done=lambda _i: redirect(f"{PLANS}/{plan.id}?done=indicator"),
        failed=lambda errors, typed: _indicator_form(request, plan, typed, errors),
        labels=_indicator_labels(),
        aliases={"filters": "filter_by"},
    )
