"""`/api/v1/stats/tables`: any table of the engine, published (small cells suppressed), as JSON,
CSV or XLSX. Same permission and scope as the pages: `stats.read` for JSON (the caller's agency
or country), `stats.export` for the files; every answer is audited."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import Query, Response
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from jusoor.audit.service import record
from jusoor.core.permissions import Actor
from jusoor.stats import engine
from jusoor.stats.disclosure import MAX_THRESHOLD, MIN_THRESHOLD, Published, Shown
from jusoor.stats.publishing import (
    EARLIEST_YEAR,
    LATEST_YEAR,
    MEDIA_TYPES,
    FileFormat,
    Period,
    Protection,
    download,
    publish,
)
from jusoor.web.access import requires
from jusoor.web.deps import CurrentActor, DbSession
from jusoor.web.responses import api_router, errors

router = api_router("stats")

Subject = Annotated[str, Query(max_length=40, description="What is counted, e.g. cases.")]
By = Annotated[
    str, Query(max_length=120, description="Up to 3 dimensions, comma-separated: sex,age_band.")
]
Year = Annotated[int | None, Query(ge=EARLIEST_YEAR, le=LATEST_YEAR, description="One year.")]
From = Annotated[dt.date | None, Query(alias="from", description="First day (inclusive).")]
To = Annotated[dt.date | None, Query(alias="to", description="Last day (inclusive).")]
MinCount = Annotated[
    int | None,
    Query(ge=MIN_THRESHOLD, le=MAX_THRESHOLD, description="Smallest count shown (default 5)."),
]
Rounding = Annotated[int | None, Query(ge=1, le=10, description="Round counts to this base.")]


class Figure(BaseModel):
    """One published figure: `value` null when suppressed; `text` is what a reader sees."""

    text: str
    value: int | None
    suppressed: str | None = Field(None, description="primary (under the threshold) or secondary")


class Cell(Figure):
    key: list[str]


class PublishedTable(BaseModel):
    statistic: str
    unit: str
    by: list[str]
    cells: list[Cell]
    margins: list[dict[str, Figure]]
    total: Figure
    threshold: int
    rounding: int | None
    notes: list[str]
    filters: dict[str, str]


def _figure(shown: Shown) -> Figure:
    return Figure(text=shown.text, value=shown.value, suppressed=shown.suppressed)


def _answer(table: Published) -> PublishedTable:
    return PublishedTable(
        statistic=table.statistic,
        unit=table.unit,
        by=list(table.by),
        cells=[
            Cell(key=list(k), text=s.text, value=s.value, suppressed=s.suppressed)
            for k, s in sorted(table.cells.items())
        ],
        margins=[{c: _figure(s) for c, s in m.items()} for m in table.margins],
        total=_figure(table.total),
        threshold=table.threshold,
        rounding=table.rounding,
        notes=table.notes,
        filters=table.filters,
    )


def _query(
    subject: str, by: str, year: int | None, start: dt.date | None, end: dt.date | None
) -> engine.Query:
    dims = tuple(d.strip() for d in by.split(",") if d.strip())
    return Period.of(year=year, start=start, end=end).query(subject, dims)


@router.get(
    "/stats/tables",
    summary="A table of counts, with small cells suppressed",
    response_model=PublishedTable,
    responses=errors(403, 422),
)
def table(
    actor: CurrentActor,
    session: DbSession,
    subject: Subject = "cases",
    by: By = "",
    year: Year = None,
    start: From = None,
    end: To = None,
    min_count: MinCount = None,
    rounding: Rounding = None,
) -> PublishedTable:
    query = _query(subject, by, year, start, end)
    published = publish(
        session, actor=actor, query=query, protection=Protection.of(min_count, rounding)
    )
    _audit_read(session, actor, query, published)
    return _answer(published)


def _audit_read(session: Session, actor: Actor, query: engine.Query, table: Published) -> None:
    record(
        session,
        actor=actor,
        action="stats.read",
        object_type="stats_table",
        object_id=query.subject,
        details={"by": list(query.by), "suppressed": table.suppressed_count(), **table.filters},
    )


@router.get(
    "/stats/tables.{fmt}",
    dependencies=[requires("stats.export")],
    summary="The same table as a CSV or XLSX file",
    response_class=Response,
    responses={
        200: {"content": {"text/csv": {}, MEDIA_TYPES["xlsx"]: {}}},
        **errors(403, 422),
    },
)
def table_file(
    fmt: FileFormat,
    actor: CurrentActor,
    session: DbSession,
    subject: Subject = "cases",
    by: By = "",
    year: Year = None,
    start: From = None,
    end: To = None,
    min_count: MinCount = None,
    rounding: Rounding = None,
) -> Response:
    query = _query(subject, by, year, start, end)
    content = download(
        session,
        actor=actor,
        query=query,
        protection=Protection.of(min_count, rounding),
        fmt=fmt,
    )
    name = f"jusoor-{query.subject}-{'-'.join(query.by) or 'total'}.{fmt}"
    return Response(
        content,
        media_type=MEDIA_TYPES[fmt],
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "no-store",
        },
    )
