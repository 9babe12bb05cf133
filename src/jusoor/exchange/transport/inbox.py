"""Receiving: every check an envelope must pass before anything is stored, then a signed receipt.

Order matters: the cheap checks that need no secret come first (form, recipient, known sender,
outer signature), so a forged envelope costs little; only then replay, freshness and decryption.
An envelope that fails is recorded (`exchange_rejections`) and audited, and nothing of it is
applied. One that arrives twice with the same bytes gets its first receipt again, and is
not applied twice: that is how a sender recovers from a lost receipt.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from jusoor.audit import service as audit
from jusoor.core.config import get_settings
from jusoor.core.db import utcnow
from jusoor.core.errors import DomainError
from jusoor.exchange import extensions, threads
from jusoor.exchange.directory import replace_from_peer
from jusoor.exchange.models import Message, Peer, Rejection
from jusoor.exchange.nodes import peers as peer_service
from jusoor.exchange.nodes.node import has_identity, identity, keys_for_encryption_key
from jusoor.exchange.request.validation import subject_of, validate_body
from jusoor.exchange.transport.envelope import (
    EnvelopeError,
    Opened,
    check_outer_signature,
    digest_of,
    make_receipt,
    open_envelope,
    parse_time,
    read_wire,
)
from jusoor.exchange.vocabulary import (
    OPENING_TYPES,
    THREAD_TYPES,
    Direction,
    MessageStatus,
    MessageType,
)

STATUS_OF = {
    "malformed": 400,
    "version": 400,
    "recipient": 403,
    "unknown_sender": 403,
    "signature": 403,
    "recipient_key": 403,
    "decryption": 403,
    "replay": 409,
    "busy": 409,
    "expired": 422,
    "not_yet_valid": 422,
    "content": 422,
    "thread": 422,
}


@dataclass(frozen=True)
class InboxAnswer:
    status: int
    payload: dict[str, Any]


def _refuse(
    session: Session,
    raw: bytes,
    error: EnvelopeError,
    header: dict[str, Any] | None,
    client: str | None,
) -> InboxAnswer:
    sender = header.get("sender") if header else None
    message_id = header.get("id") if header else None
    sender = sender[:16] if isinstance(sender, str) else None
    message_id = message_id[:64] if isinstance(message_id, str) else None
    digest = digest_of(raw)
    session.add(
        Rejection(
            claimed_sender=sender,
            message_id=message_id,
            code=error.code,
            reason=error.text[:500],
            envelope_sha256=digest,
            client_addr=client,
        )
    )
    audit.record(
        session,
        actor=None,
        username=f"node:{sender}" if sender else "anonymous",
        action="exchange.envelope.rejected",
        object_type="exchange_message",
        object_id=message_id,
        outcome="refused",
        details={"code": error.code, "reason": error.text, "sha256": digest, "client": client},
    )
    return InboxAnswer(
        STATUS_OF.get(error.code, 400),
        {"error": {"code": f"envelope_{error.code}", "message": error.text, "field": None}},
    )


def receive(session: Session, raw: bytes, *, client: str | None = None) -> InboxAnswer:
    """Check, store and apply one envelope; the answer is a signed receipt or a refusal."""
    header: dict[str, Any] | None = None
    try:
        wire = read_wire(raw)
        header = wire["header"]
        return _accept(session, raw, wire)
    except EnvelopeError as error:
        return _refuse(session, raw, error, header, client)


def _accept(session: Session, raw: bytes, wire: dict[str, Any]) -> InboxAnswer:
    header = wire["header"]
    if not has_identity(session):
        raise EnvelopeError("recipient", "this node does not take part in exchange yet")
    ident = identity(session)
    now = utcnow()
    if header["recipient"] != ident.node_id:
        raise EnvelopeError("recipient", "this envelope is addressed to another node")
    peer = session.get(Peer, header["sender"])
    if peer is None or not peer.active:
        raise EnvelopeError("unknown_sender", "the sender is not a peer of this node")
    keys = peer_service.signing_keys(peer, now)
    if header["sender_key"] not in keys:
        raise EnvelopeError(
            "signature", "the envelope is signed with a key this node does not know"
        )
    check_outer_signature(wire, header["sender_key"])
    digest = digest_of(raw)
    try:
        message_id = uuid.UUID(header["id"])
    except ValueError:
        raise EnvelopeError("malformed", "the message id is not a UUID") from None
    seen = session.get(Message, message_id)
    if seen is not None:
        return _again(session, seen, peer, digest)
    _check_times(header, now)
    own = keys_for_encryption_key(session, header["recipient_key"] or "")
    if own is None:
        raise EnvelopeError(
            "recipient_key", "the envelope is encrypted to a key this node does not hold"
        )
    opened = open_envelope(wire, recipient=own, sender_signing_key=header["sender_key"])
    savepoint = session.begin_nested()
    try:
        message = _store(session, opened, peer, message_id, digest)
        savepoint.commit()
    except IntegrityError:
        savepoint.rollback()
        raise EnvelopeError(
            "busy", "this message is being received already; send it again later"
        ) from None
    except DomainError as exc:
        savepoint.rollback()
        raise EnvelopeError("content", exc.message) from None
    except BaseException:
        savepoint.rollback()
        raise
    signed = make_receipt(
        message_id=header["id"],
        sender=peer.node_id,
        receiver=ident.node_id,
        digest=digest,
        status="accepted",
        keys=ident.keys,
    )
    message.receipt = signed
    audit.record(
        session,
        actor=None,
        username=f"node:{peer.node_id}",
        action="exchange.message.received",
        object_type="exchange_message",
        object_id=message_id,
        details={"from": peer.node_id, "type": header["type"], "sha256": digest},
    )
    return InboxAnswer(200, signed)


def _again(session: Session, seen: Message, peer: Peer, digest: str) -> InboxAnswer:
    """The same id again: the first receipt if the bytes are the same, else a refused replay."""
    if (
        seen.direction is not Direction.incoming
        or seen.peer != peer.node_id
        or seen.envelope_sha256 != digest
    ):
        raise EnvelopeError("replay", "a message with this id was already received")
    audit.record(
        session,
        actor=None,
        username=f"node:{peer.node_id}",
        action="exchange.envelope.replayed",
        object_type="exchange_message",
        object_id=seen.id,
        outcome="refused",
        details={"reason": "already received; not applied again", "sha256": digest},
    )
    return InboxAnswer(200, dict(seen.receipt or {}))


def _check_times(header: dict[str, Any], now: dt.datetime) -> None:
    created, expires = parse_time(header["created"]), parse_time(header["expires"])
    skew = dt.timedelta(seconds=get_settings().exchange_clock_skew_seconds)
    if created > now + skew:
        raise EnvelopeError("not_yet_valid", "the envelope was created in the future")
    if expires <= now:
        raise EnvelopeError("expired", "the envelope has expired")
    if expires <= created:
        raise EnvelopeError("malformed", "the envelope expires before it was created")


def _store(
    session: Session, opened: Opened, peer: Peer, message_id: uuid.UUID, digest: str
) -> Message:
    header, body = opened.header, opened.body
    try:
        kind = MessageType(header["type"])
    except ValueError:
        raise EnvelopeError("content", "the message type is not known") from None
    content = body.get("content")
    if not isinstance(content, dict):
        raise EnvelopeError("content", "the message has no content")
    author = body.get("author") if isinstance(body.get("author"), str) else ""
    opening: Message | None = None
    if kind in THREAD_TYPES:
        opening = _opening_for(session, header, peer)
        threads.check_can_add(opening, kind, by_requester=not threads.requester_is_us(opening))
    content = validate_body(kind, content, today=dt.date.min)  # a deadline may pass in transit
    subject = (
        subject_of(kind, content) if kind in OPENING_TYPES or kind in THREAD_TYPES else kind.value
    )
    thread_id = opening.thread_id if opening is not None else message_id
    message = Message(
        id=message_id,
        direction=Direction.incoming,
        peer=peer.node_id,
        type=kind,
        thread_id=thread_id,
        reply_to=uuid.UUID(header["reply_to"]) if header.get("reply_to") else None,
        subject=subject or (opening.subject if opening is not None else ""),
        body=json.dumps(content, ensure_ascii=False),
        handling_code=header.get("handling"),
        urgency=str(content.get("urgency") or "normal"),
        deadline=dt.date.fromisoformat(content["deadline"]) if content.get("deadline") else None,
        status=MessageStatus.delivered,
        created_at=parse_time(header["created"]),
        expires_at=parse_time(header["expires"]),
        author=str(author)[:200],
        envelope_sha256=digest,
        document_signature=opened.document_signature,
        received_at=utcnow(),
    )
    session.add(message)
    session.flush()
    if opening is not None:
        threads.apply(opening, kind, content, by_requester=not threads.requester_is_us(opening))
        extensions.thread_message(session, opening=opening, message=message)
    elif kind is MessageType.key_rotation:
        # The retired key still signs messages in transit during the grace, but may be the
        # compromised one: only the current key hands the identity on.
        if header["sender_key"] != peer.signing_key:
            raise EnvelopeError("signature", "a key rotation must be signed with the current key")
        peer_service.apply_rotation(session, peer=peer, new_descriptor=content.get("descriptor"))
    elif kind is MessageType.directory_update:
        replace_from_peer(session, peer=peer, contacts=content.get("contacts"))
    return message


def _opening_for(session: Session, header: dict[str, Any], peer: Peer) -> Message:
    try:
        thread = uuid.UUID(str(header.get("thread")))
    except ValueError:
        raise EnvelopeError("thread", "the thread id is not a UUID") from None
    opening = session.get(Message, thread)
    if opening is None or opening.peer != peer.node_id or opening.id != opening.thread_id:
        raise EnvelopeError("thread", "this answers a request this node does not know")
    return opening
