"""What a node keeps about exchange: its own keys, its peers, messages both ways, the outbox,
refused envelopes and the directory of competent authorities."""

from __future__ import annotations

import datetime as dt
import enum
import uuid

from sqlalchemy import JSON, Boolean, Date, Enum, ForeignKey, Index, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from jusoor.core.crypto import EncryptedText
from jusoor.core.db import Base, UTCDateTime, utcnow
from jusoor.core.ids import uuid7
from jusoor.exchange.vocabulary import ContactKind, Direction, MessageStatus, MessageType


def _enum(kind: type[enum.Enum], length: int = 32) -> Enum:
    return Enum(kind, native_enum=False, length=length)


class NodeKey(Base):
    """One generation of this node's keys. The newest active row signs; older rows still decrypt
    what peers sealed before they learnt of a rotation."""

    __tablename__ = "exchange_node_keys"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid7)
    node_id: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200))
    signing_public: Mapped[str] = mapped_column(String(64), unique=True)
    encryption_public: Mapped[str] = mapped_column(String(64), unique=True)
    signing_private: Mapped[str] = mapped_column(
        EncryptedText("exchange_node_keys.signing_private")
    )
    encryption_private: Mapped[str] = mapped_column(
        EncryptedText("exchange_node_keys.encryption_private")
    )
    fingerprint: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    retired_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class Peer(Base):
    """Another country's node, known from a descriptor whose fingerprint was checked."""

    __tablename__ = "exchange_peers"

    node_id: Mapped[str] = mapped_column(String(16), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    endpoint: Mapped[str] = mapped_column(String(500))
    signing_key: Mapped[str] = mapped_column(String(64))
    encryption_key: Mapped[str] = mapped_column(String(64))
    fingerprint: Mapped[str] = mapped_column(String(64))
    # After a rotation the old signing key stays valid for envelopes already on their way.
    previous_signing_key: Mapped[str | None] = mapped_column(String(64))
    previous_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    added_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    added_by: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class Message(Base):
    """One message as this node holds it; the id is the sender's and the same on both nodes."""

    __tablename__ = "exchange_messages"
    # The boxes' keyset pages (migration 0018_work_list_indexes).
    __table_args__ = (Index("ix_exchange_messages_box", "direction", "updated_at", "id"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    direction: Mapped[Direction] = mapped_column(_enum(Direction, 16), index=True)
    peer: Mapped[str] = mapped_column(String(16), index=True)  # the other node
    type: Mapped[MessageType] = mapped_column(_enum(MessageType), index=True)
    thread_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)  # the opening message's id
    reply_to: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    subject: Mapped[str] = mapped_column(EncryptedText("exchange_messages.subject"))
    body: Mapped[str] = mapped_column(EncryptedText("exchange_messages.body"))  # JSON
    handling_code: Mapped[str | None] = mapped_column(String(4))
    urgency: Mapped[str] = mapped_column(String(16), default="normal")
    deadline: Mapped[dt.date | None] = mapped_column(Date, index=True)
    status: Mapped[MessageStatus] = mapped_column(_enum(MessageStatus, 16), index=True)
    decision: Mapped[str | None] = mapped_column(String(16))  # a referral's accepted/declined
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    author: Mapped[str] = mapped_column(String(200), default="")  # who wrote it, as sent
    author_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    case_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("cases.id"), index=True)
    envelope_sha256: Mapped[str | None] = mapped_column(String(64))
    document_signature: Mapped[str | None] = mapped_column(String(100))
    receipt: Mapped[dict[str, object] | None] = mapped_column(JSON)
    delivered_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    received_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    first_read_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class OutboxEntry(Base):
    """An envelope waiting for the peer's receipt: written with the message, in its transaction."""

    __tablename__ = "exchange_outbox"

    message_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("exchange_messages.id"), primary_key=True
    )
    peer: Mapped[str] = mapped_column(String(16), index=True)
    envelope: Mapped[str] = mapped_column(Text)  # sealed wire JSON: already encrypted to the peer
    pending: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    last_attempt_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str] = mapped_column(String(500), default="")


class Rejection(Base):
    """An envelope this node refused, with why: kept even though the envelope itself is not."""

    __tablename__ = "exchange_rejections"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid7)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    claimed_sender: Mapped[str | None] = mapped_column(String(16))
    message_id: Mapped[str | None] = mapped_column(String(64))
    code: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(String(500))
    envelope_sha256: Mapped[str] = mapped_column(String(64))
    client_addr: Mapped[str | None] = mapped_column(String(64))


class Contact(Base):
    """A competent authority or contact point (UNODC CNA directory style). `source` is the peer
    that published it, or None for this node's own."""

    __tablename__ = "exchange_contacts"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid7)
    country: Mapped[str] = mapped_column(String(2), index=True)
    kind: Mapped[ContactKind] = mapped_column(_enum(ContactKind, 40))
    authority: Mapped[str] = mapped_column(String(300))
    unit: Mapped[str] = mapped_column(String(300), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(20), default="")  # E.164
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    request_types: Mapped[list[str]] = mapped_column(JSON, default=list)
    notes: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str | None] = mapped_column(String(16), index=True)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
