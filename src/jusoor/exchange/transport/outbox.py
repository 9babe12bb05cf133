"""Sending: a message row and its sealed envelope in the outbox, in the caller's transaction.

Nothing leaves the node here; the delivery worker reads the outbox (transactional outbox
pattern), so a message exists exactly when the change that caused it was committed.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

from sqlalchemy.orm import Session

from jusoor.audit import service as audit
from jusoor.core.config import get_settings
from jusoor.core.db import utcnow
from jusoor.core.errors import Invalid, NotFound
from jusoor.core.i18n import gettext as _
from jusoor.core.ids import uuid7
from jusoor.core.permissions import Actor
from jusoor.exchange import arrival, extensions, threads
from jusoor.exchange.models import Message, OutboxEntry, Peer
from jusoor.exchange.nodes.node import Identity, identity
from jusoor.exchange.nodes.peers import active_peer
from jusoor.exchange.request.validation import subject_of, validate_body
from jusoor.exchange.transport.sealing import header_for, seal_for
from jusoor.exchange.vocabulary import (
    OPENING_TYPES,
    SYSTEM_TYPES,
    THREAD_TYPES,
    Direction,
    MessageType,
)


def parse_type(value: str | MessageType) -> MessageType:
    try:
        return MessageType(value)
    except ValueError:
        raise Invalid("type", _("%(value)s is not a message type.", value=value)) from None


def author_of(actor: Actor) -> str:
    """How the sender is named to the peer: the user and their roles, never a password or token."""
    roles = ",".join(sorted(actor.roles))
    return f"{actor.username} ({roles})" if roles else actor.username


def _expiry(created: dt.datetime, expires_in: dt.timedelta | None) -> dt.datetime:
    span = expires_in or dt.timedelta(days=get_settings().exchange_default_days)
    if span <= dt.timedelta(0) or span > dt.timedelta(days=365):
        raise Invalid("expires", _("A message must expire between now and one year from now."))
    return created + span


def queue(
    session: Session,
    *,
    actor: Actor,
    ident: Identity,
    peer: Peer,
    kind: MessageType,
    content: dict[str, Any],
    subject: str,
    thread: Message | None,
    case_id: uuid.UUID | None = None,
    expires_in: dt.timedelta | None = None,
    reply_to: uuid.UUID | None = None,
    created: dt.datetime | None = None,
) -> Message:
    """Seal `content` for `peer`, store the message and its outbox entry, audit the send.
    `created` dates a message written earlier (the demo's back-dated requests); default now."""
    created = (created or utcnow()).replace(microsecond=0)
    message_id = uuid7()
    thread_id = thread.thread_id if thread is not None else message_id
    expires = _expiry(created, expires_in)
    handling = (
        content.get("handling_code") if isinstance(content.get("handling_code"), str) else None
    )
    author = author_of(actor)
    header = header_for(
        message_id=message_id,
        ident=ident,
        peer=peer,
        kind=kind,
        created=created,
        expires=expires,
        handling=handling,
        reply_to=reply_to or (thread.id if thread is not None else None),
        thread=thread_id,
    )
    envelope = seal_for(
        peer, ident, header, {"content": content, "author": author, "subject": subject}
    )
    message = Message(
        id=message_id,
        direction=Direction.outgoing,
        peer=peer.node_id,
        type=kind,
        thread_id=thread_id,
        reply_to=uuid.UUID(header["reply_to"]) if header["reply_to"] else None,
        subject=subject,
        body=json.dumps(content, ensure_ascii=False),
        handling_code=handling,
        urgency=str(content.get("urgency") or "normal"),
        deadline=dt.date.fromisoformat(content["deadline"]) if content.get("deadline") else None,
        status=threads.sent_status(),
        created_at=created,
        expires_at=expires,
        author=author,
        author_id=actor.user_id,
        case_id=case_id,
    )
    session.add(message)
    session.flush()
    session.add(OutboxEntry(message_id=message_id, peer=peer.node_id, envelope=envelope.decode()))
    if thread is not None and kind in THREAD_TYPES:
        threads.apply(thread, kind, content, by_requester=threads.requester_is_us(thread))
        extensions.thread_message(session, opening=thread, message=message)
    audit.record(
        session,
        actor=actor,
        action="exchange.message.sent",
        object_type="exchange_message",
        object_id=message_id,
        details={"to": peer.node_id, "type": kind.value, "thread": str(thread_id)},
    )
    return message


def thread_opening(session: Session, reply_to: str | uuid.UUID) -> tuple[Message, Message]:
    """(the message answered, the thread's opening request)."""
    try:
        key = reply_to if isinstance(reply_to, uuid.UUID) else uuid.UUID(str(reply_to).strip())
    except ValueError:
        raise Invalid("reply_to", _("%(value)s is not a message id.", value=reply_to)) from None
    message = session.get(Message, key)
    if message is None:
        raise NotFound(_("No message %(id)s is known here.", id=reply_to))
    opening = session.get(Message, message.thread_id)
    if opening is None:
        raise NotFound(_("No message %(id)s is known here.", id=message.thread_id))
    return message, opening


def send(
    session: Session,
    *,
    actor: Actor,
    to: str | None,
    kind: str | MessageType,
    data: dict[str, Any],
    reply_to: str | uuid.UUID | None = None,
    expires_in: dt.timedelta | None = None,
    case_id: uuid.UUID | None = None,
    case_worker: str | None = None,
) -> Message:
    """Validate and queue a request or a thread message. Opening requests name `to`; thread
    messages name `reply_to` (the peer is the thread's). Accepting a referral received from
    abroad also opens or links its local case, held by `case_worker` (`exchange.arrival`)."""
    kind = parse_type(kind)
    actor.require(
        "exchange.refer"
        if kind is MessageType.transnational_referral and case_id
        else "exchange.send"
    )
    if kind in SYSTEM_TYPES:
        raise Invalid(
            "type", _("%(value)s messages are sent by the node itself.", value=kind.value)
        )
    ident = identity(session)
    thread: Message | None = None
    answered_id: uuid.UUID | None = None
    if kind in THREAD_TYPES:
        if reply_to is None:
            raise Invalid("reply_to", _("Say which message this answers."))
        answered, thread = thread_opening(session, reply_to)
        answered_id = answered.id
        threads.check_can_add(thread, kind, by_requester=threads.requester_is_us(thread))
        peer = active_peer(session, thread.peer)
    else:
        assert kind in OPENING_TYPES
        if reply_to is not None:
            raise Invalid("reply_to", _("A new request does not answer another message."))
        if kind is MessageType.transnational_referral and case_id is None:
            raise Invalid("case", _("A transnational referral is sent from the victim's case."))
        peer = active_peer(session, to or "")
    content = validate_body(kind, data)
    if thread is not None and arrival.accepts(thread, kind, content):
        arrival.take_in(session, actor=actor, opening=thread, case_worker=case_worker)
    subject = subject_of(kind, content) or (thread.subject if thread is not None else "")
    return queue(
        session,
        actor=actor,
        ident=ident,
        peer=peer,
        kind=kind,
        content=content,
        subject=subject,
        thread=thread,
        case_id=case_id,
        expires_in=expires_in,
        reply_to=answered_id,
    )


def send_system(
    session: Session,
    *,
    actor: Actor,
    peer: Peer,
    kind: MessageType,
    content: dict[str, Any],
    ident: Identity | None = None,
) -> Message:
    """A node-to-node message (key rotation, directory update); `ident` signs it."""
    assert kind in SYSTEM_TYPES
    return queue(
        session,
        actor=actor,
        ident=ident or identity(session),
        peer=peer,
        kind=kind,
        content=content,
        subject=kind.value,
        thread=None,
    )
