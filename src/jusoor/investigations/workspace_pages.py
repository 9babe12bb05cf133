"""The workspace page (`/investigations/workspace`): the investigator's or the prosecutor's day —
files waiting on them, hearings, deadlines, their files by stage, recent activity."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from jusoor.core.permissions import Action
from jusoor.investigations import workspace
from jusoor.investigations.pages import helpers
from jusoor.monitor.views.calendar import first_weekday
from jusoor.web.access import requires
from jusoor.web.deps import Ctx, CurrentActor, DbSession
from jusoor.web.templating import render

router = APIRouter(include_in_schema=False)

WORKSPACE = "/investigations/workspace"


@router.get(
    WORKSPACE, response_class=HTMLResponse, dependencies=[requires(Action.investigations_read)]
)
def show(request: Request, db: DbSession, ctx: Ctx, actor: CurrentActor) -> HTMLResponse:
    work = workspace.workspace(
        db,
        actor=actor,
        timezone=ctx.timezone,
        first_weekday=first_weekday(actor.country),
    )
    values = {
        "work": work,
        "may_open": actor.can(Action.investigations_open),
        "stale_after": workspace.STALE_AFTER_DAYS,
        "window": workspace.DEADLINE_WINDOW_DAYS,
        **helpers(),
    }
    return render(request, "investigations/workspace.html", values)
