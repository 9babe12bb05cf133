"""`/api/v1/investigations/{file_id}/…`: a file's assets, exhibits and chain of custody, legal
instruments, documents and linked files. Thin: the services check who may do what on which
file, audit every read and write, and word every refusal."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Annotated

from fastapi import File, Path, Query, Response, UploadFile, status
from pydantic import BaseModel, ConfigDict
from sqlalchemy.orm import Session

from jusoor.core.permissions import Action
from jusoor.investigations import assets, attachments, exhibits, instruments, links, service
from jusoor.investigations.evidence_pages import document_response
from jusoor.investigations.models import Exhibit
from jusoor.investigations.vocabulary import (
    AssetKind,
    AssetStatus,
    ExhibitKind,
    InstrumentKind,
    InstrumentStatus,
    Stage,
)
from jusoor.web.access import requires
from jusoor.web.deps import CurrentActor, DbSession
from jusoor.web.responses import BODY_ERRORS, api_router, errors

router = api_router("investigations")

FileId = Annotated[uuid.UUID, Path(description="The file's id.")]
ItemId = Annotated[
    uuid.UUID, Path(description="The asset's, exhibit's, instrument's or document's id.")
]
BASE = "/investigations/{file_id}"
READ = [requires(Action.investigations_read)]
UPDATE = [requires(Action.investigations_update)]
READ_ERRORS = errors(403, 404, 422)
WRITE_ERRORS = {**errors(403, 404), **BODY_ERRORS}


class AssetRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    kind: AssetKind
    description: str
    estimated_value: Decimal | None
    currency: str | None
    defendant_id: uuid.UUID | None
    status: AssetStatus
    seized_on: dt.date
    status_on: dt.date


class AssetList(BaseModel):
    assets: list[AssetRead]
    totals: dict[str, Decimal]  # per currency, released assets left out


class CustodyRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    holder: str
    since: dt.datetime
    until: dt.datetime | None
    purpose: str


class ExhibitRead(BaseModel):
    id: uuid.UUID
    label: str
    kind: ExhibitKind
    description: str
    seized_on: dt.date
    seized_where: str
    chain: list[CustodyRead]


class InstrumentRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    file_id: uuid.UUID
    kind: InstrumentKind
    authority: str
    reference: str | None
    requested_on: dt.date
    issued_on: dt.date | None
    expires_on: dt.date | None
    status: InstrumentStatus
    note: str


class DeadlineRead(BaseModel):
    file_id: uuid.UUID
    file_reference: str
    days_left: int
    overdue: bool
    instrument: InstrumentRead


class AttachmentRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    filename: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: dt.datetime


class LinkRead(BaseModel):
    file_id: uuid.UUID
    reference: str
    stage: Stage
    relation: str  # worded from this file's end, in the caller's language


def _exhibit(session: Session, exhibit: Exhibit) -> ExhibitRead:
    chain = [CustodyRead.model_validate(c) for c in exhibits.chain(session, exhibit)]
    return ExhibitRead(
        id=exhibit.id, label=exhibit.label, kind=exhibit.kind, description=exhibit.description,
        seized_on=exhibit.seized_on, seized_where=exhibit.seized_where, chain=chain,
    )  # fmt: skip


@router.get(f"{BASE}/assets", dependencies=READ, summary="A file's seized assets and their totals",
            response_model=AssetList, responses=READ_ERRORS)  # fmt: skip
def list_assets(file_id: FileId, actor: CurrentActor, session: DbSession) -> AssetList:
    file = service.get_file(session, actor=actor, file_id=file_id)
    found = assets.assets_of(session, file)
    rows = [AssetRead.model_validate(a) for a in found]
    return AssetList(assets=rows, totals=assets.totals(found))


@router.post(f"{BASE}/assets", dependencies=UPDATE, summary="Record a seized asset",
             status_code=status.HTTP_201_CREATED, response_model=AssetRead,
             responses=WRITE_ERRORS)  # fmt: skip
def add_asset(
    file_id: FileId, body: assets.AssetIn, actor: CurrentActor, session: DbSession
) -> AssetRead:
    asset = assets.add_asset(session, actor=actor, file_id=file_id, asset_in=body)
    return AssetRead.model_validate(asset)


@router.post(f"{BASE}/assets/{{asset_id}}/status", dependencies=UPDATE,
             summary="Freeze, confiscate or release an asset", response_model=AssetRead,
             responses=WRITE_ERRORS)  # fmt: skip
def move_asset(
    file_id: FileId, asset_id: ItemId, body: assets.AssetMove, actor: CurrentActor,
    session: DbSession,
) -> AssetRead:  # fmt: skip
    moved = assets.move_asset(session, actor=actor, file_id=file_id, asset_id=asset_id, move=body)
    return AssetRead.model_validate(moved)


@router.get(f"{BASE}/exhibits", dependencies=READ, summary="A file's exhibits with their chains",
            response_model=list[ExhibitRead], responses=READ_ERRORS)  # fmt: skip
def list_exhibits(file_id: FileId, actor: CurrentActor, session: DbSession) -> list[ExhibitRead]:
    file = service.get_file(session, actor=actor, file_id=file_id)
    return [_exhibit(session, item.exhibit) for item in exhibits.exhibits_of(session, file)]


@router.post(f"{BASE}/exhibits", dependencies=UPDATE,
             summary="Record an exhibit and its first holder",
             status_code=status.HTTP_201_CREATED, response_model=ExhibitRead,
             responses=WRITE_ERRORS)  # fmt: skip
def add_exhibit(
    file_id: FileId, body: exhibits.ExhibitIn, actor: CurrentActor, session: DbSession
) -> ExhibitRead:
    exhibit = exhibits.add_exhibit(session, actor=actor, file_id=file_id, exhibit_in=body)
    return _exhibit(session, exhibit)


@router.post(f"{BASE}/exhibits/{{exhibit_id}}/transfer", dependencies=UPDATE,
             summary="Hand an exhibit to a new holder (the chain is only appended to)",
             status_code=status.HTTP_201_CREATED, response_model=ExhibitRead,
             responses=WRITE_ERRORS)  # fmt: skip
def transfer(
    file_id: FileId, exhibit_id: ItemId, body: exhibits.CustodyIn, actor: CurrentActor,
    session: DbSession,
) -> ExhibitRead:  # fmt: skip
    exhibits.transfer(session, actor=actor, file_id=file_id, exhibit_id=exhibit_id, custody_in=body)
    exhibit = session.get(Exhibit, exhibit_id)
    assert exhibit is not None  # the transfer found it in the file
    return _exhibit(session, exhibit)


@router.get("/investigations/instruments/deadlines", dependencies=READ,
            summary="Issued instruments of your files expiring soon or expired, soonest first",
            response_model=list[DeadlineRead], responses=errors(403, 422))  # fmt: skip
def deadlines(
    actor: CurrentActor,
    session: DbSession,
    within_days: Annotated[int, Query(ge=0, le=365)] = 14,
) -> list[DeadlineRead]:
    found = instruments.deadlines(session, actor=actor, within_days=within_days)
    return [
        DeadlineRead(file_id=d.file_id, file_reference=d.file_reference, days_left=d.days_left,
                     overdue=d.overdue, instrument=InstrumentRead.model_validate(d.instrument))
        for d in found
    ]  # fmt: skip


@router.get(f"{BASE}/instruments", dependencies=READ, summary="A file's legal instruments",
            response_model=list[InstrumentRead], responses=READ_ERRORS)  # fmt: skip
def list_instruments(
    file_id: FileId, actor: CurrentActor, session: DbSession
) -> list[InstrumentRead]:
    file = service.get_file(session, actor=actor, file_id=file_id)
    return [InstrumentRead.model_validate(i) for i in instruments.instruments_of(session, file)]


@router.post(f"{BASE}/instruments", dependencies=UPDATE, summary="Record a legal instrument",
             status_code=status.HTTP_201_CREATED, response_model=InstrumentRead,
             responses=WRITE_ERRORS)  # fmt: skip
def add_instrument(
    file_id: FileId, body: instruments.InstrumentIn, actor: CurrentActor, session: DbSession
) -> InstrumentRead:
    found = instruments.add_instrument(session, actor=actor, file_id=file_id, instrument_in=body)
    return InstrumentRead.model_validate(found)


@router.post(f"{BASE}/instruments/{{instrument_id}}/status", dependencies=UPDATE,
             summary="Mark an instrument issued, refused, executed or expired",
             response_model=InstrumentRead, responses=WRITE_ERRORS)  # fmt: skip
def move_instrument(
    file_id: FileId, instrument_id: ItemId, body: instruments.InstrumentMove,
    actor: CurrentActor, session: DbSession,
) -> InstrumentRead:  # fmt: skip
    found = instruments.move_instrument(
        session, actor=actor, file_id=file_id, instrument_id=instrument_id, move=body
    )
    return InstrumentRead.model_validate(found)


@router.get(f"{BASE}/attachments", dependencies=READ, summary="A file's documents (no content)",
            response_model=list[AttachmentRead], responses=READ_ERRORS)  # fmt: skip
def list_attachments(
    file_id: FileId, actor: CurrentActor, session: DbSession
) -> list[AttachmentRead]:
    file = service.get_file(session, actor=actor, file_id=file_id)
    return [AttachmentRead.model_validate(a) for a in attachments.attachments_of(session, file)]


@router.post(f"{BASE}/attachments", dependencies=UPDATE,
             summary="Attach a document (multipart field `file`; type checked by content)",
             status_code=status.HTTP_201_CREATED, response_model=AttachmentRead,
             responses=WRITE_ERRORS)  # fmt: skip
async def attach(
    file_id: FileId,
    actor: CurrentActor,
    session: DbSession,
    file: Annotated[UploadFile, File(description="The document.")],
) -> AttachmentRead:
    data = await file.read(attachments.max_bytes() + 1)  # never more than the limit and a byte
    found = attachments.attach(
        session, actor=actor, file_id=file_id, filename=file.filename or "", data=data
    )
    return AttachmentRead.model_validate(found)


@router.get(f"{BASE}/attachments/{{attachment_id}}", dependencies=READ,
            summary="Download a document (audited)", response_class=Response,
            responses=READ_ERRORS)  # fmt: skip
def download(
    file_id: FileId, attachment_id: ItemId, actor: CurrentActor, session: DbSession
) -> Response:
    found = attachments.download(session, actor=actor, file_id=file_id, attachment_id=attachment_id)
    return document_response(found)


@router.get(f"{BASE}/links", dependencies=READ, summary="Files linked to this one, either way",
            response_model=list[LinkRead], responses=READ_ERRORS)  # fmt: skip
def list_links(file_id: FileId, actor: CurrentActor, session: DbSession) -> list[LinkRead]:
    file = service.get_file(session, actor=actor, file_id=file_id)
    return [
        LinkRead(file_id=x.id, reference=x.reference, stage=x.stage, relation=x.relation)
        for x in links.linked_files(session, actor=actor, file=file)
    ]


@router.post(f"{BASE}/links", dependencies=UPDATE, summary="Link another file you may read",
             status_code=status.HTTP_201_CREATED, response_model=list[LinkRead],
             responses=WRITE_ERRORS)  # fmt: skip
def link(
    file_id: FileId, body: links.LinkIn, actor: CurrentActor, session: DbSession
) -> list[LinkRead]:
    links.link_files(session, actor=actor, file_id=file_id, link_in=body)
    return list_links(file_id, actor, session)
