"""This node's identity: its id, its keys (private halves encrypted at rest) and its descriptor."""

from __future__ import annotations

import base64
import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

import pycountry
from sqlalchemy import select
from sqlalchemy.orm import Session

from jusoor.audit import service as audit
from jusoor.core.config import get_settings
from jusoor.core.db import utcnow
from jusoor.core.errors import Conflict, Invalid, NotFound
from jusoor.core.i18n import gettext as _
from jusoor.core.permissions import Actor
from jusoor.exchange.models import NodeKey
from jusoor.exchange.nodes.keys import KeyPair, fingerprint
from jusoor.exchange.transport.canonical import canonical
from jusoor.exchange.transport.envelope import iso

DESCRIPTOR_KIND = "jusoor-node-descriptor/1"
NODE_ID = re.compile(r"[A-Z]{2}(-[A-Z0-9]{1,8})?")


def check_node_id(value: str, *, field: str = "node_id") -> str:
    """`MA`, or `MA-RABAT` for a second node of one country: an ISO 3166-1 alpha-2 code first."""
    node_id = (value or "").strip().upper()
    if not NODE_ID.fullmatch(node_id) or pycountry.countries.get(alpha_2=node_id[:2]) is None:
        raise Invalid(
            field,
            _(
                "%(value)s is not a node id: use the country's ISO code, such as MA or EG.",
                value=value,
            ),
        )
    return node_id


@dataclass(frozen=True)
class Identity:
    node_id: str
    name: str
    keys: KeyPair
    fingerprint: str


def _pair(row: NodeKey) -> KeyPair:
    return KeyPair(
        signing_private=base64.b64decode(row.signing_private),
        encryption_private=base64.b64decode(row.encryption_private),
    )


def _row(pair: KeyPair, node_id: str, name: str) -> NodeKey:
    return NodeKey(
        node_id=node_id,
        name=name,
        signing_public=pair.signing_public,
        encryption_public=pair.encryption_public,
        signing_private=base64.b64encode(pair.signing_private).decode(),
        encryption_private=base64.b64encode(pair.encryption_private).decode(),
        fingerprint=fingerprint(node_id, pair.signing_public, pair.encryption_public),
    )


def _current_row(session: Session) -> NodeKey | None:
    stmt = select(NodeKey).where(NodeKey.retired_at.is_(None)).order_by(NodeKey.created_at.desc())
    return session.scalars(stmt).first()


def identity(session: Session) -> Identity:
    """The node's current identity; NotFound until `jusoor exchange init` has run."""
    row = _current_row(session)
    if row is None:
        raise NotFound(_("This node has no exchange identity yet: run jusoor exchange init."))
    return Identity(row.node_id, row.name, _pair(row), row.fingerprint)


def has_identity(session: Session) -> bool:
    return _current_row(session) is not None


def keys_for_encryption_key(session: Session, public: str) -> KeyPair | None:
    """The key pair (current or retired) whose public encryption key is `public`."""
    row = session.scalars(select(NodeKey).where(NodeKey.encryption_public == public)).first()
    return _pair(row) if row is not None else None


def init_node(session: Session, *, actor: Actor, node_id: str, name: str = "") -> Identity:
    """Create the node's keys once. Running it again with the same id changes nothing."""
    actor.require("exchange.manage")
    node_id = check_node_id(node_id)
    current = _current_row(session)
    if current is not None:
        if current.node_id != node_id:
            raise Conflict(
                _(
                    "This node is already %(current)s; its id cannot change to %(new)s.",
                    current=current.node_id,
                    new=node_id,
                ),
                field="node_id",
            )
        return identity(session)
    country = pycountry.countries.get(alpha_2=node_id[:2])
    label = name.strip() or (f"Jusoor {country.name}" if country else f"Jusoor {node_id}")
    row = _row(KeyPair.generate(), node_id, label[:200])
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="exchange.node.init",
        object_type="exchange_node",
        object_id=node_id,
        details={"fingerprint": row.fingerprint},
    )
    return identity(session)


def descriptor_of(ident: Identity, *, endpoint: str | None = None) -> dict[str, Any]:
    """The public, self-signed descriptor that peers import after checking the fingerprint."""
    doc: dict[str, Any] = {
        "kind": DESCRIPTOR_KIND,
        "node_id": ident.node_id,
        "name": ident.name,
        "endpoint": (endpoint or get_settings().effective_public_url).rstrip("/"),
        "signing_key": ident.keys.signing_public,
        "encryption_key": ident.keys.encryption_public,
        "fingerprint": ident.fingerprint,
        "issued_at": iso(dt.datetime.now(dt.UTC)),
    }
    doc["signature"] = ident.keys.sign(canonical(doc))
    return doc


def rotate_keys(session: Session, *, actor: Actor) -> tuple[Identity, Identity]:
    """New keys; the old ones are retired (kept to open what was sealed to them). Returns
    (old, new): the caller tells every peer, signing with the old key."""
    actor.require("exchange.manage")
    old = identity(session)
    row = _current_row(session)
    assert row is not None
    row.retired_at = utcnow()
    fresh = _row(KeyPair.generate(), old.node_id, old.name)
    session.add(fresh)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="exchange.node.rotate_keys",
        object_type="exchange_node",
        object_id=old.node_id,
        details={"old_fingerprint": old.fingerprint, "new_fingerprint": fresh.fingerprint},
    )
    return old, identity(session)
