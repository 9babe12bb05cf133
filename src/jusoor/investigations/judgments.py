"""Judgments: the court's decision on one charge of one defendant, at first instance (the file at
trial) or on appeal (the file at appeal, the charge judged at first instance before).

A conviction may carry a prison term, a fine in an ISO 4217 currency and confiscation; an acquittal
carries none. One judgment per charge and instance. Every check runs before anything is written.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from decimal import Decimal
from functools import cache

import pycountry
from babel.numbers import get_currency_name, get_territory_currencies
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from jusoor.audit.service import record
from jusoor.core.errors import Invalid
from jusoor.core.i18n import babel_locale, format_date
from jusoor.core.i18n import gettext as _
from jusoor.core.permissions import Actor
from jusoor.core.typed_dates import TypedDate
from jusoor.investigations import service
from jusoor.investigations.charges import charge_of
from jusoor.investigations.labels import label, stage_label
from jusoor.investigations.models import Charge, InvestigationFile, Judgment
from jusoor.investigations.vocabulary import ChargeStatus, Instance, Stage, Verdict

# The stage at which each instance is judged.
STAGE_OF = {Instance.first_instance: Stage.trial, Instance.appeal: Stage.appeal}
MAX_PRISON_MONTHS = 1200  # a life sentence is recorded as 1200 months (100 years)


class JudgmentIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    charge_id: uuid.UUID
    # Optional on input (the charge names its defendant); when given it must be the charge's.
    defendant_id: uuid.UUID | None = None
    instance: Instance | None = None  # default: the instance of the file's stage
    court: str = Field(default="", max_length=200)  # default: the file's court
    decided_on: TypedDate
    verdict: Verdict
    prison_months: int | None = None
    fine_amount: Decimal | None = Field(default=None, max_digits=14, decimal_places=2)
    fine_currency: str | None = Field(default=None, max_length=3)
    confiscation: bool = False


@cache
def _currencies() -> frozenset[str]:
    return frozenset(c.alpha_3 for c in pycountry.currencies)


def currency_choices(country: str) -> list[tuple[str, str]]:
    """(code, name) of every ISO 4217 currency, the country's own first, named in the reader's
    language."""
    locale = babel_locale()
    own = [c for c in get_territory_currencies(country) if c in _currencies()]
    rest = sorted(_currencies() - set(own))

    def named(code: str) -> tuple[str, str]:
        return code, f"{code} — {get_currency_name(code, locale=locale)}"

    return [named(c) for c in own] + [named(c) for c in rest]


def default_currency(country: str) -> str:
    own = [c for c in get_territory_currencies(country) if c in _currencies()]
    return own[0] if own else ""


def _instance(file: InvestigationFile, asked: Instance | None) -> Instance:
    instance = asked or (Instance.appeal if file.stage is Stage.appeal else Instance.first_instance)
    if file.stage is not STAGE_OF[instance]:
        raise Invalid(
            "instance",
            _(
                "%(instance)s: this judgment is recorded while the file is at %(needed)s; this "
                "file is at: %(stage)s.",
                instance=label(Instance, instance),
                needed=stage_label(STAGE_OF[instance]),
                stage=stage_label(file.stage),
            ),
        )
    return instance


def _first_instance(session: Session, charge: Charge) -> Judgment | None:
    return session.scalar(
        select(Judgment).where(
            Judgment.charge_id == charge.id, Judgment.instance == Instance.first_instance
        )
    )


def _check_sentence(judgment_in: JudgmentIn) -> None:
    if judgment_in.verdict is Verdict.acquitted:
        for field, given in (
            ("prison_months", judgment_in.prison_months is not None),
            ("fine_amount", judgment_in.fine_amount is not None),
            ("fine_currency", bool(judgment_in.fine_currency)),
            ("confiscation", judgment_in.confiscation),
        ):
            if given:
                raise Invalid(field, _("An acquittal carries no sentence: leave this empty."))
        return
    months = judgment_in.prison_months
    if months is not None and not 0 <= months <= MAX_PRISON_MONTHS:
        raise Invalid(
            "prison_months",
            _("Give the prison term in months, from 0 to %(most)s.", most=MAX_PRISON_MONTHS),
        )
    if judgment_in.fine_amount is not None:
        if judgment_in.fine_amount < 0:
            raise Invalid("fine_amount", _("A fine cannot be negative."))
        if not judgment_in.fine_currency:
            raise Invalid("fine_currency", _("Choose the currency of the fine."))
    if judgment_in.fine_currency:
        if judgment_in.fine_currency.upper() not in _currencies():
            raise Invalid("fine_currency", _("Choose a currency from the list."))
        if judgment_in.fine_amount is None:
            raise Invalid("fine_amount", _("Give the amount of the fine, or no currency."))


def _check_dates(session: Session, charge: Charge, instance: Instance, decided_on: dt.date) -> None:
    if decided_on > dt.date.today():
        raise Invalid("decided_on", _("The date of the judgment is in the future."))
    if decided_on < charge.charged_on:
        raise Invalid(
            "decided_on",
            _(
                "The judgment cannot come before the charge (%(date)s).",
                date=format_date(charge.charged_on),
            ),
        )
    if instance is Instance.appeal:
        first = _first_instance(session, charge)
        if first is not None and decided_on < first.decided_on:
            raise Invalid(
                "decided_on",
                _(
                    "The appeal judgment cannot come before the first-instance judgment "
                    "(%(date)s).",
                    date=format_date(first.decided_on),
                ),
            )


def record_judgment(
    session: Session, *, actor: Actor, file_id: uuid.UUID, judgment_in: JudgmentIn
) -> Judgment:
    """Record the court's judgment on one charge of one defendant."""
    file = service.file_for_prosecution(session, actor=actor, file_id=file_id)
    charge = charge_of(session, file, judgment_in.charge_id)
    if judgment_in.defendant_id is not None and judgment_in.defendant_id != charge.defendant_id:
        raise Invalid("defendant_id", _("This defendant was not charged with this charge."))
    if charge.status is ChargeStatus.withdrawn:
        raise Invalid("charge_id", _("This charge was withdrawn: there is nothing to judge."))
    instance = _instance(file, judgment_in.instance)
    if instance is Instance.appeal and _first_instance(session, charge) is None:
        raise Invalid(
            "charge_id", _("This charge has no first-instance judgment: it cannot be appealed.")
        )
    if session.scalar(
        select(Judgment.id).where(Judgment.charge_id == charge.id, Judgment.instance == instance)
    ):
        raise Invalid("charge_id", _("This charge is already judged at this instance."))
    court = judgment_in.court or (file.court or "")
    if not court.strip():
        raise Invalid("court", _("Name the court that gave the judgment."))
    _check_dates(session, charge, instance, judgment_in.decided_on)
    _check_sentence(judgment_in)
    convicted = judgment_in.verdict is Verdict.convicted
    judgment = Judgment(
        file_id=file.id,
        defendant_id=charge.defendant_id,
        charge_id=charge.id,
        instance=instance,
        court=court.strip(),
        decided_on=judgment_in.decided_on,
        verdict=judgment_in.verdict,
        prison_months=judgment_in.prison_months if convicted else None,
        fine_amount=judgment_in.fine_amount if convicted else None,
        fine_currency=(judgment_in.fine_currency or "").upper() or None if convicted else None,
        confiscation=judgment_in.confiscation and convicted,
        recorded_by=actor.user_id,
    )
    session.add(judgment)
    session.flush()
    facts: dict[str, object] = {
        "judgment_id": str(judgment.id),
        "charge_id": str(charge.id),
        "defendant_id": str(charge.defendant_id),
        "offence": charge.offence,
        "country": file.country,
        "instance": instance.value,
        "verdict": judgment.verdict.value,
    }
    service.add_event(session, file, actor=actor, kind="judgment", details=facts)
    record(
        session,
        actor=actor,
        action="investigations.judgment",
        object_type=service.OBJECT,
        object_id=file.id,
        details=facts,
    )
    return judgment


def judgments_of(session: Session, file: InvestigationFile) -> Sequence[Judgment]:
    """The judgments of a file the caller has loaded (its read audited), oldest first."""
    return session.scalars(
        select(Judgment)
        .where(Judgment.file_id == file.id)
        .order_by(Judgment.decided_on, Judgment.id)
    ).all()


def list_judgments(session: Session, *, actor: Actor, file_id: uuid.UUID) -> Sequence[Judgment]:
    file = service.get_file(session, actor=actor, file_id=file_id)
    return judgments_of(session, file)
