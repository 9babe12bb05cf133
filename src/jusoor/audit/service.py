"""Append to, read and verify the tamper-evident audit trail.

`record` writes an event sealed with a keyed HMAC; the appender (jusoor.audit.appender) puts it
on the chain, where each event stores the hash of the previous one and its own keyed hash
(jusoor.audit.chain) — in the caller's transaction (inline mode: CLI, tests) or shortly after
(background mode: `jusoor serve`). `verify` recomputes the whole chain and compares it with
`audit_head` and with the signed checkpoints anchored outside the database; `trail_state` checks
only what is new since the last checkpoint, for the pages (jusoor.audit.verification).
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

from jusoor.audit.appender import background, chain_pending
from jusoor.audit.chain import GENESIS, canonical_json, seal
from jusoor.audit.keys import AuditKeyring, audit_keyring
from jusoor.audit.models import AuditEvent
from jusoor.audit.verification import (
    HEAD_ID,
    Status,
    Verification,
    read_head,
    verify_chain,
    verify_recent,
)
from jusoor.core import reading
from jusoor.core.db import utcnow
from jusoor.core.ids import uuid7
from jusoor.core.permissions import Actor, scope_clause

__all__ = [
    "GENESIS",
    "HEAD_ID",
    "Status",
    "TrailState",
    "Verification",
    "canonical_json",
    "record",
    "trail_state",
    "verify",
]


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
    """Record one event in the caller's transaction: it lands, or not, with the change it describes.

    `username` names the subject when there is no actor (e.g. a failed login for an unknown user).
    The event is inserted sealed (one HMAC under the primary audit key, cached per process) and no
    lock is taken on the chain's head; it is chained here too in inline mode, by the appender
    thread in background mode (jusoor.audit.appender).
    """
    keys = audit_keyring()
    kid = keys.primary_kid
    event = AuditEvent(
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
        key_id=kid,
    )
    if not reading.write_late(session, lambda s: _insert(s, event, keys)):
        _insert(session, event, keys)
    return event


def _insert(session: Session, event: AuditEvent, keys: AuditKeyring) -> None:
    """Write the event: sealed and pending (background), or chained at once (inline). A page
    read in a reading unit of work on SQLite writes it just before its commit
    (`core.reading.write_late`), so the page does not hold the writer's lock while it renders."""
    if background():
        assert event.key_id is not None
        event.hash = seal(keys, event.key_id, event)
        session.add(event)
        session.flush()
    else:  # chained before the transaction ends: no seal needed (one HMAC, as before)
        session.add(event)
        session.flush()
        chain_pending(session, limit=None, keys=keys, own=event)


def verify(session: Session, *, actor: Actor | None = None) -> Verification:
    """Recompute the whole keyed chain and compare it with the anchors; name what was done to it.

    Called for a user (`actor`: the web, the API, the console's operator), it needs `audit.read`
    and is itself audited, which is how the pages know when the whole chain was last verified.
    """
    if actor is not None:
        actor.require("audit.read")
    result = verify_chain(session)
    if actor is not None:
        record_verification(session, actor=actor, result=result)
    return result


def record_verification(session: Session, *, actor: Actor, result: Verification) -> AuditEvent:
    """Record that the whole chain was verified (what the pages show as its last check)."""
    return record(
        session,
        actor=actor,
        action="audit.verify",  # an event, not a permission; `last_whole_check` reads it
        outcome="success" if result.ok else "failure",
        details={
            "status": result.status.value,
            "events": result.events,
            "first_bad_seq": result.first_bad_seq,
            "seconds": round(result.seconds, 3),
        },
    )


@dataclass(frozen=True)
class LastWholeCheck:
    at: dt.datetime
    ok: bool
    events: int


@dataclass(frozen=True)
class TrailState:
    """What a page shows about the trail: the check of what is new since the last checkpoint,
    and the newest check of the whole chain (`jusoor audit verify`), if any."""

    recent: Verification
    last_whole: LastWholeCheck | None
    total: int  # events on the chain
    checkpoint_at: dt.datetime | None  # the checkpoint the recent check started from


def last_whole_check(session: Session) -> LastWholeCheck | None:
    """The newest recorded verification of the whole chain (one indexed row)."""
    event = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.action == "audit.verify")  # as `verify` records it
        .order_by(AuditEvent.seq.desc())
        .limit(1)
    ).first()
    if event is None:
        return None
    found = parse_details(event.details)
    events = found.get("events")
    return LastWholeCheck(
        at=event.at, ok=event.outcome == "success", events=events if isinstance(events, int) else 0
    )


def trail_state(session: Session) -> TrailState:
    """For the audit page and the admin home: cost follows the events since the checkpoint."""
    recent = verify_recent(session)
    head = read_head(session)
    try:
        since = dt.datetime.fromisoformat(recent.since) if recent.since else None
    except ValueError:
        since = None
    if since is not None and since.tzinfo is None:
        since = since.replace(tzinfo=dt.UTC)
    total = head.last_seq if head else 0
    return TrailState(recent, last_whole_check(session), total, since)


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
