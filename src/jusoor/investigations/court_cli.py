"""`jusoor investigations charge|withdraw-charge|judgment|hearing|hearing-outcome`: the court
track from the console, acting `--as` a named user (same matrix, scope, checks and audit as the
pages). Imported by `cli.py`, whose `app` these commands join."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import typer
from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session

from jusoor.agencies import service as agencies
from jusoor.core.console import JSON_OPTION, fail, unit_of_work
from jusoor.core.i18n import gettext as _
from jusoor.core.validation import first_problem
from jusoor.investigations import charges, hearings, judgments, service
from jusoor.investigations.cli import AS_OPTION, acting, app
from jusoor.investigations.labels import label
from jusoor.investigations.models import Charge, Hearing, Judgment
from jusoor.investigations.vocabulary import HearingKind, Verdict

REFERENCE = typer.Argument(..., help="The file's reference, e.g. INV-MA-2026-00001.")


M = TypeVar("M", bound=BaseModel)


def _parsed(model: type[M], values: dict[str, Any]) -> M:
    try:
        return model.model_validate(values)
    except ValidationError as exc:
        fail(first_problem(exc))


def _id(value: str, option: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        fail(_("%(option)s: not an id.", option=option))


def _print(row: dict[str, Any], json_out: bool, words: str) -> None:
    typer.echo(json.dumps(row, ensure_ascii=False) if json_out else words)


def charge_row(charge: Charge) -> dict[str, Any]:
    return {
        "id": str(charge.id), "defendant_id": str(charge.defendant_id), "offence": charge.offence,
        "offence_type": charge.offence_type, "form": charge.form, "status": charge.status.value,
        "charged_on": charge.charged_on.isoformat(),
    }  # fmt: skip


def judgment_row(judgment: Judgment) -> dict[str, Any]:
    return {
        "id": str(judgment.id), "charge_id": str(judgment.charge_id),
        "defendant_id": str(judgment.defendant_id), "instance": judgment.instance.value,
        "court": judgment.court, "decided_on": judgment.decided_on.isoformat(),
        "verdict": judgment.verdict.value, "prison_months": judgment.prison_months,
        "fine_amount": str(judgment.fine_amount) if judgment.fine_amount is not None else None,
        "fine_currency": judgment.fine_currency, "confiscation": judgment.confiscation,
    }  # fmt: skip


def hearing_row(hearing: Hearing) -> dict[str, Any]:
    return {
        "id": str(hearing.id), "kind": hearing.kind.value, "court": hearing.court,
        "scheduled_at": hearing.scheduled_at.isoformat(), "held": hearing.held,
        "outcome": hearing.outcome,
    }  # fmt: skip


@app.command("charge")
def charge(
    reference: str = REFERENCE,
    as_user: str = AS_OPTION,
    defendant: str = typer.Option(..., "--defendant", help="The defendant's id in the file."),
    offence: str = typer.Option(..., "--offence", help="An offence id of the country's law file."),
    charged_on: str = typer.Option("", "--on", help="Date of the charge (YYYY-MM-DD); today."),
    json_out: bool = JSON_OPTION,
) -> None:
    """Charge a defendant of the file with an offence (`investigations offences CC` lists them)."""
    values: dict[str, Any] = {"defendant_id": _id(defendant, "--defendant"), "offence": offence}
    charge_in = _parsed(
        charges.ChargeIn, values | ({"charged_on": charged_on} if charged_on else {})
    )
    with unit_of_work() as session:
        actor = acting(session, as_user)
        file = service.by_reference(session, actor=actor, reference=reference)
        row = charge_row(charges.bring(session, actor=actor, file_id=file.id, charge_in=charge_in))
    _print(row, json_out, _("Charge %(id)s recorded.", id=row["id"]))


@app.command("withdraw-charge")
def withdraw_charge(
    reference: str = REFERENCE,
    as_user: str = AS_OPTION,
    charge_id: str = typer.Option(..., "--charge", help="The charge's id."),
    reason: str = typer.Option(..., "--reason", help="Why the prosecution withdraws it."),
    json_out: bool = JSON_OPTION,
) -> None:
    """Withdraw a charge before its first-instance judgment."""
    withdraw_in = _parsed(charges.WithdrawIn, {"reason": reason})
    with unit_of_work() as session:
        actor = acting(session, as_user)
        file = service.by_reference(session, actor=actor, reference=reference)
        withdrawn = charges.withdraw(
            session, actor=actor, file_id=file.id, charge_id=_id(charge_id, "--charge"),
            withdraw_in=withdraw_in,
        )  # fmt: skip
        row = charge_row(withdrawn)
    _print(row, json_out, _("Charge %(id)s withdrawn.", id=row["id"]))


def _amount(value: str) -> Decimal | None:
    if not value:
        return None
    try:
        return Decimal(value)
    except InvalidOperation:
        fail(_("--fine: give an amount, e.g. 20000 or 1500.50."))


@app.command("judgment")
def judgment(
    reference: str = REFERENCE,
    as_user: str = AS_OPTION,
    charge_id: str = typer.Option(..., "--charge", help="The charge judged."),
    verdict: str = typer.Option(..., "--verdict", help="One of: " + ", ".join(Verdict)),
    decided_on: str = typer.Option("", "--on", help="Date of the judgment (YYYY-MM-DD); today."),
    court: str = typer.Option("", "--court", help="The court; default the file's court."),
    prison_months: int | None = typer.Option(None, "--prison-months", help="Prison term."),
    fine: str = typer.Option("", "--fine", help="Fine amount (with --currency)."),
    currency: str = typer.Option("", "--currency", help="ISO 4217 code of the fine, e.g. MAD."),
    confiscation: bool = typer.Option(False, "--confiscation", help="Confiscation ordered."),
    json_out: bool = JSON_OPTION,
) -> None:
    """Record the court's judgment on a charge (first instance at trial, appeal on appeal)."""
    judgment_in = _parsed(
        judgments.JudgmentIn,
        {"charge_id": _id(charge_id, "--charge"), "verdict": verdict, "court": court,
         "decided_on": decided_on or dt.date.today(), "prison_months": prison_months,
         "fine_amount": _amount(fine), "fine_currency": currency.upper() or None,
         "confiscation": confiscation},
    )  # fmt: skip
    with unit_of_work() as session:
        actor = acting(session, as_user)
        file = service.by_reference(session, actor=actor, reference=reference)
        recorded = judgments.record_judgment(
            session, actor=actor, file_id=file.id, judgment_in=judgment_in
        )
        row = judgment_row(recorded)
    _print(row, json_out, _("Judgment recorded: %(verdict)s.", verdict=label(Verdict, verdict)))


def _zone(session: Session, username: str) -> ZoneInfo:
    user = agencies.get_user_by_username(session, username)
    try:
        return ZoneInfo(user.timezone if user else "UTC")
    except (KeyError, ValueError):
        return ZoneInfo("UTC")


@app.command("hearing")
def hearing(
    reference: str = REFERENCE,
    as_user: str = AS_OPTION,
    kind: str = typer.Option(..., "--kind", help="One of: " + ", ".join(HearingKind)),
    at: str = typer.Option(..., "--at", help="When (YYYY-MM-DDTHH:MM, the user's time zone)."),
    court: str = typer.Option("", "--court", help="The court; default the file's court."),
    json_out: bool = JSON_OPTION,
) -> None:
    """Schedule a hearing of the file's trial or appeal."""
    try:
        moment = dt.datetime.fromisoformat(at)
    except ValueError:
        fail(_("--at: give a date and time, e.g. 2026-03-01T09:30."))
    with unit_of_work() as session:
        actor = acting(session, as_user)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=_zone(session, as_user))
        hearing_in = _parsed(
            hearings.HearingIn, {"kind": kind, "court": court, "scheduled_at": moment}
        )
        file = service.by_reference(session, actor=actor, reference=reference)
        scheduled = hearings.schedule(session, actor=actor, file_id=file.id, hearing_in=hearing_in)
        row = hearing_row(scheduled)
    _print(row, json_out, _("Hearing %(id)s scheduled.", id=row["id"]))


@app.command("hearing-outcome")
def hearing_outcome(
    reference: str = REFERENCE,
    as_user: str = AS_OPTION,
    hearing_id: str = typer.Option(..., "--hearing", help="The hearing's id."),
    held: bool = typer.Option(..., "--held/--adjourned", help="Held, or adjourned."),
    outcome: str = typer.Option("", "--outcome", help="What came of it, or why it was adjourned."),
    json_out: bool = JSON_OPTION,
) -> None:
    """Record that a hearing was held (and its outcome) or adjourned (and why)."""
    outcome_in = _parsed(hearings.OutcomeIn, {"held": held, "outcome": outcome})
    with unit_of_work() as session:
        actor = acting(session, as_user)
        file = service.by_reference(session, actor=actor, reference=reference)
        recorded = hearings.record_outcome(
            session, actor=actor, file_id=file.id, hearing_id=_id(hearing_id, "--hearing"),
            outcome_in=outcome_in,
        )  # fmt: skip
        row = hearing_row(recorded)
    _print(row, json_out, _("Hearing %(id)s recorded.", id=row["id"]))
