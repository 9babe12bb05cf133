"""`/api/v1/screenings` and `/api/v1/identifications`. The services check who may do what."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Path, Query, status

from jusoor.core.keyset import MAX_CURSOR_CHARS
from jusoor.screening import identification as identifications
from jusoor.screening import service
from jusoor.screening.queue import COUNT_CAP, MAX_LIMIT, identification_queue
from jusoor.screening.schemas import (
    AnswersIn,
    IdentificationCreate,
    IdentificationRead,
    QueueRead,
    QueueRowRead,
    ResultRead,
    ScreeningRead,
    ScreeningStart,
)
from jusoor.web.access import requires
from jusoor.web.deps import CurrentActor, DbSession
from jusoor.web.responses import BODY_ERRORS, api_router, errors

router = api_router("screening")

ScreeningId = Annotated[uuid.UUID, Path(description="The screening's id.")]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Rows per page.")]
IdentificationId = Annotated[uuid.UUID, Path(description="The decision's id.")]


@router.post(
    "/screenings",
    dependencies=[requires("screening.conduct")],
    summary="Start a screening (a draft of the caller's agency)",
    status_code=status.HTTP_201_CREATED,
    response_model=ScreeningRead,
    responses={**errors(403), **BODY_ERRORS},
)
def start(body: ScreeningStart, actor: CurrentActor, session: DbSession) -> ScreeningRead:
    return ScreeningRead.of(service.start(session, actor=actor, screening_in=body))


@router.get(
    "/screenings",
    summary="The caller's unfinished screenings",
    response_model=list[ScreeningRead],
    responses=errors(403),
)
def drafts(actor: CurrentActor, session: DbSession) -> list[ScreeningRead]:
    return [ScreeningRead.of(s) for s in service.list_drafts(session, actor=actor)]


@router.get(
    "/screenings/{screening_id}",
    summary="One screening, with its answers so far",
    response_model=ScreeningRead,
    responses=errors(403, 404, 422),
)
def read(screening_id: ScreeningId, actor: CurrentActor, session: DbSession) -> ScreeningRead:
    return ScreeningRead.of(service.get(session, actor=actor, screening_id=screening_id))


@router.patch(
    "/screenings/{screening_id}/answers",
    dependencies=[requires("screening.conduct")],
    summary="Save answers (merged with those saved before); with `step`, complete that step",
    response_model=ScreeningRead,
    responses={**errors(403, 404, 409), **BODY_ERRORS},
)
def answer(
    screening_id: ScreeningId, body: AnswersIn, actor: CurrentActor, session: DbSession
) -> ScreeningRead:
    screening = service.save_answers(
        session, actor=actor, screening_id=screening_id, answers=body.answers, step_id=body.step
    )
    return ScreeningRead.of(screening)


@router.post(
    "/screenings/{screening_id}/complete",
    dependencies=[requires("screening.conduct")],
    summary="Close the questionnaire; unanswered questions count as not present",
    response_model=ResultRead,
    responses=errors(403, 404, 409, 422),
)
def complete(screening_id: ScreeningId, actor: CurrentActor, session: DbSession) -> ResultRead:
    screening = service.complete(session, actor=actor, screening_id=screening_id)
    assessment = service.assessment_of(screening)
    return ResultRead(screening=ScreeningRead.of(screening), assessment=assessment.as_dict())


@router.get(
    "/screenings/{screening_id}/result",
    summary="The assessment of the answers so far: dimensions, outcome and reasons",
    response_model=ResultRead,
    responses=errors(403, 404, 422),
)
def result(screening_id: ScreeningId, actor: CurrentActor, session: DbSession) -> ResultRead:
    screening = service.get(session, actor=actor, screening_id=screening_id)
    assessment = service.assessment_of(screening)
    return ResultRead(screening=ScreeningRead.of(screening), assessment=assessment.as_dict())


@router.post(
    "/identifications",
    dependencies=[requires("identification.decide")],
    summary="Record a formal identification on a completed screening (authorised roles only)",
    status_code=status.HTTP_201_CREATED,
    response_model=IdentificationRead,
    responses={**errors(403, 404), **BODY_ERRORS},
)
def identify(
    body: IdentificationCreate, actor: CurrentActor, session: DbSession
) -> IdentificationRead:
    decision = identifications.decide(session, actor=actor, identification_in=body)
    return IdentificationRead.of(decision)


@router.get(
    "/identifications/{identification_id}",
    summary="One formal identification decision",
    response_model=IdentificationRead,
    responses=errors(403, 404, 422),
)
def read_identification(
    identification_id: IdentificationId, actor: CurrentActor, session: DbSession
) -> IdentificationRead:
    decision = identifications.get(session, actor=actor, identification_id=identification_id)
    shown = identifications.basis_visible(session, actor=actor, identification=decision)
    return IdentificationRead.of(decision, with_basis=shown)


@router.get(
    "/identification/queue",
    summary="Presumed and possible victims awaiting a formal identification, oldest first",
    description=(
        "Keyset paging: each page gives in `next` the cursor to pass as `after` for the "
        "following one; `offset` (up to 1,000) is kept for older clients. Totals are counted "
        "up to 1,000 (`more`, `overdue_more`). A cursor not handed out by this queue is a 422 "
        "naming `after`."
    ),
    response_model=QueueRead,
    responses=errors(403, 422),
)
def queue(
    actor: CurrentActor,
    session: DbSession,
    limit: Limit = 50,
    offset: Annotated[int, Query(ge=0, le=COUNT_CAP, description="Rows to skip.")] = 0,
    after: Annotated[
        str | None,
        Query(max_length=MAX_CURSOR_CHARS, description="The `next` cursor of the page before."),
    ] = None,
) -> QueueRead:
    page = identification_queue(session, actor=actor, limit=limit, offset=offset, after=after)
    return QueueRead(
        rows=[QueueRowRead.model_validate(row) for row in page.rows],
        total=page.total,
        overdue=page.overdue,
        limit=page.limit,
        offset=page.offset,
        more=page.more,
        overdue_more=page.overdue_more,
        next=page.next_cursor,
    )
