"""What the plan page and the export show: each pillar's measures (responsible agencies, status,
overdue) and indicators (baseline -> latest value -> target, and the share of the way done).

An engine-sourced value is shown as published (`sources.shown`: "<5" under the threshold), and
a suppressed value gets no progress bar: the bar's length would give the count away.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from jusoor.core.permissions import Actor
from jusoor.plans import progress, sources
from jusoor.plans.models import (
    Indicator,
    IndicatorValue,
    Measure,
    Pillar,
    Plan,
    ProgressReport,
)


@dataclass(frozen=True)
class IndicatorRow:
    indicator: Indicator
    baseline: str
    target: str
    latest: str | None  # as published; None when no period reported it
    latest_period: str | None
    share: float | None  # 0..1 of the way from baseline to target; None when not shown
    may_report: bool

    @property
    def percent(self) -> int | None:
        return None if self.share is None else round(self.share * 100)


@dataclass(frozen=True)
class MeasureRow:
    measure: Measure
    agencies: list[str]  # the lead first
    overdue: bool
    may_report: bool


@dataclass(frozen=True)
class PillarRow:
    pillar: Pillar
    measures: list[MeasureRow]
    indicators: list[IndicatorRow]


@dataclass(frozen=True)
class PlanView:
    plan: Plan
    pillars: list[PillarRow]
    overdue: list[MeasureRow]
    reports: list[ProgressReport]
    may_report: bool
    measure_titles: dict[uuid.UUID, str]
    indicator_names: dict[uuid.UUID, str]

    @staticmethod
    def published(value: IndicatorValue) -> str:
        return sources.shown(value.value, computed=value.computed)


def indicator_row(actor: Actor, plan: Plan, indicator: Indicator) -> IndicatorRow:
    found = progress.latest_value(plan, indicator)
    latest = period = None
    share: float | None = None
    if found is not None:
        report, value = found
        latest, period = sources.shown(value.value, computed=value.computed), report.label
        if not latest.startswith("<"):
            share = progress.share_of_way(indicator, value.value)
    return IndicatorRow(
        indicator=indicator,
        baseline=sources.shown(indicator.baseline_value, computed=False),
        target=sources.shown(indicator.target_value, computed=False),
        latest=latest,
        latest_period=period,
        share=share,
        may_report=progress.may_report(actor, plan, indicator.measure),
    )


def plan_view(actor: Actor, plan: Plan, locale: str, today: dt.date | None = None) -> PlanView:
    day = today or dt.date.today()
    pillars = []
    for pillar in plan.pillars:
        measures = [
            MeasureRow(
                measure=m,
                agencies=[r.agency.name(locale) for r in m.responsible],
                overdue=progress.is_overdue(m, day),
                may_report=progress.may_report(actor, plan, m),
            )
            for m in pillar.measures
        ]
        indicators = [indicator_row(actor, plan, i) for i in pillar.indicators]
        pillars.append(PillarRow(pillar, measures, indicators))
    overdue = sorted(
        (row for p in pillars for row in p.measures if row.overdue),
        key=lambda row: row.measure.deadline,
    )
    mine = progress.reportable(actor, plan)
    return PlanView(
        plan=plan,
        pillars=pillars,
        overdue=overdue,
        reports=sorted(plan.reports, key=lambda r: r.period_end, reverse=True),
        may_report=bool(mine[0] or mine[1]),
        measure_titles={m.measure.id: m.measure.title for p in pillars for m in p.measures},
        indicator_names={i.indicator.id: i.indicator.name for p in pillars for i in p.indicators},
    )
