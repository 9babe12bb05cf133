"""`/api/v1/investigations`: criminal files for the police and the prosecution. Thin: the services
check who may do what, on which files, and audit every read and write."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Path, Query, status
from pydantic import BaseModel

from jusoor.core.permissions import Action
from jusoor.investigations import service
from jusoor.investigations.schemas import FileCreate, FileMove, FileRead, FileUpdate
from jusoor.investigations.vocabulary import Stage
from jusoor.web.access import requires
from jusoor.web.deps import CurrentActor, DbSession
from jusoor.web.responses import BODY_ERRORS, api_router, errors

router = api_router("investigations")

FileId = Annotated[uuid.UUID, Path(description="The file's id.")]
BASE = "/investigations"


class FileList(BaseModel):
    total: int
    files: list[FileRead]


class EventRead(BaseModel):
    at: str
    kind: str
    from_stage: str | None
    to_stage: str | None
    details: dict[str, object]


@router.get(
    BASE,
    dependencies=[requires(Action.investigations_read)],
    summary="The files you may read, most recently active first",
    response_model=FileList,
    responses=errors(403, 422),
)
def list_files(
    actor: CurrentActor,
    session: DbSession,
    stage: Annotated[Stage | None, Query(description="Only files at this stage.")] = None,
    mine: Annotated[bool, Query(description="Only files you lead or prosecute.")] = False,
    reference: Annotated[str | None, Query(max_length=40)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> FileList:
    page = service.list_files(
        session, actor=actor, stage=stage, mine=mine, reference=reference, limit=limit,
        offset=offset,
    )  # fmt: skip
    return FileList(total=page.total, files=[FileRead.model_validate(f) for f in page.files])


@router.get(
    f"{BASE}/{{file_id}}",
    dependencies=[requires(Action.investigations_read)],
    summary="One file",
    response_model=FileRead,
    responses=errors(403, 404, 422),
)
def read_file(file_id: FileId, actor: CurrentActor, session: DbSession) -> FileRead:
    return FileRead.model_validate(service.get_file(session, actor=actor, file_id=file_id))


@router.post(
    BASE,
    dependencies=[requires(Action.investigations_open)],
    summary="Open a file for your agency",
    status_code=status.HTTP_201_CREATED,
    response_model=FileRead,
    responses={**errors(403), **BODY_ERRORS},
)
def open_file(body: FileCreate, actor: CurrentActor, session: DbSession) -> FileRead:
    return FileRead.model_validate(service.open_file(session, actor=actor, file_in=body))


@router.patch(
    f"{BASE}/{{file_id}}",
    dependencies=[requires(Action.investigations_update)],
    summary="Edit a file's details",
    response_model=FileRead,
    responses={**errors(403, 404), **BODY_ERRORS},
)
def update_file(
    file_id: FileId, body: FileUpdate, actor: CurrentActor, session: DbSession
) -> FileRead:
    file = service.update_file(session, actor=actor, file_id=file_id, file_in=body)
    return FileRead.model_validate(file)


@router.post(
    f"{BASE}/{{file_id}}/stage",
    dependencies=[requires(Action.investigations_update)],
    summary="Move a file to its next stage",
    response_model=FileRead,
    responses={**errors(403, 404), **BODY_ERRORS},
)
def move_file(file_id: FileId, body: FileMove, actor: CurrentActor, session: DbSession) -> FileRead:
    service.move(session, actor=actor, file_id=file_id, move_in=body)
    return FileRead.model_validate(service.get_file(session, actor=actor, file_id=file_id))


@router.get(
    f"{BASE}/{{file_id}}/events",
    dependencies=[requires(Action.investigations_read)],
    summary="A file's timeline, oldest first",
    response_model=list[EventRead],
    responses=errors(403, 404, 422),
)
def file_events(file_id: FileId, actor: CurrentActor, session: DbSession) -> list[EventRead]:
    file = service.get_file(session, actor=actor, file_id=file_id)
    return [
        EventRead(at=e.at.isoformat(), kind=e.kind, from_stage=e.from_stage,
                  to_stage=e.to_stage, details=dict(e.details or {}))
        for e in service.events(session, file)
    ]  # fmt: skip
