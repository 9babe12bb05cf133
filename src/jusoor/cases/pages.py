"""Case pages: the list (filters, paging), a new case, and the case file as its reader may see it.
The forms posted from a case page are in `page_actions`."""

from __future__ import annotations

import math
import uuid
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from jusoor.agencies import service as agencies
from jusoor.cases import forms, labels, page_actions, profile_pages, service
from jusoor.cases.models import Case
from jusoor.cases.page_view import case_page, done_message
from jusoor.cases.schemas import CaseCreate
from jusoor.cases.vocabulary import AGE_BANDS, Stage
from jusoor.core.bounds import MAX_PAGE, whole_number
from jusoor.core.errors import DomainError
from jusoor.core.i18n import N_, current_locale
from jusoor.core.i18n import gettext as _
from jusoor.core.permissions import Actor
from jusoor.web.access import requires
from jusoor.web.actions import attempt
from jusoor.web.deps import CurrentActor, DbSession
from jusoor.web.forms import parse_id, redirect
from jusoor.web.templating import render

router = APIRouter(include_in_schema=False)
router.include_router(page_actions.router)
router.include_router(profile_pages.router)

CASES = "/cases"
PAGE_SIZE = 25
DONE = {
    "created": N_("The case is opened."),
    "opened_for": N_("The case is opened. Its case worker will take it from here."),
}


def _filters(request: Request) -> tuple[service.CaseFilter, dict[str, str], int]:
    q = request.query_params
    shown = {k: q.get(k, "") for k in ("stage", "agency", "overdue")}
    stage = Stage(shown["stage"]) if shown["stage"] in Stage.__members__ else None
    try:
        agency_id = uuid.UUID(shown["agency"]) if shown["agency"] else None
    except ValueError:
        agency_id = None
    page = whole_number(q.get("page", ""), low=1, high=MAX_PAGE) or 1
    flt = service.CaseFilter(
        stage=stage,
        agency_id=agency_id,
        overdue=shown["overdue"] == "1",
        offset=(page - 1) * PAGE_SIZE,
        limit=PAGE_SIZE,
    )
    return flt, shown, page


@router.get(CASES, response_class=HTMLResponse)
def list_cases(request: Request, db: DbSession, actor: CurrentActor) -> Response:
    flt, shown, page = _filters(request)
    cases, total = service.list_cases(db, actor=actor, flt=flt)
    agencies_shown = agencies.agencies_by_id(db, {c.agency_id for c in cases} | {actor.agency_id})
    values = {
        "cases": cases,
        "total": total,
        "page": page,
        "pages": max(1, math.ceil(total / PAGE_SIZE)),
        "filters": shown,
        "late": service.overdue_counts(db, [c.id for c in cases]),
        "stage_choices": labels.choices("stage"),
        "agency_choices": [(str(a.id), a.name(current_locale())) for a in agencies_shown],
        "stage_label": labels.stage_label,
        "may_open": actor.can("cases.create"),
        "done": _(DONE[d]) if (d := request.query_params.get("done")) in DONE else None,
    }
    return render(request, "cases/list.html", values)


def _new_form(
    request: Request, db: Session, actor: Actor, typed: dict[str, Any], errors: dict[str, str]
) -> HTMLResponse:
    """The new-case form; Forbidden (from the service) for those who may not open cases."""
    locale = current_locale()
    owners = [
        (u.username, _("%(name)s, %(agency)s", name=u.display_name, agency=u.agency.name(locale)))
        for u in service.owners_to_choose(db, actor=actor)
    ]
    values = {
        "form": typed,
        "errors": errors,
        "labels": forms.labels(),
        "owners": owners,
        "choices": {k: labels.choices(k) for k in ("gender", "form", "means", "relation")},
        "age_bands": [(b, b) for b in AGE_BANDS],
    }
    return render(request, "cases/new.html", values, status_code=422 if errors else 200)


@router.get(f"{CASES}/new", response_class=HTMLResponse)
def new_case_form(request: Request, db: DbSession, actor: CurrentActor) -> Response:
    return _new_form(request, db, actor, {}, {})


@router.post(f"{CASES}/new", response_class=HTMLResponse)
async def open_case(request: Request, db: DbSession, actor: CurrentActor) -> Response:
    form = await request.form()
    values, typed = forms.profile_values(form)
    owner = forms.text_of(form, "owner_username")["owner_username"]
    typed["owner_username"] = owner

    def run() -> Case:
        case_in = CaseCreate.model_validate(values)
        if owner:
            case_in = case_in.model_copy(update=service.owner_fields(db, owner))
        return service.open_case(db, actor=actor, case_in=case_in)

    def done(case: Case) -> Response:
        if not actor.can("cases.read"):
            return redirect(f"{CASES}/opened/{case.reference}")
        return redirect(f"{CASES}/{case.id}?done=created")

    # A screener (who may not read cases) picks the owner: errors about it go next to that field.
    place = "owner_username" if not actor.can("cases.read") else "_form"
    return attempt(
        db,
        run,
        done=done,
        failed=lambda errors: _new_form(request, db, actor, typed, errors),
        labels=forms.labels(),
        aliases={"agency_code": place, "owner_username": place},
        catch=(DomainError,),
    )


@router.get(
    CASES + "/opened/{reference}",
    response_class=HTMLResponse,
    dependencies=[requires("cases.create")],
)
def opened_for(request: Request, reference: str) -> Response:
    """What a screener sees after opening a case for a case worker: its reference, nothing else."""
    return render(request, "cases/opened.html", {"reference": reference})


@router.get(CASES + "/{case_id}", response_class=HTMLResponse)
def read_case(request: Request, case_id: str, db: DbSession, actor: CurrentActor) -> Response:
    done = request.query_params.get("done")
    message = _(DONE[done]) if done in DONE else done_message(done)
    return case_page(request, db, actor, parse_id(case_id, _("No such case.")), done=message)
