"""Reading exchange messages: lists for the liaison officer's inbox and outbox, one message with
its thread, status for scripts, overdue requests. Every read of a message is audited."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.sql.dml import Update

from jusoor.audit import service as audit
from jusoor.core import keyset, reading
from jusoor.core.db import utcnow
from jusoor.core.errors import Invalid, NotFound
from jusoor.core.i18n import gettext as _
from jusoor.core.keyset import KeysetPage
from jusoor.core.permissions import Actor
from jusoor.exchange.models import Message, OutboxEntry, Peer
from jusoor.exchange.nodes import node
from jusoor.exchange.transport.failures import failure_of
from jusoor.exchange.vocabulary import (
    FINAL_STATUSES,
    OPENING_TYPES,
    SYSTEM_TYPES,
    THREAD_TYPES,
    Direction,
    MessageStatus,
    MessageType,
)
from jusoor.web.labels import country_name

# A request is no longer waited on once it is answered or closed.
SETTLED = FINAL_STATUSES | {MessageStatus.answered, MessageStatus.draft}  # a draft awaits nobody
DUE_SOON = dt.timedelta(days=3)


@dataclass(frozen=True)
class Delivery:
    """A sent message's outbox state; `last_error` is the technical text, for administrators."""

    attempts: int
    pending: bool
    next_attempt_at: dt.datetime | None
    last_error: str

    @property
    def failure(self) -> str:
        """Why it is not delivered yet, as a `failures.Failure` code the pages word."""
        return failure_of(self.last_error).value


def message_id(value: str | uuid.UUID) -> uuid.UUID:
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value).strip())
    except ValueError:
        raise Invalid("id", _("%(value)s is not a message id.", value=value)) from None


def content_of(message: Message) -> dict[str, Any]:
    value = json.loads(message.body or "{}")
    return value if isinstance(value, dict) else {}


def box_ready(session: Session, *, actor: Actor) -> bool:
    """Whether the inbox and outbox can list anything: False until this node has its identity
    (the boxes then show a notice). Asked first by the boxes, so a reader without the right is
    refused even before the notice, which tells how the node is set up."""
    actor.require("exchange.read")
    return node.has_identity(session)


def list_messages(
    session: Session,
    *,
    actor: Actor,
    direction: Direction | None = None,
    status: MessageStatus | None = None,
    peer: str | None = None,
    opening_only: bool = True,
    limit: int = 200,
    offset: int = 0,
) -> tuple[Sequence[Message], int]:
    """Requests (or all messages) newest activity first, with the total for paging."""
    actor.require("exchange.read")
    stmt = _listed(direction, status, peer, opening_only)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.scalars(
        stmt.order_by(Message.updated_at.desc(), Message.id.desc()).limit(limit).offset(offset)
    ).all()
    audit.record(
        session,
        actor=actor,
        action="exchange.message.list",
        object_type="exchange_message",
        details={"direction": direction.value if direction else None, "count": len(rows)},
    )
    return rows, total


BOX_ORDER: tuple[Any, ...] = (Message.updated_at, Message.id)  # newest activity first
MAX_PAGE_SIZE = 500


def _listed(
    direction: Direction | None,
    status: MessageStatus | None,
    peer: str | None,
    opening_only: bool,
) -> Select[Any]:
    stmt = select(Message).where(Message.type.not_in(SYSTEM_TYPES))
    if opening_only:
        stmt = stmt.where(Message.type.in_(OPENING_TYPES))
    if direction is not None:
        stmt = stmt.where(Message.direction == direction)
    if status is not None:
        stmt = stmt.where(Message.status == status)
    if peer:
        stmt = stmt.where(Message.peer == peer.upper())
    return stmt


def message_page(
    session: Session,
    *,
    actor: Actor,
    direction: Direction | None = None,
    status: MessageStatus | None = None,
    peer: str | None = None,
    opening_only: bool = True,
    after: str | None = None,
    limit: int = 25,
) -> KeysetPage[Message]:
    """A keyset page of requests (or all messages), newest activity first, without counting
    the table: the inbox and outbox pages and the API page through these. Audited."""
    actor.require("exchange.read")
    if not 1 <= limit <= MAX_PAGE_SIZE:
        raise Invalid(
            "limit", _("Ask for between 1 and %(most)s rows at a time.", most=MAX_PAGE_SIZE)
        )
    found = keyset.fetch(
        session,
        _listed(direction, status, peer, opening_only),
        BOX_ORDER,
        tag="exchange",
        after=after or None,
        limit=limit,
    )
    audit.record(
        session,
        actor=actor,
        action="exchange.message.list",
        object_type="exchange_message",
        details={
            "direction": direction.value if direction else None,
            "count": len(found.rows),
            "page": "first" if found.first else "next",
        },
    )
    return found


def get_message(session: Session, *, actor: Actor, message_id_: str | uuid.UUID) -> Message:
    """One message (any type); audited as a read."""
    actor.require("exchange.read")
    message = session.get(Message, message_id(message_id_))
    if message is None or message.type in SYSTEM_TYPES:
        raise NotFound(_("No message %(id)s is known here.", id=message_id_))
    if message.first_read_at is None and message.direction is Direction.incoming:
        # One conditional UPDATE, not a change to the row read: the first reader's time stays,
        # and a page read in a reading unit of work is not refused because someone else saved
        # meanwhile (core.reading.StaleWrite).
        # On SQLite a page read stamps it just before its commit (`core.reading.write_late`), so
        # the page does not hold the writer's lock while it renders.
        now = utcnow()
        stamp = (
            update(Message)
            .where(Message.id == message.id, Message.first_read_at.is_(None))
            .values(first_read_at=now)
            .execution_options(synchronize_session=False)
        )
        if not reading.write_late(session, lambda s: _execute(s, stamp)):
            session.execute(stamp)
        set_committed_value(message, "first_read_at", now)
    audit.record(
        session,
        actor=actor,
        action="exchange.message.read",
        object_type="exchange_message",
        object_id=message.id,
        details={"peer": message.peer, "type": message.type.value},
    )
    return message


def _execute(session: Session, statement: Update) -> None:
    session.execute(statement)


def thread_of(session: Session, opening: Message) -> Sequence[Message]:
    """Every message of the thread, oldest first (read together with the opening, not audited
    separately: the opening's read event covers the thread)."""
    stmt = select(Message).where(Message.thread_id == opening.thread_id)
    return session.scalars(stmt.order_by(Message.created_at, Message.id)).all()


def delivery_of(session: Session, message: Message) -> Delivery | None:
    entry = session.get(OutboxEntry, message.id)
    if entry is None:
        return None
    return Delivery(entry.attempts, entry.pending, entry.next_attempt_at, entry.last_error)


def deliveries_of(session: Session, messages: Sequence[Message]) -> dict[uuid.UUID, Delivery]:
    """The outbox state of each of `messages` that has one, in one statement."""
    ids = [m.id for m in messages]
    if not ids:
        return {}
    entries = session.scalars(select(OutboxEntry).where(OutboxEntry.message_id.in_(ids)))
    return {
        e.message_id: Delivery(e.attempts, e.pending, e.next_attempt_at, e.last_error)
        for e in entries
    }


def overdue(
    session: Session, *, actor: Actor, today: dt.date | None = None, limit: int | None = None
) -> Sequence[Message]:
    """Requests past their deadline and not settled, both ways: what we owe, and what we await."""
    actor.require("exchange.read")
    today = today or utcnow().date()
    stmt = select(Message).where(
        Message.type.in_(OPENING_TYPES),
        Message.deadline.is_not(None),
        Message.deadline < today,
        Message.status.not_in(SETTLED),
    )
    return session.scalars(stmt.order_by(Message.deadline, Message.id).limit(limit)).all()


def due_soon(
    session: Session, *, actor: Actor, today: dt.date | None = None, limit: int | None = None
) -> Sequence[Message]:
    actor.require("exchange.read")
    today = today or utcnow().date()
    stmt = select(Message).where(
        Message.type.in_(OPENING_TYPES),
        Message.deadline.is_not(None),
        Message.deadline >= today,
        Message.deadline <= today + DUE_SOON.days * dt.timedelta(days=1),
        Message.status.not_in(SETTLED),
    )
    return session.scalars(stmt.order_by(Message.deadline, Message.id).limit(limit)).all()


def summary(message: Message, *, with_content: bool = False) -> dict[str, Any]:
    """The JSON form used by the API and the CLI."""
    data: dict[str, Any] = {
        "id": str(message.id),
        "direction": message.direction.value,
        "from": message.peer if message.direction is Direction.incoming else None,
        "to": message.peer if message.direction is Direction.outgoing else None,
        "peer": message.peer,
        "type": message.type.value,
        "subject": message.subject,
        "status": message.status.value,
        "decision": message.decision,
        "thread": str(message.thread_id),
        "reply_to": str(message.reply_to) if message.reply_to else None,
        "handling_code": message.handling_code,
        "urgency": message.urgency,
        "deadline": message.deadline.isoformat() if message.deadline else None,
        "created_at": message.created_at.isoformat(),
        "expires_at": message.expires_at.isoformat(),
        "delivered_at": message.delivered_at.isoformat() if message.delivered_at else None,
        "received_at": message.received_at.isoformat() if message.received_at else None,
        "author": message.author,
    }
    if with_content:
        data["content"] = content_of(message)
    return data


def peer_choices(session: Session) -> list[tuple[str, str]]:
    """Active peers as (node id, "Morocco — Jusoor Morocco"), by the country's name in the
    reader's language (a node id starts with its country's code), then the node's own name."""
    peers = session.scalars(select(Peer).where(Peer.active.is_(True)))
    named = [
        (p.node_id, _("%(country)s — %(node)s", country=country_name(p.node_id[:2]), node=p.name))
        for p in peers
    ]
    return sorted(named, key=lambda item: item[1])


@dataclass(frozen=True)
class PeerBacklog:
    """Messages waiting for one peer's receipt, and the technical text of the latest failure."""

    waiting: int
    last_error: str
    last_attempt_at: dt.datetime | None


def backlog_by_peer(session: Session, *, actor: Actor) -> dict[str, PeerBacklog]:
    """For administrators (`exchange.manage`): each peer's undelivered messages and the last
    technical error, which message pages never show; empty for anyone else."""
    if not actor.can("exchange.manage"):
        return {}
    stmt = (
        select(OutboxEntry.peer, OutboxEntry.last_error, OutboxEntry.last_attempt_at)
        .where(OutboxEntry.pending.is_(True))
        .order_by(OutboxEntry.peer, OutboxEntry.last_attempt_at.desc())
    )
    found: dict[str, PeerBacklog] = {}
    for peer, error, at in session.execute(stmt):
        before = found.get(peer)
        if before is None:
            found[peer] = PeerBacklog(1, error, at)
        else:
            found[peer] = PeerBacklog(before.waiting + 1, before.last_error, before.last_attempt_at)
    return found


def unsent_answers(session: Session, openings: Sequence[Message]) -> dict[uuid.UUID, MessageType]:
    """For each of `openings` whose latest message from this node is still waiting for the
    peer's receipt, that message's kind: the thread's status already counts it (both nodes
    apply a message the same way), but the other node does not have it yet, so pages say
    "Reply written, not delivered yet" rather than "Answered". One statement."""
    ids = [m.id for m in openings]
    if not ids:
        return {}
    # The thread's latest message either way: a withdrawal received after our unsent answer
    # is what the status shows.
    stmt = (
        select(Message.thread_id, Message.type, OutboxEntry.pending)
        .outerjoin(OutboxEntry, OutboxEntry.message_id == Message.id)
        .where(
            Message.thread_id.in_(ids),
            Message.id != Message.thread_id,
            Message.type.in_(list(THREAD_TYPES)),
        )
        .order_by(Message.thread_id, Message.created_at, Message.id)
    )
    latest: dict[uuid.UUID, tuple[MessageType, bool]] = {}
    for thread_id, kind, pending in session.execute(stmt):
        latest[thread_id] = (kind, bool(pending))
    return {thread: kind for thread, (kind, pending) in latest.items() if pending}
