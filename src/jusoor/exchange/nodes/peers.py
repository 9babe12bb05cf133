"""Peers: other countries' nodes, imported from descriptors after an out-of-band fingerprint check."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from jusoor.audit import service as audit
from jusoor.core.db import utcnow
from jusoor.core.errors import Conflict, Invalid, NotFound
from jusoor.core.i18n import gettext as _
from jusoor.core.permissions import Actor
from jusoor.exchange.models import Peer
from jusoor.exchange.nodes.keys import fingerprint, fingerprint_matches, signature_valid, verifier
from jusoor.exchange.nodes.node import DESCRIPTOR_KIND, check_node_id, identity
from jusoor.exchange.transport.canonical import canonical

# After a rotation, envelopes signed with the old key are still accepted this long.
ROTATION_GRACE = dt.timedelta(days=7)
_DESCRIPTOR_FIELDS = {
    "kind",
    "node_id",
    "name",
    "endpoint",
    "signing_key",
    "encryption_key",
    "fingerprint",
    "issued_at",
    "signature",
}


def check_descriptor(doc: Any) -> dict[str, Any]:
    """A descriptor whose fingerprint and self-signature hold; Invalid naming what does not."""
    if not isinstance(doc, dict) or doc.get("kind") != DESCRIPTOR_KIND:
        raise Invalid("descriptor", _("This file is not a Jusoor node descriptor."))
    if set(doc) != _DESCRIPTOR_FIELDS or not all(isinstance(doc[k], str) for k in doc):
        raise Invalid("descriptor", _("The node descriptor is incomplete or has unknown fields."))
    node_id = check_node_id(doc["node_id"], field="descriptor")
    endpoint = urlsplit(doc["endpoint"])
    if endpoint.scheme not in {"http", "https"} or not endpoint.hostname:
        raise Invalid("descriptor", _("The node descriptor's address is not an http(s) URL."))
    try:
        verifier(doc["signing_key"])
    except ValueError:
        raise Invalid("descriptor", _("The node descriptor's keys are not valid.")) from None
    if fingerprint(node_id, doc["signing_key"], doc["encryption_key"]) != doc["fingerprint"]:
        raise Invalid(
            "fingerprint",
            _("The descriptor's fingerprint does not match its keys: it was altered."),
        )
    unsigned = {k: v for k, v in doc.items() if k != "signature"}
    if not signature_valid(doc["signing_key"], doc["signature"], canonical(unsigned)):
        raise Invalid("descriptor", _("The node descriptor's signature does not verify."))
    return doc


def add_peer(
    session: Session,
    *,
    actor: Actor,
    descriptor: Any,
    expected_fingerprint: str | None = None,
    replace: bool = False,
) -> Peer:
    """Import a peer. With `expected_fingerprint` (read out by the peer's operator), refuse any
    other key. A known peer with other keys is only replaced with `replace`: keys normally
    change through a rotation message signed with the old key."""
    actor.require("exchange.manage")
    doc = check_descriptor(descriptor)
    if expected_fingerprint is not None and not fingerprint_matches(
        doc["fingerprint"], expected_fingerprint
    ):
        raise Invalid(
            "fingerprint",
            _(
                "The fingerprint you were given does not match this descriptor (%(node)s): do not "
                "import it, and check with the peer's operator.",
                node=doc["node_id"],
            ),
        )
    if doc["node_id"] == identity(session).node_id:
        raise Invalid("descriptor", _("This is this node's own descriptor."))
    peer = session.get(Peer, doc["node_id"])
    action = "exchange.peer.added"
    if peer is None:
        peer = Peer(node_id=doc["node_id"], added_by=actor.username)
        session.add(peer)
    elif peer.fingerprint != doc["fingerprint"]:
        if not replace:
            raise Conflict(
                _(
                    "%(node)s is already a peer with other keys. Keys change through a signed "
                    "rotation; to replace them by hand, confirm the new fingerprint and use "
                    "--replace.",
                    node=doc["node_id"],
                ),
                field="descriptor",
            )
        action = "exchange.peer.replaced"
    else:
        action = "exchange.peer.updated"
    peer.name = doc["name"][:200]
    peer.endpoint = doc["endpoint"].rstrip("/")
    peer.signing_key = doc["signing_key"]
    peer.encryption_key = doc["encryption_key"]
    peer.fingerprint = doc["fingerprint"]
    peer.active = True
    peer.updated_at = utcnow()
    session.flush()
    audit.record(
        session,
        actor=actor,
        action=action,
        object_type="exchange_peer",
        object_id=peer.node_id,
        details={"fingerprint": peer.fingerprint, "endpoint": peer.endpoint},
    )
    return peer


def list_peers(session: Session, *, actor: Actor) -> Sequence[Peer]:
    if not (actor.can("exchange.manage") or actor.can("exchange.read")):
        actor.require("exchange.manage")
    return session.scalars(select(Peer).order_by(Peer.node_id)).all()


def active_peer(session: Session, node_id: str, *, field: str = "to") -> Peer:
    peer = session.get(Peer, (node_id or "").strip().upper())
    if peer is None or not peer.active:
        raise Invalid(field, _("%(node)s is not a known peer of this node.", node=node_id))
    return peer


def remove_peer(session: Session, *, actor: Actor, node_id: str) -> Peer:
    actor.require("exchange.manage")
    peer = session.get(Peer, node_id.strip().upper())
    if peer is None:
        raise NotFound(_("%(node)s is not a known peer of this node.", node=node_id))
    peer.active = False
    peer.updated_at = utcnow()
    audit.record(
        session,
        actor=actor,
        action="exchange.peer.removed",
        object_type="exchange_peer",
        object_id=peer.node_id,
    )
    return peer


def signing_keys(peer: Peer, now: dt.datetime) -> list[str]:
    """Keys whose signatures are accepted from `peer` now (the previous one during the grace)."""
    keys = [peer.signing_key]
    if peer.previous_signing_key and peer.previous_until and now < peer.previous_until:
        keys.append(peer.previous_signing_key)
    return keys


def apply_rotation(session: Session, *, peer: Peer, new_descriptor: Any) -> None:
    """A peer's new keys, announced in a message that its old key signed (already checked)."""
    doc = check_descriptor(new_descriptor)
    if doc["node_id"] != peer.node_id:
        raise Invalid("descriptor", _("A key rotation names another node."))
    peer.previous_signing_key, peer.previous_until = peer.signing_key, utcnow() + ROTATION_GRACE
    peer.signing_key, peer.encryption_key = doc["signing_key"], doc["encryption_key"]
    peer.fingerprint, peer.endpoint = doc["fingerprint"], doc["endpoint"].rstrip("/")
    peer.updated_at = utcnow()
    audit.record(
        session,
        actor=None,
        username=f"node:{peer.node_id}",
        action="exchange.peer.rotated",
        object_type="exchange_peer",
        object_id=peer.node_id,
        details={"fingerprint": peer.fingerprint},
    )
