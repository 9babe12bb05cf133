"""`/api/v1/stats/glotip/{year}.xlsx`: the country's answers to UNODC's GLOTIP data collection, in
the columns and categories of UNODC's published file (the same workbook as `jusoor stats glotip
export`), small counts as "<5". Needs `stats.release`; the export is audited by the service."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query, Response

from jusoor.stats.glotip import export
from jusoor.stats.publishing import MEDIA_TYPES
from jusoor.web.access import requires
from jusoor.web.deps import CurrentActor, DbSession
from jusoor.web.responses import api_router, errors

router = api_router("stats")


@router.get(
    "/stats/glotip/{year}.xlsx",
    dependencies=[requires("stats.release")],
    summary="The country's GLOTIP answers for a year, as UNODC's data file lays them out",
    response_class=Response,
    responses={200: {"content": {MEDIA_TYPES["xlsx"]: {}}}, **errors(403, 422)},
)
def glotip_report(
    year: Annotated[int, Path(ge=2000, le=2100, description="The year reported.")],
    actor: CurrentActor,
    session: DbSession,
    country: Annotated[
        str | None, Query(max_length=2, description="ISO 3166-1 alpha-2 (default: yours).")
    ] = None,
) -> Response:
    result = export.answers(session, actor=actor, year=year, country=country)
    return Response(
        export.workbook_bytes(result),
        media_type=MEDIA_TYPES["xlsx"],
        headers={
            "Content-Disposition": f'attachment; filename="glotip-{result.country}-{year}.xlsx"',
            "Cache-Control": "no-store",
        },
    )
