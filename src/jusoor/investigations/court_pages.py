"""The court track's forms on the file page: charge, withdraw a charge, record a judgment, schedule
a hearing and record what happened at it.

Several forms share the file page, so each posts its fields under its own prefix
(`charge-offence`, `judgment-court`…): the ids stay unique on the page, and a refusal is shown
beside the field of the form that was sent, never beside the file's own "court" field.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Mapping
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from jusoor.core.i18n import N_
from jusoor.core.i18n import gettext as _
from jusoor.core.permissions import Action
from jusoor.investigations import charges, hearings, judgments
from jusoor.investigations.pages import FILES, FileId, saved, shown_again
from jusoor.web.access import requires
from jusoor.web.actions import submit
from jusoor.web.context import context_of
from jusoor.web.deps import CurrentActor, DbSession
from jusoor.web.forms import FORM, path_id

router = APIRouter(include_in_schema=False)

ChargeId = Annotated[uuid.UUID, path_id("charge_id", N_("No such charge in this file."))]
HearingId = Annotated[uuid.UUID, path_id("hearing_id", N_("No such hearing in this file."))]
PROSECUTE = [requires(Action.investigations_prosecute)]


def _labels() -> dict[str, str]:
    return {
        "defendant_id": _("Defendant"),
        "offence": _("Offence"),
        "charged_on": _("Charged on"),
        "reason": _("Reason"),
        "charge_id": _("Charge"),
        "court": _("Court"),
        "decided_on": _("Decided on"),
        "verdict": _("Verdict"),
        "prison_months": _("Prison term (months)"),
        "fine_amount": _("Fine"),
        "fine_currency": _("Currency"),
        "kind": _("Kind of hearing"),
        "scheduled_at": _("Date and time"),
        "held": _("What happened"),
        "outcome": _("Outcome"),
    }


def _fields(form: FormData, prefix: str) -> dict[str, str]:
    """The posted fields of one form, without its prefix; an empty field counts as not given."""
    return {
        k[len(prefix) :]: v
        for k, v in form.items()
        if k.startswith(prefix) and isinstance(v, str) and v.strip()
    }


def _keyed(prefix: str, errors: Mapping[str, str]) -> dict[str, str]:
    """Errors beside the sent form's fields; a refusal about the file's stage tops that form."""
    return {
        f"{prefix}{FORM if k in (FORM, 'stage', 'instance') else k}": v for k, v in errors.items()
    }


async def _send(
    request: Request,
    db: DbSession,
    actor: CurrentActor,
    file_id: uuid.UUID,
    prefix: str,
    call: Callable[[dict[str, str]], object],
    panel: str,
) -> Response:
    """Run one form of `panel` (charges or hearings); back to the file page with that panel
    open, saved or with the form's errors."""
    return await submit(
        request,
        db,
        run=lambda form: call(_fields(form, prefix)),
        done=lambda _result: saved(file_id, panel),
        failed=lambda errors, typed: shown_again(
            request, db, actor, file_id, _keyed(prefix, errors), typed, panel=panel
        ),
        labels=_labels(),
    )


@router.post(f"{FILES}/{{file_id}}/charges", response_class=HTMLResponse, dependencies=PROSECUTE)
async def charge(request: Request, db: DbSession, actor: CurrentActor, file_id: FileId) -> Response:
    def run(fields: dict[str, str]) -> Any:
        charge_in = charges.ChargeIn.model_validate(fields)
        return charges.bring(db, actor=actor, file_id=file_id, charge_in=charge_in)

    return await _send(request, db, actor, file_id, "charge-", run, "charges")


@router.post(
    f"{FILES}/{{file_id}}/charges/{{charge_id}}/withdraw",
    response_class=HTMLResponse,
    dependencies=PROSECUTE,
)
async def withdraw(
    request: Request, db: DbSession, actor: CurrentActor, file_id: FileId, charge_id: ChargeId
) -> Response:
    def run(fields: dict[str, str]) -> Any:
        withdraw_in = charges.WithdrawIn.model_validate(fields)
        return charges.withdraw(
            db, actor=actor, file_id=file_id, charge_id=charge_id, withdraw_in=withdraw_in
        )

    return await _send(request, db, actor, file_id, f"withdraw-{charge_id}-", run, "charges")


@router.post(f"{FILES}/{{file_id}}/judgments", response_class=HTMLResponse, dependencies=PROSECUTE)
async def judgment(
    request: Request, db: DbSession, actor: CurrentActor, file_id: FileId
) -> Response:
    def run(fields: dict[str, str]) -> Any:
        confiscation = fields.pop("confiscation", "") == "1"
        if "fine_amount" not in fields:  # the picker always sends the country's currency
            fields.pop("fine_currency", None)
        judgment_in = judgments.JudgmentIn.model_validate({**fields, "confiscation": confiscation})
        return judgments.record_judgment(db, actor=actor, file_id=file_id, judgment_in=judgment_in)

    return await _send(request, db, actor, file_id, "judgment-", run, "charges")


def _local_time(value: str | None, zone: str) -> str | dt.datetime | None:
    """A `datetime-local` field read in the person's time zone (as they typed it)."""
    if not value:
        return value
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return value  # the schema names the field and the problem
    if moment.tzinfo is not None:
        return moment
    try:
        return moment.replace(tzinfo=ZoneInfo(zone))
    except (KeyError, ValueError):
        return moment.replace(tzinfo=dt.UTC)


@router.post(f"{FILES}/{{file_id}}/hearings", response_class=HTMLResponse, dependencies=PROSECUTE)
async def hearing(
    request: Request, db: DbSession, actor: CurrentActor, file_id: FileId
) -> Response:
    zone = context_of(request).timezone

    def run(fields: dict[str, str]) -> Any:
        values: dict[str, Any] = dict(fields)
        values["scheduled_at"] = _local_time(fields.get("scheduled_at"), zone)
        hearing_in = hearings.HearingIn.model_validate(values)
        return hearings.schedule(db, actor=actor, file_id=file_id, hearing_in=hearing_in)

    return await _send(request, db, actor, file_id, "hearing-", run, "hearings")


@router.post(
    f"{FILES}/{{file_id}}/hearings/{{hearing_id}}/outcome",
    response_class=HTMLResponse,
    dependencies=PROSECUTE,
)
async def outcome(
    request: Request, db: DbSession, actor: CurrentActor, file_id: FileId, hearing_id: HearingId
) -> Response:
    def run(fields: dict[str, str]) -> Any:
        held = {"held": True, "adjourned": False}.get(fields.pop("held", ""))
        outcome_in = hearings.OutcomeIn.model_validate({**fields, "held": held})
        return hearings.record_outcome(
            db, actor=actor, file_id=file_id, hearing_id=hearing_id, outcome_in=outcome_in
        )

    return await _send(request, db, actor, file_id, f"outcome-{hearing_id}-", run, "hearings")
