"""`/api/v1/cases`: case files, notes, tasks, consents and NRM stage moves. Thin over `service`:
the service checks who may do what, on which case, and audits every read and write."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

from fastapi import Path, Query, status
from pydantic import BaseModel, Field

from jusoor.cases import listing, service
from jusoor.cases.schemas import (
    BestInterestsSet,
    CaseCreate,
    CaseProfile,
    CaseSummary,
    ConsentCreate,
    ConsentRead,
    EventRead,
    GuardianSet,
    NoteCreate,
    NoteRead,
    TaskCreate,
    TaskRead,
    TransitionCreate,
)
from jusoor.cases.views import CaseRead, case_read
from jusoor.cases.vocabulary import Stage
from jusoor.core.errors import Invalid
from jusoor.core.keyset import MAX_CURSOR_CHARS
from jusoor.web.access import requires
from jusoor.web.deps import CurrentActor, DbSession
from jusoor.web.responses import BODY_ERRORS, api_router, errors

router = api_router("cases")

CaseId = Annotated[uuid.UUID, Path(description="The case's id.")]
READ = {"response_model_exclude_unset": True, "response_model": CaseRead}


class CasePage(BaseModel):
    cases: list[CaseSummary]
    total: int = Field(
        description="Cases matching, counted up to 1,000 (then 1,000 with `more` true)."
    )
    more: bool = Field(False, description="More than 1,000 cases match.")
    next: str | None = Field(
        None, description="Pass as `after` for the next page; null on the last page."
    )


@router.get(
    "/cases",
    summary="Cases the caller may see, newest first, a page at a time",
    description=(
        "Keyset paging: the first page has no `after`; each page gives in `next` the cursor of "
        "the following one, which keeps the order stable while cases are opened. `offset` is "
        "kept for older clients, up to 1,000 rows after the cursor. The total is bounded "
        "(`more`). A filter that cannot apply (an agency or owner outside the caller's reach, "
        "a cursor not handed out by this list) is refused with 422 naming the parameter."
    ),
    response_model=CasePage,
    responses=errors(422),
)
def list_cases(
    actor: CurrentActor,
    session: DbSession,
    stage: Annotated[Stage | None, Query(description="Only cases at this NRM stage.")] = None,
    agency_id: Annotated[uuid.UUID | None, Query(description="Only this agency's cases.")] = None,
    owner: Annotated[
        str, Query(max_length=64, description="Only the cases of this case worker (username).")
    ] = "",
    opened_from: Annotated[
        dt.date | None, Query(description="Only cases opened on or after this day.")
    ] = None,
    opened_to: Annotated[
        dt.date | None, Query(description="Only cases opened on or before this day.")
    ] = None,
    q: Annotated[
        str,
        Query(
            max_length=listing.MAX_SEARCH,
            description="A reference, an owner's username, or a whole name or alias (exact).",
        ),
    ] = "",
    overdue: Annotated[bool, Query(description="Only cases with overdue tasks.")] = False,
    after: Annotated[
        str | None,
        Query(max_length=MAX_CURSOR_CHARS, description="The `next` cursor of the page before."),
    ] = None,
    offset: Annotated[
        int, Query(ge=0, le=listing.MAX_OFFSET, description="Cases to skip after the cursor.")
    ] = 0,
    limit: Annotated[int, Query(ge=1, le=listing.MAX_LIMIT)] = 50,
) -> CasePage:
    flt = service.CaseFilter(
        stage=stage,
        agency_id=agency_id,
        owner=owner,
        opened_from=opened_from,
        opened_to=opened_to,
        search=q,
        overdue=overdue,
        after=after,
        offset=offset,
        limit=limit,
    )
    try:
        found = service.list_cases(session, actor=actor, flt=flt)
    except Invalid as exc:
        if exc.field != "agency":
            raise
        raise Invalid("agency_id", exc.message) from None  # the parameter's name here
    late = service.overdue_counts(session, [c.id for c in found.cases])
    return CasePage(
        cases=[
            CaseSummary(
                id=c.id,
                reference=c.reference,
                country=c.country,
                stage=c.stage,
                opened_at=c.opened_at,
                overdue_tasks=late.get(c.id, 0),
            )
            for c in found.cases
        ],
        total=found.total,
        more=found.more,
        next=found.next_cursor,
    )


@router.post(
    "/cases",
    dependencies=[requires("cases.create")],
    summary="Open a case",
    status_code=status.HTTP_201_CREATED,
    responses={**errors(403), **BODY_ERRORS},
    **READ,  # type: ignore[arg-type]
)
def open_case(body: CaseCreate, actor: CurrentActor, session: DbSession) -> CaseRead:
    case = service.open_case(session, actor=actor, case_in=body)
    if not actor.can("cases.read"):  # a screener opens a case but does not read it back
        return CaseRead(id=case.id, reference=case.reference, stage=case.stage, fields=[])
    return case_read(session, service.get_case(session, actor=actor, case_id=case.id))


@router.get("/cases/{case_id}", summary="One case file", responses=errors(404, 422), **READ)  # type: ignore[arg-type]
def read_case(case_id: CaseId, actor: CurrentActor, session: DbSession) -> CaseRead:
    return case_read(session, service.get_case(session, actor=actor, case_id=case_id))


@router.patch(
    "/cases/{case_id}",
    dependencies=[requires("cases.update")],
    summary="Change the victim profile (only the fields sent)",
    responses={**errors(403, 404, 422), **BODY_ERRORS},
    **READ,  # type: ignore[arg-type]
)
def update_case(
    case_id: CaseId, body: CaseProfile, actor: CurrentActor, session: DbSession
) -> CaseRead:
    service.update_profile(session, actor=actor, case_id=case_id, profile_in=body)
    return case_read(session, service.get_case(session, actor=actor, case_id=case_id))


@router.post(
    "/cases/{case_id}/transitions",
    dependencies=[requires("cases.move")],
    summary="Move the case to another NRM stage",
    status_code=status.HTTP_201_CREATED,
    response_model=EventRead,
    responses={**errors(403, 404, 422), **BODY_ERRORS},
)
def move_case(
    case_id: CaseId, body: TransitionCreate, actor: CurrentActor, session: DbSession
) -> EventRead:
    event = service.move_stage(
        session,
        actor=actor,
        case_id=case_id,
        stage=body.stage,
        reason=body.reason,
        early_end_reason=body.early_end_reason,
    )
    return EventRead.model_validate(event)


@router.post(
    "/cases/{case_id}/notes",
    dependencies=[requires("cases.update")],
    summary="Add a note",
    status_code=status.HTTP_201_CREATED,
    response_model=NoteRead,
    responses={**errors(403, 404, 422), **BODY_ERRORS},
)
def add_note(
    case_id: CaseId, body: NoteCreate, actor: CurrentActor, session: DbSession
) -> NoteRead:
    return NoteRead.model_validate(
        service.add_note(session, actor=actor, case_id=case_id, note_in=body)
    )


@router.post(
    "/cases/{case_id}/tasks",
    dependencies=[requires("cases.update")],
    summary="Add a task",
    status_code=status.HTTP_201_CREATED,
    response_model=TaskRead,
    responses={**errors(403, 404, 422), **BODY_ERRORS},
)
def add_task(
    case_id: CaseId, body: TaskCreate, actor: CurrentActor, session: DbSession
) -> TaskRead:
    return TaskRead.model_validate(
        service.add_task(session, actor=actor, case_id=case_id, task_in=body)
    )


@router.post(
    "/cases/{case_id}/tasks/{task_id}/done",
    dependencies=[requires("cases.update")],
    summary="Mark a task done",
    response_model=TaskRead,
    responses=errors(403, 404, 409, 422),
)
def complete_task(
    case_id: CaseId, task_id: uuid.UUID, actor: CurrentActor, session: DbSession
) -> TaskRead:
    task = service.complete_task(session, actor=actor, case_id=case_id, task_id=task_id)
    return TaskRead.model_validate(task)


@router.post(
    "/cases/{case_id}/consents",
    dependencies=[requires("cases.consent")],
    summary="Record a consent for one purpose",
    status_code=status.HTTP_201_CREATED,
    response_model=ConsentRead,
    responses={**errors(403, 404, 422), **BODY_ERRORS},
)
def give_consent(
    case_id: CaseId, body: ConsentCreate, actor: CurrentActor, session: DbSession
) -> ConsentRead:
    consent = service.give_consent(session, actor=actor, case_id=case_id, consent_in=body)
    return ConsentRead.model_validate(consent)


@router.post(
    "/cases/{case_id}/consents/{consent_id}/withdraw",
    dependencies=[requires("cases.consent")],
    summary="Withdraw a consent (effective at once)",
    response_model=ConsentRead,
    responses=errors(403, 404, 409, 422),
)
def withdraw_consent(
    case_id: CaseId, consent_id: uuid.UUID, actor: CurrentActor, session: DbSession
) -> ConsentRead:
    consent = service.withdraw_consent(session, actor=actor, case_id=case_id, consent_id=consent_id)
    return ConsentRead.model_validate(consent)


@router.put(
    "/cases/{case_id}/guardian",
    dependencies=[requires("cases.update")],
    summary="Record a child's guardian",
    responses={**errors(403, 404, 422), **BODY_ERRORS},
    **READ,  # type: ignore[arg-type]
)
def set_guardian(
    case_id: CaseId, body: GuardianSet, actor: CurrentActor, session: DbSession
) -> CaseRead:
    service.set_guardian(session, actor=actor, case_id=case_id, guardian_in=body)
    return case_read(session, service.get_case(session, actor=actor, case_id=case_id))


@router.post(
    "/cases/{case_id}/best-interests",
    dependencies=[requires("cases.update")],
    summary="Record a child's best-interests assessment or determination",
    responses={**errors(403, 404, 422), **BODY_ERRORS},
    **READ,  # type: ignore[arg-type]
)
def record_best_interests(
    case_id: CaseId, body: BestInterestsSet, actor: CurrentActor, session: DbSession
) -> CaseRead:
    service.record_best_interests(session, actor=actor, case_id=case_id, step_in=body)
    return case_read(session, service.get_case(session, actor=actor, case_id=case_id))
