"""Charges: the public prosecution charges a defendant of the file with an offence of the file's
country (`offences.yaml`), and may withdraw a charge before the court judges it.

A charge is brought while the file awaits the prosecution's decision, or at trial (an amended
indictment: the timeline says so). The offence's type and form of exploitation are copied onto the
charge, so that the year's figures survive a later change of the law file. Nothing is saved unless
every check passes; the charge and its timeline line and audit event land together.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from jusoor.audit.service import record
from jusoor.core.errors import Invalid, NotFound
from jusoor.core.i18n import format_date
from jusoor.core.i18n import gettext as _
from jusoor.core.permissions import Actor
from jusoor.core.typed_dates import TypedDate
from jusoor.investigations import offences, service
from jusoor.investigations.labels import stage_label
from jusoor.investigations.models import Charge, Defendant, InvestigationFile, Judgment
from jusoor.investigations.vocabulary import ChargeStatus, Instance, Stage
from jusoor.web.labels import country_name

# Charges are brought when the prosecution decides, and amended at trial; never later (the court
# has judged) nor earlier (the police have not handed the file over).
CHARGING = (Stage.prosecution_decision, Stage.trial)


class ChargeIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    defendant_id: uuid.UUID
    offence: str = Field(min_length=1, max_length=64)  # an offence id of the country's law file
    charged_on: TypedDate = Field(default_factory=dt.date.today)


class WithdrawIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    reason: str = Field(default="", max_length=2000)


def may_charge(file: InvestigationFile) -> bool:
    return file.stage in CHARGING


def _defendant(session: Session, file: InvestigationFile, defendant_id: uuid.UUID) -> Defendant:
    defendant = session.get(Defendant, defendant_id)
    if defendant is None or defendant.file_id != file.id:
        raise Invalid("defendant_id", _("Choose a defendant of this file."))
    return defendant


def _check_date(file: InvestigationFile, charged_on: dt.date) -> None:
    if charged_on > dt.date.today():
        raise Invalid("charged_on", _("The date of the charge is in the future."))
    if charged_on < file.reported_on:
        raise Invalid(
            "charged_on",
            _(
                "The date of the charge is before the facts were reported (%(date)s).",
                date=format_date(file.reported_on),
            ),
        )


def bring(session: Session, *, actor: Actor, file_id: uuid.UUID, charge_in: ChargeIn) -> Charge:
    """Charge a defendant of the file with an offence of the file's country."""
    file = service.file_for_prosecution(session, actor=actor, file_id=file_id)
    if not may_charge(file):
        raise Invalid(
            "stage",
            _(
                "Charges are brought while the file awaits the prosecution's decision or at "
                "trial; this file is at: %(stage)s.",
                stage=stage_label(file.stage),
            ),
        )
    defendant = _defendant(session, file, charge_in.defendant_id)
    offence = offences.offence(file.country, charge_in.offence)
    if offence is None:
        raise Invalid(
            "offence",
            _(
                "This offence is not in the law file of %(country)s: choose one from the list.",
                country=country_name(file.country),
            ),
        )
    earlier = session.scalar(
        select(Charge).where(Charge.defendant_id == defendant.id, Charge.offence == offence.id)
    )
    if earlier is not None:
        raise Invalid(
            "offence",
            _("This defendant is already charged with this offence.")
            if earlier.status is ChargeStatus.charged
            else _("This charge was withdrawn for this defendant; it cannot be brought again."),
        )
    _check_date(file, charge_in.charged_on)
    charge = Charge(
        file_id=file.id,
        defendant_id=defendant.id,
        offence=offence.id,
        offence_type=offence.type.value,
        form=offence.form,
        status=ChargeStatus.charged,
        charged_on=charge_in.charged_on,
        charged_by=actor.user_id,
    )
    session.add(charge)
    session.flush()
    facts: dict[str, object] = {
        "charge_id": str(charge.id),
        "defendant_id": str(defendant.id),
        "offence": offence.id,
        "country": file.country,
        "amended": file.stage is Stage.trial,
    }
    service.add_event(session, file, actor=actor, kind="charge", details=facts)
    record(
        session,
        actor=actor,
        action="investigations.charge",
        object_type=service.OBJECT,
        object_id=file.id,
        details=facts,
    )
    return charge


def charge_of(session: Session, file: InvestigationFile, charge_id: uuid.UUID) -> Charge:
    """A charge of `file` (a charge of another file is "not found" in this one)."""
    charge = session.get(Charge, charge_id)
    if charge is None or charge.file_id != file.id:
        raise Invalid("charge_id", _("Choose a charge of this file."))
    return charge


def _standing(session: Session, file: InvestigationFile) -> int:
    return int(
        session.scalar(
            select(func.count(Charge.id)).where(
                Charge.file_id == file.id, Charge.status == ChargeStatus.charged
            )
        )
        or 0
    )


def is_judged(session: Session, charge: Charge, instance: Instance) -> bool:
    return bool(
        session.scalar(
            select(exists().where(Judgment.charge_id == charge.id, Judgment.instance == instance))
        )
    )


def withdraw(
    session: Session,
    *,
    actor: Actor,
    file_id: uuid.UUID,
    charge_id: uuid.UUID,
    withdraw_in: WithdrawIn,
) -> Charge:
    """Withdraw a charge before its first-instance judgment; the reason is required."""
    file = service.file_for_prosecution(session, actor=actor, file_id=file_id)
    charge = charge_of(session, file, charge_id)
    if charge.status is ChargeStatus.withdrawn:
        raise Invalid("charge_id", _("This charge is already withdrawn."))
    if is_judged(session, charge, Instance.first_instance) or not may_charge(file):
        raise Invalid("charge_id", _("The court has judged this charge: it cannot be withdrawn."))
    if not withdraw_in.reason:
        raise Invalid("reason", _("Give the reason for withdrawing the charge."))
    if file.stage is Stage.trial and _standing(session, file) == 1:
        # The machine has no way out of a trial without a judgment: the court must rule on the
        # last charge (an acquittal if the prosecution drops it at the hearing).
        raise Invalid(
            "charge_id",
            _("This is the last charge at trial: the court must judge it; it cannot be withdrawn."),
        )
    charge.status = ChargeStatus.withdrawn
    facts: dict[str, object] = {
        "charge_id": str(charge.id),
        "defendant_id": str(charge.defendant_id),
        "offence": charge.offence,
        "country": file.country,
    }
    service.add_event(
        session, file, actor=actor, kind="charge_withdrawn", details=facts,
        reason=withdraw_in.reason,
    )  # fmt: skip
    record(
        session,
        actor=actor,
        action="investigations.charge_withdraw",
        object_type=service.OBJECT,
        object_id=file.id,
        details=facts,
    )
    return charge


def charges_of(session: Session, file: InvestigationFile) -> Sequence[Charge]:
    """The charges of a file the caller has loaded (and whose read was audited), oldest first."""
    return session.scalars(
        select(Charge).where(Charge.file_id == file.id).order_by(Charge.charged_on, Charge.id)
    ).all()


def list_charges(session: Session, *, actor: Actor, file_id: uuid.UUID) -> Sequence[Charge]:
    """The charges of a file the caller may read (the read of the file is audited)."""
    file = service.get_file(session, actor=actor, file_id=file_id)
    return charges_of(session, file)


def get_charge(
    session: Session, *, actor: Actor, file_id: uuid.UUID, charge_id: uuid.UUID
) -> Charge:
    file = service.get_file(session, actor=actor, file_id=file_id)
    charge = session.get(Charge, charge_id)
    if charge is None or charge.file_id != file.id:
        raise NotFound(_("No such charge in this file."))
    return charge
