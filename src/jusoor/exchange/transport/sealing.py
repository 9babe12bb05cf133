"""Turn a message into an envelope for its peer, and back: the bridge from rows to bytes."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from jusoor.exchange.models import Peer
from jusoor.exchange.nodes.node import Identity
from jusoor.exchange.transport.envelope import iso, seal
from jusoor.exchange.vocabulary import MessageType


def header_for(
    *,
    message_id: uuid.UUID,
    ident: Identity,
    peer: Peer,
    kind: MessageType,
    created: dt.datetime,
    expires: dt.datetime,
    handling: str | None,
    reply_to: uuid.UUID | None,
    thread: uuid.UUID,
) -> dict[str, Any]:
    return {
        "id": str(message_id),
        "sender": ident.node_id,
        "recipient": peer.node_id,
        "type": kind.value,
        "created": iso(created),
        "expires": iso(expires),
        "handling": handling,
        "reply_to": str(reply_to) if reply_to else None,
        "thread": str(thread),
        "sender_key": ident.keys.signing_public,
        "recipient_key": peer.encryption_key,
    }


def seal_for(peer: Peer, ident: Identity, header: dict[str, Any], body: dict[str, Any]) -> bytes:
    return seal(header, body, sender=ident.keys, recipient_key=peer.encryption_key)
