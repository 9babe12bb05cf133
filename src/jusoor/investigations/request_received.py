"""Requests received from abroad and the files of this node that serve them.

Who opens a file from a foreign request: the liaison officer receives it (exchange.read) but opens
no criminal file (no investigations.open); an investigator or prosecutor opens files but reads no
exchange message. So the liaison officer *hands the request over*: the thread page (a panel
registered on exchange) gives the address of the request's hand-over page, which the liaison
officer passes to the competent police or prosecution unit through the usual channel. There, a
user with investigations.open sees only what a file needs to start (from which country, which
kind of request, a joint investigation or not, its subject and deadline; never the body) and
opens a file of their own agency from it, origin "foreign request", or joins it to a file they
may change. The thread page then shows the liaison officer the file's reference, offered in the
answer forms, so the reply tells the requesting country which file is the partner of theirs.
Every step is audited on the message and on the file.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from jusoor.agencies.models import Agency
from jusoor.audit.service import record
from jusoor.core.config import get_settings
from jusoor.core.db import utcnow
from jusoor.core.errors import Conflict, Invalid, NotFound
from jusoor.core.i18n import current_locale
from jusoor.core.i18n import gettext as _
from jusoor.core.permissions import Action, Actor
from jusoor.core.typed_dates import TypedDate
from jusoor.exchange.models import Message
from jusoor.exchange.queries import content_of
from jusoor.exchange.vocabulary import FINAL_STATUSES, Direction, MessageStatus, MessageType
from jusoor.investigations import access, service
from jusoor.investigations.models import FileRequest, InvestigationFile
from jusoor.investigations.requests import OBJECT
from jusoor.investigations.schemas import FileCreate
from jusoor.investigations.vocabulary import Origin, RequestKind

JOINABLE = {
    MessageType.mla_request: RequestKind.mla,
    MessageType.information_request: RequestKind.information,
}
HANDOVER = "/investigations/from-abroad"


def _incoming(session: Session, message_id: uuid.UUID) -> Message:
    message = session.get(Message, message_id)
    if (
        message is None
        or message.direction is not Direction.incoming
        or message.type not in JOINABLE
        or message.thread_id != message.id
    ):
        raise NotFound(_("No such request from abroad."))
    return message


def kind_of(message: Message) -> RequestKind:
    if content_of(message).get("joint_investigation") is True:
        return RequestKind.joint_investigation
    return JOINABLE[message.type]


@dataclass(frozen=True)
class JoinedFile:
    id: uuid.UUID
    reference: str
    readable: bool  # the reader may open it


@dataclass(frozen=True)
class RequestFromAbroad:
    """What a file needs to start from a foreign request: never the request's body."""

    id: uuid.UUID
    peer: str
    kind: RequestKind
    subject: str
    deadline: TypedDate | None
    received_at: dt.datetime | None
    status: MessageStatus
    closed: bool
    files: list[JoinedFile]


def _files(session: Session, actor: Actor | None, thread_id: uuid.UUID) -> list[JoinedFile]:
    rows = session.scalars(
        select(InvestigationFile)
        .join(FileRequest, FileRequest.file_id == InvestigationFile.id)
        .where(FileRequest.thread_id == thread_id)
        .order_by(InvestigationFile.reference)
    )
    return [
        JoinedFile(f.id, f.reference, actor is not None and access.may_read(actor, f)) for f in rows
    ]


def received(session: Session, *, actor: Actor, message_id: uuid.UUID) -> RequestFromAbroad:
    """The hand-over view of a request from abroad (audited on the message)."""
    actor.require(Action.investigations_open)
    message = _incoming(session, message_id)
    record(
        session,
        actor=actor,
        action="investigations.request.viewed",
        object_type="exchange_message",
        object_id=message.id,
        details={"peer": message.peer},
    )
    return RequestFromAbroad(
        id=message.id,
        peer=message.peer,
        kind=kind_of(message),
        subject=message.subject,
        deadline=message.deadline,
        received_at=message.received_at,
        status=message.status,
        closed=message.status in FINAL_STATUSES,
        files=_files(session, actor, message.thread_id),
    )


def _join(
    session: Session, *, actor: Actor, file: InvestigationFile, message: Message, field: str
) -> FileRequest:
    if message.status in FINAL_STATUSES:
        raise Invalid(field, _("This request is closed: no file can be joined to it."))
    exists = session.scalar(
        select(FileRequest.id).where(
            FileRequest.file_id == file.id, FileRequest.thread_id == message.thread_id
        )
    )
    if exists is not None:
        raise Conflict(_("This request is already joined to the file."), field=field)
    kind = kind_of(message)
    link = FileRequest(
        file_id=file.id,
        thread_id=message.thread_id,
        kind=kind,
        peer=message.peer,
        outgoing=False,
        linked_by=actor.user_id,
    )
    session.add(link)
    session.flush()
    details: dict[str, object] = {
        "request": kind.value,
        "peer": message.peer,
        "message_id": str(message.id),
    }
    service.add_event(session, file, actor=actor, kind="request_joined", details=details)
    record(
        session,
        actor=actor,
        action="investigations.request.join",
        object_type=OBJECT,
        object_id=file.id,
        details=details,
    )
    return link


def open_from_request(
    session: Session, *, actor: Actor, message_id: uuid.UUID, title: str = ""
) -> InvestigationFile:
    """A new file of the caller's agency serving the request (origin: foreign request)."""
    actor.require(Action.investigations_open)
    message = _incoming(session, message_id)
    if message.status in FINAL_STATUSES:
        raise Invalid("title", _("This request is closed: no file can be joined to it."))
    received_on = (message.received_at or utcnow()).date()
    file_in = FileCreate(
        title=(title or message.subject).strip()[:200] or message.subject,
        origin=Origin.foreign_request,
        reported_on=min(received_on, dt.date.today()),
    )
    file = service.open_file(session, actor=actor, file_in=file_in)
    _join(session, actor=actor, file=file, message=message, field="title")
    return file


def join_request(
    session: Session, *, actor: Actor, message_id: uuid.UUID, reference: str
) -> InvestigationFile:
    """Join the request to an existing file the caller may change (by its reference)."""
    actor.require(Action.investigations_open)
    message = _incoming(session, message_id)
    if not reference.strip():
        raise Invalid("reference", _("Give the reference of the file, e.g. INV-MA-2026-00001."))
    try:
        found = service.by_reference(session, actor=actor, reference=reference)
    except NotFound:
        raise Invalid("reference", _("No file with this reference that you may change.")) from None
    file = service.file_for_update(session, actor=actor, file_id=found.id)
    _join(session, actor=actor, file=file, message=message, field="reference")
    return file


def draft_note(session: Session, draft: Message) -> str | None:
    """Shown to the liaison officer on a draft prepared from a file."""
    links = session.scalars(select(FileRequest).where(FileRequest.thread_id == draft.id)).all()
    if not links:
        return None
    references = ", ".join(
        sorted(f.reference for link in links if (f := session.get(InvestigationFile, link.file_id)))
    )
    return _(
        "Prepared from investigation file %(reference)s by the file's team: check it, then send.",
        reference=references,
    )


def thread_panel(session: Session, *, actor: Actor, opening: Message) -> dict[str, Any]:
    """The investigation files of this node tied to a request, on its thread page (the reader
    holds exchange.read): their references and agencies only, and the hand-over address."""
    joinable = opening.direction is Direction.incoming and opening.type in JOINABLE
    files = _files(session, None, opening.thread_id)
    if not files and not joinable:
        return {"visible": False}
    locale = current_locale()
    agencies: list[tuple[str, str]] = []
    for joined in files:
        file = session.get(InvestigationFile, joined.id)
        agency = session.get(Agency, file.agency_id) if file else None
        agencies.append((joined.reference, agency.name(locale) if agency else "—"))
    if files:
        record(
            session,
            actor=actor,
            action="investigations.request.files_shown",
            object_type="exchange_message",
            object_id=opening.id,
            details={"files": [f.reference for f in files]},
        )
    return {
        "visible": True,
        "incoming": opening.direction is Direction.incoming,
        "files": agencies,
        "handover": f"{HANDOVER}/{opening.id}" if joinable else None,
        "site": get_settings().effective_public_url,
        "closed": opening.status in FINAL_STATUSES,
        # The reply tells the requesting country which file serves its request (UNTOC art. 19).
        "prefill": {"file_reference": files[0].reference} if files and joinable else {},
    }
