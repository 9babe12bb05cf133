"""Steps of the court-track tests: defendants inserted through the models (an entity and its
defendant row), and files brought to a stage through the services, as people would."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy.orm import Session

from jusoor.entities.models import Entity, SourceKind
from jusoor.investigations import charges, judgments
from jusoor.investigations import service as files
from jusoor.investigations.models import Charge, Defendant, InvestigationFile, Judgment
from jusoor.investigations.schemas import FileMove, FileUpdate
from jusoor.investigations.vocabulary import DefendantRole, Instance, Sex, Stage, Verdict
from tests.investigations.support import actor, open_file

TRAFFICKING_MA = "MA-PC-448-2"  # a checked reference of Morocco's law file
UNCHECKED_MA = "MA-PC-448-3"
SMUGGLING_MA = "MA-02/03-52"
DEFENDANT_NAME = "Youssef El Amrani"
COURT = "Court of First Instance, Rabat"


def add_defendant(
    session: Session,
    file: InvestigationFile,
    caption: str = DEFENDANT_NAME,
    *,
    role: DefendantRole = DefendantRole.recruiter,
) -> Defendant:
    entity = Entity(
        schema="Person",
        caption=caption,
        properties_text="{}",
        source_kind=SourceKind.report,
        agency_id=file.agency_id,
        country=file.country,
    )
    session.add(entity)
    session.flush()
    defendant = Defendant(
        file_id=file.id,
        entity_id=entity.id,
        role=role,
        sex=Sex.male,
        age=41,
        citizenship=file.country,
        formal_contact_on=file.reported_on,
    )
    session.add(defendant)
    session.flush()
    return defendant


def move(
    session: Session, username: str, file: InvestigationFile, stage: Stage, reason: str = ""
) -> None:
    files.move(
        session,
        actor=actor(session, username),
        file_id=file.id,
        move_in=FileMove(stage=stage, reason=reason),
    )


def at_prosecution(session: Session) -> tuple[InvestigationFile, Defendant]:
    """A Moroccan file with one defendant, awaiting the prosecution's decision."""
    file = open_file(session)
    defendant = add_defendant(session, file)
    move(session, "investigator.ma", file, Stage.preliminary_investigation)
    move(session, "investigator.ma", file, Stage.prosecution_decision)
    return file, defendant


def bring(
    session: Session,
    file: InvestigationFile,
    defendant: Defendant,
    offence: str = TRAFFICKING_MA,
    charged_on: dt.date | None = None,
) -> Charge:
    return charges.bring(
        session,
        actor=actor(session, "prosecutor.ma"),
        file_id=file.id,
        charge_in=charges.ChargeIn(
            defendant_id=defendant.id,
            offence=offence,
            charged_on=charged_on or file.reported_on + dt.timedelta(days=10),
        ),
    )


def at_trial(session: Session) -> tuple[InvestigationFile, Defendant, Charge]:
    """A file at trial, its court named, one defendant charged with trafficking."""
    file, defendant = at_prosecution(session)
    charge = bring(session, file, defendant)
    files.update_file(
        session,
        actor=actor(session, "prosecutor.ma"),
        file_id=file.id,
        file_in=FileUpdate(court=COURT),
    )
    move(session, "prosecutor.ma", file, Stage.trial)
    return file, defendant, charge


def judge(
    session: Session,
    file: InvestigationFile,
    charge: Charge,
    *,
    instance: Instance = Instance.first_instance,
    verdict: Verdict = Verdict.convicted,
    decided_on: dt.date | None = None,
    prison_months: int | None = 60,
) -> Judgment:
    convicted = verdict is Verdict.convicted
    return judgments.record_judgment(
        session,
        actor=actor(session, "prosecutor.ma"),
        file_id=file.id,
        judgment_in=judgments.JudgmentIn(
            charge_id=charge.id,
            instance=instance,
            decided_on=decided_on or dt.date.today(),
            verdict=verdict,
            prison_months=prison_months if convicted else None,
            fine_amount=Decimal("20000") if convicted else None,
            fine_currency="MAD" if convicted else None,
        ),
    )
