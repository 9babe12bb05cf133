"""The home page: what this person can do here, and for administrators the state of the node."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from jusoor.agencies import service as agencies
from jusoor.core.i18n import N_
from jusoor.core.i18n import gettext as _
from jusoor.web import language
from jusoor.web.deps import Ctx, CurrentActor, DbSession
from jusoor.web.status import node_status
from jusoor.web.templating import nav_for, render

router = APIRouter(include_in_schema=False)
router.include_router(language.router)

# One line per destination in the navigation, saying what a person does there.
EXPLANATIONS = {
    "/admin/users": N_("Create accounts, assign roles, and reset passwords or second factors."),
    "/admin/agencies": N_(
        "The agencies that work on this node, with their names in three languages."
    ),
    "/screening": N_(
        "Screen a person against the ILO indicators of trafficking, step by step, and see why."
    ),
    "/cases": N_(
        "Follow victims' cases through the referral mechanism: consent, stages, tasks and notes."
    ),
    "/referrals": N_("Referrals to and from your agency: answer them, record the services given."),
    "/services": N_("The directory of shelters, medical, legal and other services, with capacity."),
    "/monitor": N_("Regional events from the press: calendar, map, organisations and persons."),
    "/exchange": N_(
        "Requests to and from other countries: legal assistance, information, referrals."
    ),
    "/exchange/contacts": N_("Competent authorities and contact points of each country."),
    "/exchange/peers": N_("Other countries' nodes this node exchanges with, and their keys."),
    "/entities": N_("Suspects, phones, documents and accounts: their links and their sources."),
    "/network": N_("See who is linked to whom: communities, central figures and shortest paths."),
    "/entities/review": N_(
        "Records that may be one person: confirm or reject the matches, or undo a decision."
    ),
    "/audit": N_("Read the tamper-evident record of who did what, and check that it is intact."),
    "/profile": N_("Your language, digits, time zone, password, second factor and API tokens."),
}


@router.get("/", response_class=HTMLResponse)
def home(request: Request, db: DbSession, ctx: Ctx, actor: CurrentActor) -> HTMLResponse:
    user = agencies.get_own_user(db, actor=actor)
    tasks = [
        (item.href, _(item.label), _(EXPLANATIONS[item.href]))
        for item in nav_for(ctx)
        if item.href in EXPLANATIONS
    ]
    status = node_status(db, actor=actor) if actor.can("node.status") else None
    return render(request, "home.html", {"user": user, "tasks": tasks, "status": status})
