"""`/api/v1/plans`: the national action plans the caller may read, one plan as the export's
document, the overdue measures, and progress reports. Thin: the services check and audit."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import Path, status

from jusoor.core.i18n import current_locale
from jusoor.plans import export, progress, service
from jusoor.plans.schemas import PlanSummary, ReportIn, ReportRead
from jusoor.plans.views import plan_view
from jusoor.web.access import requires
from jusoor.web.deps import CurrentActor, DbSession
from jusoor.web.responses import BODY_ERRORS, api_router, errors

router = api_router("plans")

PlanId = Annotated[uuid.UUID, Path(description="The plan's id.")]


@router.get(
    "/plans",
    summary="The action plans of the caller's country",
    response_model=list[PlanSummary],
    responses=errors(403),
)
def list_plans(actor: CurrentActor, session: DbSession) -> list[PlanSummary]:
    return [PlanSummary.model_validate(p) for p in service.list_plans(session, actor=actor)]


@router.get(
    "/plans/{plan_id}",
    summary="One plan: pillars, measures, indicators (baseline, latest, target), reports",
    responses=errors(403, 404, 422),
)
def get_plan(actor: CurrentActor, session: DbSession, plan_id: PlanId) -> dict[str, Any]:
    plan = service.get_plan(session, actor=actor, plan_id=plan_id)
    locale = current_locale()
    return {"id": str(plan.id), **export.document(plan_view(actor, plan, locale), locale)}


@router.get(
    "/plans/{plan_id}/overdue",
    summary="The plan's measures past their deadline and not done",
    responses=errors(403, 404, 422),
)
def overdue(actor: CurrentActor, session: DbSession, plan_id: PlanId) -> list[dict[str, Any]]:
    plan = service.get_plan(session, actor=actor, plan_id=plan_id)
    locale = current_locale()
    return [
        {
            "id": str(m.id),
            "title": m.title,
            "deadline": m.deadline.isoformat(),
            "status": m.status.value,
            "responsible": [r.agency.name(locale) for r in m.responsible],
        }
        for m in progress.overdue_measures(session, actor=actor, plan_id=plan.id)
    ]


@router.post(
    "/plans/{plan_id}/reports",
    summary="Report progress for a period (measures your agency carries, or the whole plan)",
    dependencies=[requires("plans.report")],
    status_code=status.HTTP_201_CREATED,
    response_model=ReportRead,
    responses={**errors(403, 404, 409, 422), **BODY_ERRORS},
)
def report(
    actor: CurrentActor, session: DbSession, plan_id: PlanId, report_in: ReportIn
) -> ReportRead:
    saved = progress.report_progress(session, actor=actor, plan_id=plan_id, report_in=report_in)
    return ReportRead(
        id=saved.id,
        label=saved.label,
        period_start=saved.period_start,
        period_end=saved.period_end,
        measures=len(report_in.measures),
        indicators=len(report_in.indicators),
    )
