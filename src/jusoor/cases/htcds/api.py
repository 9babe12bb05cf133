"""`/api/v1/cases/export` and `/api/v1/cases/import`: HTCDS 2.0 files over the API.

Thin over `export` and `imports`, which check the caller's permission, scope and shared
fields and audit the export or import. Registered before `jusoor.cases.api` so that
`/cases/export` is not read as a case id.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, Request, Response, status
from pydantic import BaseModel

from jusoor.cases.htcds import export as htcds
from jusoor.cases.htcds import imports as htcds_import
from jusoor.core.import_limits import web_limits
from jusoor.web.access import requires
from jusoor.web.deps import CurrentActor, DbSession
from jusoor.web.responses import BODY_ERRORS, api_router, errors

router = api_router("cases")

MEDIA_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json"}


class ImportResult(BaseModel):
    imported: list[str]


async def _raw_body(request: Request) -> bytes:
    return await request.body()


@router.get(
    "/cases/export",
    summary="The cases the caller may see, as a pseudonymised HTCDS 2.0 file",
    response_class=Response,
    responses={
        200: {"content": {"text/csv": {}, "application/json": {}}},
        **errors(403, 422),
    },
)
def export_cases(
    actor: CurrentActor,
    session: DbSession,
    fmt: Annotated[htcds.Format, Query(alias="format", description="csv or json")] = "csv",
) -> Response:
    export = htcds.export_cases(session, actor=actor, fmt=fmt)
    filename = f"jusoor-cases-htcds.{fmt}"
    return Response(
        content=export.render(),
        media_type=MEDIA_TYPES[fmt],
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )


@router.post(
    "/cases/import",
    dependencies=[requires("cases.import")],
    summary="Open cases in the caller's agency from an HTCDS 2.0 CSV or JSON file (the body)",
    description=(
        "The body may hold up to JUSOOR_IMPORT_WEB_MAX_BYTES (never more than "
        "JUSOOR_MAX_BODY_BYTES; 413 beyond) and JUSOOR_IMPORT_WEB_MAX_ROWS cases; a larger "
        "file is imported from the console (`jusoor cases import`). A malformed CSV row (more "
        "or fewer cells than the header, a quote left open, a control character) is refused "
        "by its number, and nothing is imported."
    ),
    status_code=status.HTTP_201_CREATED,
    response_model=ImportResult,
    responses={**errors(403), **BODY_ERRORS},
)
def import_cases(
    actor: CurrentActor,
    session: DbSession,
    data: Annotated[bytes, Depends(_raw_body)],
) -> ImportResult:
    refs = htcds_import.import_cases(session, actor=actor, data=data, limits=web_limits())
    return ImportResult(imported=refs)
