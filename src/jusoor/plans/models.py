"""A national action plan: plan -> pillars -> measures (responsible agencies) and indicators ->
progress reports per period (a status and narrative per measure, a value per indicator)."""

from __future__ import annotations

import datetime as dt
import enum
import uuid

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Enum,
    Float,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jusoor.agencies.models import Agency
from jusoor.core.db import Base, UTCDateTime, utcnow
from jusoor.core.ids import uuid7
from jusoor.plans.vocabulary import (
    Direction,
    IndicatorSource,
    MeasureStatus,
    PillarKind,
    PlanStatus,
)


def _enum(kind: type[enum.Enum]) -> Enum:
    return Enum(kind, native_enum=False, length=20)


class Plan(Base):
    """A country's national action plan against trafficking in persons, for a period."""

    __tablename__ = "action_plans"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid7)
    country: Mapped[str] = mapped_column(String(2), index=True)  # ISO 3166-1 alpha-2
    title_ar: Mapped[str] = mapped_column(String(300), default="")
    title_en: Mapped[str] = mapped_column(String(300), default="")
    title_fr: Mapped[str] = mapped_column(String(300), default="")
    adopting_body: Mapped[str] = mapped_column(String(300), default="")
    adopted_on: Mapped[dt.date | None] = mapped_column(Date)
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[PlanStatus] = mapped_column(_enum(PlanStatus), default=PlanStatus.draft)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    pillars: Mapped[list[Pillar]] = relationship(
        back_populates="plan", order_by="Pillar.position", cascade="all, delete-orphan"
    )
    reports: Mapped[list[ProgressReport]] = relationship(
        back_populates="plan", order_by="ProgressReport.period_end", cascade="all, delete-orphan"
    )


class Pillar(Base):
    __tablename__ = "plan_pillars"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid7)
    plan_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("action_plans.id"), index=True)
    kind: Mapped[PillarKind] = mapped_column(_enum(PillarKind))
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(300), default="")

    plan: Mapped[Plan] = relationship(back_populates="pillars")
    measures: Mapped[list[Measure]] = relationship(
        back_populates="pillar", order_by="Measure.position", cascade="all, delete-orphan"
    )
    indicators: Mapped[list[Indicator]] = relationship(
        back_populates="pillar", order_by="Indicator.position", cascade="all, delete-orphan"
    )


class Measure(Base):
    """What the plan commits an agency (the lead) and its partners to do, by a deadline."""

    __tablename__ = "plan_measures"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid7)
    pillar_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("plan_pillars.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(500))
    description: Mapped[str] = mapped_column(Text, default="")
    start: Mapped[dt.date] = mapped_column(Date)
    deadline: Mapped[dt.date] = mapped_column(Date, index=True)
    budget_amount: Mapped[float | None] = mapped_column(Numeric(16, 2, asdecimal=False))
    currency: Mapped[str | None] = mapped_column(String(3))  # ISO 4217
    status: Mapped[MeasureStatus] = mapped_column(
        _enum(MeasureStatus), default=MeasureStatus.planned
    )

    pillar: Mapped[Pillar] = relationship(back_populates="measures")
    responsible: Mapped[list[MeasureAgency]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="MeasureAgency.lead.desc()"
    )

    @property
    def agency_ids(self) -> set[uuid.UUID]:
        return {r.agency_id for r in self.responsible}

    @property
    def lead(self) -> Agency | None:
        return next((r.agency for r in self.responsible if r.lead), None)


class MeasureAgency(Base):
    """An agency responsible for a measure; exactly one of them leads it."""

    __tablename__ = "plan_measure_agencies"

    measure_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("plan_measures.id"), primary_key=True)
    agency_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agencies.id"), primary_key=True)
    lead: Mapped[bool] = mapped_column(Boolean, default=False)

    agency: Mapped[Agency] = relationship(lazy="joined")


class Indicator(Base):
    """How progress is measured: baseline and target, and where each period's value comes from.

    An engine source names a subject of `stats.engine` and filters (dimension -> category); the
    value for a period is that count over the plan's country, frozen in the report."""

    __tablename__ = "plan_indicators"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid7)
    pillar_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("plan_pillars.id"), index=True)
    measure_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("plan_measures.id"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(300))
    unit: Mapped[str] = mapped_column(String(100), default="")
    baseline_value: Mapped[float] = mapped_column(Float)
    baseline_year: Mapped[int] = mapped_column(Integer)
    target_value: Mapped[float] = mapped_column(Float)
    target_year: Mapped[int] = mapped_column(Integer)
    direction: Mapped[Direction] = mapped_column(_enum(Direction), default=Direction.up)
    source: Mapped[IndicatorSource] = mapped_column(
        _enum(IndicatorSource), default=IndicatorSource.manual
    )
    statistic: Mapped[str | None] = mapped_column(String(40))  # a stats.engine subject
    filters: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)

    pillar: Mapped[Pillar] = relationship(back_populates="indicators")
    measure: Mapped[Measure | None] = relationship()


class ProgressReport(Base):
    """The progress of a plan over one period (a year, a half-year), written by several agencies."""

    __tablename__ = "plan_reports"
    __table_args__ = (UniqueConstraint("plan_id", "label"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid7)
    plan_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("action_plans.id"), index=True)
    label: Mapped[str] = mapped_column(String(60))
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    plan: Mapped[Plan] = relationship(back_populates="reports")
    measures: Mapped[list[MeasureProgress]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )
    values: Mapped[list[IndicatorValue]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )


class MeasureProgress(Base):
    """A measure's status over a period, what was done, and the evidence (links)."""

    __tablename__ = "plan_measure_progress"
    __table_args__ = (UniqueConstraint("report_id", "measure_id"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid7)
    report_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("plan_reports.id"), index=True)
    measure_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("plan_measures.id"), index=True)
    status: Mapped[MeasureStatus] = mapped_column(_enum(MeasureStatus))
    narrative: Mapped[str] = mapped_column(Text, default="")
    evidence: Mapped[list[str]] = mapped_column(JSON, default=list)  # http(s) links
    reported_by: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    agency_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("agencies.id"))
    reported_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class IndicatorValue(Base):
    """An indicator's value for a period: computed by the engine and frozen, or entered."""

    __tablename__ = "plan_indicator_values"
    __table_args__ = (UniqueConstraint("report_id", "indicator_id"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid7)
    report_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("plan_reports.id"), index=True)
    indicator_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("plan_indicators.id"), index=True)
    value: Mapped[float] = mapped_column(Float)
    computed: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str] = mapped_column(Text, default="")
    reported_by: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    reported_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
