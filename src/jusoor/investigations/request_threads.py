"""A file's requests as the exchange moves them: the draft sent (the request follows the new
message), every answer added to the thread (a worded line on the file's timeline, once per
message however often its envelope arrives), and where each request stands for the file's panel.

Listeners are registered on exchange's extension points from `investigations.domain`; exchange
never imports this module.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from jusoor.audit.service import record
from jusoor.core import typed_dates
from jusoor.core.i18n import N_
from jusoor.core.i18n import gettext as _
from jusoor.core.permissions import Actor, system_actor
from jusoor.exchange.models import Message
from jusoor.exchange.queries import content_of
from jusoor.exchange.vocabulary import Direction, MessageStatus, MessageType
from jusoor.investigations import service
from jusoor.investigations.labels import label
from jusoor.investigations.models import FileEvent, FileRequest, InvestigationFile
from jusoor.investigations.requests import OBJECT, requests_of
from jusoor.investigations.vocabulary import RequestKind
from jusoor.web.labels import country_name

ANSWER = "request_answer"
NODE = system_actor("exchange")

# One whole sentence per message, so that each language keeps its word order.
RECEIVED = {
    MessageType.reply: N_("Reply received from %(country)s (%(request)s)."),
    MessageType.acknowledgement: N_("Acknowledgement received from %(country)s (%(request)s)."),
    MessageType.progress_report: N_("Progress report received from %(country)s (%(request)s)."),
    MessageType.refusal: N_("Refusal received from %(country)s (%(request)s)."),
    MessageType.withdrawal: N_("The request was withdrawn by %(country)s (%(request)s)."),
}
SENT = {
    MessageType.reply: N_("Reply sent to %(country)s (%(request)s)."),
    MessageType.acknowledgement: N_("Acknowledgement sent to %(country)s (%(request)s)."),
    MessageType.progress_report: N_("Progress report sent to %(country)s (%(request)s)."),
    MessageType.refusal: N_("Refusal sent to %(country)s (%(request)s)."),
    MessageType.withdrawal: N_("The request to %(country)s was withdrawn (%(request)s)."),
}
KINDS = {
    "request_prepared": N_("Request abroad prepared"),
    "request_sent": N_("Request abroad sent"),
    ANSWER: N_("Request abroad: message"),
    "request_joined": N_("Request from abroad joined to the file"),
}


def _request_to(event: FileEvent) -> str:
    return _(
        "%(request)s to %(country)s",
        request=label(RequestKind, str(event.details.get("request", ""))),
        country=country_name(str(event.details.get("peer", ""))),
    )


def _request_from(event: FileEvent) -> str:
    return _(
        "%(request)s from %(country)s",
        request=label(RequestKind, str(event.details.get("request", ""))),
        country=country_name(str(event.details.get("peer", ""))),
    )


def _answer(event: FileEvent) -> str:
    d = event.details
    words = RECEIVED if d.get("direction") == Direction.incoming.value else SENT
    kind = MessageType(str(d.get("type")))
    line = _(
        words.get(kind, RECEIVED[MessageType.reply]),
        country=country_name(str(d.get("peer", ""))),
        request=label(RequestKind, str(d.get("request", ""))),
    )
    if d.get("partner_reference"):
        line += " " + _("Their file: %(reference)s.", reference=str(d["partner_reference"]))
    return line


DETAILS = {
    "request_prepared": _request_to,
    "request_sent": _request_to,
    ANSWER: _answer,
    "request_joined": _request_from,
}


def _links(session: Session, thread_id: uuid.UUID) -> Sequence[FileRequest]:
    return session.scalars(select(FileRequest).where(FileRequest.thread_id == thread_id)).all()


def on_draft_sent(session: Session, *, actor: Actor, draft_id: uuid.UUID, message: Message) -> None:
    """The liaison officer sent a draft prepared from a file: the file follows the new thread."""
    for link in _links(session, draft_id):
        link.thread_id = message.thread_id
        link.peer = message.peer  # the liaison officer may have chosen another country
        file = session.get(InvestigationFile, link.file_id)
        if file is None:
            continue
        details: dict[str, object] = {
            "request": link.kind.value,
            "peer": link.peer,
            "message_id": str(message.id),
        }
        service.add_event(session, file, actor=actor, kind="request_sent", details=details)
        record(
            session,
            actor=actor,
            action="investigations.request.sent",
            object_type=OBJECT,
            object_id=file.id,
            details=details,
        )


def _heard(session: Session, file_id: uuid.UUID, message_id: uuid.UUID) -> bool:
    lines = session.scalars(
        select(FileEvent).where(FileEvent.file_id == file_id, FileEvent.kind == ANSWER)
    )
    return any(e.details.get("message_id") == str(message_id) for e in lines)


def on_thread_message(session: Session, *, opening: Message, message: Message) -> None:
    """An answer, acknowledgement, refusal, progress report or withdrawal on a file's request,
    received or sent: one timeline line on each file tied to the thread."""
    incoming = message.direction is Direction.incoming
    partner = content_of(message).get("file_reference") if incoming else None
    for link in _links(session, opening.thread_id):
        if _heard(session, link.file_id, message.id):
            continue
        file = session.get(InvestigationFile, link.file_id)
        if file is None:
            continue
        details: dict[str, object] = {
            "type": message.type.value,
            "direction": message.direction.value,
            "request": link.kind.value,
            "peer": link.peer,
            "message_id": str(message.id),
        }
        if isinstance(partner, str) and partner.strip():
            details["partner_reference"] = partner.strip()[:64]
        event = service.add_event(session, file, actor=NODE, kind=ANSWER, details=details)
        event.by_id = message.author_id  # the liaison officer who sent ours; none for theirs
        record(
            session,
            actor=None,
            username=f"node:{message.peer}" if incoming else "node:exchange",
            action="investigations.request.message",
            object_type=OBJECT,
            object_id=file.id,
            details=details,
        )


@dataclass(frozen=True)
class Answer:
    type: MessageType
    at: dt.datetime
    incoming: bool


@dataclass(frozen=True)
class RequestState:
    """A request of the file as the exchange holds it (no message body)."""

    link: FileRequest
    status: MessageStatus | None  # None: the draft was discarded before it was sent
    deadline: dt.date | None
    sent_at: dt.datetime | None
    answers: list[Answer]
    partner_reference: str | None  # the other country's file, once it told us


def _deadline(opening: Message) -> dt.date | None:
    if opening.deadline or opening.status is not MessageStatus.draft:
        return opening.deadline
    typed = content_of(opening).get("deadline")
    try:
        return typed_dates.parse(typed) if isinstance(typed, str) and typed else None
    except ValueError:
        return None


def _partner(link: FileRequest, opening: Message, thread: list[Message]) -> str | None:
    if not link.outgoing:  # the requesting country's own reference, as its request gave it
        found = content_of(opening).get("case_reference")
        return str(found) if found else None
    for message in reversed(thread):
        found = content_of(message).get("file_reference") if message.direction == "incoming" else ""
        if isinstance(found, str) and found:
            return found
    return None


def states(session: Session, file: InvestigationFile) -> list[RequestState]:
    """Where each request of a loaded file stands, newest first."""
    links = requests_of(session, file)
    if not links:
        return []
    ids = [link.thread_id for link in links]
    by_thread: dict[uuid.UUID, list[Message]] = defaultdict(list)
    for message in session.scalars(
        select(Message).where(Message.thread_id.in_(ids)).order_by(Message.created_at, Message.id)
    ):
        by_thread[message.thread_id].append(message)
    found: list[RequestState] = []
    for link in links:
        messages = by_thread.get(link.thread_id, [])
        opening = next((m for m in messages if m.id == link.thread_id), None)
        if opening is None:
            found.append(RequestState(link, None, None, None, [], None))
            continue
        thread = [m for m in messages if m.id != opening.id]
        answers = [Answer(m.type, m.created_at, m.direction == "incoming") for m in thread]
        sent = None if opening.status is MessageStatus.draft else opening.created_at
        partner = _partner(link, opening, thread)
        found.append(RequestState(link, opening.status, _deadline(opening), sent, answers, partner))
    return found
