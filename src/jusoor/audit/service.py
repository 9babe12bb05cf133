"""Append to, read and verify the tamper-evident audit trail.

Each event stores the hash of the previous one and its own keyed hash (HMAC-SHA256 under an audit
key kept outside the database, jusoor.audit.chain); `verify` recomputes the chain and compares it
with `audit_head` and with the signed checkpoints anchored outside the database
(jusoor.audit.verification), so a changed, removed, inserted or cut-off event is found and named.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from jusoor.audit.chain import GENESIS, canonical_json, keyed_hash
from jusoor.audit.keys import audit_keyring
from jusoor.audit.models import AuditEvent, AuditHead
from jusoor.audit.verification import HEAD_ID, Status, Verification, verify_chain
from jusoor.core.db import utcnow
from jusoor.core.ids import uuid7
from jusoor.core.permissions import Actor, scope_clause

__all__ = [
    "GENESIS",
    "HEAD_ID",
    "Status",
    "Verification",
    "canonical_json",
    "record",
    "verify",
]


def _lock_head(session: Session) -> AuditHead:
    # Row lock on PostgreSQL; on SQLite every write transaction is already serialised (BEGIN IMMEDIATE).
    head = session.scalars(
        select(AuditHead).where(AuditHead.id == HEAD_ID).with_for_update()
    ).first()
    if head is None:
        head = AuditHead(id=HEAD_ID, last_seq=0, last_hash=GENESIS)
        session.add(head)
        session.flush()
    return head


def record(
    session: Session,
    *,
    actor: Actor | None,
    action: str,
    object_type: str | None = None,
    object_id: str | uuid.UUID | None = None,
    outcome: str = "success",
    details: dict[str, Any] | None = None,
    username: str | None = None,
) -> AuditEvent:
    """Append one event in the caller's transaction: it lands, or not, with the change it describes.

    `username` names the subject when there is no actor (e.g. a failed login for an unknown user).
    One HMAC under the primary audit key (cached per process); the anchor file is not touched.
    """
    keys = audit_keyring()  # before the head lock: a first-use key load does not hold it
    head = _lock_head(session)
    event = AuditEvent(
        seq=head.last_seq + 1,
        id=uuid7(),
        at=utcnow(),
        actor_id=actor.user_id if actor else None,
        actor_username=(actor.username if actor else None) or username or "anonymous",
        agency_id=actor.agency_id if actor else None,
        country=actor.country if actor else None,
        action=action,
        object_type=object_type,
        object_id=str(object_id) if object_id is not None else None,
        outcome=outcome,
        client_addr=actor.client_addr if actor else None,
        request_id=actor.request_id if actor else None,
        details=canonical_json(details or {}),
        prev_hash=head.last_hash,
        key_id=keys.primary_kid,
    )
    event.hash = keyed_hash(keys, keys.primary_kid, head.last_hash, event)
    head.last_seq, head.last_hash = event.seq, event.hash
    session.add(event)
    session.flush()
    return event


def verify(session: Session, *, actor: Actor | None = None) -> Verification:
    """Recompute the keyed chain and compare it with the anchors; name what was done to it.

    Called for a user (`actor`: the web, the API), it needs `audit.read` and is itself audited;
    the console (`jusoor audit verify`) calls it without one.
    """
    if actor is not None:
        actor.require("audit.read")
    result = verify_chain(session)
    if actor is not None:
        record(
            session,
            actor=actor,
            action="audit.verify",
            outcome="success" if result.ok else "failure",
            details={
                "status": result.status.value,
                "events": result.events,
                "first_bad_seq": result.first_bad_seq,
            },
        )
    return result


@dataclass(frozen=True)
class AuditFilter:
    actor: str | None = None
    action: str | None = None
    outcome: str | None = None
    object_id: str | None = None
    since: dt.datetime | None = None
    until: dt.datetime | None = None
    before_seq: int | None = None
    limit: int = 50


def _filtered(actor: Actor, flt: AuditFilter) -> Select[AuditEvent]:
    stmt = select(AuditEvent).where(
        scope_clause(
            actor, "audit.read", agency_col=AuditEvent.agency_id, country_col=AuditEvent.country
        )
    )
    if flt.actor:
        stmt = stmt.where(AuditEvent.actor_username == flt.actor.strip().lower())
    if flt.action:
        stmt = stmt.where(AuditEvent.action.startswith(flt.action.strip(), autoescape=True))
    if flt.outcome:
        stmt = stmt.where(AuditEvent.outcome == flt.outcome)
    if flt.object_id:
        stmt = stmt.where(AuditEvent.object_id == flt.object_id.strip())
    if flt.since:
        stmt = stmt.where(AuditEvent.at >= flt.since)
    if flt.until:
        stmt = stmt.where(AuditEvent.at < flt.until)
    if flt.before_seq:
        stmt = stmt.where(AuditEvent.seq < flt.before_seq)
    return stmt


def search(session: Session, *, actor: Actor, flt: AuditFilter) -> Sequence[AuditEvent]:
    """Events the actor may read, newest first; reading the trail is itself audited."""
    actor.require("audit.read")
    limit = max(1, min(flt.limit, 500))
    events = session.scalars(
        _filtered(actor, flt).order_by(AuditEvent.seq.desc()).limit(limit)
    ).all()
    filters = {k: str(v) for k, v in vars(flt).items() if v not in (None, "") and k != "limit"}
    record(
        session, actor=actor, action="audit.read", details={"filters": filters, "rows": len(events)}
    )
    return events


def details_of(event: AuditEvent) -> dict[str, Any]:
    return parse_details(event.details)


def parse_details(text: str | None) -> dict[str, Any]:
    """Stored details as an object; a row altered into non-JSON shows its raw text, not an error."""
    try:
        value = json.loads(text or "{}")
    except ValueError:
        return {"unparsed": text}
    return value if isinstance(value, dict) else {"unparsed": text}
