"""Administration of agencies (the bodies working on this node); user pages come from user_pages."""

from __future__ import annotations

import uuid
from itertools import groupby
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from jusoor.agencies import service as agencies
from jusoor.agencies import user_pages
from jusoor.agencies.models import Agency
from jusoor.agencies.schemas import AgencyCreate, AgencyUpdate
from jusoor.core.errors import DomainError
from jusoor.core.i18n import N_, current_locale
from jusoor.core.i18n import gettext as _
from jusoor.core.permissions import Actor
from jusoor.web.access import requires
from jusoor.web.actions import attempt
from jusoor.web.confirm import asks_first, confirmation_page
from jusoor.web.deps import CurrentActor, DbSession
from jusoor.web.forms import path_id, redirect
from jusoor.web.labels import country_name, kind_choices, region_choices
from jusoor.web.questions import question
from jusoor.web.templating import render

DEACTIVATE_QUESTION = question(
    "agencies:deactivate", N_("Deactivate this agency? None of its users will be able to sign in.")
)

router = APIRouter(include_in_schema=False)
router.include_router(user_pages.router)

AGENCIES = "/admin/agencies"
AgencyId = Annotated[uuid.UUID, path_id("agency_id", N_("No such agency."))]
NAME_FIELDS = ("name_ar", "name_en", "name_fr")
DONE = {
    "created": N_("The agency is created."),
    "saved": N_("The agency's names are saved."),
    "activated": N_("The agency is active again."),
    "deactivated": N_("The agency is inactive. Its users can no longer sign in."),
}


def _labels() -> dict[str, str]:
    return {
        "code": _("Code"),
        "country": _("Country"),
        "kind": _("Kind of agency"),
        "name_ar": _("Name in Arabic"),
        "name_en": _("Name in English"),
        "name_fr": _("Name in French"),
    }


@router.get(AGENCIES, response_class=HTMLResponse)
def list_agencies(request: Request, db: DbSession, actor: CurrentActor) -> Response:
    rows = agencies.list_agencies(db, actor=actor)
    by_country = [
        (country_name(country), list(group))
        for country, group in groupby(rows, lambda a: a.country)
    ]
    by_country.sort(key=lambda item: item[0])
    values = {
        "by_country": by_country,
        "total": len(rows),
        "locale": current_locale(),
        "may_manage": actor.can("agencies.manage"),
    }
    return render(request, "agencies/agencies.html", values)


def _new_form(request: Request, form: dict[str, str], errors: dict[str, str]) -> HTMLResponse:
    values = {
        "form": form,
        "errors": errors,
        "labels": _labels(),
        "kind_choices": kind_choices(),
        "country_choices": region_choices(),
    }
    return render(request, "agencies/agency_new.html", values, status_code=422 if errors else 200)


@router.get(
    f"{AGENCIES}/new", response_class=HTMLResponse, dependencies=[requires("agencies.manage")]
)
def new_agency_form(request: Request) -> Response:
    return _new_form(request, dict.fromkeys(("code", "country", "kind", *NAME_FIELDS), ""), {})


@router.post(
    f"{AGENCIES}/new", response_class=HTMLResponse, dependencies=[requires("agencies.manage")]
)
def create_agency(
    request: Request,
    db: DbSession,
    actor: CurrentActor,
    code: Annotated[str, Form()] = "",
    country: Annotated[str, Form()] = "",
    kind: Annotated[str, Form()] = "",
    name_ar: Annotated[str, Form()] = "",
    name_en: Annotated[str, Form()] = "",
    name_fr: Annotated[str, Form()] = "",
) -> Response:
    form = {
        "code": code.strip().lower(),
        "country": country.strip().upper(),
        "kind": kind,
        "name_ar": name_ar.strip(),
        "name_en": name_en.strip(),
        "name_fr": name_fr.strip(),
    }
    return attempt(
        db,
        lambda: agencies.create_agency(db, actor=actor, agency_in=AgencyCreate(**form)),
        done=lambda agency: redirect(f"{AGENCIES}/{agency.id}?done=created"),
        failed=lambda errors: _new_form(request, form, errors),
        labels=_labels(),
        catch=(DomainError,),
    )


def _agency_page(
    request: Request, actor: Actor, agency: Agency, *, status_code: int = 200, **values: Any
) -> HTMLResponse:
    context = {
        "agency": agency,
        "form": values.pop("form", None) or {f: getattr(agency, f) for f in NAME_FIELDS},
        "labels": _labels(),
        "may_manage": actor.can("agencies.manage"),
        "may_see_users": actor.can("users.read"),
        **values,
    }
    return render(request, "agencies/agency.html", context, status_code=status_code)


@router.get(f"{AGENCIES}/{{agency_id}}", response_class=HTMLResponse)
def show_agency(
    request: Request, db: DbSession, actor: CurrentActor, agency_id: AgencyId, done: str = ""
) -> Response:
    agency = agencies.get_agency(db, actor=actor, agency_id=agency_id)
    return _agency_page(request, actor, agency, notice=_(DONE[done]) if done in DONE else None)


@router.post(f"{AGENCIES}/{{agency_id}}", response_class=HTMLResponse)
def save_names(
    request: Request,
    db: DbSession,
    actor: CurrentActor,
    agency_id: AgencyId,
    name_ar: Annotated[str, Form()] = "",
    name_en: Annotated[str, Form()] = "",
    name_fr: Annotated[str, Form()] = "",
) -> Response:
    agency = agencies.get_agency(db, actor=actor, agency_id=agency_id)
    form = {"name_ar": name_ar.strip(), "name_en": name_en.strip(), "name_fr": name_fr.strip()}
    return attempt(
        db,
        lambda: agencies.update_agency(
            db, actor=actor, agency_id=agency.id, agency_in=AgencyUpdate(**form)
        ),
        done=lambda _saved: redirect(f"{AGENCIES}/{agency.id}?done=saved"),
        failed=lambda errors: _agency_page(
            request, actor, agency, form=form, errors=errors, status_code=422
        ),
        labels=_labels(),
        catch=(),  # only what was typed is shown on the form; a refusal is an error page
    )


@router.post(f"{AGENCIES}/{{agency_id}}/active", response_class=HTMLResponse)
def set_active(
    request: Request,
    db: DbSession,
    actor: CurrentActor,
    agency_id: AgencyId,
    active: Annotated[str, Form()] = "",
    ask: Annotated[str, Form()] = "",
) -> Response:
    agency = agencies.get_agency(db, actor=actor, agency_id=agency_id)
    enable = active == "1"
    if not enable and asks_first(ask):
        return confirmation_page(
            request,
            question_key=DEACTIVATE_QUESTION,
            fields={"active": active},
            back=f"{AGENCIES}/{agency.id}",
        )
    agencies.update_agency(
        db, actor=actor, agency_id=agency.id, agency_in=AgencyUpdate(active=enable)
    )
    return redirect(f"{AGENCIES}/{agency.id}?done={'activated' if enable else 'deactivated'}")
