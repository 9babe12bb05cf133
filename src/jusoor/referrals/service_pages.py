"""The service directory's pages: find a service by kind, country, language and free places; keep
an agency's services and their free capacity."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel

from jusoor.core.bounds import whole_number
from jusoor.core.errors import DomainError, Invalid
from jusoor.core.i18n import N_, current_locale
from jusoor.core.i18n import gettext as _
from jusoor.core.permissions import Actor, in_scope
from jusoor.referrals import directory
from jusoor.referrals.labels import service_kind_choices, template_helpers
from jusoor.referrals.models import Service, ServiceKind
from jusoor.referrals.schemas import MAX_CAPACITY, ServiceCreate, ServiceUpdate
from jusoor.web.actions import attempt
from jusoor.web.deps import CurrentActor, DbSession
from jusoor.web.forms import path_id, redirect
from jusoor.web.labels import region_choices
from jusoor.web.templating import render

router = APIRouter(include_in_schema=False)

SERVICES = "/services"
ServiceId = Annotated[uuid.UUID, path_id("service_id", N_("No such service."))]
MANAGE = "services.manage"
DONE = {
    "created": N_("The service is added to the directory."),
    "saved": N_("The service is saved."),
    "capacity": N_("The free places are recorded."),
}
FIELDS = (
    *("agency_id", "kind", "name", "areas", "languages", "capacity_total", "capacity_free"),
    *("phone", "email", "hours", "notes"),
)


def _labels() -> dict[str, str]:
    return {
        "agency_id": _("Agency"),
        "kind": _("Kind of service"),
        "name": _("Name of the service"),
        "country": _("Country"),
        "areas": _("Areas served"),
        "languages": _("Languages"),
        "capacity_total": _("Places"),
        "capacity_free": _("Free places"),
        "phone": _("Phone"),
        "email": _("E-mail"),
        "hours": _("Opening hours"),
        "notes": _("Notes"),
        "active": _("Active"),
    }


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.replace("،", ",").split(",") if part.strip()]


def _codes(values: list[str]) -> list[str]:
    """Codes chosen in a picker (or typed in one box by a program: "ar, fr")."""
    return [code for value in values for code in _split(value.replace(" ", ","))]


def _number(value: str) -> str | None:
    return value.strip() or None


def _may_manage(actor: Actor, service: Service) -> bool:
    return in_scope(actor, "services.manage", agency_id=service.agency_id, country=service.country)


@router.get(SERVICES, response_class=HTMLResponse)
def list_services(
    request: Request,
    db: DbSession,
    actor: CurrentActor,
    kind: str = "",
    country: str = "",
    language: str = "",
    free: str = "",
) -> Response:
    flt = directory.ServiceFilter(
        kind=ServiceKind(kind) if kind in ServiceKind.__members__ else None,
        country=country[:2] or None,
        language=language.strip()[:16] or None,
        with_free_capacity=free == "1",
    )
    rows = directory.list_services(db, actor=actor, flt=flt)
    values = {
        "services": rows,
        "filters": {"kind": kind, "country": country, "language": language, "free": free},
        "kind_choices": service_kind_choices(),
        "country_choices": region_choices(),
        "locale": current_locale(),
        "may_add": bool(directory.managed_agencies(db, actor=actor)),
        **template_helpers(),
    }
    return render(request, "referrals/services.html", values)


def _form_page(
    request: Request,
    db: DbSession,
    actor: Actor,
    form: dict[str, Any],
    errors: dict[str, str],
    service: Service | None = None,
) -> HTMLResponse:
    locale = current_locale()
    values = {
        "form": form,
        "errors": errors,
        "labels": _labels(),
        "service": service,
        "kind_choices": service_kind_choices(),
        "agency_choices": [
            (str(a.id), a.name(locale)) for a in directory.agencies_to_keep(db, actor=actor)
        ],
        **template_helpers(),
    }
    status = 422 if errors else 200
    return render(request, "referrals/service_form.html", values, status_code=status)


class Posted(BaseModel):
    """The service form as posted, read once for both the new and the edit form: each field a
    string, "" when it is not sent (the edit form posts no agency, the new one no `active`)."""

    agency_id: str = ""
    kind: str = ""
    name: str = ""
    areas: str = ""
    languages: list[str] = []  # one value per language chosen in the picker
    capacity_total: str = ""
    capacity_free: str = ""
    phone: str = ""
    email: str = ""
    hours: str = ""
    notes: str = ""
    active: str = ""

    def values(self, names: tuple[str, ...]) -> dict[str, Any]:
        """The `names` fields as typed, stripped: what the form shows again and `_parsed` reads."""
        return {
            name: _codes(value) if isinstance(value := getattr(self, name), list) else value.strip()
            for name in names
        }


def _parsed(db: DbSession, actor: Actor, form: dict[str, Any]) -> dict[str, Any]:
    """The form as the schema takes it: lists split, numbers or None, the agency's country."""
    agency_id = form.get("agency_id") or ""
    agencies = {str(a.id): a for a in directory.agencies_to_keep(db, actor=actor)}
    agency = agencies.get(agency_id)
    if agency is None:
        raise Invalid("agency_id", _("Choose the agency that offers the service."))
    return {
        **{k: form[k] for k in ("kind", "name", "hours", "notes") if k in form},
        "agency_id": agency_id,
        "country": agency.country,
        "areas": _split(form.get("areas", "")),
        "languages": list(form.get("languages") or []),
        "capacity_total": _number(form.get("capacity_total", "")),
        "capacity_free": _number(form.get("capacity_free", "")),
        "phone": form.get("phone") or None,
        "email": form.get("email") or None,
    }


@router.get(f"{SERVICES}/new", response_class=HTMLResponse)
def new_service_form(request: Request, db: DbSession, actor: CurrentActor) -> Response:
    return _form_page(request, db, actor, dict.fromkeys(FIELDS, ""), {})


@router.post(f"{SERVICES}/new", response_class=HTMLResponse)
def create_service(
    request: Request, db: DbSession, actor: CurrentActor, posted: Annotated[Posted, Form()]
) -> Response:
    form = posted.values(FIELDS)

    def run() -> Service:
        service_in = ServiceCreate(**_parsed(db, actor, form))
        return directory.create_service(db, actor=actor, service_in=service_in)

    return attempt(
        db,
        run,
        done=lambda created: redirect(f"{SERVICES}/{created.id}?done=created"),
        failed=lambda errors: _form_page(request, db, actor, form, errors),
        labels=_labels(),
        catch=(DomainError,),
    )


def _edit_form(service: Service) -> dict[str, Any]:
    return {
        "agency_id": str(service.agency_id),
        "kind": service.kind.value,
        "name": service.name,
        "areas": ", ".join(service.areas),
        "languages": list(service.languages),
        "capacity_total": "" if service.capacity_total is None else str(service.capacity_total),
        "capacity_free": "" if service.capacity_free is None else str(service.capacity_free),
        "phone": service.phone or "",
        "email": service.email or "",
        "hours": service.hours,
        "notes": service.notes,
        "active": service.active,
    }


@router.get(f"{SERVICES}/{{service_id}}", response_class=HTMLResponse)
def show_service(
    request: Request, db: DbSession, actor: CurrentActor, service_id: ServiceId, done: str = ""
) -> Response:
    service = directory.get_service(db, actor=actor, service_id=service_id)
    values = {
        "service": service,
        "labels": _labels(),
        "locale": current_locale(),
        "may_manage": _may_manage(actor, service),
        "notice": _(DONE[done]) if done in DONE else None,
        "errors": {},
        **template_helpers(),
    }
    return render(request, "referrals/service.html", values)


@router.get(f"{SERVICES}/{{service_id}}/edit", response_class=HTMLResponse)
def edit_service_form(
    request: Request, db: DbSession, actor: CurrentActor, service_id: ServiceId
) -> Response:
    service = directory.get_service(db, actor=actor, service_id=service_id, action=MANAGE)
    return _form_page(request, db, actor, _edit_form(service), {}, service)


@router.post(f"{SERVICES}/{{service_id}}/edit", response_class=HTMLResponse)
def save_service(
    request: Request,
    db: DbSession,
    actor: CurrentActor,
    service_id: ServiceId,
    posted: Annotated[Posted, Form()],
) -> Response:
    service = directory.get_service(db, actor=actor, service_id=service_id, action=MANAGE)
    # The agency is the service's own, whatever is posted.
    form = posted.values(tuple(n for n in FIELDS if n != "agency_id"))
    form["active"] = posted.active == "1"
    form["agency_id"] = str(service.agency_id)

    def run() -> Service:
        parsed = _parsed(db, actor, form) | {"country": service.country, "active": form["active"]}
        parsed.pop("agency_id")
        changes = ServiceUpdate(**parsed)
        return directory.update_service(db, actor=actor, service_id=service.id, service_in=changes)

    return attempt(
        db,
        run,
        done=lambda _saved: redirect(f"{SERVICES}/{service.id}?done=saved"),
        failed=lambda errors: _form_page(request, db, actor, form, errors, service),
        labels=_labels(),
        catch=(DomainError,),
    )


@router.post(f"{SERVICES}/{{service_id}}/capacity", response_class=HTMLResponse)
def set_capacity(
    request: Request,
    db: DbSession,
    actor: CurrentActor,
    service_id: ServiceId,
    capacity_free: Annotated[str, Form()] = "",
) -> Response:
    service = directory.get_service(db, actor=actor, service_id=service_id, action=MANAGE)
    value = capacity_free.strip()

    def run() -> object:
        free = whole_number(value, low=0, high=MAX_CAPACITY)
        if free is None:
            raise Invalid("capacity_free", _("Give the number of free places."))
        return directory.set_free_capacity(db, actor=actor, service_id=service.id, free=free)

    def failed(errors: dict[str, str]) -> Response:
        values = {
            "service": service,
            "labels": _labels(),
            "locale": current_locale(),
            "may_manage": True,
            "errors": errors,
            **template_helpers(),
        }
        return render(request, "referrals/service.html", values, status_code=422)

    return attempt(
        db,
        run,
        done=lambda _set: redirect(f"{SERVICES}/{service.id}?done=capacity"),
        failed=failed,
        catch=(DomainError,),
    )
