"""Key rotation: new keys, announced to every peer in a message signed with the old key."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from jusoor.core.permissions import Actor
from jusoor.exchange.models import Peer
from jusoor.exchange.nodes.node import Identity, descriptor_of, rotate_keys
from jusoor.exchange.transport.outbox import send_system
from jusoor.exchange.vocabulary import MessageType


def rotate_and_announce(session: Session, *, actor: Actor) -> tuple[Identity, list[str]]:
    """Rotate, then queue a `key_rotation` to each active peer carrying the new self-signed
    descriptor; the envelope is signed with the old key, which the peers already trust."""
    old, new = rotate_keys(session, actor=actor)
    told = []
    for peer in session.scalars(select(Peer).where(Peer.active.is_(True)).order_by(Peer.node_id)):
        send_system(
            session,
            actor=actor,
            peer=peer,
            kind=MessageType.key_rotation,
            content={"descriptor": descriptor_of(new)},
            ident=old,
        )
        told.append(peer.node_id)
    return new, told
