"""Action plan pages: the list (with overdue measures), one plan (pillars, measures, indicators
against targets, reports), the progress form and the downloads. The coordinator's forms to write
the plan are in `manage_pages.py`."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from jusoor.core.i18n import N_, current_locale
from jusoor.core.i18n import gettext as _
from jusoor.core.permissions import Action, Actor
from jusoor.plans import export, labels, manage_pages, progress, service
from jusoor.plans.labels import template_helpers
from jusoor.plans.models import Plan
from jusoor.plans.schemas import ReportIn
from jusoor.plans.views import plan_view
from jusoor.web.actions import submit
from jusoor.web.deps import CurrentActor, DbSession
from jusoor.web.forms import path_id, redirect
from jusoor.web.templating import render

router = APIRouter(include_in_schema=False)
router.include_router(manage_pages.router)

PLANS = "/plans"
PlanId = Annotated[uuid.UUID, path_id("plan_id", N_("No such action plan."))]
DONE = {
    "created": N_("The plan is saved."),
    "saved": N_("The plan is saved."),
    "measure": N_("The measure is saved."),
    "indicator": N_("The indicator is saved."),
    "reported": N_("The progress report is saved."),
}
MEDIA = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}


@router.get(PLANS, response_class=HTMLResponse)
def plans(request: Request, db: DbSession, actor: CurrentActor) -> Response:
    rows = service.list_plans(db, actor=actor)
    values = {
        "plans": rows,
        "overdue": progress.overdue_measures(db, actor=actor),
        "may_manage": actor.can(Action.plans_manage),
        "locale": current_locale(),
        **template_helpers(),
    }
    return render(request, "plans/list.html", values)


@router.get(f"{PLANS}/{{plan_id}}", response_class=HTMLResponse)
def show(
    request: Request, db: DbSession, actor: CurrentActor, plan_id: PlanId, done: str = ""
) -> Response:
    plan = service.get_plan(db, actor=actor, plan_id=plan_id)
    locale = current_locale()
    values = {
        "view": plan_view(actor, plan, locale),
        "may_manage": actor.can(Action.plans_manage),
        "notice": _(DONE[done]) if done in DONE else None,
        "locale": locale,
        **template_helpers(),
    }
    return render(request, "plans/plan.html", values)


@router.get(f"{PLANS}/{{plan_id}}/export.{{fmt}}")
def download(db: DbSession, actor: CurrentActor, plan_id: PlanId, fmt: str) -> Response:
    content = export.export_plan(
        db, actor=actor, plan_id=plan_id, format=fmt, locale=current_locale()
    )
    name = f"action-plan-{plan_id}.{fmt}"
    return Response(
        content,
        media_type=MEDIA[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _report_page(
    request: Request,
    actor: Actor,
    plan: Plan,
    *,
    errors: dict[str, str] | None = None,
    form: dict[str, str] | None = None,
) -> HTMLResponse:
    measures, indicators = progress.reportable(actor, plan)
    values: dict[str, Any] = {
        "plan": plan,
        "measures": measures,
        "indicators": indicators,
        "errors": errors or {},
        "form": form or {},
        "statuses": [(k, _(v)) for k, v in labels.MEASURE_STATUS.items()],
        "locale": current_locale(),
        **template_helpers(),
    }
    return render(request, "plans/report.html", values, status_code=422 if errors else 200)


@router.get(f"{PLANS}/{{plan_id}}/report", response_class=HTMLResponse)
def report_form(request: Request, db: DbSession, actor: CurrentActor, plan_id: PlanId) -> Response:
    plan = service.get_plan(db, actor=actor, plan_id=plan_id)
    today = dt.date.today()  # most reports are of the year so far: offered, not imposed
    form = {"label": str(today.year), "period_start": f"{today.year}-01-01",
            "period_end": today.isoformat()}  # fmt: skip
    return _report_page(request, actor, plan, form=form)


def _report_in(form: FormData, actor: Actor, plan: Plan) -> ReportIn:
    """The report typed in the form: the measures given a status, the indicators given a value
    (an engine-sourced indicator is ticked to be computed)."""
    measures, indicators = progress.reportable(actor, plan)
    measure_items = [
        {
            "measure_id": m.id,
            "status": form.get(f"status-{m.id}"),
            "narrative": form.get(f"narrative-{m.id}", ""),
            "evidence": str(form.get(f"evidence-{m.id}", "")).split(),
        }
        for m in measures
        if form.get(f"status-{m.id}")
    ]
    indicator_items: list[dict[str, Any]] = []
    for i in indicators:
        typed = str(form.get(f"value-{i.id}", "")).strip()
        if i.source == "engine" and form.get(f"compute-{i.id}"):
            indicator_items.append({"indicator_id": i.id, "value": None})
        elif i.source == "manual" and typed:
            indicator_items.append(
                {"indicator_id": i.id, "value": typed, "note": form.get(f"note-{i.id}", "")}
            )
    return ReportIn.model_validate(
        {
            "label": form.get("label", ""),
            "period_start": form.get("period_start") or None,
            "period_end": form.get("period_end") or None,
            "measures": measure_items,
            "indicators": indicator_items,
        }
    )


def _report_labels() -> dict[str, str]:
    return {
        "label": _("Period"),
        "period_start": _("From"),
        "period_end": _("To"),
        "measures": _("Measures"),
        "indicators": _("Indicators"),
    }


@router.post(f"{PLANS}/{{plan_id}}/report", response_class=HTMLResponse)
async def report(request: Request, db: DbSession, actor: CurrentActor, plan_id: PlanId) -> Response:
    plan = service.get_plan(db, actor=actor, plan_id=plan_id)
    return await submit(
        request,
        db,
        run=lambda form: progress.report_progress(
            db, actor=actor, plan_id=plan.id, report_in=_report_in(form, actor, plan)
        ),
        done=lambda _saved: redirect(f"{PLANS}/{plan.id}?done=reported"),
        failed=lambda errors, typed: _report_page(
            request, actor, plan, errors=errors, form=typed
        ),
        labels=_report_labels(),
        aliases={"evidence": "_form", "value": "_form", "measure_id": "_form",
                 "indicator_id": "_form", "measures": "_form", "indicators": "_form"},
    )  # fmt: skip
