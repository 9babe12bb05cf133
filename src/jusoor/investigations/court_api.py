"""`/api/v1/investigations/{id}/charges|judgments|hearings`: the court track of a file. Thin: the
services check the permission, the file's scope and stage, and audit every read and write."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Annotated

from fastapi import Path, status
from pydantic import BaseModel, ConfigDict

from jusoor.core.permissions import Action
from jusoor.investigations import charges, hearings, judgments
from jusoor.investigations.vocabulary import ChargeStatus, HearingKind, Instance, Verdict
from jusoor.web.access import requires
from jusoor.web.deps import CurrentActor, DbSession
from jusoor.web.responses import BODY_ERRORS, api_router, errors

router = api_router("investigations")

FileId = Annotated[uuid.UUID, Path(description="The file's id.")]
ChargeId = Annotated[uuid.UUID, Path(description="The charge's id.")]
HearingId = Annotated[uuid.UUID, Path(description="The hearing's id.")]
BASE = "/investigations/{file_id}"
READ = [requires(Action.investigations_read)]
PROSECUTE = [requires(Action.investigations_prosecute)]


class ChargeRead(BaseModel):
    id: uuid.UUID
    defendant_id: uuid.UUID
    offence: str
    offence_type: str
    form: str | None
    status: ChargeStatus
    charged_on: dt.date

    model_config = ConfigDict(from_attributes=True)


class JudgmentRead(BaseModel):
    id: uuid.UUID
    defendant_id: uuid.UUID
    charge_id: uuid.UUID
    instance: Instance
    court: str
    decided_on: dt.date
    verdict: Verdict
    prison_months: int | None
    fine_amount: Decimal | None
    fine_currency: str | None
    confiscation: bool

    model_config = ConfigDict(from_attributes=True)


class HearingRead(BaseModel):
    id: uuid.UUID
    kind: HearingKind
    court: str
    scheduled_at: dt.datetime
    held: bool | None
    outcome: str

    model_config = ConfigDict(from_attributes=True)


@router.get(
    f"{BASE}/charges",
    dependencies=READ,
    summary="A file's charges, oldest first",
    response_model=list[ChargeRead],
    responses=errors(403, 404, 422),
)
def list_charges(file_id: FileId, actor: CurrentActor, session: DbSession) -> list[ChargeRead]:
    found = charges.list_charges(session, actor=actor, file_id=file_id)
    return [ChargeRead.model_validate(c) for c in found]


@router.post(
    f"{BASE}/charges",
    dependencies=PROSECUTE,
    summary="Charge a defendant of the file with an offence of the country's law file",
    status_code=status.HTTP_201_CREATED,
    response_model=ChargeRead,
    responses={**errors(403, 404), **BODY_ERRORS},
)
def bring_charge(
    file_id: FileId, body: charges.ChargeIn, actor: CurrentActor, session: DbSession
) -> ChargeRead:
    charge = charges.bring(session, actor=actor, file_id=file_id, charge_in=body)
    return ChargeRead.model_validate(charge)


@router.post(
    f"{BASE}/charges/{{charge_id}}/withdraw",
    dependencies=PROSECUTE,
    summary="Withdraw a charge before its first-instance judgment (reason required)",
    response_model=ChargeRead,
    responses={**errors(403, 404), **BODY_ERRORS},
)
def withdraw_charge(
    file_id: FileId,
    charge_id: ChargeId,
    body: charges.WithdrawIn,
    actor: CurrentActor,
    session: DbSession,
) -> ChargeRead:
    charge = charges.withdraw(
        session, actor=actor, file_id=file_id, charge_id=charge_id, withdraw_in=body
    )
    return ChargeRead.model_validate(charge)


@router.get(
    f"{BASE}/judgments",
    dependencies=READ,
    summary="A file's judgments, by date",
    response_model=list[JudgmentRead],
    responses=errors(403, 404, 422),
)
def list_judgments(file_id: FileId, actor: CurrentActor, session: DbSession) -> list[JudgmentRead]:
    found = judgments.list_judgments(session, actor=actor, file_id=file_id)
    return [JudgmentRead.model_validate(j) for j in found]


@router.post(
    f"{BASE}/judgments",
    dependencies=PROSECUTE,
    summary="Record the court's judgment on one charge of one defendant",
    status_code=status.HTTP_201_CREATED,
    response_model=JudgmentRead,
    responses={**errors(403, 404), **BODY_ERRORS},
)
def record_judgment(
    file_id: FileId, body: judgments.JudgmentIn, actor: CurrentActor, session: DbSession
) -> JudgmentRead:
    judgment = judgments.record_judgment(session, actor=actor, file_id=file_id, judgment_in=body)
    return JudgmentRead.model_validate(judgment)


@router.get(
    f"{BASE}/hearings",
    dependencies=READ,
    summary="A file's hearings, by date",
    response_model=list[HearingRead],
    responses=errors(403, 404, 422),
)
def list_hearings(file_id: FileId, actor: CurrentActor, session: DbSession) -> list[HearingRead]:
    found = hearings.list_hearings(session, actor=actor, file_id=file_id)
    return [HearingRead.model_validate(h) for h in found]


@router.post(
    f"{BASE}/hearings",
    dependencies=PROSECUTE,
    summary="Schedule a hearing (the file at trial or on appeal)",
    status_code=status.HTTP_201_CREATED,
    response_model=HearingRead,
    responses={**errors(403, 404), **BODY_ERRORS},
)
def schedule_hearing(
    file_id: FileId, body: hearings.HearingIn, actor: CurrentActor, session: DbSession
) -> HearingRead:
    hearing = hearings.schedule(session, actor=actor, file_id=file_id, hearing_in=body)
    return HearingRead.model_validate(hearing)


@router.post(
    f"{BASE}/hearings/{{hearing_id}}/outcome",
    dependencies=PROSECUTE,
    summary="Record that a hearing was held (and its outcome) or adjourned (and why)",
    response_model=HearingRead,
    responses={**errors(403, 404), **BODY_ERRORS},
)
def record_outcome(
    file_id: FileId,
    hearing_id: HearingId,
    body: hearings.OutcomeIn,
    actor: CurrentActor,
    session: DbSession,
) -> HearingRead:
    hearing = hearings.record_outcome(
        session, actor=actor, file_id=file_id, hearing_id=hearing_id, outcome_in=body
    )
    return HearingRead.model_validate(hearing)
