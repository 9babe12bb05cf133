"""`/api/v1/investigations/…`: defendants, victims by case reference, protection measures and the
criminal-justice figures. Thin: the services check who may do what on which file and audit."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any

from fastapi import Path, Query, Response, status
from pydantic import BaseModel

from jusoor.core.permissions import Action
from jusoor.investigations import defendants, figures, service, witnesses
from jusoor.investigations.defendants import DefendantCreate
from jusoor.investigations.vocabulary import DefendantRole, ProtectionMeasure, Sex
from jusoor.investigations.witnesses import ProtectionCreate, VictimLinkCreate
from jusoor.web.access import requires
from jusoor.web.deps import CurrentActor, DbSession
from jusoor.web.responses import BODY_ERRORS, api_router, errors

router = api_router("investigations")

BASE = "/investigations"
FileId = Annotated[uuid.UUID, Path(description="The file's id.")]
ItemId = Annotated[uuid.UUID, Path(description="The defendant's or victim link's id.")]


class DefendantRead(BaseModel):
    id: uuid.UUID
    entity_id: uuid.UUID
    name: str | None  # None: the entity record is outside your entity scope
    role: DefendantRole
    sex: Sex
    age: int | None
    citizenship: str | None
    formal_contact_on: dt.date | None
    charged: bool


class MeasureRead(BaseModel):
    id: uuid.UUID
    measure: ProtectionMeasure
    ordered_on: dt.date
    ends_on: dt.date | None
    note: str


class VictimRead(BaseModel):
    """A victim as the file's readers see them: the profile codes only with the person's consent
    to cooperate with criminal proceedings; never a name, contact, document or health."""

    id: uuid.UUID
    case_reference: str
    case_stage: str
    consent: bool
    gender: str | None
    age_band: str | None
    is_child: bool | None
    citizenship: list[str]
    forms_of_exploitation: list[str]
    measures: list[MeasureRead]


class BreakdownRead(BaseModel):
    """Persons counted, in all and by group; a count of 1 to 4 may read "<5" (suppressed)."""

    total: int | str
    by_sex: dict[str, int | str]
    by_age: dict[str, int | str]
    by_citizenship: dict[str, int | str]
    by_form: dict[str, int | str]


class FiguresRead(BaseModel):
    year: int
    country: str
    suppressed: bool
    formal_contact: BreakdownRead
    prosecuted: BreakdownRead
    convicted: BreakdownRead
    smuggling: dict[str, int | str]


def _defendant(view: defendants.DefendantView) -> DefendantRead:
    d = view.defendant
    return DefendantRead(
        id=d.id, entity_id=d.entity_id, name=view.name, role=d.role, sex=d.sex, age=d.age,
        citizenship=d.citizenship, formal_contact_on=d.formal_contact_on, charged=view.charged,
    )  # fmt: skip


def _measure(m: Any) -> MeasureRead:
    return MeasureRead(id=m.id, measure=m.measure, ordered_on=m.ordered_on, ends_on=m.ends_on,
                       note=m.note)  # fmt: skip


def _victim(view: witnesses.VictimView) -> VictimRead:
    return VictimRead(
        id=view.link.id, case_reference=view.link.case_reference,
        case_stage=view.case_stage.value, consent=view.consent, gender=view.gender,
        age_band=view.age_band, is_child=view.is_child, citizenship=list(view.citizenship),
        forms_of_exploitation=list(view.forms_of_exploitation),
        measures=[_measure(m) for m in view.measures],
    )  # fmt: skip


@router.get(
    f"{BASE}/figures",
    dependencies=[requires(Action.investigations_figures)],
    summary="Persons brought into formal contact, prosecuted and convicted in a year",
    description=(figures.__doc__ or "").strip(),
    response_model=FiguresRead,
    responses=errors(403, 422),
)
def read_figures(
    actor: CurrentActor,
    session: DbSession,
    year: Annotated[int, Query(ge=figures.FIRST_YEAR, le=9999)],
    country: Annotated[str | None, Query(min_length=2, max_length=2)] = None,
) -> FiguresRead:
    found = figures.criminal_justice_figures(session, actor=actor, year=year, country=country)
    return FiguresRead.model_validate(found.as_dict())


@router.get(
    f"{BASE}/{{file_id}}/defendants",
    dependencies=[requires(Action.investigations_read)],
    summary="A file's defendants",
    response_model=list[DefendantRead],
    responses=errors(403, 404, 422),
)
def list_defendants(
    file_id: FileId, actor: CurrentActor, session: DbSession
) -> list[DefendantRead]:
    file = service.get_file(session, actor=actor, file_id=file_id)
    return [_defendant(v) for v in defendants.defendants_of(session, actor=actor, file=file)]


@router.post(
    f"{BASE}/{{file_id}}/defendants",
    dependencies=[requires(Action.investigations_update)],
    summary="Add a defendant: an entity you may read (entity_id) or a new person (name…)",
    status_code=status.HTTP_201_CREATED,
    response_model=DefendantRead,
    responses={**errors(403, 404), **BODY_ERRORS},
)
def add_defendant(
    file_id: FileId, body: DefendantCreate, actor: CurrentActor, session: DbSession
) -> DefendantRead:
    added = defendants.add_defendant(session, actor=actor, file_id=file_id, defendant_in=body)
    file = service.get_file(session, actor=actor, file_id=file_id)
    views = defendants.defendants_of(session, actor=actor, file=file)
    return _defendant(next(v for v in views if v.defendant.id == added.id))


@router.delete(
    f"{BASE}/{{file_id}}/defendants/{{item_id}}",
    dependencies=[requires(Action.investigations_update)],
    summary="Remove a defendant who has no charge",
    status_code=status.HTTP_204_NO_CONTENT,
    responses={**errors(403, 404), **BODY_ERRORS},
)
def remove_defendant(
    file_id: FileId, item_id: ItemId, actor: CurrentActor, session: DbSession
) -> Response:
    defendants.remove_defendant(session, actor=actor, file_id=file_id, defendant_id=item_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    f"{BASE}/{{file_id}}/victims",
    dependencies=[requires(Action.investigations_read)],
    summary="A file's victims, by case reference",
    response_model=list[VictimRead],
    responses=errors(403, 404, 422),
)
def list_victims(file_id: FileId, actor: CurrentActor, session: DbSession) -> list[VictimRead]:
    file = service.get_file(session, actor=actor, file_id=file_id)
    return [_victim(v) for v in witnesses.victims_of(session, actor=actor, file=file)]


def _one_victim(
    session: DbSession, actor: CurrentActor, file_id: uuid.UUID, link_id: uuid.UUID
) -> VictimRead:
    file = service.get_file(session, actor=actor, file_id=file_id)
    views = witnesses.victims_of(session, actor=actor, file=file)
    return _victim(next(v for v in views if v.link.id == link_id))


@router.post(
    f"{BASE}/{{file_id}}/victims",
    dependencies=[requires(Action.investigations_update)],
    summary="Link a victim's NRM case to the file by its reference",
    status_code=status.HTTP_201_CREATED,
    response_model=VictimRead,
    responses={**errors(403, 404), **BODY_ERRORS},
)
def link_victim(
    file_id: FileId, body: VictimLinkCreate, actor: CurrentActor, session: DbSession
) -> VictimRead:
    link = witnesses.link_victim(session, actor=actor, file_id=file_id, link_in=body)
    return _one_victim(session, actor, file_id, link.id)


@router.post(
    f"{BASE}/{{file_id}}/victims/{{item_id}}/protection",
    dependencies=[requires(Action.investigations_update)],
    summary="Record a protection measure for a victim-witness of the file",
    status_code=status.HTTP_201_CREATED,
    response_model=MeasureRead,
    responses={**errors(403, 404), **BODY_ERRORS},
)
def add_protection(
    file_id: FileId, item_id: ItemId, body: ProtectionCreate, actor: CurrentActor,
    session: DbSession,
) -> MeasureRead:  # fmt: skip
    row = witnesses.add_protection(
        session, actor=actor, file_id=file_id, link_id=item_id, measure_in=body
    )
    return _measure(row)


@router.post(
    "/cases/{case_id}/witness/{item_id}/protection",
    dependencies=[requires(Action.investigations_witness)],
    summary="Record a protection measure from the case's side (the case's holder)",
    status_code=status.HTTP_201_CREATED,
    response_model=MeasureRead,
    responses={**errors(403, 404), **BODY_ERRORS},
)
def add_protection_from_case(
    case_id: Annotated[uuid.UUID, Path(description="The case's id.")],
    item_id: ItemId,
    body: ProtectionCreate,
    actor: CurrentActor,
    session: DbSession,
) -> MeasureRead:
    row = witnesses.add_protection_from_case(
        session, actor=actor, case_id=case_id, link_id=item_id, measure_in=body
    )
    return _measure(row)
