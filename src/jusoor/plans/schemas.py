"""Validated shapes of plans, pillars, measures, indicators and progress reports (the API, the
pages and the CLI share them). Checks that join fields (a deadline before the start, a target
year before the baseline) are the service's, which names the field in an `Invalid`."""

from __future__ import annotations

import datetime as dt
import uuid

from pydantic import BaseModel, ConfigDict, Field

from jusoor.core.typed_dates import TypedDate
from jusoor.plans.vocabulary import (
    Direction,
    IndicatorSource,
    MeasureStatus,
    PillarKind,
    PlanStatus,
)

MAX_AMOUNT = 1e13  # a budget line, in any currency, far below the column's 16 digits
YEAR = Field(ge=1990, le=2100)


class _Shape(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class PlanIn(_Shape):
    title_ar: str = Field(default="", max_length=300)
    title_en: str = Field(default="", max_length=300)
    title_fr: str = Field(default="", max_length=300)
    adopting_body: str = Field(default="", max_length=300)
    adopted_on: TypedDate | None = None
    period_start: TypedDate
    period_end: TypedDate
    status: PlanStatus = PlanStatus.draft


class PillarIn(_Shape):
    kind: PillarKind
    title: str = Field(default="", max_length=300)


class MeasureIn(_Shape):
    pillar_id: uuid.UUID
    title: str = Field(min_length=1, max_length=500)
    description: str = Field(default="", max_length=5000)
    start: TypedDate
    deadline: TypedDate
    budget_amount: float | None = Field(default=None, ge=0, le=MAX_AMOUNT)
    currency: str | None = Field(default=None, max_length=3)
    status: MeasureStatus = MeasureStatus.planned
    lead_agency_id: uuid.UUID
    agency_ids: list[uuid.UUID] = Field(default_factory=list, max_length=30)


class IndicatorIn(_Shape):
    pillar_id: uuid.UUID
    measure_id: uuid.UUID | None = None
    name: str = Field(min_length=1, max_length=300)
    unit: str = Field(default="", max_length=100)
    baseline_value: float = Field(ge=-MAX_AMOUNT, le=MAX_AMOUNT)
    baseline_year: int = YEAR
    target_value: float = Field(ge=-MAX_AMOUNT, le=MAX_AMOUNT)
    target_year: int = YEAR
    direction: Direction = Direction.up
    source: IndicatorSource = IndicatorSource.manual
    statistic: str | None = Field(default=None, max_length=40)
    filters: dict[str, str] = Field(default_factory=dict, max_length=3)


class MeasureReportIn(_Shape):
    measure_id: uuid.UUID
    status: MeasureStatus
    narrative: str = Field(default="", max_length=5000)
    evidence: list[str] = Field(default_factory=list, max_length=20)


class IndicatorReportIn(_Shape):
    indicator_id: uuid.UUID
    value: float | None = Field(default=None, ge=-MAX_AMOUNT, le=MAX_AMOUNT)  # None: computed
    note: str = Field(default="", max_length=2000)


class ReportIn(_Shape):
    label: str = Field(min_length=1, max_length=60)
    period_start: TypedDate
    period_end: TypedDate
    measures: list[MeasureReportIn] = Field(default_factory=list, max_length=500)
    indicators: list[IndicatorReportIn] = Field(default_factory=list, max_length=500)


class PlanSummary(BaseModel):
    """A plan in a list (the API)."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    country: str
    title_ar: str
    title_en: str
    title_fr: str
    adopting_body: str
    adopted_on: dt.date | None
    period_start: dt.date
    period_end: dt.date
    status: PlanStatus


class ReportRead(BaseModel):
    """What a report filed through the API answers."""

    id: uuid.UUID
    label: str
    period_start: dt.date
    period_end: dt.date
    measures: int
    indicators: int
