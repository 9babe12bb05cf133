"""The home page: what this person can do here, and for administrators the state of the node.

The language switcher is mounted with it (`portal.language`)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from jusoor.agencies import service as agencies
from jusoor.core import registry
from jusoor.core.i18n import gettext as _
from jusoor.portal import language
from jusoor.portal.status import node_status
from jusoor.web.deps import Ctx, CurrentActor, DbSession
from jusoor.web.templating import nav_for, render

router = APIRouter(include_in_schema=False)
router.include_router(language.router)


@router.get("/", response_class=HTMLResponse)
def home(request: Request, db: DbSession, ctx: Ctx, actor: CurrentActor) -> HTMLResponse:
    user = agencies.get_own_user(db, actor=actor)
    # One card per destination of the menu this person sees, saying what they do there; each
    # domain declares its cards (core.registry), in menu order.
    cards = registry.home_cards()
    tasks = [
        (item.href, _(item.label), _(cards[item.href]))
        for item in nav_for(ctx)
        if item.href in cards
    ]
    status = node_status(db, actor=actor) if actor.can("node.status") else None
    return render(request, "portal/home.html", {"user": user, "tasks": tasks, "status": status})
