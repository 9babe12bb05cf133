"""The result page of a completed screening, and the two forms on it: the formal identification
decision (authorised roles) and "Open a case" (whoever may open cases). A refused form is shown
again with the message beside its field, never as a bare error page."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from jusoor.cases.models import Case
from jusoor.core.db import utcnow
from jusoor.core.errors import DomainError
from jusoor.core.i18n import N_, current_locale
from jusoor.core.i18n import gettext as _
from jusoor.core.permissions import Actor
from jusoor.screening import case_opening, labels, result_actions
from jusoor.screening import identification as identifications
from jusoor.screening import service as screenings
from jusoor.screening.deadlines import deadlines
from jusoor.screening.models import Screening, ScreeningStatus
from jusoor.screening.queue import AWAITING_OUTCOMES
from jusoor.screening.result_view import result_context
from jusoor.screening.schemas import IdentificationCreate
from jusoor.web.access import requires
from jusoor.web.actions import attempt
from jusoor.web.deps import CurrentActor, DbSession
from jusoor.web.forms import path_id, redirect
from jusoor.web.templating import render

router = APIRouter(include_in_schema=False)

HOME = "/screening"
ScreeningId = Annotated[uuid.UUID, path_id("screening_id", N_("No such screening."))]
IDENTIFIED = N_("The identification decision is recorded.")


def _labels() -> dict[str, str]:
    return {
        "status": _("Decision"),
        "basis": _("Basis of the decision"),
        "owner_username": _("Case worker"),
    }


def _result_page(
    request: Request,
    db: DbSession,
    actor: Actor,
    screening: Screening,
    *,
    form: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    case_errors: dict[str, str] | None = None,
) -> HTMLResponse:
    values = result_context(db, actor, screening)
    may_open_case = case_opening.may_open_case(actor, screening)
    decisions = identifications.decisions_on(
        db, actor=actor, screening=screening, locale=current_locale()
    )
    values.update(
        form=form or {"status": "", "basis": "", "owner_username": ""},
        errors=errors or {},
        case_errors=case_errors or {},
        labels=_labels(),
        status_choices=[(k.value, _(v)) for k, v in labels.STATUSES.items()],
        identification_status_label=labels.status_label,
        decisions=decisions,
        decide_by=_decide_by(screening, decisions) if values["may_decide"] else None,
        today=utcnow().date(),
        may_open_case=may_open_case,
        case_reference=case_opening.case_reference(db, screening),
        case_workers=case_opening.case_worker_choices(db, actor) if may_open_case else [],
        actions=result_actions.result_actions(db, actor=actor, screening=screening),
        notice=_(IDENTIFIED) if request.query_params.get("done") == "identified" else None,
    )
    failed = bool(errors or case_errors)
    return render(request, "screening/result.html", values, status_code=422 if failed else 200)


def _decide_by(screening: Screening, decisions: list[identifications.Decision]) -> dt.date | None:
    """The deadline of `identification.yaml` while a final decision is owed on a presumed or
    possible victim (the queue shows the same)."""
    owed = screening.outcome in AWAITING_OUTCOMES and not any(d.final for d in decisions)
    if not owed or screening.completed_at is None:
        return None
    return deadlines().deadline(screening.country, screening.completed_at)


@router.get(f"{HOME}/{{screening_id}}/result", response_class=HTMLResponse)
def result(
    request: Request, db: DbSession, actor: CurrentActor, screening_id: ScreeningId
) -> Response:
    screening = screenings.get(db, actor=actor, screening_id=screening_id)
    if screening.status is not ScreeningStatus.completed:
        return redirect(f"{HOME}/{screening.id}")
    return _result_page(request, db, actor, screening)


@router.post(
    f"{HOME}/{{screening_id}}/identification",
    response_class=HTMLResponse,
    dependencies=[requires(identifications.DECIDE)],
)
def identify(
    request: Request,
    db: DbSession,
    actor: CurrentActor,
    screening_id: ScreeningId,
    status: Annotated[str, Form()] = "",
    basis: Annotated[str, Form()] = "",
) -> Response:
    screening = screenings.get(db, actor=actor, screening_id=screening_id)
    form = {"status": status, "basis": basis, "owner_username": ""}

    def run() -> object:
        decision = IdentificationCreate(screening_id=screening.id, status=status, basis=basis)
        return identifications.decide(db, actor=actor, identification_in=decision)

    return attempt(
        db,
        run,
        done=lambda _decided: redirect(f"{HOME}/{screening.id}/result?done=identified"),
        failed=lambda errors: _result_page(request, db, actor, screening, form=form, errors=errors),
        labels=_labels(),
        aliases={"screening_id": "_form"},
        catch=(DomainError,),
    )


@router.post(
    f"{HOME}/{{screening_id}}/case",
    response_class=HTMLResponse,
    dependencies=[requires("cases.create")],
)
def open_case(
    request: Request,
    db: DbSession,
    actor: CurrentActor,
    screening_id: ScreeningId,
    owner_username: Annotated[str, Form()] = "",
) -> Response:
    screening = screenings.get(db, actor=actor, screening_id=screening_id)
    chosen = owner_username.strip()
    form = {"status": "", "basis": "", "owner_username": chosen}

    def run() -> Case:
        return case_opening.open_case(db, actor=actor, screening=screening, owner_username=chosen)

    # A case worker picks nobody (the case is theirs): a refusal about the owner goes on top.
    beside = "_form" if actor.can("cases.read") else "owner_username"

    def opened(case: Case) -> Response:
        if actor.can("cases.read"):
            return redirect(f"/cases/{case.id}?done=created")
        return redirect(f"/cases/opened/{case.reference}")

    return attempt(
        db,
        run,
        done=opened,
        failed=lambda errors: _result_page(
            request, db, actor, screening, form=form, case_errors=errors
        ),
        labels=_labels(),
        aliases={"case": "_form", "owner_username": beside, "agency_code": beside},
    )
