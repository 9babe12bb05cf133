"""Case pages: the list (filters, paging), a new case, and the case file as its reader may see it.
The forms posted from a case page are in `page_actions`."""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from jusoor.agencies import service as agencies
from jusoor.cases import (
    forms,
    labels,
    list_rows,
    listing,
    page_actions,
    profile_pages,
    service,
)
from jusoor.cases.models import Case
from jusoor.cases.page_view import case_page, done_message
from jusoor.cases.schemas import CaseCreate
from jusoor.cases.vocabulary import AGE_BANDS, Stage
from jusoor.core import reading
from jusoor.core.bounds import whole_number
from jusoor.core.db import utcnow
from jusoor.core.errors import DomainError, Invalid
from jusoor.core.i18n import N_, current_locale
from jusoor.core.i18n import gettext as _
from jusoor.core.permissions import Actor
from jusoor.core.validation import date_of
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


FILTERS = ("q", "stage", "agency", "owner", "opened_from", "opened_to", "overdue")
# Old bookmarks carry `page=`: the first pages are still reached by offset, deeper ones by cursor.
MAX_OLD_PAGE = listing.MAX_OFFSET // PAGE_SIZE + 1


def _date(raw: str, field: str, errors: dict[str, str]) -> dt.date | None:
    try:
        return date_of(raw, field=field, label=_field_labels()[field])
    except Invalid as exc:
        errors[field] = exc.message
        return None


def _filters(request: Request) -> tuple[service.CaseFilter, dict[str, str], dict[str, str]]:
    """The list's filters as typed (`shown`) and as a `CaseFilter`; a value that cannot be one
    is left out of the filter and named in `errors`."""
    q = request.query_params
    shown = {k: q.get(k, "").strip() for k in FILTERS}
    errors: dict[str, str] = {}
    stage = None
    if shown["stage"]:
        stage = Stage.__members__.get(shown["stage"])
        if stage is None:
            errors["stage"] = _("Choose a stage from the list.")
    agency_id = None
    if shown["agency"]:
        try:
            agency_id = uuid.UUID(shown["agency"])
        except ValueError:
            errors["agency"] = _("No such agency.")
    offset = 0
    if raw_page := q.get("page", ""):
        page = whole_number(raw_page, low=1, high=MAX_OLD_PAGE)
        if page is None:
            errors["page"] = _("This page number is not valid: use the next-page link.")
        else:
            offset = (page - 1) * PAGE_SIZE
    flt = service.CaseFilter(
        stage=stage,
        agency_id=agency_id,
        owner=shown["owner"],
        opened_from=_date(shown["opened_from"], "opened_from", errors),
        opened_to=_date(shown["opened_to"], "opened_to", errors),
        search=shown["q"],
        overdue=shown["overdue"] == "1",
        after=q.get("after") or None,
        offset=offset,
        limit=PAGE_SIZE,
    )
    return flt, shown, errors


# A refused filter is dropped and the list drawn again without it, its message shown.
_DROP = {
    "agency": {"agency_id": None},
    "owner": {"owner": ""},
    "opened_to": {"opened_to": None},
    "q": {"search": ""},
    "after": {"after": None},
    "offset": {"offset": 0},
}


def _page_of(
    db: Session, actor: Actor, flt: service.CaseFilter, errors: dict[str, str]
) -> service.CaseList:
    for _attempt in range(len(_DROP) + 1):
        try:
            with reading.tentatively(db):
                return service.list_cases(db, actor=actor, flt=flt)
        except Invalid as exc:
            field = exc.field or ""
            if field not in _DROP:
                raise
            errors[field] = exc.message
            flt = dataclasses.replace(flt, **_DROP[field])  # type: ignore[arg-type]
    raise AssertionError("unreachable: every droppable filter was dropped")


@router.get(CASES, response_class=HTMLResponse)
def list_cases(request: Request, db: DbSession, actor: CurrentActor) -> Response:
    flt, shown, errors = _filters(request)
    found = _page_of(db, actor, flt, errors)
    cases = found.cases
    shown_ids = {c.agency_id for c in cases} | {actor.agency_id}
    if flt.agency_id is not None and "agency" not in errors:
        shown_ids.add(flt.agency_id)  # checked by the service: the viewer may filter on it
    agencies_shown = agencies.agencies_by_id(db, shown_ids)
    query = [(k, v) for k, v in shown.items() if v and k not in errors]
    values = {
        "cases": cases,
        "found": found,
        "filters": shown,
        "errors": errors,
        "error_labels": _field_labels(),
        "next_query": [*query, ("after", found.next_cursor)] if found.next_cursor else None,
        "first_query": None if found.first and not flt.offset else query,
        "rows": list_rows.case_rows(db, actor=actor, cases=cases),
        "today": utcnow().date(),
        "more_filters": any(shown[k] for k in FILTERS if k != "q") or bool(set(errors) - {"q"}),
        "stage_choices": labels.choices("stage"),
        "agency_choices": sorted(
            ((str(a.id), a.name(current_locale())) for a in agencies_shown),
            key=lambda choice: choice[1],
        ),
        "stage_label": labels.stage_label,
        "may_open": actor.can("cases.create"),
        "done": _(DONE[d]) if (d := request.query_params.get("done")) in DONE else None,
    }
    return render(request, "cases/list.html", values, status_code=422 if errors else 200)


def _field_labels() -> dict[str, str]:
    return {
        "q": _("Search"),
        "stage": _("Stage"),
        "agency": _("Agency"),
        "owner": _("Case worker"),
        "opened_from": _("Opened from"),
        "opened_to": _("Opened until"),
        "after": _("Position in the list"),
        "page": _("Page"),
        "offset": _("Page"),
    }


def _new_form(
    request: Request,
    db: Session,
    actor: Actor,
    typed: dict[str, Any],
    errors: dict[str, str],
    *,
    confirm_empty: bool = False,
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
        "confirm_empty": confirm_empty,
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
    if forms.is_empty_profile(values) and form.get("confirm_empty") != "yes":
        # An empty case is allowed (every field can be completed later), but asked for first.
        return _new_form(request, db, actor, typed, {}, confirm_empty=True)

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
