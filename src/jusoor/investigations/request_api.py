"""`/api/v1/investigations/{id}/requests`: a file's requests abroad and where each stands, a draft
prepared from the file for the liaison officers, and a file opened from (or joined to) a request
received from abroad. Thin: the services check scope and audit every read and write."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

from fastapi import Path, status
from pydantic import BaseModel, ConfigDict, Field

from jusoor.core.permissions import Action
from jusoor.investigations import request_received, request_threads, requests, service
from jusoor.investigations.schemas import FileRead
from jusoor.web.access import requires
from jusoor.web.deps import CurrentActor, DbSession
from jusoor.web.responses import BODY_ERRORS, api_router, errors

router = api_router("investigations")

FileId = Annotated[uuid.UUID, Path(description="The file's id.")]
MessageId = Annotated[
    uuid.UUID, Path(description="The request's message id (the same on both nodes).")
]
BASE = "/investigations"


class AnswerRead(BaseModel):
    type: str
    at: dt.datetime
    incoming: bool


class RequestRead(BaseModel):
    """A request of the file as the exchange holds it: never its body."""

    id: uuid.UUID
    kind: str
    peer: str
    outgoing: bool
    thread_id: uuid.UUID
    status: str | None = Field(description="The exchange status; null: the draft was discarded.")
    deadline: dt.date | None
    sent_at: dt.datetime | None
    answers: list[AnswerRead]
    partner_reference: str | None = Field(description="The other country's file, once known.")


def _read(state: request_threads.RequestState) -> RequestRead:
    link = state.link
    return RequestRead(
        id=link.id,
        kind=link.kind.value,
        peer=link.peer,
        outgoing=link.outgoing,
        thread_id=link.thread_id,
        status=state.status.value if state.status else None,
        deadline=state.deadline,
        sent_at=state.sent_at,
        answers=[
            AnswerRead(type=a.type.value, at=a.at, incoming=a.incoming) for a in state.answers
        ],
        partner_reference=state.partner_reference,
    )


class OpenFromRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    title: str = Field(default="", max_length=200, description="Default: the request's subject.")


class JoinRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    reference: str = Field(max_length=40, description="The file's reference.")


@router.post(
    f"{BASE}/from-abroad/{{message_id}}",
    dependencies=[requires(Action.investigations_open)],
    summary="Open a file of your agency serving a request received from abroad",
    status_code=status.HTTP_201_CREATED,
    response_model=FileRead,
    responses={**errors(403, 404, 409), **BODY_ERRORS},
)
def open_from_request(
    message_id: MessageId, body: OpenFromRequest, actor: CurrentActor, session: DbSession
) -> FileRead:
    file = request_received.open_from_request(
        session, actor=actor, message_id=message_id, title=body.title
    )
    return FileRead.model_validate(file)


@router.post(
    f"{BASE}/from-abroad/{{message_id}}/join",
    dependencies=[requires(Action.investigations_open)],
    summary="Join a request received from abroad to a file you may change",
    response_model=FileRead,
    responses={**errors(403, 404, 409), **BODY_ERRORS},
)
def join_request(
    message_id: MessageId, body: JoinRequest, actor: CurrentActor, session: DbSession
) -> FileRead:
    file = request_received.join_request(
        session, actor=actor, message_id=message_id, reference=body.reference
    )
    return FileRead.model_validate(file)


@router.get(
    f"{BASE}/{{file_id}}/requests",
    dependencies=[requires(Action.investigations_read)],
    summary="A file's requests abroad and where each stands",
    response_model=list[RequestRead],
    responses=errors(403, 404, 422),
)
def list_requests(file_id: FileId, actor: CurrentActor, session: DbSession) -> list[RequestRead]:
    file = service.get_file(session, actor=actor, file_id=file_id)
    return [_read(s) for s in request_threads.states(session, file)]


@router.post(
    f"{BASE}/{{file_id}}/requests",
    dependencies=[requires(Action.investigations_update)],
    summary="Prepare a request abroad from the file, as a draft for the liaison officers",
    status_code=status.HTTP_201_CREATED,
    response_model=RequestRead,
    responses={**errors(403, 404), **BODY_ERRORS},
)
def prepare_request(
    file_id: FileId, body: requests.RequestDraftIn, actor: CurrentActor, session: DbSession
) -> RequestRead:
    link = requests.prepare(session, actor=actor, file_id=file_id, request_in=body)
    file = service.get_file(session, actor=actor, file_id=file_id)
    return next(_read(s) for s in request_threads.states(session, file) if s.link.id == link.id)
