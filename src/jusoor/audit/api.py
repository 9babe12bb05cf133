"""`/api/v1/audit`: read the tamper-evident trail (within the reader's scope) and verify it."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

from jusoor.audit import service
from jusoor.audit.schemas import AuditEventRead, AuditPage, AuditQuery, VerificationRead
from jusoor.web.deps import CurrentActor, DbSession
from jusoor.web.responses import api_router, errors

router = api_router("audit")


@router.get(
    "/audit/events",
    summary="Audit events the caller may read, newest first (reading is itself audited)",
    response_model=AuditPage,
    responses=errors(403, 422),
)
def list_events(
    query: Annotated[AuditQuery, Query()], actor: CurrentActor, session: DbSession
) -> AuditPage:
    events = [
        AuditEventRead.model_validate(e)
        for e in service.search(session, actor=actor, flt=query.to_filter())
    ]
    full_page = len(events) == query.limit
    return AuditPage(events=events, next_before_seq=events[-1].seq if full_page else None)


@router.get(
    "/audit/verify",
    summary="Recompute the keyed hash chain, compare it with the anchors, name what was done",
    response_model=VerificationRead,
    responses=errors(403),
)
def verify_chain(actor: CurrentActor, session: DbSession) -> VerificationRead:
    return VerificationRead.model_validate(service.verify(session, actor=actor).as_dict())
