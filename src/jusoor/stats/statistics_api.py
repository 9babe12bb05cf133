"""`/api/v1/stats/statistics`: the catalogue of statistics (`stats/definitions/*.yaml`) and each
statistic by id — counts published like any table (`stats.disclosure.protect`), durations with
their statistics shown only where the count behind them is (`protect_durations`). Permission and
scope as the pages (`stats.read`: the caller's agency or country); every answer is audited."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path
from pydantic import BaseModel

from jusoor.audit.service import record
from jusoor.core.i18n import gettext as _
from jusoor.stats import service
from jusoor.stats.api import By, From, MinCount, PublishedTable, Rounding, To, Year, _answer
from jusoor.stats.disclosure import PublishedDurations, ShownDuration, protect, protect_durations
from jusoor.stats.publishing import Period, Protection
from jusoor.stats.tables import Table
from jusoor.web.access import requires
from jusoor.web.deps import CurrentActor, DbSession
from jusoor.web.responses import api_router, errors

router = api_router("stats")

StatisticId = Annotated[str, Path(max_length=60, description="An id of the catalogue.")]


class CatalogueEntry(BaseModel):
    id: str
    label: str
    description: str
    kind: str  # count | duration
    source: str
    by: list[str]


class DurationFigure(BaseModel):
    """Days; null where fewer people than the threshold stand behind the figure."""

    count: str
    median: float | None
    mean: float | None
    p90: float | None


class DurationCell(DurationFigure):
    key: list[str]


class PublishedDurationTable(BaseModel):
    statistic: str
    unit: str
    by: list[str]
    cells: list[DurationCell]
    overall: DurationFigure
    threshold: int
    notes: list[str]
    filters: dict[str, str]


class StatisticAnswer(BaseModel):
    """One of the two: `table` for a count, `durations` for a duration."""

    kind: str
    table: PublishedTable | None = None
    durations: PublishedDurationTable | None = None


@router.get(
    "/stats/statistics",
    dependencies=[requires("stats.read")],
    summary="The statistics Jusoor computes",
    response_model=list[CatalogueEntry],
    responses=errors(403),
)
def catalogue() -> list[CatalogueEntry]:
    return [
        CatalogueEntry(
            id=s.id,
            label=_(s.label),
            description=_(s.description),
            kind=s.kind,
            source=s.source,
            by=list(s.by),
        )
        for s in service.catalogue()
    ]


def _duration(shown: ShownDuration) -> DurationFigure:
    return DurationFigure(
        count=shown.count.text, median=shown.median, mean=shown.mean, p90=shown.p90
    )


def _durations(table: PublishedDurations) -> PublishedDurationTable:
    return PublishedDurationTable(
        statistic=table.statistic,
        unit=table.unit,
        by=list(table.by),
        cells=[
            DurationCell(key=list(k), **_duration(s).model_dump())
            for k, s in sorted(table.cells.items())
        ],
        overall=_duration(table.overall),
        threshold=table.threshold,
        notes=table.notes,
        filters=table.filters,
    )


@router.get(
    "/stats/statistics/{statistic_id}",
    dependencies=[requires("stats.read")],
    summary="One statistic of the catalogue, published (small cells suppressed)",
    response_model=StatisticAnswer,
    responses=errors(403, 422),
)
def statistic(
    statistic_id: StatisticId,
    actor: CurrentActor,
    session: DbSession,
    by: By = "",
    year: Year = None,
    start: From = None,
    end: To = None,
    min_count: MinCount = None,
    rounding: Rounding = None,
) -> StatisticAnswer:
    period = Period.of(year=year, start=start, end=end)
    protection = Protection.of(min_count, rounding)
    dims = [d.strip() for d in by.split(",") if d.strip()] or None
    exact = service.statistic(
        session, actor, statistic_id, by=dims, start=period.start, end=period.end
    )
    if isinstance(exact, Table):
        published = protect(exact, threshold=protection.threshold, rounding=protection.rounding)
        answer = StatisticAnswer(kind="count", table=_answer(published))
        suppressed = published.suppressed_count()
    else:
        durations = protect_durations(exact, threshold=protection.threshold)
        answer = StatisticAnswer(kind="duration", durations=_durations(durations))
        suppressed = sum(1 for c in durations.cells.values() if c.count.suppressed)
    record(
        session,
        actor=actor,
        action="stats.read",
        object_type="stats_statistic",
        object_id=statistic_id,
        details={"by": list(exact.by), "suppressed": suppressed, **exact.filters},
    )
    return answer
