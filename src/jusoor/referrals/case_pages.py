"""The case side of referrals: the form at /cases/{id}/referrals/new, and the panel of a case's
referrals that the case page includes (`referrals/_case_referrals.html`, context from
`case_panel`)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from jusoor.cases import service as cases
from jusoor.cases.access import SHAREABLE_FIELDS
from jusoor.cases.models import Case
from jusoor.cases.vocabulary import Stage
from jusoor.core.errors import DomainError, NotFound
from jusoor.core.i18n import current_locale
from jusoor.core.i18n import gettext as _
from jusoor.core.permissions import Actor
from jusoor.core.validation import date_of
from jusoor.referrals import directory, service
from jusoor.referrals.labels import (
    DEFAULT_SHARED,
    field_choices,
    service_kind_choices,
    service_kind_label,
    template_helpers,
)
from jusoor.referrals.models import Transition
from jusoor.referrals.schemas import ReferralCreate
from jusoor.web.actions import attempt
from jusoor.web.deps import CurrentActor, DbSession
from jusoor.web.forms import parse_id, redirect
from jusoor.web.templating import render

router = APIRouter(include_in_schema=False)


def case_panel(session: Session, *, actor: Actor, case: Case) -> dict[str, Any]:
    """What `referrals/_case_referrals.html` needs on the case page (empty when not allowed)."""
    if not actor.can("referrals.read"):
        empty: dict[str, Any] = {"case_referrals": [], "consent_agency_choices": []}
        return {**empty, "may_refer": False, **template_helpers()}
    flt = service.ReferralFilter(case_id=case.id, box="outgoing")
    refers = actor.can("referrals.create")
    # The consent form of the case page names the agency a referral consent is for.
    knows = refers and actor.can("services.read")
    consent_to = _offering_agencies(session, actor, by_code=True) if knows else []
    return {
        "case_referrals": service.list_referrals(session, actor=actor, flt=flt),
        "may_refer": refers and case.stage is not Stage.closed,
        "consent_agency_choices": consent_to,
        **template_helpers(),
    }


def _labels() -> dict[str, str]:
    return {
        "kind": _("Kind of service"),
        "agency_id": _("Agency"),
        "service_id": _("Service"),
        "shared_fields": _("Fields shared with the agency"),
        "deadline": _("Answer expected by"),
        "note": _("Message to the agency"),
        "consent_override_reason": _("Reason to refer without consent"),
        "consent": _("Consent"),
        "case_id": _("Case"),
    }


def _case(db: DbSession, actor: Actor, case_id: str) -> Case:
    file = cases.get_case(db, actor=actor, case_id=parse_id(case_id, _("No such case.")))
    if not file.whole or not actor.can("referrals.create"):
        raise NotFound(_("No such case."))
    return file.case


def _offering_agencies(
    session: Session, actor: Actor, *, by_code: bool = False
) -> list[tuple[str, str]]:
    """Agencies offering services (by id, or by code), each with the kinds it offers, sorted as a
    case worker picks them."""
    locale = current_locale()
    offered: dict[str, tuple[str, list[str]]] = {}
    for s in directory.list_services(session, actor=actor):
        key = s.agency.code if by_code else str(s.agency_id)
        kinds = offered.setdefault(key, (s.agency.name(locale), []))[1]
        if service_kind_label(s.kind) not in kinds:
            kinds.append(service_kind_label(s.kind))
    sep = "، " if locale == "ar" else ", "
    return sorted(
        ((key, f"{name} ({sep.join(kinds)})") for key, (name, kinds) in offered.items()),
        key=lambda item: item[1],
    )


def _form_page(
    request: Request,
    db: DbSession,
    actor: Actor,
    case: Case,
    form: dict[str, Any],
    errors: dict[str, str],
) -> HTMLResponse:
    values = {
        "case": case,
        "form": form,
        "errors": errors,
        "labels": _labels(),
        "kind_choices": service_kind_choices(),
        "agency_choices": _offering_agencies(db, actor),
        "field_choices": field_choices(SHAREABLE_FIELDS),
        "may_override": actor.can("cases.consent_override"),
        **template_helpers(),
    }
    status = 422 if errors else 200
    return render(request, "referrals/referral_new.html", values, status_code=status)


@router.get("/cases/{case_id}/referrals/new", response_class=HTMLResponse)
def new_referral_form(
    request: Request, db: DbSession, actor: CurrentActor, case_id: str, kind: str = ""
) -> Response:
    case = _case(db, actor, case_id)
    form = {"kind": kind, "agency_id": "", "shared_fields": list(DEFAULT_SHARED), "deadline": ""}
    return _form_page(request, db, actor, case, form | {"note": "", "override": ""}, {})


def _deadline(value: str) -> dt.datetime | None:
    """The end of the day chosen (UTC), or None for the kind's usual delay."""
    day = date_of(value, field="deadline", label=_("Deadline"))
    if day is None:
        return None
    return dt.datetime.combine(day, dt.time(23, 59), tzinfo=dt.UTC)


@router.post("/cases/{case_id}/referrals/new", response_class=HTMLResponse)
def create_referral(
    request: Request,
    db: DbSession,
    actor: CurrentActor,
    case_id: str,
    kind: Annotated[str, Form()] = "",
    agency_id: Annotated[str, Form()] = "",
    shared_fields: Annotated[list[str] | None, Form()] = None,
    deadline: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
    override: Annotated[str, Form()] = "",
) -> Response:
    case = _case(db, actor, case_id)
    form: dict[str, Any] = {
        "kind": kind,
        "agency_id": agency_id,
        "shared_fields": shared_fields or [],
        "deadline": deadline,
        "note": note,
        "override": override,
    }

    def run() -> Transition:
        chosen = {"agency_id": agency_id, "kind": kind}  # an empty choice reads as "required"
        referral_in = ReferralCreate.model_validate(
            {k: v for k, v in chosen.items() if v}
            | {
                "case_id": case.id,
                "shared_fields": shared_fields or [],
                "deadline": _deadline(deadline),
                "note": note,
                "consent_override_reason": override or None,
            }
        )
        return service.refer(db, actor=actor, referral_in=referral_in)

    return attempt(
        db,
        run,
        done=lambda referral: redirect(f"/referrals/{referral.id}?done=created"),
        failed=lambda errors: _form_page(request, db, actor, case, form, errors),
        labels=_labels(),
        aliases={"consent_override_reason": "override", "service_id": "agency_id"},
        catch=(DomainError,),
    )
