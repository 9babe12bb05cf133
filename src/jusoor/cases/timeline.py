"""The case timeline: an append-only list of everything that happened to a case, in order."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from jusoor.audit import service as audit
from jusoor.cases import extensions
from jusoor.cases.models import Case, CaseEvent
from jusoor.cases.vocabulary import EventKind
from jusoor.core.permissions import Actor


def record_event(
    session: Session,
    *,
    actor: Actor,
    case: Case,
    kind: EventKind | str,
    details: dict[str, Any] | None = None,
    reason: str | None = None,
) -> CaseEvent:
    """Append one event to `case`'s timeline. `details` holds codes only (it is not encrypted);
    free text that may identify someone goes in `reason`, which is. `kind` is an `EventKind` or
    a code another domain registered (`extensions.register_case_events`)."""
    if str(kind) not in {k.value for k in EventKind} | set(extensions.case_events()):
        raise ValueError(f"unknown case event {kind!r}: register it with register_case_events")
    event = CaseEvent(
        case_id=case.id,
        actor_username=actor.username,
        kind=str(kind),
        details=dict(details or {}),
        reason=reason,
    )
    session.add(event)
    session.flush()
    return event


def record_and_audit(
    session: Session,
    *,
    actor: Actor,
    case: Case,
    kind: EventKind | str,
    action: str,
    details: dict[str, Any],
    reason: str | None = None,
) -> CaseEvent:
    """Append the event to the timeline and write the audit event `action` with the same details
    (codes only; `reason`, encrypted, stays on the timeline), in the caller's transaction."""
    event = record_event(session, actor=actor, case=case, kind=kind, details=details, reason=reason)
    audit.record(
        session, actor=actor, action=action, object_type="case", object_id=case.id, details=details
    )
    return event


def events_of(session: Session, case_id: uuid.UUID) -> Sequence[CaseEvent]:
    """The timeline of one case, oldest first. The caller has checked and audited the read."""
    stmt = select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(CaseEvent.seq)
    return session.scalars(stmt).all()
