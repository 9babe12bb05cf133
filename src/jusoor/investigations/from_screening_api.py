"""`POST /api/v1/investigations/from-screening/{id}`: open a file from a completed screening, as
the result page's "Open an investigation file" does. Its own router, mounted before the routes
that read a file id at the same place (tests/architecture/test_registry.py)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Path, status

from jusoor.core.permissions import Action
from jusoor.investigations import from_screening
from jusoor.investigations.schemas import FileCreate, FileRead
from jusoor.web.access import requires
from jusoor.web.deps import CurrentActor, DbSession
from jusoor.web.responses import BODY_ERRORS, api_router, errors

router = api_router("investigations")

BASE = "/investigations"


class FileFromScreening(FileCreate):
    """A file opened from a completed screening (the page's "Open an investigation file")."""

    link_case: bool = True  # link the case opened from the screening as a victim-witness


@router.post(
    f"{BASE}/from-screening/{{screening_id}}",
    dependencies=[requires(Action.investigations_open)],
    summary="Open a file from a completed screening (its short reference kept, nothing else)",
    status_code=status.HTTP_201_CREATED,
    response_model=FileRead,
    responses={**errors(403, 404), **BODY_ERRORS},
)
def open_from_screening(
    screening_id: Annotated[uuid.UUID, Path(description="The screening's id.")],
    body: FileFromScreening,
    actor: CurrentActor,
    session: DbSession,
) -> FileRead:
    file_in = FileCreate.model_validate(body.model_dump(exclude={"link_case"}))
    file = from_screening.open_from_screening(
        session, actor=actor, screening_id=str(screening_id), file_in=file_in,
        link_case=body.link_case,
    )  # fmt: skip
    return FileRead.model_validate(file)
